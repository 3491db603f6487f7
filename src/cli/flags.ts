/**
 * Flags shared by the commands (docs/design.md §2.1). Values are taken as strings and resolved by the
 * library (src/inputs.ts), so every malformed value gets the same kind of message: the value,
 * the rule, an example.
 */
import {Flags} from '@oclif/core';

export const modelFlags = {
  model: Flags.string({
    description: 'Model preset id (attncap presets models). Default: gpt2-small.',
    helpGroup: 'MODEL',
  }),
  'model-file': Flags.string({
    description: 'Model file (JSON or YAML, the preset schema).',
    helpGroup: 'MODEL',
    exclusive: ['model'],
  }),
  'd-model': Flags.string({description: 'Override d, the model width.', helpGroup: 'MODEL'}),
  heads: Flags.string({description: 'Override h, the query heads.', helpGroup: 'MODEL'}),
  'kv-heads': Flags.string({
    description: 'Override h_kv, the key/value heads (GQA/MQA).',
    helpGroup: 'MODEL',
  }),
  'head-dim': Flags.string({description: 'Override d_h, the head dimension.', helpGroup: 'MODEL'}),
  layers: Flags.string({description: 'Override L, the number of layers.', helpGroup: 'MODEL'}),
  'd-ff': Flags.string({description: 'Override d_ff, the FFN width.', helpGroup: 'MODEL'}),
  vocab: Flags.string({description: 'Override V, the vocabulary size.', helpGroup: 'MODEL'}),
};

export const variantFlag = {
  variant: Flags.string({
    description:
      'Attention variant, NAME or NAME:key=value,… (repeatable); replaces the attention of every layer.',
    multiple: true,
    helpGroup: 'MODEL',
  }),
};

export const seqFlag = {
  seq: Flags.string({
    description:
      'Sequence length(s): 4096, 128k, 2M, 512,2k,8k, 512..64k[:x4|:+1000], image:1024x1024/16, audio:10s@16k.',
    helpGroup: 'WORKLOAD',
  }),
};

export const workloadFlags = {
  batch: Flags.string({description: 'Batch size b.', default: '1', helpGroup: 'WORKLOAD'}),
  dtype: Flags.string({
    description: 'Compute dtype.',
    options: ['fp32', 'tf32', 'fp16', 'bf16', 'fp8'],
    default: 'bf16',
    helpGroup: 'WORKLOAD',
  }),
  'kv-dtype': Flags.string({
    description:
      'KV-cache dtype (default: the compute dtype); int8/int4 add an fp16 scale and zero point per token and head (docs/serving.md).',
    options: ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'],
    helpGroup: 'WORKLOAD',
  }),
  mode: Flags.string({
    description: 'prefill (forward over n), decode (one token, KV cache of n), train (forward + backward).',
    options: ['prefill', 'decode', 'train'],
    default: 'prefill',
    helpGroup: 'WORKLOAD',
  }),
  causal: Flags.boolean({
    description: "Causal masking (default: the model's).",
    allowNo: true,
    helpGroup: 'WORKLOAD',
  }),
  recompute: Flags.string({
    description: 'Activation recomputation in training.',
    options: ['none', 'selective', 'full'],
    default: 'none',
    helpGroup: 'WORKLOAD',
  }),
  scope: Flags.string({
    description: 'attention core of one layer, one full layer, or the whole model.',
    options: ['attention', 'layer', 'model'],
    default: 'model',
    helpGroup: 'WORKLOAD',
  }),
  weights: Flags.string({
    description:
      "Weight storage: bf16, fp16, fp8, int8, int4[:g=128], nf4, mxfp4, nvfp4, awq, gptq (default: the model's checkpoint format, else the compute dtype). docs/serving.md.",
    helpGroup: 'WORKLOAD',
  }),
  'embedding-weights': Flags.string({
    description: 'Storage of embeddings, LM head and final norm (default: the compute dtype).',
    helpGroup: 'WORKLOAD',
  }),
  'kv-block': Flags.string({
    description: 'Paged KV cache: tokens per block; each sequence takes whole blocks (vLLM: 16). Default 1.',
    helpGroup: 'WORKLOAD',
  }),
};

