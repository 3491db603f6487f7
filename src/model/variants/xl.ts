/**
 * `xl`: Transformer-XL segment-level recurrence with relative positional encoding (Dai et al.
 * 2019, "Transformer-XL: Attentive Language Models Beyond a Fixed-Length Context",
 * arXiv:1901.02860, §3.2–3.3 and App. B).
 *
 * The n query rows run as segments of `segment` tokens (default n: one segment); each segment
 * attends to itself and to `mem` cached positions of the preceding stream (default: the context
 * before the queries, keys − queries, or — in prefill, where there is none — the segment length,
 * the paper's training setting mem = segment). Steady state: the memory is assumed full.
 * A decode step is a one-token segment whose memory is the whole previous context (the reference
 * generation updates the memory every step), so by default it sees exactly m keys.
 *
 * Pairs per head (the reference implementation materialises each segment's len × (len + mem)
 * scores and masks them, so causal does not reduce work): S_full·seg·(seg + mem) + r·(r + mem)
 * for S_full = ⌊n/seg⌋ full segments and r = n mod seg.
 * Components (App. B, "efficient computation"):
 * - memory-kv: the memory is cached as hidden states (d per position, stop-gradient) and its K, V
 *   are recomputed every segment: b·S·mem·d·h_kv·(d_h + d_v) MACs.
 * - position-projection (relative = true): W_{k,R}·R for the len + mem relative distances of each
 *   segment, shared by the batch: (len + mem)·d·h·d_h MACs per segment.
 * - scores: content terms (a) + (c) = (q + u)·k: b·h·P·d_h MACs, materialised.
 * - position-scores: terms (b) + (d) = (q + v)·W_{k,R}R: another b·h·P·d_h MACs, materialised.
 * - rel-shift: pad + copy of the position scores, then (a+c) + (b+d): one add per score, two
 *   elementwise passes.
 * - softmax (+ dropout in training) and weighted-sum as in standard.
 * Cache: the memory's hidden states, b·mem·d·s_kv per layer (docs/design.md §4.1).
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, ComponentCost, VariantDef} from '../types.js';
import {component} from '../types.js';
import {materializedPasses} from './standard.js';

export const xlParams = once(() =>
  z.strictObject({
    mem: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .meta({headline: true})
      .describe('cached memory positions; default the context before the queries, else the segment length'),
    segment: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('segment length in tokens; default n, the queries forming one segment'),
    relative: z
      .boolean()
      .default(true)
      .describe('relative positional scores (q + v)·W_R·R and their shift, as in the paper'),
    dropout: z
      .number()
      .min(0)
      .lt(1)
      .default(0)
      .describe('attention dropout probability (training keeps its mask and output)'),
  }),
);
export type XlParams = z.infer<ReturnType<typeof xlParams>>;

/** Segment length, memory, full segments, remainder and segment count for an input. */
export function xlShape(input: AttentionInput, params: XlParams) {
  const n = input.queries;
  const segment = params.segment ?? Math.max(1, n);
  const history = input.keys - n;
  const mem = params.mem ?? (history > 0 ? history : segment);
  const full = Math.floor(n / segment);
  const rest = n - full * segment;
  const segments = full + (rest > 0 ? 1 : 0);
  return {segment, mem, full, rest, segments};
}

/** Pairs per head and sequence: every segment's len × (len + mem) scores. */
export function xlPairs(input: AttentionInput, params: XlParams): number {
  const {segment, mem, full, rest} = xlShape(input, params);
  return full * segment * (segment + mem) + rest * (rest + mem);
}

export const xlVariant: VariantDef<XlParams> = {
  id: 'xl',
  title: 'Transformer-XL (segment recurrence, relative positions)',
  family: 'recurrent',
  exact: false,
  timeComplexity: 'O(n·(n + mem)·d)',
  memoryComplexity: 'O(n·(n + mem))',
  params: xlParams,
  causalReducesWork: false,
  supportsCausal: true,
  citation: {
    text: 'Dai et al. 2019, Transformer-XL: Attentive Language Models Beyond a Fixed-Length Context',
    url: 'https://arxiv.org/abs/1901.02860',
  },
  tradeoff:
    'context beyond the segment comes only from a cached, stop-gradient memory: no gradient flows into it, and reach grows with depth (about mem per layer) rather than being direct',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * (n + (params.mem ?? n)) * d,
  // Relative positions (Dai et al. 2019 §3.3): W_{k,R} (d × h·d_h) and the biases u, v (h·d_h each)
  // per layer, as the Hugging Face port keeps them (untie_r); the paper shares u, v across layers.
  weights: (input, params) => (params.relative ? (input.dModel + 2) * input.heads * input.headDim : 0),
  cost: (input, params) => {
    const {batch: b, heads: h, kvHeads: hkv, headDim: dh, valueDim: dv, dModel: d, bytes: s} = input;
    const {mem, segments} = xlShape(input, params);
    const pairs = xlPairs(input, params);
    // Keys per sequence over all segments: each segment's own rows plus the memory.
    const keyRows = input.queries + segments * mem;
    const passes = materializedPasses(input, pairs, 'attention-materialized', params.dropout, keyRows);
    const extra: ComponentCost[] = [];
    if (mem > 0) {
      const rows = b * segments * mem;
      const kvWidth = hkv * (dh + dv);
      extra.push(
        component('memory-kv', 'gemm', {
          macs: rows * d * kvWidth,
          readBytes: rows * d * s + d * kvWidth * s,
          writeBytes: rows * kvWidth * s,
          savedBytes: input.training ? rows * kvWidth * s : 0,
        }),
      );
    }
    if (!params.relative) return [...extra, ...passes];
    const scores = b * h * pairs;
    const positionRows = keyRows * h * dh; // W_R·R for every segment's len + mem distances
    extra.push(
      component('position-projection', 'gemm', {
        macs: keyRows * d * h * dh,
        readBytes: keyRows * d * s + d * h * dh * s,
        writeBytes: positionRows * s,
        savedBytes: input.training ? positionRows * s : 0,
      }),
    );
    const position = [
      component('position-scores', 'attention-materialized', {
        macs: scores * dh,
        readBytes: b * h * input.queries * dh * s + positionRows * s,
        writeBytes: scores * s,
        transientBytes: 2 * scores * s,
      }),
      // Pad-and-copy of the position scores, then the add of the two score matrices.
      component('rel-shift', 'elementwise', {
        vectorFlops: scores,
        readBytes: 3 * scores * s,
        writeBytes: 2 * scores * s,
        transientBytes: 3 * scores * s,
        launches: 2,
      }),
    ];
    const [scorePass, ...rest] = passes;
    return [...extra, scorePass!, ...position, ...rest];
  },
  cacheBytes: (input, params) => input.batch * xlShape(input, params).mem * input.dModel * input.kvBytes,
};
