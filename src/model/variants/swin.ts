/**
 * `swin`: (shifted) window attention on a 2-D token grid, Liu et al. 2021, "Swin Transformer:
 * Hierarchical Vision Transformer using Shifted Windows" (ICCV 2021, arXiv:2103.14030), §3.2, as
 * the reference code (microsoft/Swin-Transformer, swin_transformer.py) runs it.
 *
 * The n tokens lie on a grid W = `width` (default ⌈√n⌉) wide and H = ⌈n/W⌉ high; the grid is
 * padded to whole M×M windows (H_p = ⌈H/M⌉·M, W_p = ⌈W/M⌉·M), as the reference code pads, and
 * every window attends within itself: pairs per head = H_p·W_p·M² (= n·M² when M divides both
 * sides; the paper's Eq. 2 core term 2·M²·hw·C). Shifted windows (`shift`) cost the same pairs
 * plus a cyclic roll before and after and a mask add. Per layer, whole batch, P = b·h·H_p·W_p·M²:
 * - partition: window partition and reverse (+ the two rolls): copies of b·H_p·W_p·d elements.
 * - scores, softmax, weighted-sum: the materialised passes over P scores.
 * - position-bias: the relative position bias add (+ the shift mask add): 1 FLOP per score per
 *   pass, each pass reading and writing the scores.
 * Causal masking is not defined on 2-D windows: costed as bidirectional (nothing skipped).
 * Decode (one query over a cache, or any queries ≠ keys): each query sees one window of
 * min(M², m) keys; the cache holds the current band of M grid rows. Derivation: docs/variants/swin.md.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {ComponentCost, VariantDef} from '../types.js';
import {component} from '../types.js';
import {ceilSqrt} from './pairs.js';
import {materializedPasses} from './standard.js';

export const swinParams = once(() =>
  z.strictObject({
    window: z
      .number()
      .int()
      .positive()
      .default(7)
      .meta({headline: true})
      .describe('window side M (M×M tokens per window)'),
    shift: z
      .boolean()
      .default(false)
      .describe('shifted windows (SW-MSA): adds the cyclic rolls and the mask add'),
    width: z.number().int().positive().optional().describe('token grid width in tokens (default ⌈√n⌉)'),
  }),
);
export type SwinParams = z.infer<ReturnType<typeof swinParams>>;

/** Grid width of n tokens: the given width, else ⌈√n⌉ (a square image). */
function gridWidth(n: number, width: number | undefined): number {
  return width ?? ceilSqrt(n);
}

/** Token slots after padding the grid to whole M×M windows: ⌈H/M⌉·M · ⌈W/M⌉·M. */
export function paddedTokens(n: number, window: number, width?: number): number {
  if (n <= 0) return 0;
  const w = gridWidth(n, width);
  const h = Math.ceil(n / w);
  return Math.ceil(h / window) * window * Math.ceil(w / window) * window;
}

export const swinVariant: VariantDef<SwinParams> = {
  id: 'swin',
  title: 'Swin (shifted) window attention on a 2-D grid',
  family: 'sparse',
  exact: false,
  timeComplexity: 'O(n·M²·d)',
  memoryComplexity: 'O(n·M²)',
  params: swinParams,
  causalReducesWork: false,
  // Liu et al. 2021: windows of a 2-D image grid, no order.
  supportsCausal: false,
  citation: {
    text: 'Liu et al. 2021, Swin Transformer: Hierarchical Vision Transformer using Shifted Windows (ICCV 2021)',
    url: 'https://arxiv.org/abs/2103.14030',
  },
  tradeoff:
    'no direct path beyond an M×M window: global reach only through shifted windows and depth, and it needs a 2-D token grid',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * params.window * params.window * d,
  // Liu et al. 2021 §3.2, Eq. 4: a learned bias B̂ ∈ ℝ^{(2M−1)×(2M−1)} per head and layer.
  weights: (input, params) => (2 * params.window - 1) ** 2 * input.heads,
  cost(input, params) {
    const {batch: b, heads: h, queries: n, keys: m, dModel: d, bytes: s} = input;
    const M2 = params.window * params.window;
    const grid = n === m && input.queryOffset === 0;
    let passes: ComponentCost[];
    let pairsPerHead: number;
    let windows: number;
    let partition: ComponentCost | undefined;
    if (grid) {
      const tokens = paddedTokens(n, params.window, params.width);
      pairsPerHead = tokens * M2;
      windows = tokens / M2;
      passes = materializedPasses(
        {...input, queries: tokens, keys: tokens},
        pairsPerHead,
        'attention-materialized',
      );
      const copies = params.shift ? 4 : 2;
      const x = b * tokens * d * s;
      partition = component('partition', 'elementwise', {
        readBytes: copies * x,
        writeBytes: copies * x,
        transientBytes: (params.shift ? 2 : 1) * x,
        launches: copies,
      });
    } else {
      const keysPerQuery = Math.min(M2, m);
      pairsPerHead = n * keysPerQuery;
      windows = 1;
      passes = materializedPasses(input, pairsPerHead, 'attention-materialized', 0, keysPerQuery);
    }
    const adds = params.shift ? 2 : 1;
    const scoreBytes = b * h * pairsPerHead * s;
    // The gathered bias (h·M⁴ values) is written once and read by the add; the shift mask
    // (windows·M⁴) is read by its add.
    const bias = h * M2 * M2 * s;
    const mask = params.shift ? windows * M2 * M2 * s : 0;
    const positionBias = component('position-bias', 'elementwise', {
      vectorFlops: adds * b * h * pairsPerHead,
      readBytes: adds * scoreBytes + bias + mask,
      writeBytes: adds * scoreBytes + bias,
      transientBytes: 2 * scoreBytes,
      launches: adds + 1,
    });
    // Order of the kernels: [partition,] scores, position-bias, softmax, weighted-sum.
    passes.splice(1, 0, positionBias);
    if (partition) passes.unshift(partition);
    return passes;
  },
  cacheBytes(input, params) {
    // The windows of the band being decoded: M grid rows of W tokens.
    const band = params.window * gridWidth(input.keys, params.width);
    return (
      input.batch *
      input.kvHeads *
      Math.min(input.keys, band) *
      (input.headDim + input.valueDim) *
      input.kvBytes
    );
  },
};