export const accountingFlags = {
  assumptions: Flags.string({
    description: 'Accounting profile (docs/assumptions.md).',
    options: ['detailed', 'textbook'],
    default: 'detailed',
    helpGroup: 'ACCOUNTING',
  }),
  'flops-per-mac': Flags.string({
    description: 'FLOPs per multiply-accumulate: 2 (detailed) or 1 (textbook).',
    options: ['1', '2'],
    helpGroup: 'ACCOUNTING',
  }),
  'softmax-ops': Flags.string({
    description: 'Vector FLOPs per attention score for the softmax (detailed 5, textbook 3).',
    helpGroup: 'ACCOUNTING',
  }),
  'count-masked': Flags.boolean({
    description: 'Count causally masked pairs as computed work.',
    allowNo: true,
    helpGroup: 'ACCOUNTING',
  }),
  units: Flags.string({
    description: 'Byte units in human output: binary (GiB) or si (GB).',
    options: ['binary', 'si'],
    default: 'binary',
    helpGroup: 'OUTPUT',
  }),
};

export const hardwareFlags = {
  hardware: Flags.string({
    description:
      "Hardware preset id (attncap presets hardware), or local (this machine's calibration profile).",
    multiple: true,
    helpGroup: 'HARDWARE',
  }),
  'hardware-file': Flags.string({
    description: 'Hardware file (JSON or YAML, the preset schema).',
    helpGroup: 'HARDWARE',
  }),
  'peak-flops': Flags.string({
    description: 'What-if matrix peak, FLOP/s (e.g. 500T).',
    helpGroup: 'HARDWARE',
  }),
  bandwidth: Flags.string({description: 'What-if memory bandwidth (e.g. 3.35TB/s).', helpGroup: 'HARDWARE'}),
  memory: Flags.string({description: 'What-if memory capacity (e.g. 80GiB, 40GB).', helpGroup: 'HARDWARE'}),
  'memory-reserve': Flags.string({
    description: 'Fraction of capacity kept free (default 0.1; 10% also works).',
    helpGroup: 'HARDWARE',
  }),
  usable: Flags.string({
    description: 'Fraction of capacity usable (= 1 − memory-reserve).',
    helpGroup: 'HARDWARE',
    exclusive: ['memory-reserve'],
  }),
  'memory-utilization': Flags.string({
    description:
      "Fraction of device memory the engine may take, as vLLM's gpu_memory_utilization (= --usable).",
    helpGroup: 'HARDWARE',
    exclusive: ['memory-reserve', 'usable'],
  }),
  profile: Flags.string({
    description: 'Calibration profile file (default: the one `attncap calibrate` wrote).',
    helpGroup: 'HARDWARE',
  }),
  impl: Flags.string({
    description:
      'Attention kernel implementation (docs/calibration-presets.md): eager for materialised attention; sdpa, fa1, fa2, fa3, cudnn, triton for fused (default per device: fa3 on Hopper, fa2 on Ampere/Ada/Blackwell, fa1 on Turing).',
    options: ['eager', 'sdpa', 'fa1', 'fa2', 'fa3', 'cudnn', 'triton'],
    helpGroup: 'HARDWARE',
  }),
  dropout: Flags.string({
    description:
      'Attention dropout probability, on in this run in any mode (a forward-only benchmark of a module in train mode): materialised attention adds its dropout pass and mask.',
    helpGroup: 'WORKLOAD',
  }),
};

export const contextFlag = {
  'ignore-context': Flags.boolean({
    description:
      "Answer beyond the model's trained context length (max-seq caps its answer there otherwise; docs/warnings.md).",
    helpGroup: 'WORKLOAD',
  }),
};

export const formatFlag = {
  format: Flags.string({
    description: 'Human output format.',
    options: ['table', 'csv', 'markdown'],
    default: 'table',
    helpGroup: 'OUTPUT',
  }),
  wide: Flags.boolean({
    description: 'Keep every table column even when the table is wider than the terminal (COLUMNS).',
    helpGroup: 'OUTPUT',
  }),
};

