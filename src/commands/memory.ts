import {BaseCommand, type Outcome} from '../cli/base.js';
import {capacityFlags, parallelFlags} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {renderMemory} from '../cli/renderers/capacity.js';
import {resolveFlags} from '../cli/scenario.js';
import {runMemory} from '../queries/memory.js';
import type {ByteUnits} from '../units.js';

export default class Memory extends BaseCommand {
  static override summary =
    'Peak memory: weights, gradients, optimizer states, activations, KV cache, transient buffers, reserve; against each device.';
  static override description =
    "The peak of one step (docs/design.md §4.4): inference = weights + KV cache (decode, causal prefill) + the largest transient working set of one layer + runtime reserve; training adds gradients, Adam states and the saved activations (Korthikanti et al. 2022) under --recompute. Terms: docs/capacity.md. With --tp/--pp/--cp/--ep/--gpus every term is one GPU's (docs/parallelism.md).";
  static override examples = [
    '<%= config.bin %> memory --model llama-3.1-8b --seq 128k --variant standard --variant flash --hardware h100-sxm',
    '<%= config.bin %> memory --model gpt2-small --seq 8k --mode train --recompute selective --hardware a100-40gb',
    '<%= config.bin %> memory --model gpt2-small --seq 1k,2k,4k --assumptions textbook --dtype fp16 --hardware rtx-3090',
    '<%= config.bin %> memory --model llama-3.1-70b --seq 32k --mode decode --hardware h100-sxm --tp 4',
  ];
  static override flags = {
    ...capacityFlags,
    ...parallelFlags,
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Memory);
    const q = runMemory(await resolveFlags(flags));
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      render: ctx =>
        renderMemory(q, {format: flags.format as TableFormat, units: flags.units as ByteUnits}, ctx),
    };
  }
}
