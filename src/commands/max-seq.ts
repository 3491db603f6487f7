import {Flags} from '@oclif/core';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {capacityFlags, parallelFlags} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {renderMaxSeq} from '../cli/renderers/capacity.js';
import {resolveFlags} from '../cli/scenario.js';
import {runMaxSeq, type Solve} from '../queries/max-seq.js';
import type {ByteUnits} from '../units.js';

export default class MaxSeq extends BaseCommand {
  static override summary =
    'The longest sequence that fits in memory (and meets a latency budget); or the largest batch.';
  static override description =
    'Exact to the token: the answer n fits and n + 1 does not. Reports the binding constraint (memory or latency), "none fits" when the weights alone exceed the device, and "unbounded" above 2^40. With --min it is a capacity check: exit 1 when an answer is below it. With --tp/--pp/--cp/--ep/--gpus the model is split across GPUs and memory is per GPU (docs/parallelism.md).';
  static override examples = [
    '<%= config.bin %> max-seq --model llama-3.1-8b --hardware h100-sxm --variant flash',
    '<%= config.bin %> max-seq --model gpt2-small --hardware a100-40gb --variant standard --min 32k',
    '<%= config.bin %> max-seq --model llama-3.1-8b --hardware a100-80gb --max-latency 2s',
    '<%= config.bin %> max-seq --solve batch --seq 8k --model llama-3.1-8b --hardware h100-sxm --mode decode',
    '<%= config.bin %> max-seq --model gpt2-small --hardware rtx-3090 --assumptions textbook --dtype fp16',
    '<%= config.bin %> max-seq --model llama-3.1-70b --hardware h100-sxm --mode decode --tp 8',
  ];
  static override flags = {
    ...capacityFlags,
    ...parallelFlags,
    'max-latency': Flags.string({
      description: 'Latency budget (expected latency), e.g. 2s or 250ms.',
      helpGroup: 'SOLVE',
    }),
    solve: Flags.string({
      description: 'Solve for the sequence length, or for the batch at --seq.',
      options: ['seq', 'batch'],
      default: 'seq',
      helpGroup: 'SOLVE',
    }),
    min: Flags.string({
      description: 'Fail (exit 1) when an answer is below this (e.g. 32k; a batch with --solve batch).',
      helpGroup: 'SOLVE',
    }),
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(MaxSeq);
    const q = runMaxSeq(await resolveFlags(flags), {
      solve: flags.solve as Solve,
      maxLatency: flags['max-latency'],
      min: flags.min,
    });
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      failure: q.failure,
      render: ctx =>
        renderMaxSeq(q, {format: flags.format as TableFormat, units: flags.units as ByteUnits}, ctx),
    };
  }
}
