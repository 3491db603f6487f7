/**
 * `linformer`: keys and values projected along the sequence from m to k rows, Wang et al. 2020,
 * "Linformer: Self-Attention with Linear Complexity" (arXiv:2006.04768), §4.
 *
 * K̄ = E·K, V̄ = F·V with E, F ∈ ℝ^{k×m} (sliced from k × n_max parameters, as the reference
 * implementations do), then materialised softmax attention of the n queries over the k rows.
 * Whole batch, one layer, m_new = m − queryOffset keys projected by this call:
 * - projection-k / projection-v: b·h_kv·k·m_new·d_h and b·h_kv·k·m_new·d_v MACs (docs/design.md §4.1:
 *   2·h·m·k·d_h with h_kv = h, d_v = d_h); E and F are read once (one pair per layer shared by
 *   the heads — the paper's headwise sharing, an assumption).
 * - scores, softmax, weighted-sum: the standard materialised passes over n·k pairs per head.
 * Causal: not well defined — every projected row mixes all m positions, so no mask can hide the
 * future; attncap costs the bidirectional computation (nothing skipped) and says so.
 * Decode: K̄ = Σ_j E[:, j]·k_j is a sum over positions, so appending a key adds one outer product:
 * the cache is K̄ and V̄ (k rows per K/V head), constant in m. Derivation: docs/variants/linformer.md.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {VariantDef} from '../types.js';
import {component} from '../types.js';
import {materializedPasses} from './standard.js';

export const linformerParams = once(() =>
  z.strictObject({
    k: z
      .number()
      .int()
      .positive()
      .default(256)
      .meta({headline: true})
      .describe('projected length k (keys and values compressed from m to k rows)'),
  }),
);
export type LinformerParams = z.infer<ReturnType<typeof linformerParams>>;

export const linformerVariant: VariantDef<LinformerParams> = {
  id: 'linformer',
  title: 'Linformer (low-rank projection of keys and values)',
  family: 'low-rank',
  exact: false,
  timeComplexity: 'O(n·k·d)',
  memoryComplexity: 'O(n·k)',
  params: linformerParams,
  causalReducesWork: false,
  // Wang et al. 2020 §4: E and F project all n keys, so row i sees keys after i.
  supportsCausal: false,
  citation: {
    text: 'Wang et al. 2020, Linformer: Self-Attention with Linear Complexity',
    url: 'https://arxiv.org/abs/2006.04768',
  },
  tradeoff:
    'a fixed maximum length (E and F are sized for it) and a rank-k approximation; not causal, since every projected key mixes future tokens',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * params.k * d,
  // E and F (k × m each, shared by the heads): sized here for the m keys evaluated, the least the
  // model's maximum length allows (the paper trains them for a fixed n_max).
  weights: (input, params) => 2 * params.k * input.keys,
  cost(input, params) {
    const {batch: b, kvHeads: hkv, headDim: dh, valueDim: dv, keys: m, bytes: s, training} = input;
    const k = params.k;
    // Keys before queryOffset are already summed into the cached K̄, V̄ (decode).
    const mNew = Math.max(0, m - input.queryOffset);
    const cached = mNew < m;
    const kBar = b * hkv * k * dh * s;
    const vBar = b * hkv * k * dv * s;
    // In decode K̄ and V̄ are the cache (counted by cacheBytes), not working memory.
    const alive = cached ? 0 : kBar + vBar;
    const projectK = component('projection-k', 'gemm', {
      macs: b * hkv * k * mNew * dh,
      readBytes: b * hkv * mNew * dh * s + k * mNew * s + (cached ? kBar : 0),
      writeBytes: kBar,
      savedBytes: training ? kBar : 0,
      transientBytes: cached ? 0 : kBar,
    });
    const projectV = component('projection-v', 'gemm', {
      macs: b * hkv * k * mNew * dv,
      readBytes: b * hkv * mNew * dv * s + k * mNew * s + (cached ? vBar : 0),
      writeBytes: vBar,
      savedBytes: training ? vBar : 0,
      transientBytes: alive,
    });
    const passes = materializedPasses(input, input.queries * k, 'attention-materialized', 0, k);
    for (const pass of passes) pass.transientBytes += alive;
    passes.unshift(projectK, projectV);
    return passes;
  },
  cacheBytes: (input, params) =>
    input.batch * input.kvHeads * params.k * (input.headDim + input.valueDim) * input.kvBytes,
};