/** Everything a capacity question takes: model, variants, lengths, workload, accounting, devices, format. */
export const capacityFlags = {
  ...modelFlags,
  ...variantFlag,
  ...seqFlag,
  ...workloadFlags,
  ...contextFlag,
  ...accountingFlags,
  ...hardwareFlags,
  ...formatFlag,
};

/** `serve`: request lengths, budgets and the engine (docs/serving.md). */
export const serveFlags = {
  input: Flags.string({
    description: 'Prompt tokens per request (e.g. 8k). Default 1k.',
    helpGroup: 'SERVING',
  }),
  output: Flags.string({
    description: 'Generated tokens per request (e.g. 1k). Default 256.',
    helpGroup: 'SERVING',
  }),
  concurrency: Flags.string({
    description: 'Sequences served at once (default: the most that meet the budgets and fit the KV cache).',
    helpGroup: 'SERVING',
  }),
  'max-tpot': Flags.string({
    description: 'Budget on time per output token (e.g. 50ms).',
    helpGroup: 'SERVING',
  }),
  'max-ttft': Flags.string({description: 'Budget on time to first token (e.g. 2s).', helpGroup: 'SERVING'}),
  engine: Flags.string({
    description:
      'Per-step engine overhead: graphs (decode replayed as a CUDA graph) or eager (every kernel launched).',
    options: ['graphs', 'eager'],
    default: 'graphs',
    helpGroup: 'SERVING',
  }),
};

/**
 * A model split across GPUs (docs/parallelism.md): the scenario's `parallel`. serve answers per
 * deployment; memory, max-seq and latency per GPU.
 */
export const parallelFlags = {
  gpus: Flags.string({
    description: 'GPUs in all (default tp × pp × cp); more make data-parallel replicas.',
    helpGroup: 'PARALLELISM',
  }),
  tp: Flags.string({
    description: 'Tensor-parallel ranks (default: --gpus / (pp × cp)).',
    helpGroup: 'PARALLELISM',
  }),
  pp: Flags.string({description: 'Pipeline stages. Default 1.', helpGroup: 'PARALLELISM'}),
  cp: Flags.string({
    description: 'Context-parallel (ring attention) ranks. Default 1.',
    helpGroup: 'PARALLELISM',
  }),
  ep: Flags.string({
    description: 'Expert-parallel ranks (mixture-of-experts models). Default 1.',
    helpGroup: 'PARALLELISM',
  }),
  'micro-batches': Flags.string({
    description: 'Micro-batches in the pipeline (default: pp).',
    helpGroup: 'PARALLELISM',
  }),
  nodes: Flags.string({description: 'Nodes the GPUs span (default ⌈gpus / 8⌉).', helpGroup: 'PARALLELISM'}),
  interconnect: Flags.string({
    description:
      "GPU-to-GPU link inside a node: nvlink, pcie, or a bandwidth per GPU per direction (default: the preset's).",
    helpGroup: 'PARALLELISM',
  }),
  network: Flags.string({
    description:
      "Network between nodes, bandwidth per GPU (default: the preset's reference system, e.g. 50GB/s).",
    helpGroup: 'PARALLELISM',
  }),
};

/** `--force` of the commands that write files (check --junit, calibrate --profile): docs/limits.md. */
export const forceFlag = {
  force: Flags.boolean({
    description:
      'Write an output file even where it is a device, FIFO or symbolic link (default: only regular files are replaced).',
    helpGroup: 'OUTPUT',
  }),
};

/** `--max-points` of the commands with a work budget (sweep, bench): docs/limits.md. */
export const maxPointsFlag = {
  'max-points': Flags.integer({
    description:
      'Raise the work budget (sweep: points × variants × hardware, default 1,000,000; bench: attention-score elements over all cases, default 2^27). See docs/limits.md.',
    helpGroup: 'OUTPUT',
  }),
};
