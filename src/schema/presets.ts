/**
 * Zod schemas of the data files attncap ships and users supply: hardware presets
 * (`presets/hardware/<id>.json`, `--hardware-file`) and model presets (`presets/models/<id>.json`,
 * `--model-file`). Every quantity carries its unit in its name and is stored in base SI units
 * (bytes, FLOP/s, bytes/s, seconds). Files are parsed strictly: an unknown key is an error, so
 * typos are caught instead of silently ignored.
 *
 * Each schema is built on its first use (`once`, src/schema/lazy.ts): `modelPresetSchema().parse(…)`.
 * A query on shipped presets builds none of them; the build validated those files (docs/startup.md).
 */
import {z} from 'zod';
import {once} from './lazy.js';

export const DTYPES = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8'] as const;
export const dtypeSchema = once(() => z.enum(DTYPES));
export type Dtype = z.infer<ReturnType<typeof dtypeSchema>>;

/** Bytes per element of each dtype (tf32 is stored as fp32). */
export const DTYPE_BYTES: Readonly<Record<Dtype, number>> = {fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1};

const positive = once(() => z.number().positive());
const positiveInt = once(() => z.number().int().positive());
const nonNegativeInt = once(() => z.number().int().nonnegative());
const id = once(() =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]*$/, 'an id is lowercase letters, digits, dots and dashes, e.g. "h100-sxm"'),
);

export const sourceSchema = once(() =>
  z.strictObject({
    title: z.string().min(1).describe('Document the value comes from (datasheet, paper, config file).'),
    url: z.string().url().optional(),
    note: z.string().optional().describe('Which figure was taken and how it was converted.'),
  }),
);
export type Source = z.infer<ReturnType<typeof sourceSchema>>;
const sources = once(() => z.array(sourceSchema()).min(1, 'every preset cites at least one source'));

export const hardwarePresetSchema = once(() =>
  z.strictObject({
    $schema: z.string().optional(),
    id: id(),
    name: z.string().min(1),
    vendor: z.enum(['nvidia', 'amd', 'other']),
    computeCapability: positive()
      .optional()
      .describe(
        'CUDA compute capability (NVIDIA), e.g. 8.0 for A100, 9.0 for H100: which kernel implementations (--impl) can run.',
      ),
    memoryMarketedGB: positive().describe(
      'Memory as marketed, in the vendor\'s "GB" (e.g. 80 for an 80 GB A100).',
    ),
    memoryBytes: positiveInt().describe(
      'Physical device memory in bytes. HBM/GDDR "GB" are binary-sized: 80 GB of chips = 80 * 2^30 bytes.',
    ),
    memoryType: z.string().min(1),
    bandwidthBytesPerSec: positive().describe(
      'Datasheet memory bandwidth, bytes/s (decimal: 2039 GB/s = 2.039e12).',
    ),
    matrixPeakFlopsPerSec: z
      .strictObject({
        fp32: positive().describe('FP32 matrix products without tensor cores (the CUDA-core FP32 peak).'),
        tf32: positive().optional(),
        fp16: positive(),
        bf16: positive().optional(),
        fp8: positive().optional(),
      })
      .describe('Dense (no 2:4 sparsity) matrix-unit peak per dtype, FLOP/s, FP32 accumulate.'),
    vectorFlopsPerSec: positive().describe(
      'Non-tensor FP32 peak (elementwise work: softmax, norms, activations), FLOP/s.',
    ),
    streamingMultiprocessors: positiveInt().describe('SMs (NVIDIA) or compute units (AMD).'),
    l2CacheBytes: positiveInt(),
    sharedMemoryPerSmBytes: positiveInt(),
    interconnect: z.string().optional().describe('Free-text note; the numbers are in `links`.'),
    links: z
      .strictObject({
        pcieGeneration: positiveInt().describe('PCI Express generation of the host link.'),
        pcieBytesPerSec: positive().describe(
          'Host link bandwidth per direction, bytes/s (PCIe 5.0 x16: 63e9).',
        ),
        nvlinkBytesPerSec: positive()
          .optional()
          .describe('GPU-to-GPU link bandwidth per GPU per direction, bytes/s (NVLink, Infinity Fabric).'),
        nvlinkGpus: positiveInt()
          .optional()
          .describe('GPUs one such link domain joins (8 on an HGX board, 2 through a bridge).'),
        networkBytesPerSec: positive()
          .optional()
          .describe(
            "Scale-out network per GPU in the vendor's reference system, bytes/s (8 x 400 Gb/s NICs: 50e9).",
          ),
      })
      .optional()
      .describe('Interconnect of multi-GPU systems (docs/parallelism.md).'),
    runtimeReserveBytes: nonNegativeInt().describe(
      'Memory the runtime takes before any tensor: CUDA/ROCm context, cuBLAS workspace, allocator slack.',
    ),
    sources: sources(),
    notes: z.string().optional(),
  }),
);
export type HardwarePreset = z.infer<ReturnType<typeof hardwarePresetSchema>>;

