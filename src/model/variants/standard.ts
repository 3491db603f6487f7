/**
 * `standard`: dense softmax attention with the score matrix materialised, as PyTorch eager runs
 * it (Vaswani et al. 2017, "Attention Is All You Need", arXiv:1706.03762, §3.2.1).
 *
 * Per layer, whole batch, T = b·h·n·m scores (masked pairs are computed too: eager attention
 * adds a −∞ mask to a full score matrix, so causal does not reduce work):
 * - scores  S = QKᵀ: T·d_h MACs; reads Q and K once, writes T·s.
 * - softmax P = softmax(S) (scale and mask fused in): softmaxOps·T vector FLOPs; reads and
 *   writes T·s; S and P are both alive: 2·T·s transient; training keeps P (T·s).
 * - dropout (training with dropout > 0): a mask of 1 byte and dropped probabilities s per score
 *   are kept — Korthikanti et al. 2022 (arXiv:2205.05198) §4.1: 2+1+2 = 5·a·s²·b bytes at s = 2.
 * - weighted-sum O = PV: T·d_v MACs; reads P and V, writes O.
 * K/V bytes use h_kv: the grouped query heads share their K/V head through a broadcast matmul.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, ComponentCost, KernelFamily, VariantDef} from '../types.js';
import {component} from '../types.js';

export const standardParams = once(() =>
  z.strictObject({
    dropout: z
      .number()
      .min(0)
      .lt(1)
      .default(0)
      .describe('attention dropout probability (training keeps its mask and output)'),
  }),
);
export type StandardParams = z.infer<ReturnType<typeof standardParams>>;

/** Vector FLOPs per score of attention dropout: draw compared with p, then the scaled multiply. */
const DROPOUT_OPS = 2;

/**
 * The three (four with dropout) materialised passes over `pairsPerHead` scores per head and
 * sequence: shared by every variant whose kernel writes its (dense or sparse) score matrix to
 * memory before the softmax (standard, non-fused window, longformer, bigbird, strided, xl).
 * `keyRows` is the number of key rows read per sequence (m, or more when keys are re-read).
 */
export function materializedPasses(
  input: AttentionInput,
  pairsPerHead: number,
  kernel: KernelFamily,
  dropout = 0,
  keyRows = input.keys,
): ComponentCost[] {
  const {batch: b, heads: h, kvHeads: hkv, headDim: dh, valueDim: dv, queries: n, bytes: s} = input;
  const scores = b * h * pairsPerHead;
  const scoreBytes = scores * s;
  const passes = [
    component('scores', kernel, {
      macs: scores * dh,
      readBytes: b * (h * n + hkv * keyRows) * dh * s,
      writeBytes: scoreBytes,
      transientBytes: scoreBytes,
      pairs: scores,
    }),
    component('softmax', kernel, {
      vectorFlops: input.accounting.softmaxOps * scores,
      readBytes: scoreBytes,
      writeBytes: scoreBytes,
      transientBytes: 2 * scoreBytes,
      savedBytes: input.training ? scoreBytes : 0,
    }),
  ];
  // A variant's dropout parameter acts in training (inference runs the module in eval mode);
  // `--dropout p` says dropout is on in this run, forward-only benchmarks included.
  const dropped = (input.training && dropout > 0) || (input.dropout ?? 0) > 0;
  if (dropped) {
    // Mask (1 byte per score) and dropped probabilities (s per score), written by their own
    // pass; kept for backward in training, alive with P until the weighted sum otherwise.
    passes.push(
      component('dropout', 'elementwise', {
        vectorFlops: DROPOUT_OPS * scores,
        readBytes: scoreBytes,
        writeBytes: scoreBytes + scores,
        transientBytes: 2 * scoreBytes + scores,
        savedBytes: input.training ? scoreBytes + scores : 0,
      }),
    );
  }
  passes.push(
    component('weighted-sum', kernel, {
      macs: scores * dv,
      readBytes: scoreBytes + b * hkv * keyRows * dv * s,
      writeBytes: b * h * n * dv * s,
      transientBytes: scoreBytes,
    }),
  );
  return passes;
}

/**
 * The causal mask of eager attention: a separate pass over the materialised scores before the
 * softmax — `scores.masked_fill_(causal_mask, -inf)` in PyTorch (flash-attention
 * benchmarks/benchmark_causal.py attention_pytorch; Hugging Face eager attention adds a −∞ mask
 * tensor instead, the same traffic): reads the scores and a one-byte mask per score (broadcast
 * over batch and heads, so read once per score), writes the scores back. This is why causal eager
 * attention is slower than non-causal at the same n, while a fused kernel gets faster.
 */
export function causalMaskPass(input: AttentionInput, pairsPerHead: number): ComponentCost {
  const scores = input.batch * input.heads * pairsPerHead;
  const scoreBytes = scores * input.bytes;
  return component('causal-mask', 'attention-materialized', {
    vectorFlops: scores,
    readBytes: scoreBytes + scores,
    writeBytes: scoreBytes,
    transientBytes: scoreBytes,
  });
}

/** KV cache of `positions` keys per sequence: b·positions·h_kv·(d_h + d_v)·s_kv. */
export function kvCacheBytes(input: AttentionInput, positions: number): number {
  return input.batch * positions * input.kvHeads * (input.headDim + input.valueDim) * input.kvBytes;
}

export const standardVariant: VariantDef<StandardParams> = {
  id: 'standard',
  title: 'Standard softmax attention (materialised)',
  family: 'dense',
  exact: true,
  timeComplexity: 'O(n·m·d)',
  memoryComplexity: 'O(n·m)',
  params: standardParams,
  causalReducesWork: false,
  supportsCausal: true,
  citation: {
    text: 'Vaswani et al. 2017, Attention Is All You Need',
    url: 'https://arxiv.org/abs/1706.03762',
  },
  tradeoff:
    'nothing semantic: exact attention, but the n·m score matrix is written to memory, so memory and traffic grow quadratically',
  backwardFactor: 2,
  leadingOps: (n, d) => n * n * d,
  cost: (input, params) => {
    const passes = materializedPasses(
      input,
      input.queries * input.keys,
      'attention-materialized',
      params.dropout,
    );
    if (input.causal && input.queries > 1)
      passes.splice(1, 0, causalMaskPass(input, input.queries * input.keys));
    return passes;
  },
  cacheBytes: input => kvCacheBytes(input, input.keys),
};
