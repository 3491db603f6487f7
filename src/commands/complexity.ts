import {BaseCommand, type Outcome} from '../cli/base.js';
import {formatFlag, modelFlags, seqFlag, variantFlag} from '../cli/flags.js';
import {formatTable, paint, type TableFormat} from '../cli/render.js';
import {resolveFlags} from '../cli/scenario.js';
import {DEFAULT_COMPLEXITY_ENTRIES, runComplexity} from '../queries/complexity.js';
import {formatCount, formatInt} from '../units.js';

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
          paint(
            'Leading-order operations (constant 1) · path length in attention hops / recurrent steps',
            'bold',
            ctx,
          ),
          formatTable(
            {
              head: ['design', 'n', 'd', 'ops', 'speed-up vs standard', 'path max', 'path mean'],
              rows: q.rows.map(r => [
                r.variantLabel,
                formatInt(r.seq),
                formatInt(r.dModel),
                formatCount(r.ops),
                r.speedupVsStandard >= 10
                  ? `${r.speedupVsStandard.toFixed(1)}×`
                  : `${r.speedupVsStandard.toFixed(2)}×`,
                formatInt(r.pathLengthMax),
                Number.isInteger(r.pathLengthMean)
                  ? formatInt(r.pathLengthMean)
                  : r.pathLengthMean.toFixed(1),
              ]),
            },
            flags.format as TableFormat,
            ctx,
          ),
        ].join('\n'),
    };
  }
}