export const ARCHITECTURES = [
  'transformer',
  'vit',
  'swin',
  'paca-vit',
  'perceiver',
  'perceiver-io',
  'rnn',
  'lstm',
  'gru',
  'mamba',
  'hyena',
] as const;
export const architectureSchema = once(() => z.enum(ARCHITECTURES));
export type Architecture = z.infer<ReturnType<typeof architectureSchema>>;

/** What a layer of a plan is (docs/layer-plans.md): attention, a state-space / linear-recurrent mixer, or a feed-forward alone. */
export const LAYER_KINDS = ['attention', 'mamba', 'mamba2', 'gated-deltanet', 'mlp'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];
/** Which feed-forward a layer has: the model's dense FFN, a mixture of experts, or none. */
export const MLP_KINDS = ['dense', 'moe', 'none'] as const;
export type MlpKind = (typeof MLP_KINDS)[number];

/**
 * One entry of a layer plan (docs/layer-plans.md): `repeat` consecutive layers of one kind. In a
 * `schedule` the entries are listed in order and cover exactly `layers`; in a `pattern` they are
 * cycled over `layers`.
 */
export const scheduleEntrySchema = once(() =>
  z.strictObject({
    repeat: positiveInt().default(1),
    kind: z
      .enum(LAYER_KINDS)
      .optional()
      .describe(
        "Layer kind: 'attention' (default), 'mamba' (Mamba-1, the model's ssm block), 'mamba2' (its mamba2 block), 'gated-deltanet' (its gatedDeltaNet block), 'mlp' (a feed-forward-only layer, as Nemotron-H's).",
      ),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'a name is lowercase letters, digits, dots, dashes and underscores')
      .optional()
      .describe(
        'Name a --variant selector addresses (e.g. "local", "global"); default: the variant id of attention layers, the kind otherwise.',
      ),
    variant: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Attention variant spec of these layers, e.g. "window:w=1024"; default: the model\'s variant.',
      ),
    heads: positiveInt().optional(),
    kvHeads: positiveInt().optional(),
    headDim: positiveInt().optional(),
    mlp: z
      .enum(MLP_KINDS)
      .optional()
      .describe(
        "The layer's feed-forward: 'dense' (default: the model's FFN), 'moe', or 'none' (a mixer-only layer).",
      ),
    sinks: z
      .boolean()
      .optional()
      .describe(
        'Attention sinks (gpt-oss): one learned logit per head joins each softmax row; h parameters.',
      ),
  }),
);
export type ScheduleEntry = z.infer<ReturnType<typeof scheduleEntrySchema>>;

/** A hierarchical stage (Swin, PaCa-ViT): tokens shrink 4x and width grows between stages. */
export const stageSchema = once(() =>
  z.strictObject({
    depth: positiveInt(),
    dModel: positiveInt(),
    heads: positiveInt(),
    headDim: positiveInt().optional(),
    variant: z.string().min(1).optional().describe('Variant spec of this stage, e.g. "swin:window=7".'),
  }),
);

export const visionSchema = once(() =>
  z.strictObject({
    imageSize: z.tuple([positiveInt(), positiveInt()]).describe('[height, width] in pixels.'),
    patch: positiveInt(),
    channels: positiveInt().default(3),
    classToken: z.boolean().default(false),
    classes: positiveInt().optional().describe('Classifier head outputs.'),
  }),
);

