/**
 * `window`: sliding-window (local) attention — Longformer's sliding window (Beltagy et al. 2020,
 * arXiv:2004.05150, §3.1) and Mistral 7B's sliding window attention (Jiang et al. 2023,
 * arXiv:2310.06825, §2: each token attends to at most W tokens of the previous layer; a rolling
 * buffer cache of W positions).
 *
 * Pairs per head (pairs.ts windowPairs): causal, row p sees min(p + 1, w) keys (w back, itself
 * included); non-causal, every row sees min(w, m) keys (a centred band shifted inward at the
 * edges — a banded kernel computes a full band for every row). So w ≥ n equals `standard`'s pairs.
 * With accounting.countMasked, a causal band is costed as a full band (n·min(w, m)).
 * - fused = false: the band is materialised (scores, softmax, weighted-sum passes like standard,
 *   over b·h·pairs scores): transient 2·b·h·pairs·s, saved b·h·pairs·s in training.
 * - fused = true: one FlashAttention-2 kernel with a window (Mistral runs SWA this way): nothing of
 *   size pairs reaches HBM; K/V are read once per query tile of 128 rows, each tile reading its
 *   band — B + w − 1 keys (causal: fewer while the band still reaches position 0).
 * Cache: a rolling buffer of min(m, w) positions (Mistral §2, "Rolling Buffer Cache").
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, VariantDef} from '../types.js';
import {FLASH_DEFAULT_BLOCK, fusedAttention, fusedBackwardKernels, groupedKeyRows} from './flash.js';
import {sumMinArithmetic, windowPairs} from './pairs.js';
import {bandPath} from './path.js';
import {kvCacheBytes, materializedPasses} from './standard.js';

export const windowParams = once(() =>
  z.strictObject({
    w: z
      .number()
      .int()
      .positive()
      .default(512)
      .meta({headline: true})
      .describe('window keys per query (causal: w back, itself included)'),
    fused: z
      .boolean()
      .default(false)
      .describe('one fused kernel (FlashAttention-2 with a window) instead of materialised band scores'),
  }),
);
export type WindowParams = z.infer<ReturnType<typeof windowParams>>;

/** Pairs per head and sequence of a window of w keys under the accounting's masking rule. */
export function windowPairsFor(input: AttentionInput, w: number): number {
  const causal = input.causal && !input.accounting.countMasked;
  return windowPairs(input.queries, input.keys, input.queryOffset, w, causal);
}

/**
 * Key rows read per K/V head and sequence by a fused windowed kernel with query tiles of
 * `positions` rows. Non-causal: each tile reads its band, min(m, rows + w − 1). Causal: a tile
 * whose first row f is still within w − 1 of position 0 reads keys 0 … its last row (min(l + 1, m));
 * later tiles read rows + w − 1 keys.
 */
export function windowKeyRows(input: AttentionInput, w: number, positions: number, causal: boolean): number {
  const {queries: n, keys: m, queryOffset: offset} = input;
  const tiles = Math.ceil(n / positions);
  const full = tiles - 1;
  const lastRows = n - full * positions;
  if (!causal) return full * Math.min(m, positions + w - 1) + Math.min(m, lastRows + w - 1);
  // Full tiles t < warm start at f = offset + t·B ≤ w − 1 and read min(f + B, m) keys.
  const warm = offset > w - 1 ? 0 : Math.min(full, Math.floor((w - 1 - offset) / positions) + 1);
  const warmRows = sumMinArithmetic(offset + positions, positions, warm, m);
  const steadyRows = (full - warm) * Math.min(m, positions + w - 1);
  const lastFirst = offset + full * positions;
  const lastEnd = Math.min(m, lastFirst + lastRows);
  const lastRead = lastFirst <= w - 1 ? lastEnd : Math.min(lastEnd, lastRows + w - 1);
  return warmRows + steadyRows + lastRead;
}

export const windowVariant: VariantDef<WindowParams> = {
  id: 'window',
  title: 'Sliding-window attention',
  family: 'sparse',
  exact: false,
  timeComplexity: 'O(n·w·d)',
  memoryComplexity: 'O(n·w)',
  params: windowParams,
  causalReducesWork: true,
  supportsCausal: true,
  citation: {
    text: 'Beltagy et al. 2020, Longformer: The Long-Document Transformer (sliding window); Jiang et al. 2023, Mistral 7B (SWA)',
    url: 'https://arxiv.org/abs/2004.05150',
  },
  tradeoff:
    'no direct path beyond w tokens: distant context reaches a token only through depth (about w per layer), and tokens that left the rolling cache are gone',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * params.w * d,
  // One hop reaches w − 1 positions (the causal band; docs/variants/window.md).
  pathLength: (n, params) => bandPath(n, params.w - 1),
  cost: (input, params) => {
    const pairs = windowPairsFor(input, params.w);
    if (!params.fused) return materializedPasses(input, pairs, 'attention-sparse');
    const causal = input.causal && !input.accounting.countMasked;
    const keyRows = groupedKeyRows(input, FLASH_DEFAULT_BLOCK, positions =>
      windowKeyRows(input, params.w, positions, causal),
    );
    const main = fusedAttention(input, pairs, keyRows, 'attention-fused');
    // FA2 with a window (window_size) runs the same backward kernels as flash.
    return input.training ? [main, ...fusedBackwardKernels(input)] : [main];
  },
  cacheBytes: (input, params) => kvCacheBytes(input, Math.min(input.keys, params.w)),
};
