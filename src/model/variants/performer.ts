/**
 * `performer`: FAVOR+ with positive orthogonal random features, Choromanski et al. 2021,
 * "Rethinking Attention with Performers" (ICLR 2021, arXiv:2009.14794).
 *
 * φ(x) = exp(−‖x‖²/2)/√r · [exp(w_iᵀx)]_{i=1..r} (paper Lemma 1, FAVOR+ positive features), then
 * attention is linear attention on the r features: out = φ(Q)(φ(K)ᵀ[V, 1]) with the normaliser as
 * the extra column (paper §2.2). Whole batch, one layer, e = d_v + 1:
 * - feature-map: the projections QWᵀ and KWᵀ, b·(h·n + h_kv·m_new)·r·d_h MACs, then per feature
 *   6 vector FLOPs (row max, two subtracts, exp, + stabiliser, × 1/√r) and per row 3·d_h (scale,
 *   square, sum for ‖x‖²) — counted from softmax_kernel_transformation in the reference code
 *   (google-research/performer fast_attention).
 * - kv-state: φ(K)ᵀ[V, 1]: b·h_kv·m_new·r·e MACs; readout: φ(Q)·state: b·h·n·r·e MACs plus the
 *   division b·h·n·d_v (docs/design.md §4.1: h·m·r·d_h + h·n·r·d_h with d_v = d_h, plus the normaliser).
 * Causal: the paper's prefix sums for unidirectional attention, same MACs; inference runs them as
 * one scan kernel, training keeps a state per position unless `chunk` > 0 (shared machinery in
 * linear.ts, derivation in docs/variants/linear.md).
 * Decode: the new key folded into the cached r × e state. Full derivation: docs/variants/performer.md.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {VariantDef} from '../types.js';
import {component} from '../types.js';
import {newKeys, stateCacheBytes, statePasses} from './linear.js';

export const performerParams = once(() =>
  z.strictObject({
    features: z
      .number()
      .int()
      .positive()
      .default(256)
      .meta({headline: true, symbol: 'r'})
      .describe('random features r (rows of the random projection; more = closer to softmax)'),
    chunk: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('causal chunk length C (0 = per-position prefix states, no chunking)'),
  }),
);
export type PerformerParams = z.infer<ReturnType<typeof performerParams>>;

/** Vector FLOPs per random feature: max, subtract ‖x‖²/2, subtract max, exp, + stabiliser, × 1/√r. */
const FEATURE_OPS = 6;
/** Vector FLOPs per input channel for the row norm: scale by d^(-1/4), square, sum. */
const ROW_NORM_OPS = 3;

export const performerVariant: VariantDef<PerformerParams> = {
  id: 'performer',
  title: 'Performer (FAVOR+ random features)',
  family: 'kernel',
  exact: false,
  timeComplexity: 'O(n·r·d)',
  memoryComplexity: 'O(n·r + r·d) (causal training: O(n·r·d) unless chunked)',
  params: performerParams,
  causalReducesWork: false,
  supportsCausal: true,
  citation: {
    text: 'Choromanski et al. 2021, Rethinking Attention with Performers (ICLR 2021)',
    url: 'https://arxiv.org/abs/2009.14794',
  },
  tradeoff:
    'an unbiased but noisy estimate of softmax: r random features trade accuracy for speed, and sharp attention needs large r',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * params.features * d,
  cost(input, params) {
    const {batch: b, heads: h, kvHeads: hkv, headDim: dh, queries: n, bytes: s, training} = input;
    const r = params.features;
    const rows = b * (h * n + hkv * newKeys(input));
    const featureBytes = rows * r * s;
    const featureMap = component('feature-map', 'gemm', {
      macs: rows * r * dh,
      vectorFlops: rows * (FEATURE_OPS * r + ROW_NORM_OPS * dh),
      // Q and K rows, plus the r × d_h random matrix shared by every head.
      readBytes: rows * dh * s + r * dh * s,
      writeBytes: featureBytes,
      savedBytes: training ? featureBytes : 0,
      transientBytes: featureBytes,
      launches: 4,
    });
    const passes = statePasses(input, r, params.chunk);
    passes.unshift(featureMap);
    return passes;
  },
  cacheBytes: (input, params) => stateCacheBytes(input, params.features),
};
