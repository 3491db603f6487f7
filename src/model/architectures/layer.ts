/**
 * Building blocks shared by the attention-based architectures (transformer, ViT, Swin,
 * PaCa-ViT, Perceiver): projections, the attention core of a variant, FFN, norms and the
 * per-layer memory terms. Formulas: docs/architectures.md; activation terms generalise
 * Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large Transformer Models",
 * arXiv:2205.05198, §4.1), which they reproduce exactly for GPT-style layers.
 */
import type {AttentionInput, ComponentCost, KernelFamily, ResolvedVariant} from '../types.js';
import {component} from '../types.js';
import type {Workload} from '../workload.js';
import type {LayerComponent, Part} from './types.js';

/**
 * Vector FLOPs per element of the elementwise passes (documented assumptions,
 * docs/architectures.md "Elementwise work"): a norm ≈ 5 (mean, centre, square-sum, scale,
 * affine), GELU ≈ 8 (tanh approximation), SiLU-gated product ≈ 5 (exp, add, divide, two
 * multiplies), ReLU 1, a residual add 1.
 */
export const NORM_FLOPS_PER_ELEMENT = 5;
export const ACTIVATION_FLOPS_PER_ELEMENT = {gelu: 8, relu: 1, swiglu: 5, geglu: 9} as const;

export type FfnKind = keyof typeof ACTIVATION_FLOPS_PER_ELEMENT;

/** LayerNorm keeps a weight and a bias per channel (2·d parameters); RMSNorm a weight only (d). */
export type NormKind = 'layernorm' | 'rmsnorm';

export interface AttentionDims {
  /** Width of the query stream (and of the output projection's output). */
  dModel: number;
  heads: number;
  kvHeads: number;
  /** q/k channels per head. */
  headDim: number;
  /** v channels per head. */
  valueDim: number;
  /** Width of the key/value input stream (cross-attention; = dModel for self-attention). */
  kvInputDim: number;
  /**
   * Q/K/V and output projections carry biases (parameters only: the adds fuse into the GEMM);
   * 'qkv': Q/K/V only, the output projection none (Qwen2).
   */
  bias?: boolean | 'qkv';
}

/** The attention projections' biases of a preset: its attentionBias, else those of linearBias. */
export function attentionBiasOf(model: {
  linearBias: boolean;
  attentionBias?: 'none' | 'qkv' | 'qkvo';
}): boolean | 'qkv' {
  if (model.attentionBias === undefined) return model.linearBias;
  return model.attentionBias === 'qkv' ? 'qkv' : model.attentionBias === 'qkvo';
}

export function isGated(ffn: FfnKind): boolean {
  return ffn === 'swiglu' || ffn === 'geglu';
}

/** A dense matrix product: tokens × (inDim → outDim), weights read once. */
export function gemm(
  name: string,
  tokens: number,
  inDim: number,
  outDim: number,
  w: Workload,
  extra: {vectorFlops?: number; kernel?: KernelFamily; weightBytes?: number} = {},
): ComponentCost {
  return component(name, extra.kernel ?? 'gemm', {
    macs: tokens * inDim * outDim,
    vectorFlops: extra.vectorFlops ?? 0,
    readBytes: tokens * inDim * w.bytes + inDim * outDim * (extra.weightBytes ?? w.weightBytes),
    writeBytes: tokens * outDim * w.bytes,
    // The product's output is alive while it is made (inference working set).
    transientBytes: tokens * outDim * w.bytes,
  });
}

export function part(cost: ComponentCost, p: Part, backwardFactor = 2, core = false): LayerComponent {
  return {cost, part: p, backwardFactor, core};
}

/** Where the queries of one sequence sit, by mode: prefill/train all n, decode one new token. */
export function queryWindow(w: Workload, seq: number): {queries: number; keys: number; queryOffset: number} {
  return w.mode === 'decode'
    ? {queries: 1, keys: seq, queryOffset: seq - 1}
    : {queries: seq, keys: seq, queryOffset: 0};
}

export interface AttentionBlock {
  components: LayerComponent[];
  params: number;
  cacheBytes: number;
  /** Saved for backward outside the core: the Korthikanti attention terms (11·s·b·n·d for GPT). */
  activationBytes: number;
}

