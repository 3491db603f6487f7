/**
 * Storage formats of weights and of the KV cache, as bits per element including their scales
 * (docs/serving.md "Weight formats" and "KV-cache dtypes"). Pure data and arithmetic: the
 * flags are parsed in src/inputs.ts.
 */

/** A weight storage format: `bits` per weight plus one `scaleBits` scale per `group` weights. */
export interface WeightFormatDef {
  id: string;
  /** Bits of each stored weight. */
  bits: number;
  /** Weights sharing one scale (0: no per-group scale; per-tensor or per-channel scales are negligible). */
  group: number;
  /** Bits of each group's scale. */
  scaleBits: number;
  /** Whether `:g=N` may set the group size. */
  groupable: boolean;
  /** Floating-point storage that training can keep (the others are inference formats). */
  float: boolean;
  source: string;
}

/**
 * The formats `--weights` takes. Group-scaled formats count their scales: int4 g=128 with a 16-bit
 * scale is 4 + 16/128 = 4.125 bits per weight.
 */
export const WEIGHT_FORMATS: Readonly<Record<string, WeightFormatDef>> = {
  fp32: {id: 'fp32', bits: 32, group: 0, scaleBits: 0, groupable: false, float: true, source: 'IEEE 754'},
  tf32: {
    id: 'tf32',
    bits: 32,
    group: 0,
    scaleBits: 0,
    groupable: false,
    float: true,
    source: 'stored as fp32',
  },
  bf16: {id: 'bf16', bits: 16, group: 0, scaleBits: 0, groupable: false, float: true, source: 'bfloat16'},
  fp16: {
    id: 'fp16',
    bits: 16,
    group: 0,
    scaleBits: 0,
    groupable: false,
    float: true,
    source: 'IEEE 754 half',
  },
  // Per-tensor (vLLM, TensorRT-LLM) or 128×128-block fp32 scales (DeepSeek-V3 §3.3.2: 32/16384 bits): < 0.01 bit.
  fp8: {
    id: 'fp8',
    bits: 8,
    group: 0,
    scaleBits: 0,
    groupable: false,
    float: true,
    source: 'Micikevicius et al. 2022, "FP8 Formats for Deep Learning" (E4M3), per-tensor scale',
  },
  // Per-output-channel scales (SmoothQuant W8A8, LLM.int8()): 16 bits per row of d_in weights, < 0.01 bit.
  int8: {
    id: 'int8',
    bits: 8,
    group: 0,
    scaleBits: 16,
    groupable: true,
    float: false,
    source: 'Xiao et al. 2023, "SmoothQuant" (per-channel weight scales)',
  },
  int4: {
    id: 'int4',
    bits: 4,
    group: 128,
    scaleBits: 16,
    groupable: true,
    float: false,
    source:
      'Frantar et al. 2023, "GPTQ" §5 and Lin et al. 2024, "AWQ" §4: 4-bit weights, one fp16 scale per group of 128',
  },
  // QLoRA §3 "Double Quantization": an 8-bit absmax per 64 weights and an fp32 scale per 256 of those.
  nf4: {
    id: 'nf4',
    bits: 4,
    group: 64,
    scaleBits: 8 + 32 / 256,
    groupable: false,
    float: false,
    source: 'Dettmers et al. 2023, "QLoRA" §3: NF4 with double quantization, 0.127 bits of scales per weight',
  },
  mxfp4: {
    id: 'mxfp4',
    bits: 4,
    group: 32,
    scaleBits: 8,
    groupable: false,
    float: false,
    source: 'OCP Microscaling Formats (MX) Specification v1.0 §5: FP4 E2M1 elements, an E8M0 scale per 32',
  },
  nvfp4: {
    id: 'nvfp4',
    bits: 4,
    group: 16,
    scaleBits: 8,
    groupable: false,
    float: false,
    source: 'NVIDIA Blackwell NVFP4: FP4 E2M1 elements, an FP8 E4M3 scale per 16 (plus one fp32 per tensor)',
  },
};

/** Names that stand for a format: AWQ and GPTQ checkpoints are int4 with groups of 128. */
export const WEIGHT_FORMAT_ALIASES: Readonly<Record<string, string>> = {
  awq: 'int4:g=128',
  gptq: 'int4:g=128',
};

export const WEIGHT_FORMAT_NAMES: readonly string[] = [
  ...Object.keys(WEIGHT_FORMATS).filter(k => k !== 'tf32'),
  ...Object.keys(WEIGHT_FORMAT_ALIASES),
];

/** A resolved weight format: what it is called, and its bits per weight with scales. */
export interface WeightFormat {
  id: string;
  /** e.g. 'int4 g=128'. */
  label: string;
  group: number;
  bitsPerWeight: number;
  float: boolean;
}

export function weightFormat(id: string, group?: number): WeightFormat {
  const def = WEIGHT_FORMATS[id];
  const g = group ?? def.group;
  // int8 without a group: per-channel scales, negligible.
  const scales = g > 0 ? def.scaleBits / g : 0;
  return {
    id: def.id,
    label: g > 0 && def.groupable ? `${def.id} g=${g}` : def.id,
    group: g,
    bitsPerWeight: def.bits + scales,
    float: def.float,
  };
}

/**
 * KV-cache dtypes with the bits each element takes. int8 and int4 keep one fp16 scale and one fp16
 * zero point per token and KV head (LMDeploy's online KV quantisation; KIVI keeps the same per-token
 * grouping for values): 32 bits per d_h elements on top of the element bits. fp8 keeps one scale
 * per tensor (vLLM `kv_cache_dtype=fp8`: k_scale, v_scale per layer), which is negligible.
 */
export const KV_DTYPE_BITS: Readonly<Record<string, {bits: number; perHeadScaleBits: number}>> = {
  fp32: {bits: 32, perHeadScaleBits: 0},
  tf32: {bits: 32, perHeadScaleBits: 0},
  fp16: {bits: 16, perHeadScaleBits: 0},
  bf16: {bits: 16, perHeadScaleBits: 0},
  fp8: {bits: 8, perHeadScaleBits: 0},
  int8: {bits: 8, perHeadScaleBits: 32},
  int4: {bits: 4, perHeadScaleBits: 32},
};
export const KV_DTYPES = Object.keys(KV_DTYPE_BITS);

/** Bytes per KV-cache element for heads of `headDim` channels, scales included. */
export function kvBytesPerElement(kvDtype: string, headDim: number): number {
  const k = KV_DTYPE_BITS[kvDtype];
  return (k.bits + k.perHeadScaleBits / headDim) / 8;
}
