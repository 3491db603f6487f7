/**
 * `strided`: the factorised sparse patterns of the Sparse Transformer (Child et al. 2019,
 * "Generating Long Sequences with Sparse Transformers", arXiv:1904.10509, §4.2–4.3), both heads'
 * patterns merged into one (the paper's "merged head" form), with stride l (default ⌈√m⌉, the
 * paper's choice l ≈ √n).
 *
 * pattern = fixed (default; §4.3, text): A¹ᵢ = {j : ⌊j/l⌋ = ⌊i/l⌋} (its own block of l) and
 *   A²ᵢ = {j : j mod l ∈ {l − c, …, l − 1}} (the last c "summary" positions of every block).
 *   Causal row p: (p mod l) + 1 keys of its own block + c·⌊p/l⌋ summaries of earlier blocks.
 *   Non-causal: its block, min(l, m), + c·(⌈m/l⌉ − 1) summaries of the other blocks, at most m —
 *   each position sees l local + about m/l summary positions. Cache (decode): a buffer for the
 *   current block and the summaries of the earlier blocks, min(m, l + c·(⌈m/l⌉ − 1)) positions.
 * pattern = strided (§4.2, images/audio): A¹ᵢ = {i − l, …, i}, A²ᵢ = {j : (i − j) mod l = 0}.
 *   Causal row p: the union is min(p + 1, l) + ⌊p/l⌋ keys (p and p − l lie in both sets).
 *   Non-causal (an extension; the paper's pattern is autoregressive): l local + ⌈m/l⌉ − 1 strided,
 *   at most m. Cache: every position (later rows need keys of every residue mod l).
 * Both patterns' sums are closed forms (pairs.ts sumModRange, sumFloorDivRange, windowPairs).
 * With accounting.countMasked a causal input is costed with the non-causal count.
 * Passes are materialised over the sparse score set (the paper's block-sparse kernels compute
 * QKᵀ, softmax and the weighted sum as separate kernels).
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, VariantDef} from '../types.js';
import {ceilSqrt, sumFloorDivRange, sumModRange, windowPairs} from './pairs.js';
import {hubPath} from './path.js';
import {kvCacheBytes, materializedPasses} from './standard.js';

export const stridedParams = once(() =>
  z.strictObject({
    stride: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({headline: true})
      .describe('stride / block length l; default ⌈√m⌉ for m keys'),
    pattern: z
      .enum(['fixed', 'strided'])
      .default('fixed')
      .describe(
        'Sparse Transformer pattern, fixed or strided (fixed: own block + summary cells; strided: last l positions + every l-th)',
      ),
    summary: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('summary positions c per block (fixed pattern; at most l)'),
  }),
);
export type StridedParams = z.infer<ReturnType<typeof stridedParams>>;

/** The stride in effect: the parameter, or ⌈√m⌉. */
export function resolvedStride(input: AttentionInput, params: StridedParams): number {
  return params.stride ?? Math.max(1, ceilSqrt(input.keys));
}

/** Pairs per head and sequence (header comment). */
export function stridedPairs(input: AttentionInput, params: StridedParams): number {
  const {queries: n, keys: m, queryOffset: offset} = input;
  const l = resolvedStride(input, params);
  const c = params.pattern === 'fixed' ? Math.min(params.summary, l) : 1;
  if (!input.causal || input.accounting.countMasked) {
    const blocks = Math.ceil(m / l);
    return n * Math.min(m, Math.min(l, m) + c * (blocks - 1));
  }
  // Rows p = offset … last; a row beyond the keys (never built) is costed as the row at m − 1.
  const last = Math.min(offset + n, m) - 1;
  const beyond = Math.min(n, offset + n - 1 - last);
  const atLast =
    params.pattern === 'fixed'
      ? (last % l) + 1 + c * Math.floor(last / l)
      : Math.min(last + 1, l) + Math.floor(last / l);
  const inside = n - beyond;
  const strided = c * sumFloorDivRange(offset, last, l);
  const local =
    params.pattern === 'fixed'
      ? sumModRange(offset, last, l) + inside
      : windowPairs(inside, m, offset, l, true);
  return local + strided + beyond * atLast;
}

/**
 * Cache positions (header comment): a buffer for the current block (l) plus c summaries of every
 * earlier block, min(m, l + c·(⌈m/l⌉ − 1)) — sized for the whole block, so it never shrinks as m
 * grows even where the default stride ⌈√m⌉ steps up.
 */
function cachedPositions(input: AttentionInput, params: StridedParams): number {
  const m = input.keys;
  if (params.pattern === 'strided') return m;
  const l = resolvedStride(input, params);
  return Math.min(m, l + Math.min(params.summary, l) * (Math.ceil(m / l) - 1));
}

export const stridedVariant: VariantDef<StridedParams> = {
  id: 'strided',
  title: 'Sparse Transformer (fixed / strided factorised attention)',
  family: 'sparse',
  exact: false,
  timeComplexity: 'O(n·√n·d)',
  memoryComplexity: 'O(n·√n)',
  params: stridedParams,
  causalReducesWork: true,
  supportsCausal: true,
  citation: {
    text: 'Child, Gray, Radford, Sutskever 2019, Generating Long Sequences with Sparse Transformers',
    url: 'https://arxiv.org/abs/1904.10509',
  },
  tradeoff:
    'two hops instead of one: a distant token is reached only through a summary or strided position, and a fixed pattern that suits periodic data fits text less well',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * (params.stride ?? Math.floor(Math.sqrt(n))) * d,
  // Summary positions connect any two positions in two hops (Child et al. 2019 §4.2).
  pathLength: (n, params) => {
    const l = params.stride ?? Math.max(1, Math.floor(Math.sqrt(n)));
    return hubPath(n, l + Math.ceil(n / l) - 1);
  },
  cost: (input, params) => materializedPasses(input, stridedPairs(input, params), 'attention-sparse'),
  cacheBytes: (input, params) => kvCacheBytes(input, cachedPositions(input, params)),
};