export const ssmSchema = once(() =>
  z.strictObject({
    state: positiveInt().default(16),
    expand: positiveInt().default(2),
    conv: positiveInt().default(4),
    dtRank: positiveInt()
      .optional()
      .describe('Rank of the dt projection; default ceil(d_model / 16) as in Mamba.'),
  }),
);

/** The Hyena operator (Poli et al. 2023, Definition 3.1); defaults: the safari Pile configs. */
export const hyenaSchema = once(() =>
  z.strictObject({
    order: positiveInt().default(2).describe('N: long convolutions (and N + 1 projections) per operator.'),
    filterOrder: positiveInt().default(64).describe('W: width of the implicit filter FFN.'),
    positionalDim: positiveInt().default(33).describe('P: positional features fed to the filter FFN.'),
    shortFilter: positiveInt().default(3).describe('Taps of the short depthwise conv on the projections.'),
  }),
);

/**
 * The Mamba-2 (SSD) mixer: Dao & Gu 2024, "Transformers are SSMs" (arXiv:2405.21060), §7 and the
 * reference mamba_ssm/modules/mamba2.py. Hugging Face names: ssm_state_size / state_size,
 * mamba_head_dim / head_dim, mamba_num_heads / num_heads, n_groups, expand, conv_kernel, chunk_size.
 */
export const mamba2Schema = once(() =>
  z.strictObject({
    state: positiveInt().describe('N: state size per head (ssm_state_size), e.g. 128.'),
    headDim: positiveInt().describe('P: channels per SSM head (mamba_head_dim), e.g. 64.'),
    heads: positiveInt().optional().describe('H: SSM heads; default expand·d / headDim.'),
    expand: positiveInt().default(2).describe('E: d_inner = E·d when heads is not stated.'),
    conv: positiveInt().default(4).describe('K: taps of the causal depthwise conv on x, B and C.'),
    groups: positiveInt().default(1).describe('G: groups sharing B and C (n_groups), like GQA for the SSM.'),
    chunk: positiveInt().default(256).describe('Q: chunk length of the SSD chunked scan (chunk_size).'),
  }),
);

/**
 * The Gated DeltaNet mixer: Yang, Kautz & Hatamizadeh 2024, "Gated Delta Networks" (arXiv:2412.06464),
 * as Qwen3-Next builds it (transformers models/qwen3_next, Qwen3NextGatedDeltaNet). Hugging Face
 * names: linear_num_key_heads, linear_key_head_dim, linear_value_head_dim, linear_num_value_heads,
 * linear_conv_kernel_dim.
 */
export const gatedDeltaNetSchema = once(() =>
  z.strictObject({
    heads: positiveInt().describe('Key (and query) heads, linear_num_key_heads.'),
    keyHeadDim: positiveInt().describe('d_k per head, linear_key_head_dim.'),
    valueHeadDim: positiveInt().describe('d_v per head, linear_value_head_dim.'),
    valueHeads: positiveInt().optional().describe('Value heads (linear_num_value_heads); default = heads.'),
    conv: positiveInt()
      .default(4)
      .describe('Taps of the causal depthwise conv on q, k, v (linear_conv_kernel_dim).'),
    chunk: positiveInt().default(64).describe('C: chunk length of the chunkwise-parallel delta rule.'),
  }),
);

export const perceiverSchema = once(() =>
  z.strictObject({
    inputs: positiveInt().describe('M: number of input elements (tokens, pixels, bytes).'),
    inputDim: positiveInt().describe('C: channels per input element.'),
    latents: positiveInt().describe('N: number of latents.'),
    latentDim: positiveInt().describe('D: channels per latent.'),
    crossHeads: positiveInt().default(1),
    crossQkDim: positiveInt().optional().describe('Total qk channels of the encoder cross-attention.'),
    crossVDim: positiveInt().optional().describe('Total v channels of the encoder cross-attention.'),
    crossWidening: positiveInt().default(1),
    reads: nonNegativeInt()
      .default(1)
      .describe('Cross-attention reads of the input (original Perceiver: 8).'),
    processLayers: positiveInt().describe(
      'Latent self-attention layers applied (shared weights count each use).',
    ),
    processHeads: positiveInt(),
    processQkDim: positiveInt().optional(),
    processVDim: positiveInt().optional(),
    processWidening: positiveInt().default(1),
    uniqueProcessLayers: positiveInt().optional().describe('Layers with their own weights (weight sharing).'),
    outputs: nonNegativeInt()
      .default(0)
      .describe('O: decoder output queries (Perceiver IO); 0 = average latents.'),
    outputDim: positiveInt().optional(),
    decoderHeads: positiveInt().default(1),
    decoderQkDim: positiveInt().optional(),
    decoderVDim: positiveInt().optional(),
    decoderWidening: positiveInt().default(1),
    classes: positiveInt().optional(),
  }),
);

