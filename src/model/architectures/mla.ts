/**
 * Multi-head latent attention (DeepSeek-V2, arXiv:2405.04434 §2.1; DeepSeek-V3,
 * arXiv:2412.19437 §2.1.1). Queries and keys/values pass through low-rank latents; the cache holds
 * the key/value latent c_kv (d_c channels) and one rope key shared by all heads (d_r) per token.
 *
 * Prefill and training run it decompressed, as Hugging Face's modeling_deepseek does: keys and
 * values are expanded per head from the latent and the variant's core runs as multi-head attention
 * over d_nope + d_r query/key channels and d_v value channels. Decode runs it absorbed (V2 §2.1.2):
 * W_UK is applied to the query (scores against the latent itself) and W_UV after the core, so the
 * core is multi-query attention over d_c + d_r key channels with the latent as value (d_c).
 * Derivation and a worked example: docs/mla.md.
 */
import {InvalidInputError} from '../../errors.js';
import type {MlaSpec} from '../../schema/presets.js';
import type {AttentionInput, ComponentCost, Family, ResolvedVariant} from '../types.js';
import {component} from '../types.js';
import {listVariants} from '../variants/index.js';
import type {Workload} from '../workload.js';
import {type AttentionBlock, gemm, NORM_FLOPS_PER_ELEMENT, type NormKind, part} from './layer.js';
import type {LayerComponent} from './types.js';

export interface MlaDims {
  dModel: number;
  heads: number;
  mla: MlaSpec;
  /** Kind of the latent norms (q_a_layernorm, kv_a_layernorm): the model's norm. */
  norm: NormKind;
  /** attention_bias: q_a_proj, kv_a_proj_with_mqa and o_proj carry biases (q_b, kv_b never do). */
  bias?: boolean;
}

/**
 * Variant families whose cache is keys and values per kept position, which MLA replaces by its
 * latent. Kernel, low-rank, latent and recurrent variants keep other state (a feature-map sum,
 * projected keys, cluster tokens, hidden states) that MLA's projections do not define.
 */
const MLA_FAMILIES: ReadonlySet<Family> = new Set(['dense', 'sparse']);

/** Whether `variant` can replace the attention of MLA layers (a dense or sparse variant). */
export function runsOnMla(variant: ResolvedVariant): boolean {
  return MLA_FAMILIES.has(variant.def.family);
}

function refuseVariant(variant: ResolvedVariant): never {
  const valid = listVariants()
    .filter(v => MLA_FAMILIES.has(v.family))
    .map(v => v.id);
  throw new InvalidInputError(
    `variant '${variant.label}' (${variant.def.family}) cannot run on MLA layers: they cache one latent per position, and a ${variant.def.family} variant keeps a different state. Valid: ${valid.join(', ')}`,
    {path: ['variant'], hint: 'MLA and its cache: docs/mla.md.'},
  );
}

/**
 * A batched per-head product (torch.bmm / einsum over heads): each of `heads` heads maps its own
 * `inDim` channels to `outDim` with its own matrix. Reads the input and the heads' weights once,
 * writes the output.
 */
function perHeadGemm(name: string, rows: number, heads: number, inDim: number, outDim: number, w: Workload) {
  return component(name, 'gemm', {
    macs: rows * heads * inDim * outDim,
    readBytes: rows * heads * inDim * w.bytes + heads * inDim * outDim * w.weightBytes,
    writeBytes: rows * heads * outDim * w.bytes,
    transientBytes: rows * heads * outDim * w.bytes,
  });
}

/** The norms of the latents: NORM_FLOPS_PER_ELEMENT per element, each reads and writes its rows. */
function latentNorms(rows: number, width: number, count: number, w: Workload): ComponentCost {
  return component('latent-norms', 'elementwise', {
    vectorFlops: rows * width * NORM_FLOPS_PER_ELEMENT,
    readBytes: rows * width * w.bytes,
    writeBytes: rows * width * w.bytes,
    launches: count,
  });
}

/**
 * One MLA self-attention layer for `queries` query rows over `keys` key rows per sequence. The
 * projections run on the new tokens only (`queries` rows); decode appends one latent to the cache.
 */
