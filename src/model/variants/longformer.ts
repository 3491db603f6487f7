/**
 * `longformer`: sliding window + g global tokens (Beltagy et al. 2020, "Longformer: The
 * Long-Document Transformer", arXiv:2004.05150, §3.1). A global token attends to every key and
 * every query attends to it ("symmetric" global attention).
 *
 * Assumption: the g global tokens are the first g positions (a [CLS] or question prefix).
 * Pairs per head (G = global query rows among the queries, g_k = min(g, m) global keys):
 *   window pairs over all rows (pairs.ts windowPairs)
 *   + G rows × every key they can see (m; causal: p + 1)
 *   + (n − G) rows × g_k global keys.
 * Non-causal self-attention (G = g): window + g·m + (n − g)·g = window + 2·g·m − g² (docs/design.md §4.1).
 * The band is computed for global rows and global columns too (as the sliding-chunks kernel of
 * the reference implementation does), so those few pairs count twice.
 * Extra projections (§3.1 "Linear Projections for Global Attention"): global attention uses its
 * own Q_g, K_g, V_g. K_g and V_g cover every key (b·m·d·h_kv·(d_h + d_v) MACs) and Q_g the
 * global rows (b·G·d·h·d_h): component 'projection-global', present only when global rows are
 * among the queries (not in decode, where the new token is an ordinary one).
 * Cache (decode): the window plus the global tokens, min(m, w + g) positions.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, ComponentCost, VariantDef} from '../types.js';
import {component} from '../types.js';
import {causalPairs, prefixRows} from './pairs.js';
import {bandPath, hubPath} from './path.js';
import {kvCacheBytes, materializedPasses} from './standard.js';
import {windowPairsFor} from './window.js';

export const longformerParams = once(() =>
  z.strictObject({
    w: z
      .number()
      .int()
      .positive()
      .default(512)
      .meta({headline: true})
      .describe('sliding-window keys per query (w/2 each side; causal: w back)'),
    g: z
      .number()
      .int()
      .nonnegative()
      .default(1)
      .meta({headline: true})
      .describe('global tokens (the first g positions) that attend to and are attended by all'),
  }),
);
export type LongformerParams = z.infer<ReturnType<typeof longformerParams>>;

/** Pairs per head and sequence: band + global rows + global columns (header comment). */
export function longformerPairs(input: AttentionInput, params: LongformerParams): number {
  const {queries: n, keys: m, queryOffset: offset} = input;
  const causal = input.causal && !input.accounting.countMasked;
  const globalRows = prefixRows(n, offset, params.g);
  const globalKeys = Math.min(params.g, m);
  // Global query rows are the first rows of the query range: positions offset … offset + G − 1.
  const globalRowPairs = causal ? causalPairs(globalRows, m, offset) : globalRows * m;
  return windowPairsFor(input, params.w) + globalRowPairs + (n - globalRows) * globalKeys;
}

export const longformerVariant: VariantDef<LongformerParams> = {
  id: 'longformer',
  title: 'Longformer (sliding window + global tokens)',
  family: 'sparse',
  exact: false,
  timeComplexity: 'O(n·(w + g)·d)',
  memoryComplexity: 'O(n·(w + g))',
  params: longformerParams,
  causalReducesWork: true,
  supportsCausal: true,
  citation: {
    text: 'Beltagy, Peters, Cohan 2020, Longformer: The Long-Document Transformer',
    url: 'https://arxiv.org/abs/2004.05150',
  },
  tradeoff:
    'local context only except through the g global tokens, which must be chosen per task and carry all long-range traffic; global attention needs its own Q/K/V projections',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * (params.w + 2 * params.g) * d,
  // Global tokens are hubs: any two positions meet through one (Beltagy et al. 2020 §3.1).
  pathLength: (n, params) => (params.g > 0 ? hubPath(n, params.w + params.g) : bandPath(n, params.w - 1)),
  // §3.1: global attention has its own Q_g, K_g, V_g (weights exist whether or not a call uses them).
  weights: input =>
    input.dModel * (input.heads * input.headDim + input.kvHeads * (input.headDim + input.valueDim)),
  cost: (input, params) => {
    const passes = materializedPasses(input, longformerPairs(input, params), 'attention-sparse');
    // Only global query rows use K_g, V_g: none among the queries (decode) → no global projection.
    const globalRows = prefixRows(input.queries, input.queryOffset, params.g);
    if (globalRows === 0) return passes;
    const {batch: b, keys: m, heads: h, kvHeads: hkv, headDim: dh, valueDim: dv, dModel: d, bytes: s} = input;
    const outWidth = hkv * (dh + dv);
    const global: ComponentCost = component('projection-global', 'gemm', {
      macs: b * m * d * outWidth + b * globalRows * d * h * dh,
      readBytes: b * (m + globalRows) * d * s + d * (outWidth + h * dh) * s,
      writeBytes: b * (m * outWidth + globalRows * h * dh) * s,
      savedBytes: input.training ? b * (m * outWidth + globalRows * h * dh) * s : 0,
    });
    return [global, ...passes];
  },
  cacheBytes: (input, params) => kvCacheBytes(input, Math.min(input.keys, params.w + params.g)),
};
