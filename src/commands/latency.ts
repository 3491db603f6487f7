import {Flags} from '@oclif/core';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {capacityFlags, parallelFlags} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {renderLatency} from '../cli/renderers/capacity.js';
import {resolveFlags} from '../cli/scenario.js';
import {runLatency} from '../queries/latency.js';
import type {ByteUnits} from '../units.js';

export default class Latency extends BaseCommand {
  static override summary =
    'Roofline latency: ideal (peaks) and expected (calibrated efficiencies), with the bound of each component.';
  static override description =
    'Per component t = max(matrix FLOPs / matrix rate, vector FLOPs / vector rate, HBM bytes / bandwidth) + launches × launch overhead (docs/design.md §4.5). Expected rates come from the calibration profile of each device (calibration/<id>.json, or --hardware local); ideal uses the peaks. --peak-flops and --bandwidth answer what-if questions. With --tp/--pp/--cp/--ep/--gpus: the share of each kernel one GPU runs plus the collectives of one forward (docs/parallelism.md).';
  static override examples = [
    '<%= config.bin %> latency --model llama-3.1-8b --seq 32k --variant standard --variant flash --hardware h100-sxm --breakdown',
    '<%= config.bin %> latency --model llama-3.1-8b --seq 128k --mode decode --hardware a100-80gb',
    '<%= config.bin %> latency --model gpt2-small --seq 1k,4k,16k --assumptions textbook --peak-flops 150T --hardware a100-80gb',
    '<%= config.bin %> latency --model llama-3.1-70b --seq 8k --mode decode --variant flash --hardware h100-sxm --tp 8 --breakdown',
  ];
  static override flags = {
    ...capacityFlags,
    ...parallelFlags,
    breakdown: Flags.boolean({
      description: 'Per-component rows: time, share, bound and arithmetic intensity.',
    }),
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Latency);
    const q = runLatency(await resolveFlags(flags));
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      render: ctx =>
        renderLatency(
          q,
          {format: flags.format as TableFormat, units: flags.units as ByteUnits, breakdown: flags.breakdown},
          ctx,
        ),
    };
  }
}
