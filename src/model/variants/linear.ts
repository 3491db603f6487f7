/**
 * `linear`: kernelised linear attention, Katharopoulos et al. 2020, "Transformers are RNNs: Fast
 * Autoregressive Transformers with Linear Attention" (arXiv:2006.16236), with φ(x) = elu(x) + 1.
 *
 * out_i = φ(q_i)ᵀS / φ(q_i)ᵀz, S = Σ_j φ(k_j)v_jᵀ (d_h × d_v), z = Σ_j φ(k_j) (paper §3.2).
 * z is S's extra column, so the state products run over e = d_v + 1 columns. Whole batch, one
 * layer; h query heads, h_kv key/value heads (the state is built from K and V, so it exists once
 * per K/V head and the query heads of a group read it):
 * - feature-map: φ on Q (b·h·n·d_h elements) and on the new K rows (b·h_kv·m_new·d_h),
 *   elementwise, 3 FLOPs per element (select, exp, add).
 * - kv-state: Σ_j φ(k_j)[v_j, 1]ᵀ: b·h_kv·m_new·d_h·e MACs (paper §3.2: O(N·D·M)).
 * - readout: φ(Q)[S, z]: b·h·n·d_h·e MACs, then the division: b·h·n·d_v FLOPs.
 * Causal (paper §3.3): S_i = Σ_{j≤i}, the same MACs. Inference runs one recurrent scan kernel
 * ('state-update') that never writes per-position states. Training through autograd over a
 * cumulative sum materialises one state per position, b·h_kv·n·d_h·e elements, kept for backward
 * (paper §3.3.1 notes this cost; its custom CUDA kernel avoids it). With param `chunk` C the
 * chunkwise form keeps states only at chunk boundaries and computes the C×C blocks inside a
 * chunk as masked attention. Decode: one new key folded into the cached state (a recurrence).
 * Full derivation: docs/variants/linear.md.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, ComponentCost, VariantDef} from '../types.js';
import {component} from '../types.js';

export const linearParams = once(() =>
  z.strictObject({
    chunk: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('causal chunk length C (0 = per-position prefix states, no chunking)'),
  }),
);
export type LinearParams = z.infer<ReturnType<typeof linearParams>>;

/** elu(x) + 1 per element: the sign select, exp on the negative branch, the add. */
const ELU_PLUS_ONE_OPS = 3;

/**
 * Keys folded into the state by this call: all m in prefill and cross-attention; in decode the
 * keys before `queryOffset` are already in the cached state, so only m − queryOffset are new.
 */
export function newKeys(input: AttentionInput): number {
  return Math.max(0, input.keys - input.queryOffset);
}

/**
 * The state passes shared by every attention of the form φ(Q)·(φ(K)ᵀ[V, 1]) (linear attention,
 * Performer): `features` f is the width of φ (d_h for elu + 1, r for random features). Returns
 * kv-state and readout (non-causal; causal training), one state-update scan (causal inference,
 * decode) or kv-state, intra-chunk and readout (causal with `chunk` > 0). Formulas:
 * docs/variants/linear.md; byte terms use s throughout, as the other variants do.
 */
