import {Flags} from '@oclif/core';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {capacityFlags, maxPointsFlag, parallelFlags} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {renderSweep} from '../cli/renderers/sweep.js';
import {resolveFlags} from '../cli/scenario.js';
import {DEFAULT_VARIANTS} from '../queries/compare.js';
import {runSweep, type SweepMetric, type SweepOver, sweepRows} from '../queries/sweep.js';
import type {ByteUnits} from '../units.js';

export default class Sweep extends BaseCommand {
  static override summary =
    'A metric (flops, bytes, memory, latency) over a range of sequence lengths, batches or widths, for several variants.';
  static override description =
    "Table plus a log-scale chart with a legend; --format csv|markdown prints every point. memory is the model's peak demand without the device reserve; latency is the expected roofline latency on each --hardware (default h100-sxm). Default variants: standard, flash, window, linformer, performer.";
  static override examples = [
    '<%= config.bin %> sweep --metric flops --seq 512..64k',
    '<%= config.bin %> sweep --metric latency --seq 1k..128k --variant standard --variant flash --hardware a100-80gb --hardware h100-sxm',
    '<%= config.bin %> sweep --metric memory --over batch --range 1..256 --seq 8k --model llama-3.1-8b --format csv',
  ];
  static override flags = {
    ...capacityFlags,
    ...parallelFlags,
    metric: Flags.string({
      description: 'What to sweep.',
      options: ['flops', 'bytes', 'memory', 'latency'],
      default: 'flops',
      helpGroup: 'SWEEP',
    }),
    over: Flags.string({
      description: 'The swept quantity.',
      options: ['seq', 'batch', 'd-model'],
      default: 'seq',
      helpGroup: 'SWEEP',
    }),
    range: Flags.string({
      description:
        'Values of the swept batch or d-model (--seq syntax, e.g. 1..256); --seq is then the fixed length.',
      helpGroup: 'SWEEP',
    }),
    ...maxPointsFlag,
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Sweep);
    const metric = flags.metric as SweepMetric;
    const r = await resolveFlags(flags, {
      defaultVariants: DEFAULT_VARIANTS,
      defaultHardware:
        metric === 'latency' || (metric === 'memory' && flags.assumptions === 'textbook') || flags.hardware
          ? ['h100-sxm']
          : false,
    });
    const q = runSweep(r, {
      metric,
      over: flags.over as SweepOver,
      range: flags.range,
      maxPoints: flags['max-points'],
    });
    return {
      inputs: q.inputs,
      get results() {
        return sweepRows(q);
      },
      warnings: q.warnings,
      render: ctx =>
        renderSweep(q, {format: flags.format as TableFormat, units: flags.units as ByteUnits}, ctx),
    };
  }
}
