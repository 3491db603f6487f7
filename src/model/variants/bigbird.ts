/**
 * `bigbird`: block-sparse attention of BigBird-ITC (Zaheer et al. 2020, "Big Bird: Transformers
 * for Longer Sequences", arXiv:2007.14062, §2 and App. D): keys and queries are cut into blocks of
 * bs tokens; each query block attends to `window_blocks` neighbouring blocks (3: itself, left,
 * right), `random_blocks` random blocks (3) and `global_blocks` global blocks (2 in ITC: the first
 * and the last); the global blocks' own queries attend to every key.
 *
 * Pairs per head: an ordinary row sees K = (wb + r + gb)·bs keys (random blocks are drawn outside
 * the window and global blocks, so the three sets are disjoint), at most m; the G = min(gb·bs, n)
 * global rows see all m:  G·m + (n − G)·min(K, m)  (docs/design.md §4.1's n·K + g·m without counting the
 * global rows twice; capped at n·m). Token granularity: the reference implementation pads n up
 * to a multiple of bs and falls back to full attention for short inputs — the cap at m covers
 * the latter, the padding is not modelled.
 * Causal (an extension: BigBird's block-sparse attention is an encoder pattern): the global
 * blocks are the first gb·bs positions, random blocks are drawn from the past, so row p sees
 * min(p + 1, K) keys — a causal window of K keys (pairs.ts windowPairs). With random = global = 0
 * this is exactly `window` with w = wb·bs (a tested invariant).
 * Passes are materialised like standard (the reference implementation gathers blocks and runs
 * scores, softmax, weighted sum as separate ops) on the sparse score set.
 * Cache (decode): every position — random blocks may land anywhere in the past.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, VariantDef} from '../types.js';
import {prefixRows, windowPairs} from './pairs.js';
import {bandPath, hubPath} from './path.js';
import {kvCacheBytes, materializedPasses} from './standard.js';

export const bigbirdParams = once(() =>
  z.strictObject({
    block: z.number().int().positive().default(64).describe('block size bs in tokens'),
    window_blocks: z
      .number()
      .int()
      .positive()
      .default(3)
      .describe('sliding-window blocks per query block (itself and its neighbours)'),
    random_blocks: z.number().int().nonnegative().default(3).describe('random key blocks per query block'),
    global_blocks: z
      .number()
      .int()
      .nonnegative()
      .default(2)
      .describe('global blocks (attend to and are attended by every token)'),
  }),
);
export type BigbirdParams = z.infer<ReturnType<typeof bigbirdParams>>;

/** Keys an ordinary (non-global) row sees: (wb + r + gb)·bs. */
export function bigbirdRowKeys(params: BigbirdParams): number {
  return (params.window_blocks + params.random_blocks + params.global_blocks) * params.block;
}

/** Pairs per head and sequence (header comment). */
export function bigbirdPairs(input: AttentionInput, params: BigbirdParams): number {
  const {queries: n, keys: m, queryOffset: offset} = input;
  const rowKeys = bigbirdRowKeys(params);
  if (input.causal && !input.accounting.countMasked) return windowPairs(n, m, offset, rowKeys, true);
  const globalRows = prefixRows(n, offset, params.global_blocks * params.block);
  return globalRows * m + (n - globalRows) * Math.min(rowKeys, m);
}

export const bigbirdVariant: VariantDef<BigbirdParams> = {
  id: 'bigbird',
  title: 'BigBird (block window + random + global blocks)',
  family: 'sparse',
  exact: false,
  timeComplexity: 'O(n·(wb + r + gb)·bs·d)',
  memoryComplexity: 'O(n·(wb + r + gb)·bs)',
  params: bigbirdParams,
  causalReducesWork: true,
  supportsCausal: true,
  citation: {
    text: 'Zaheer et al. 2020, Big Bird: Transformers for Longer Sequences',
    url: 'https://arxiv.org/abs/2007.14062',
  },
  tradeoff:
    'a fixed sparse graph: most pairs are never scored, long-range paths run through a few global and random blocks, and gathering scattered blocks costs memory traffic',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * bigbirdRowKeys(params) * d,
  // Global blocks are hubs (Zaheer et al. 2020, Thm. 1 path argument); without them the band reaches half the window blocks.
  pathLength: (n, params) =>
    params.global_blocks > 0
      ? hubPath(n, bigbirdRowKeys(params))
      : bandPath(n, Math.max(1, Math.floor((params.window_blocks * params.block) / 2))),
  cost: (input, params) => materializedPasses(input, bigbirdPairs(input, params), 'attention-sparse'),
  cacheBytes: input => kvCacheBytes(input, input.keys),
};