export function statePasses(input: AttentionInput, features: number, chunk: number): ComponentCost[] {
  const {batch: b, heads: h, kvHeads: hkv, valueDim: dv, queries: n, keys: m, bytes: s, training} = input;
  const f = features;
  const e = dv + 1;
  const mNew = newKeys(input);
  // One state [S, z] per K/V head and sequence.
  const stateBytes = b * hkv * f * e * s;
  const previous = mNew < m ? stateBytes : 0;
  const foldMacs = b * hkv * mNew * f * e;
  const foldRead = b * hkv * mNew * (f + dv) * s + previous;
  const queryFeatures = b * h * n * f * s;
  const out = b * h * n * dv * s;
  const denominators = training ? b * h * n * s : 0;
  const readMacs = b * h * n * f * e;
  if (!input.causal) {
    return [
      component('kv-state', 'gemm', {
        macs: foldMacs,
        readBytes: foldRead,
        writeBytes: stateBytes,
        savedBytes: training ? stateBytes : 0,
        transientBytes: stateBytes,
        launches: 2,
      }),
      component('readout', 'gemm', {
        macs: readMacs,
        vectorFlops: b * h * n * dv,
        readBytes: queryFeatures + stateBytes,
        writeBytes: out,
        savedBytes: denominators,
        transientBytes: stateBytes,
        launches: 3,
      }),
    ];
  }
  if (chunk <= 0 && !training) {
    // One recurrent kernel (fast-transformers' causal_product, fla's fused_recurrent): the
    // running state stays on chip, no per-position state is written; the final state is.
    return [
      component('state-update', 'scan', {
        macs: foldMacs + readMacs,
        vectorFlops: b * h * n * dv,
        readBytes: foldRead + queryFeatures,
        writeBytes: out + stateBytes,
        transientBytes: stateBytes,
      }),
    ];
  }
  if (chunk <= 0) {
    // Training through autograd over a cumulative sum: a prefix state for every query position
    // (n = m_new in prefill); the outer products and their sums are both alive, the sums are
    // kept for backward.
    const states = b * hkv * n * f * e * s;
    return [
      component('kv-state', 'scan', {
        macs: foldMacs,
        readBytes: foldRead,
        writeBytes: states,
        savedBytes: training ? states : 0,
        transientBytes: 2 * states,
        launches: 3,
      }),
      component('readout', 'scan', {
        macs: readMacs,
        vectorFlops: b * h * n * dv,
        readBytes: queryFeatures + states,
        writeBytes: out,
        savedBytes: denominators,
        transientBytes: states,
        launches: 3,
      }),
    ];
  }
  // Chunkwise form: ⌈n/C⌉ chunks; block pairs Σ (chunk length)² = ⌊n/C⌋·C² + (n mod C)², the
  // masked half of each diagonal block included (the block is computed whole, then masked).
  const full = Math.floor(n / chunk);
  const rest = n - full * chunk;
  const chunks = full + (rest > 0 ? 1 : 0);
  const blockScores = b * h * (full * chunk * chunk + rest * rest);
  const boundary = b * hkv * chunks * f * e * s;
  const intraOut = b * h * n * e * s;
  return [
    component('kv-state', 'gemm', {
      macs: foldMacs,
      vectorFlops: b * hkv * chunks * f * e,
      readBytes: foldRead,
      writeBytes: boundary,
      savedBytes: training ? boundary : 0,
      transientBytes: boundary,
      launches: 3,
    }),
    component('intra-chunk', 'attention-materialized', {
      macs: blockScores * (f + e),
      vectorFlops: blockScores,
      readBytes: queryFeatures + b * hkv * n * (f + dv) * s,
      writeBytes: intraOut,
      savedBytes: training ? blockScores * s : 0,
      transientBytes: blockScores * s + boundary,
      pairs: blockScores,
      launches: 4,
    }),
    component('readout', 'gemm', {
      macs: readMacs,
      vectorFlops: b * h * n * (e + dv),
      readBytes: queryFeatures + boundary + intraOut,
      writeBytes: out,
      savedBytes: denominators,
      transientBytes: boundary + intraOut,
      launches: 4,
    }),
  ];
}

/** The recurrent state kept between decode steps: [S, z] per K/V head, b·h_kv·f·(d_v + 1)·s_kv. */
export function stateCacheBytes(input: AttentionInput, features: number): number {
  return input.batch * input.kvHeads * features * (input.valueDim + 1) * input.kvBytes;
}

export const linearVariant: VariantDef<LinearParams> = {
  id: 'linear',
  title: 'Linear attention (φ = elu + 1)',
  family: 'kernel',
  exact: false,
  timeComplexity: 'O(n·d_h·d)',
  memoryComplexity: 'O(h·d_h²) state (causal training: O(n·h·d_h²) unless chunked)',
  params: linearParams,
  causalReducesWork: false,
  supportsCausal: true,
  citation: {
    text: 'Katharopoulos et al. 2020, Transformers are RNNs: Fast Autoregressive Transformers with Linear Attention',
    url: 'https://arxiv.org/abs/2006.16236',
  },
  tradeoff:
    'no softmax: the elu + 1 kernel cannot focus sharply on a few tokens, and the whole past is squeezed into one d_h × d_v state',
  backwardFactor: 2,
  leadingOps: (n, d) => n * d * d,
  cost(input, params) {
    const {batch: b, heads: h, kvHeads: hkv, headDim: dh, queries: n, bytes: s, training} = input;
    const elements = b * (h * n + hkv * newKeys(input)) * dh;
    const featureMap = component('feature-map', 'elementwise', {
      vectorFlops: ELU_PLUS_ONE_OPS * elements,
      readBytes: elements * s,
      writeBytes: elements * s,
      savedBytes: training ? elements * s : 0,
      transientBytes: elements * s,
      launches: 2,
    });
    const passes = statePasses(input, dh, params.chunk);
    passes.unshift(featureMap);
    return passes;
  },
  cacheBytes: input => stateCacheBytes(input, input.headDim),
};