/**
 * Q/K/V projections + the variant's core + output projection, for `queries` query rows and
 * `keys` key rows per sequence. Self-attention: projections of K/V run on the new tokens only
 * (`kvTokens` = queries; decode appends one token to the cache). Cross-attention: K/V are
 * projected from the `keys` input rows (`kvTokens` = keys).
 */
export function attentionBlock(
  dims: AttentionDims,
  shape: {queries: number; keys: number; queryOffset: number; kvTokens: number; causal: boolean},
  w: Workload,
  variant: ResolvedVariant,
  names: {q: string; kv: string; fused: boolean} = {q: 'q-projection', kv: 'kv-projection', fused: true},
): AttentionBlock {
  const b = w.batch;
  const {heads: h, kvHeads: hkv, headDim: dh, valueDim: dv, dModel: d, kvInputDim: dkv} = dims;
  const q = b * shape.queries;
  const kv = b * shape.kvTokens;
  const components: LayerComponent[] = [];
  // docs/design.md §4.2: n·d·(d + 2·h_kv·d_h) MACs for Q, K, V when the K/V input is the query stream.
  if (names.fused && dkv === d && kv === q) {
    components.push(part(gemm('qkv-projection', q, d, h * dh + hkv * (dh + dv), w), 'projection'));
  } else {
    components.push(part(gemm(names.q, q, d, h * dh, w), 'projection'));
    components.push(part(gemm(names.kv, kv, dkv, hkv * (dh + dv), w), 'projection'));
  }
  const input: AttentionInput = {
    batch: b,
    queries: shape.queries,
    keys: shape.keys,
    queryOffset: shape.queryOffset,
    heads: h,
    kvHeads: hkv,
    headDim: dh,
    valueDim: dv,
    dModel: d,
    causal: shape.causal,
    bytes: w.bytes,
    kvBytes: w.kvBytes,
    training: w.mode === 'train',
    dropout: w.dropout ?? 0,
    accounting: w.accounting,
  };
  for (const cost of variant.def.cost(input, variant.params)) {
    components.push(part(cost, 'attention', variant.def.backwardFactor, true));
  }
  components.push(part(gemm('output-projection', q, h * dv, d, w), 'projection'));
  const biases = dims.bias ? h * dh + hkv * (dh + dv) + (dims.bias === 'qkv' ? 0 : d) : 0;
  const extraWeights = variant.def.weights?.(input, variant.params) ?? 0;
  const params = d * h * dh + dkv * hkv * (dh + dv) + h * dv * d + biases + extraWeights;
  // Korthikanti §4.1 attention block, generalised to GQA and separate widths: the projection
  // input (s·d), Q (s·h·d_h), K and V (s·h_kv·(d_h+d_v)), the AV output fed to the output
  // projection (s·h·d_v), and the output dropout mask (1 byte per element of d).
  const activationBytes =
    q * (w.bytes * (d + h * dh + h * dv) + d) + kv * w.bytes * (hkv * (dh + dv) + (dkv === d ? 0 : dkv));
  // A paged cache holds whole blocks (vLLM PagedAttention, Kwon et al. 2023 §4.2): round the
  // keys up before asking the variant; `input` is this call's own object, so no copy is made.
  const block = w.kvBlock ?? 1;
  if (block > 1) input.keys = Math.ceil(input.keys / block) * block;
  const cacheBytes = w.mode === 'train' ? 0 : variant.def.cacheBytes(input, variant.params);
  return {components, params, cacheBytes, activationBytes};
}

export interface FfnBlock {
  components: LayerComponent[];
  params: number;
  /** Of params, those a token does not use (the routed experts it does not select); 0 if omitted. */
  inactiveParams?: number;
  activationBytes: number;
}

/**
 * Plain (2 matrices) or gated (3 matrices) feed-forward over `tokens` rows of width d; `bias` adds
 * the matrices' bias vectors to the parameters (their adds fuse into the GEMM epilogue).
 */
