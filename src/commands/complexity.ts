import {BaseCommand, type Outcome} from '../cli/base.js';
import {formatFlag, modelFlags, seqFlag, variantFlag} from '../cli/flags.js';
import {countCell, formatTable, intCell, numberCell, paint, prose, type TableFormat} from '../cli/render.js';
import {resolveFlags} from '../cli/scenario.js';
import {DEFAULT_COMPLEXITY_ENTRIES, runComplexity} from '../queries/complexity.js';
import {formatInt} from '../units.js';

export default class Complexity extends BaseCommand {
  static override summary =
    'The asymptotic view: leading-order cost per design at n, path length, speed-up vs standard.';
  static override description =
    `Leading terms with constant 1 (docs/assumptions.md, textbook): standard n²·d, linear n·d², strided n·⌊√n⌋·d, window n·w·d, RNN n·d². Default entries: ${DEFAULT_COMPLEXITY_ENTRIES.join(', ')}; --variant takes variants and architectures (rnn, lstm, gru, mamba, hyena, perceiver).`;
  static override examples = [
    '<%= config.bin %> complexity --seq 16k --d-model 768 --layers 12',
    '<%= config.bin %> complexity --seq 512..64k --variant standard --variant rnn --d-model 512 --layers 1',
  ];
  static override flags = {...modelFlags, ...seqFlag, ...variantFlag, ...formatFlag};

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Complexity);
    const {variant, ...rest} = flags;
    const q = runComplexity(await resolveFlags(rest, {reheadOnWiden: true, defaultHardware: false}), {
      entries: variant,
    });
    return {
      inputs: q.inputs,
      results: q.rows,
      render: ctx =>
        [
          flags.format === 'csv'
            ? ''
            : prose(
                paint(
                  'Leading-order operations (constant 1) · path length in attention hops / recurrent steps',
                  'bold',
                  ctx,
                ),
                ctx,
              ),
          formatTable(
            {
              head: [
                'design',
                'n',
                {label: 'd', csv: 'd_model'},
                'ops',
                {label: 'speed-up vs standard', csv: 'speedup_vs_standard_ratio'},
                {label: 'path max', csv: 'path_max_hops'},
                {label: 'path mean', csv: 'path_mean_hops'},
              ],
              rows: q.rows.map(r => [
                r.variantLabel,
                intCell(r.seq, 'tokens'),
                intCell(r.dModel),
                countCell(r.ops),
                numberCell(
                  r.speedupVsStandard,
                  x => (x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`),
                  'ratio',
                ),
                intCell(r.pathLengthMax),
                numberCell(
                  r.pathLengthMean,
                  x => (Number.isInteger(x) ? formatInt(x) : x.toFixed(1)),
                  'count',
                ),
              ]),
            },
            flags.format as TableFormat,
            ctx,
          ),
        ]
          .filter(Boolean)
          .join('\n'),
    };
  }
}
