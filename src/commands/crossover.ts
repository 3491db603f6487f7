import {Flags} from '@oclif/core';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {accountingFlags, formatFlag, hardwareFlags, modelFlags, workloadFlags} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {renderCrossover} from '../cli/renderers/capacity.js';
import {resolveFlags} from '../cli/scenario.js';
import {type CrossoverMetric, runCrossover} from '../queries/crossover.js';
import type {ByteUnits} from '../units.js';

export default class Crossover extends BaseCommand {
  static override summary =
    'The sequence lengths where design A and design B cost the same (by flops, memory or latency).';
  static override description =
    'Scans the range on a log grid (64 points per decade) and refines every sign change of cost_A − cost_B to the token. A side is an attention variant (NAME or NAME:key=value) on the current model, or an architecture (rnn, lstm, gru, mamba, …) built with the same d and layers. With --assumptions textbook the flops metric compares leading-order terms: attention n²·d vs RNN n·d² cross at n = d.';
  static override examples = [
    '<%= config.bin %> crossover --a standard --b rnn --metric flops --assumptions textbook --d-model 512',
    '<%= config.bin %> crossover --a standard --b window:w=512 --metric flops',
    '<%= config.bin %> crossover --a flash --b linformer:k=256 --metric latency --hardware a100-80gb',
  ];
  static override flags = {
    ...modelFlags,
    ...workloadFlags,
    ...accountingFlags,
    ...hardwareFlags,
    ...formatFlag,
    a: Flags.string({
      description: 'First design: a variant (default standard) or an architecture.',
      default: 'standard',
      helpGroup: 'CROSSOVER',
    }),
    b: Flags.string({
      description:
        'Second design: a variant (window:w=512, linformer, …) or an architecture (rnn, lstm, gru, mamba).',
      required: true,
      helpGroup: 'CROSSOVER',
    }),
    metric: Flags.string({
      description: 'What to compare.',
      options: ['flops', 'memory', 'latency'],
      default: 'flops',
      helpGroup: 'CROSSOVER',
    }),
    range: Flags.string({
      description: 'Sequence lengths to search, START..END.',
      default: '16..16M',
      helpGroup: 'CROSSOVER',
    }),
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Crossover);
    const metric = flags.metric as CrossoverMetric;
    const r = await resolveFlags(flags, {
      reheadOnWiden: true,
      defaultHardware: metric === 'latency' ? ['h100-sxm'] : false,
    });
    const q = runCrossover(r, {a: flags.a, b: flags.b, metric, range: flags.range});
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      render: ctx =>
        renderCrossover(q, {format: flags.format as TableFormat, units: flags.units as ByteUnits}, ctx),
    };
  }
}