export function mlaBlock(
  dims: MlaDims,
  shape: {queries: number; keys: number; queryOffset: number; causal: boolean},
  w: Workload,
  variant: ResolvedVariant,
): AttentionBlock {
  if (!runsOnMla(variant)) refuseVariant(variant);
  const {dModel: d, heads: h, mla} = dims;
  const {qLoraRank: rq, kvLoraRank: rkv, qkNopeHeadDim: nope, qkRopeHeadDim: rope, vHeadDim: dv} = mla;
  const rows = w.batch * shape.queries;
  const s = w.bytes;
  const qk = nope + rope;
  const absorbed = w.mode === 'decode';
  const components: LayerComponent[] = [];
  const proj = (c: ComponentCost) => components.push(part(c, 'projection'));

  // Queries: q = W_UQ·norm(W_DQ·x) with a query latent, else W_Q·x; h·(d_nope + d_r) channels.
  if (rq === null) proj(gemm('q-projection', rows, d, h * qk, w));
  else {
    proj(gemm('q-down-projection', rows, d, rq, w));
    proj(gemm('q-up-projection', rows, rq, h * qk, w));
  }
  // [c_kv; k_rope] = W_DKV·x: the latent and the shared rope key (kv_a_proj_with_mqa).
  proj(gemm('kv-down-projection', rows, d, rkv + rope, w));
  components.push(part(latentNorms(rows, rkv + (rq ?? 0), rq === null ? 1 : 2, w), 'norm'));
  if (absorbed) {
    // q̃_nope = W_UKᵀ·q_nope per head: d_nope → d_c, so scores are taken against c_kv directly.
    proj(perHeadGemm('q-absorb', rows, h, nope, rkv, w));
  } else {
    // k_nope and v for every head from the latent (kv_b_proj): d_c → h·(d_nope + d_v).
    proj(gemm('kv-up-projection', rows, rkv, h * (nope + dv), w));
  }
  const input: AttentionInput = {
    batch: w.batch,
    queries: shape.queries,
    keys: shape.keys,
    queryOffset: shape.queryOffset,
    heads: h,
    // Absorbed: one key/value "head" shared by all query heads — the latent with the rope key.
    kvHeads: absorbed ? 1 : h,
    headDim: absorbed ? rkv + rope : qk,
    valueDim: absorbed ? rkv : dv,
    valueInKey: absorbed,
    dModel: d,
    causal: shape.causal,
    bytes: s,
    kvBytes: w.kvBytes,
    training: w.mode === 'train',
    accounting: w.accounting,
  };
  for (const cost of variant.def.cost(input, variant.params)) {
    components.push(part(cost, 'attention', variant.def.backwardFactor, true));
  }
  // o_h = W_UV·ô_h per head: d_c → d_v, before the output projection.
  if (absorbed) proj(perHeadGemm('output-absorb', rows, h, rkv, dv, w));
  proj(gemm('output-projection', rows, h * dv, d, w));

  const normWeights = dims.norm === 'rmsnorm' ? 1 : 2;
  const qParams = rq === null ? d * h * qk : d * rq + normWeights * rq + rq * h * qk;
  const kvParams = d * (rkv + rope) + normWeights * rkv + rkv * h * (nope + dv);
  const biases = dims.bias ? (rq ?? 0) + rkv + rope + d : 0;
  const extraWeights = variant.def.weights?.(input, variant.params) ?? 0;
  const params = qParams + kvParams + h * dv * d + biases + extraWeights;

  // Korthikanti §4.1 attention terms, generalised to MLA's decompressed form: the layer input,
  // the query latent and its norm, Q, the kv latent (with rope key) and its norm, expanded K_nope
  // and V, the AV output, and the output dropout mask (1 byte per element of d).
  const activationBytes =
    rows * (s * (d + 2 * (rq ?? 0) + h * qk + rkv + rope + rkv + h * (nope + dv) + h * dv) + d);
  // The cache: c_kv and k_rope per kept position, whatever the mode computes with. The variant
  // decides how many positions it keeps (all, a window); one shared "head" of d_c + d_r channels.
  // (`input` is reused as that view: it is this call's own object.)
  input.kvHeads = 1;
  input.headDim = rkv + rope;
  input.valueDim = 0;
  const cacheBytes = w.mode === 'train' ? 0 : variant.def.cacheBytes(input, variant.params);
  return {components, params, cacheBytes, activationBytes};
}