/**
 * Mixture-of-experts FFN (Shazeer et al. 2017; Fedus et al. 2021; DeepSeek-V3 arXiv:2412.19437
 * §2.1.2): each token goes to `active` of `experts` routed experts, plus `shared` always-on ones.
 * A layer is MoE unless it is among the first `denseLayers` (those use the dense FFN of width dFf)
 * or its layer plan says `mlp: 'dense'`. Experts use the model's `ffn` kind (gated SwiGLU: 3
 * matrices). Formulas: docs/architectures.md "Mixture of experts".
 */
export const moeSchema = once(() =>
  z.strictObject({
    experts: positiveInt().describe('E: routed experts per MoE layer (n_routed_experts, num_local_experts).'),
    active: positiveInt().describe('k: routed experts each token is sent to (num_experts_per_tok, top-k).'),
    shared: nonNegativeInt()
      .default(0)
      .describe('Shared experts every token passes through (n_shared_experts).'),
    expertDim: positiveInt().describe('d_ff of one routed expert (moe_intermediate_size).'),
    sharedDim: positiveInt()
      .optional()
      .describe('d_ff of one shared expert; default expertDim (shared_expert_intermediate_size).'),
    denseLayers: nonNegativeInt()
      .default(0)
      .describe('The first k layers use the dense FFN of width dFf (first_k_dense_replace).'),
    router: z
      .enum(['softmax', 'sigmoid'])
      .default('softmax')
      .describe('Scoring function of the router over the E expert logits (scoring_func).'),
    routerBias: z
      .boolean()
      .default(false)
      .describe(
        'The router adds a per-expert bias (DeepSeek-V3 e_score_correction_bias; gpt-oss router bias).',
      ),
  }),
);
export type MoeSpec = z.infer<ReturnType<typeof moeSchema>>;

/**
 * Multi-head latent attention (DeepSeek-V2 arXiv:2405.04434 §2.1; DeepSeek-V3 arXiv:2412.19437
 * §2.1.1): queries and keys/values go through low-rank latents; the KV cache holds the latent
 * (kvLoraRank) and one shared rope key (qkRopeHeadDim) per token per layer. Formulas:
 * docs/mla.md.
 */
export const mlaSchema = once(() =>
  z.strictObject({
    qLoraRank: positiveInt()
      .nullable()
      .default(null)
      .describe('d_c′: rank of the query latent (q_lora_rank); null = a plain d → h·(nope+rope) projection.'),
    kvLoraRank: positiveInt().describe('d_c: rank of the key/value latent the cache holds (kv_lora_rank).'),
    qkNopeHeadDim: positiveInt().describe(
      'Query/key channels per head without rotary positions (qk_nope_head_dim).',
    ),
    qkRopeHeadDim: positiveInt().describe(
      'Rotary query/key channels per head; the rope key is shared by all heads (qk_rope_head_dim).',
    ),
    vHeadDim: positiveInt().describe('Value channels per head (v_head_dim).'),
  }),
);
export type MlaSpec = z.infer<ReturnType<typeof mlaSchema>>;

