import {BaseCommand, type Outcome} from '../cli/base.js';
import {
  accountingFlags,
  formatFlag,
  hardwareFlags,
  modelFlags,
  parallelFlags,
  serveFlags,
  variantFlag,
  workloadFlags,
} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {renderServe} from '../cli/renderers/serve.js';
import {resolveFlags} from '../cli/scenario.js';
import {runServe} from '../queries/serve.js';
import type {ByteUnits} from '../units.js';

// serve sets the mode (prefill for the first token, decode after it) and the batch (the concurrency).
const {mode: _mode, batch: _batch, recompute: _recompute, scope: _scope, ...storageFlags} = workloadFlags;

export default class Serve extends BaseCommand {
  static override summary =
    'A served deployment: KV blocks, the most concurrent requests, TTFT, TPOT and tokens/s, on one or more GPUs.';
  static override description =
    'For requests of --input prompt tokens and --output generated tokens: KV-cache blocks left after weights, the peak working set and the reserve; the most sequences that fit at once; time to first token and per output token at a concurrency; aggregate output tokens/s; the concurrency that maximises throughput under --max-tpot/--max-ttft. Parallelism with --gpus, --tp, --pp, --cp. Arithmetic: docs/serving.md, docs/parallelism.md.';
  static override examples = [
    '<%= config.bin %> serve --model llama-3.1-8b --hardware h100-sxm --memory-utilization 0.9 --kv-block 16 --input 8k --output 1k',
    '<%= config.bin %> serve --model llama-3.1-70b --hardware h100-sxm --weights awq --kv-dtype fp8 --max-tpot 50ms',
    '<%= config.bin %> serve --model llama-3.1-70b --hardware h100-sxm --gpus 4 --max-tpot 30ms --max-ttft 2s',
  ];
  static override flags = {
    ...modelFlags,
    ...variantFlag,
    ...storageFlags,
    ...accountingFlags,
    ...hardwareFlags,
    ...serveFlags,
    ...parallelFlags,
    ...formatFlag,
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Serve);
    const q = runServe(await resolveFlags(flags, {serving: true}), flags);
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      render: ctx =>
        renderServe(q, {format: flags.format as TableFormat, units: flags.units as ByteUnits}, ctx),
    };
  }
}