export function ffnBlock(
  tokens: number,
  d: number,
  dFf: number,
  ffn: FfnKind,
  w: Workload,
  bias = false,
): FfnBlock {
  const rows = w.batch * tokens;
  const gated = isGated(ffn);
  const upWidth = (gated ? 2 : 1) * dFf;
  // Reported as one 'ffn' component (docs/design.md §4.2: 2·n·d·d_ff, or 3·n·d·d_ff gated) with the
  // traffic of both matrix products (each reads its input and weights, writes its output); two launches.
  const cost = component('ffn', 'gemm', {
    macs: rows * d * upWidth + rows * dFf * d,
    vectorFlops: rows * dFf * ACTIVATION_FLOPS_PER_ELEMENT[ffn],
    readBytes:
      rows * d * w.bytes + d * upWidth * w.weightBytes + rows * dFf * w.bytes + dFf * d * w.weightBytes,
    writeBytes: rows * upWidth * w.bytes + rows * d * w.bytes,
    // Alive at once: the first products' outputs and the activation that feeds the second.
    transientBytes: rows * dFf * w.bytes * (gated ? 3 : 2),
    launches: 2,
  });
  // Korthikanti §4.1 MLP block: input (s·d), first-matrix outputs (s·d_ff, two of them when
  // gated), activation output (s·d_ff), dropout mask (1 byte per element of d). GPT: 19·s·b·n·d/2.
  const activationBytes = rows * (w.bytes * (d + (gated ? 3 : 2) * dFf) + d);
  const biases = bias ? upWidth + d : 0;
  return {components: [part(cost, 'ffn')], params: (gated ? 3 : 2) * d * dFf + biases, activationBytes};
}

/** `count` norms and residual adds over `tokens` rows of width d, one elementwise component. */
export function normsBlock(
  tokens: number,
  d: number,
  count: number,
  w: Workload,
  kind: NormKind = 'layernorm',
): {component: LayerComponent; params: number; activationBytes: number} {
  const elements = w.batch * tokens * d;
  const cost = component('norms', 'elementwise', {
    vectorFlops: count * elements * (NORM_FLOPS_PER_ELEMENT + 1),
    // Each norm reads and writes its rows; each residual add reads two and writes one.
    readBytes: count * 3 * elements * w.bytes,
    writeBytes: count * 2 * elements * w.bytes,
    launches: 2 * count,
  });
  // Korthikanti: each LayerNorm keeps its input (s·d).
  const perNorm = kind === 'rmsnorm' ? d : 2 * d;
  return {
    component: part(cost, 'norm'),
    params: count * perNorm,
    activationBytes: count * elements * w.bytes,
  };
}

/**
 * Rows the LM head projects to the vocabulary: every position in training (every position has a
 * loss); in inference only the last position of each sequence, whose logits pick the next token
 * (vLLM, TensorRT-LLM and Hugging Face generate with logits_to_keep = 1 all do this).
 */
export function lmHeadRows(w: Workload, tokens: number): number {
  return w.mode === 'train' ? w.batch * tokens : w.batch;
}

/**
 * The vocabulary ends of a language model over `tokens` positions per sequence: the token
 * embedding (a lookup — no MACs; one row read per token, plus one per learned position and
 * token-type table, added together) and, with `withHead`, the LM head over `lmHeadRows`.
 * Parameters V·d, twice when the head is not tied to the embedding, plus (positions + token
 * types)·d. Nothing without a vocabulary.
 */
export function vocabularyEnds(
  model: {vocab?: number; dModel: number; tiedEmbeddings: boolean; positions?: number; tokenTypes?: number},
  tokens: number,
  w: Workload,
  withHead: boolean,
): {extras: LayerComponent[]; params: number} {
  if (!model.vocab) return {extras: [], params: 0};
  const d = model.dModel;
  const rows = w.batch * tokens;
  // Quantised checkpoints keep the vocabulary tables in the compute dtype (docs/serving.md).
  const tableBytes = w.embeddingBytes ?? w.weightBytes;
  const tables = 1 + (model.positions ? 1 : 0) + (model.tokenTypes ? 1 : 0);
  const extras = [
    part(
      component('embedding', 'elementwise', {
        vectorFlops: tables * rows * d,
        readBytes: tables * rows * d * tableBytes,
        writeBytes: rows * d * w.bytes,
      }),
      'embedding',
    ),
  ];
  const lookups = ((model.positions ?? 0) + (model.tokenTypes ?? 0)) * d;
  if (!withHead) return {extras, params: model.vocab * d + lookups};
  extras.push(
    part(gemm('lm-head', lmHeadRows(w, tokens), d, model.vocab, w, {weightBytes: tableBytes}), 'head'),
  );
  return {extras, params: model.vocab * d * (model.tiedEmbeddings ? 1 : 2) + lookups};
}