export const modelPresetSchema = once(() =>
  z.strictObject({
    $schema: z.string().optional(),
    id: id(),
    name: z.string().min(1),
    architecture: architectureSchema(),
    dModel: positiveInt().describe('d: model width (the first stage width for hierarchical models).'),
    heads: positiveInt().optional().describe('h: query heads.'),
    kvHeads: positiveInt().optional().describe('h_kv: key/value heads (GQA/MQA); default = heads.'),
    headDim: positiveInt().optional().describe('d_h: as stated by the model; default d / h.'),
    layers: positiveInt().describe('L: number of layers (blocks).'),
    dFf: positiveInt().optional().describe('d_ff: FFN hidden width; default 4 d.'),
    ffn: z
      .enum(['gelu', 'relu', 'swiglu', 'geglu'])
      .default('gelu')
      .describe('swiglu/geglu are gated (3 matrices).'),
    vocab: positiveInt().optional(),
    contextLength: positiveInt().optional().describe('Trained context length in tokens.'),
    causal: z.boolean().describe('Decoder (causal) or encoder (bidirectional) attention.'),
    tiedEmbeddings: z.boolean().default(false),
    norm: z
      .enum(['layernorm', 'rmsnorm'])
      .default('layernorm')
      .describe('LayerNorm (weight and bias: 2·d parameters per norm) or RMSNorm (weight only: d).'),
    linearBias: z
      .boolean()
      .default(false)
      .describe(
        'Linear layers carry bias vectors (Q/K/V, output, FFN, patch embedding, classifier, pooler): GPT-2, BERT, ViT yes; Llama, Mistral no.',
      ),
    positions: positiveInt()
      .optional()
      .describe(
        'Learned absolute position embeddings (rows; rows·d parameters, one lookup per token), e.g. GPT-2 1024, BERT 512. Omit for rotary or relative positions; ViT derives its own from the patch grid.',
      ),
    tokenTypes: positiveInt().optional().describe('Segment (token-type) embeddings, e.g. BERT 2.'),
    attentionBias: z
      .enum(['none', 'qkv', 'qkvo'])
      .optional()
      .describe(
        'Biases of the attention projections where they differ from linearBias: qkv = Q/K/V only (Qwen2), qkvo = Q/K/V and output (gpt-oss, Llama with attention_bias), none. Default: qkvo with linearBias, else none.',
      ),
    weightFormat: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'a weight format is lowercase, e.g. "bf16", "fp8", "mxfp4", "int4"')
      .optional()
      .describe(
        "The checkpoint's own weight format as published (Hugging Face torch_dtype / quantization_config), e.g. bf16, fp8, mxfp4, int4.",
      ),
    pooler: z
      .boolean()
      .default(false)
      .describe('BERT pooler: Linear(d → d) and tanh over the first token of each sequence.'),
    variant: z.string().min(1).default('standard').describe('Attention variant of every attention layer.'),
    schedule: z
      .array(scheduleEntrySchema())
      .min(1)
      .optional()
      .describe(
        'The layers in order, group by group; the repeats add up to exactly `layers` (docs/layer-plans.md).',
      ),
    pattern: z
      .array(scheduleEntrySchema())
      .min(1)
      .optional()
      .describe(
        'Entries cycled over `layers` (layer i is layer i mod period of the expanded pattern; a last partial cycle is allowed), e.g. 5 local : 1 global.',
      ),
    stages: z.array(stageSchema()).optional(),
    vision: visionSchema().optional(),
    ssm: ssmSchema().optional(),
    mamba2: mamba2Schema().optional(),
    gatedDeltaNet: gatedDeltaNetSchema().optional(),
    hyena: hyenaSchema().optional(),
    perceiver: perceiverSchema().optional(),
    moe: moeSchema().optional().describe('Mixture-of-experts FFN of the MoE layers (docs/architectures.md).'),
    mla: mlaSchema()
      .optional()
      .describe('Multi-head latent attention projections of every attention layer (docs/mla.md).'),
    paramsPublished: positive().optional().describe('Parameter count the authors publish, for cross-checks.'),
    activeParamsPublished: positive()
      .optional()
      .describe(
        'Parameters per token the authors publish for a MoE model (their convention; docs/architectures.md).',
      ),
    sources: sources(),
    notes: z.string().optional(),
  }),
);
export type ModelPreset = z.infer<ReturnType<typeof modelPresetSchema>>;
export type ModelPresetInput = z.input<ReturnType<typeof modelPresetSchema>>;
