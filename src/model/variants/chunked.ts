/**
 * `chunked`: chunked local attention — quadratic attention within non-overlapping chunks (Hua et al.
 * 2022, "Transformer Quality in Linear Time", arXiv:2202.10447, §3.2), as Llama 4 runs it (Meta 2025, "The Llama 4 herd", model card and
 * Hugging Face transformers models/llama4: `attention_chunk_size` 8192; three chunked layers to
 * one global layer without positional encoding, "iRoPE"). The sequence is cut into chunks of C
 * tokens; a query attends to the keys of its own chunk only (causal: from the chunk's start up to
 * itself), so no layer of this kind moves information across a chunk boundary.
 *
 * Pairs per head and sequence (closed form, pairs.ts): causal, the row at position p sees
 * (p mod C) + 1 keys; non-causal, its whole chunk within the m keys (C, or m − ⌊m/C⌋·C in the
 * last partial chunk). With accounting.countMasked a causal chunk is costed as its whole block.
 * - fused = false: the block-diagonal scores are materialised (scores, softmax, weighted sum, as
 *   standard over b·h·pairs scores; kernel attention-sparse).
 * - fused = true: one FlashAttention-style kernel with a block mask; K/V reads are counted as the
 *   fused window w = C (an upper bound: a query tile reads at most the band of its rows).
 * Cache: at most C positions (the current chunk) — min(m, C) per layer, like a rolling buffer.
 * Derivation and worked example: docs/variants/chunked.md.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, VariantDef} from '../types.js';
import {FLASH_DEFAULT_BLOCK, fusedAttention, fusedBackwardKernels, groupedKeyRows} from './flash.js';
import {sumModRange} from './pairs.js';
import {kvCacheBytes, materializedPasses} from './standard.js';
import {windowKeyRows} from './window.js';

export const chunkedParams = once(() =>
  z.strictObject({
    chunk: z
      .number()
      .int()
      .positive()
      .default(8192)
      .meta({headline: true})
      .describe('tokens per chunk (Llama 4 attention_chunk_size)'),
    fused: z
      .boolean()
      .default(false)
      .describe('one fused kernel with a block mask instead of materialised block scores'),
  }),
);
export type ChunkedParams = z.infer<ReturnType<typeof chunkedParams>>;

/**
 * Pairs per head and sequence: causal Σ_p ((p mod C) + 1) over the rows' positions; non-causal
 * each row sees its chunk clipped to the m keys.
 */
export function chunkedPairs(n: number, m: number, offset: number, c: number, causal: boolean): number {
  if (causal) return sumModRange(offset, offset + n - 1, c) + n;
  const whole = Math.floor(m / c) * c;
  const inWhole = Math.max(0, Math.min(offset + n, whole) - offset);
  return inWhole * c + (n - inWhole) * (m - whole);
}

function pairsFor(input: AttentionInput, c: number): number {
  const causal = input.causal && !input.accounting.countMasked;
  // Masked pairs counted: every row is costed with its whole chunk.
  return chunkedPairs(input.queries, input.keys, input.queryOffset, c, causal);
}

export const chunkedVariant: VariantDef<ChunkedParams> = {
  id: 'chunked',
  title: 'Chunked local attention',
  family: 'sparse',
  exact: false,
  timeComplexity: 'O(n·C·d)',
  memoryComplexity: 'O(n·C)',
  params: chunkedParams,
  causalReducesWork: true,
  supportsCausal: true,
  citation: {
    text: 'Hua et al. 2022, Transformer Quality in Linear Time (quadratic attention within non-overlapping chunks, §3.2); Meta 2025, Llama 4 (attention_chunk_size 8192, 3 chunked : 1 global)',
    url: 'https://arxiv.org/abs/2202.10447',
  },
  tradeoff:
    'nothing crosses a chunk boundary in these layers: a token at the start of a chunk sees only itself, so the model needs global layers between them',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * Math.min(n, params.chunk) * d,
  // Within a chunk every query reaches every earlier key directly (1 hop); across chunks these
  // layers have no path at all — the plan's global layers carry it (docs/variants/chunked.md).
  pathLength: () => ({max: 1, mean: 1}),
  cost: (input, params) => {
    const pairs = pairsFor(input, params.chunk);
    if (!params.fused) return materializedPasses(input, pairs, 'attention-sparse');
    const causal = input.causal && !input.accounting.countMasked;
    const keyRows = groupedKeyRows(input, FLASH_DEFAULT_BLOCK, positions =>
      windowKeyRows(input, params.chunk, positions, causal),
    );
    const main = fusedAttention(input, pairs, keyRows, 'attention-fused');
    return input.training ? [main, ...fusedBackwardKernels(input)] : [main];
  },
  cacheBytes: (input, params) => kvCacheBytes(input, Math.min(input.keys, params.chunk)),
};
