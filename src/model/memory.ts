/**
 * Peak memory (docs/design.md §4.4). Inference: weights + KV cache (decode, and causal prefill which
 * builds it) + the largest transient working set of one component + runtime reserve. Training:
 * weights + gradients + Adam states (mixed precision: fp32 master, m, v = 12 bytes/parameter;
 * Micikevicius et al. 2018, Rajbhandari et al. 2020 "ZeRO" §3) + saved activations of all
 * layers (Korthikanti et al. 2022) + the backward pass's transient buffers (for materialised
 * attention dP and dS, the size of the forward's S and P) + reserve.
 */
import type {ModelPreset} from '../schema/presets.js';
import type {Evaluation} from './engine.js';
import type {Workload} from './workload.js';

/** Adam in mixed precision: fp32 master weights + first and second moments. */
export const ADAM_STATE_BYTES_PER_PARAM = 12;

export interface MemoryCapacity {
  capacityBytes: number;
  runtimeReserveBytes: number;
  memoryReserveFraction: number;
}

export interface MemoryBreakdown {
  /**
   * `--scope attention` only: the core's inputs and output Q, K, V, O (their gradients are in
   * gradientBytes); 0 in the other scopes, whose weights and activations hold them.
   */
  tensorsBytes: number;
  weightsBytes: number;
  gradientBytes: number;
  optimizerBytes: number;
  activationBytes: number;
  kvCacheBytes: number;
  transientBytes: number;
  reserveBytes: number;
  /**
   * The peak: the sum of the terms above. In the attention scope the core alone, as attention
   * benchmarks measure it (allocated tensors, no runtime reserve), so reserveBytes is not in it;
   * `fraction` and `fits` still count the reserve.
   */
  totalBytes: number;
  capacityBytes: number;
  /** totalBytes / capacityBytes. */
  fraction: number;
  fits: boolean;
}

export function reserveBytes(cap: MemoryCapacity): number {
  return cap.runtimeReserveBytes + cap.memoryReserveFraction * cap.capacityBytes;
}

/**
 * Weights in their storage format: the repeated layers at `weightBytes`, the parameters outside
 * them (embeddings, LM head, final norm, stems) at `embeddingBytes` (docs/serving.md).
 */
export function weightBytesOf(e: Evaluation, w: Workload): number {
  const outside = e.cost.extraParams;
  return (e.params - outside) * w.weightBytes + outside * (w.embeddingBytes ?? w.weightBytes);
}

/** Head shape of the attention core a model's first layer runs. */
export interface AttentionShape {
  heads: number;
  kvHeads: number;
  headDim: number;
}

export function attentionShape(model: ModelPreset): AttentionShape | undefined {
  if (model.heads === undefined) return undefined;
  const first = model.schedule?.[0];
  const heads = first?.heads ?? model.heads;
  return {
    heads,
    kvHeads: first?.kvHeads ?? model.kvHeads ?? heads,
    headDim: first?.headDim ?? model.headDim ?? model.dModel / model.heads,
  };
}

/**
 * `--scope attention`: the attention core of one layer alone, as attention benchmarks measure it
 * (docs/capacity.md "Attention scope", FlashAttention paper App. E memory benchmark): Q, K, V, O;
 * in training their gradients dQ, dK, dV, dO, what the core saves for backward (standard: the
 * probabilities P; flash: the fp32 log-sum-exp) and its largest transient (standard forward: S and
 * P together; standard backward: dP and dS beside the saved P; flash backward: the fp32 dQ
 * accumulator). No weights, optimizer or runtime reserve; decode holds the layer's K/V cache.
 */
export function attentionMemoryOf(
  e: Evaluation,
  w: Workload,
  cap: MemoryCapacity,
  shape: AttentionShape,
): MemoryBreakdown {
  const train = w.mode === 'train';
  const group = e.cost.groups[0];
  const queries = w.mode === 'decode' ? 1 : (group?.tokens ?? w.seq);
  const keys = w.mode === 'decode' ? w.seq : queries;
  const q = w.batch * queries * shape.heads * shape.headDim * w.bytes;
  const kv = 2 * w.batch * keys * shape.kvHeads * shape.headDim * (w.mode === 'decode' ? w.kvBytes : w.bytes);
  let saved = 0;
  let transient = 0;
  for (const c of group?.components ?? []) {
    if (!c.core) continue;
    saved += c.cost.savedBytes;
    if (c.cost.transientBytes > transient) transient = c.cost.transientBytes;
  }
  const tensorsBytes = w.mode === 'decode' ? 2 * q : 2 * q + kv;
  const kvCacheBytes = w.mode === 'decode' ? kv : 0;
  const gradientBytes = train ? tensorsBytes : 0;
  const activationBytes = train ? saved : 0;
  const reserve = reserveBytes(cap);
  const totalBytes = tensorsBytes + gradientBytes + activationBytes + kvCacheBytes + transient;
  return {
    tensorsBytes,
    weightsBytes: 0,
    gradientBytes,
    optimizerBytes: 0,
    activationBytes,
    kvCacheBytes,
    transientBytes: transient,
    reserveBytes: reserve,
    totalBytes,
    capacityBytes: cap.capacityBytes,
    fraction: (totalBytes + reserve) / cap.capacityBytes,
    fits: totalBytes + reserve <= cap.capacityBytes,
  };
}

/**
 * Bytes to spare at this point (negative: short of capacity), with the sign of `fits` exactly;
 * its size, from `fraction`, guides the solvers' search (src/model/solvers.ts, maxIntByMargin).
 */
export function spareBytes(m: MemoryBreakdown): number {
  const spare = m.capacityBytes * (1 - m.fraction);
  if (!Number.isFinite(spare)) return m.fits ? 0 : Number.NEGATIVE_INFINITY;
  return m.fits ? Math.max(0, spare) : Math.min(-Number.MIN_VALUE, spare);
}

export function memoryOf(
  e: Evaluation,
  w: Workload,
  cap: MemoryCapacity,
  keepsCache: boolean,
  shape?: AttentionShape,
): MemoryBreakdown {
  if (w.scope === 'attention' && shape !== undefined) return attentionMemoryOf(e, w, cap, shape);
  const train = w.mode === 'train';
  const weightsBytes = weightBytesOf(e, w);
  const gradientBytes = train ? e.params * w.weightBytes : 0;
  const optimizerBytes = train ? e.params * ADAM_STATE_BYTES_PER_PARAM : 0;
  const activationBytes = train ? e.savedBytes : 0;
  const kvCacheBytes = !train && (w.mode === 'decode' || keepsCache) ? e.cacheBytes : 0;
  const transientBytes = e.peakTransientBytes;
  const reserve = reserveBytes(cap);
  const totalBytes =
    weightsBytes + gradientBytes + optimizerBytes + activationBytes + kvCacheBytes + transientBytes + reserve;
  return {
    tensorsBytes: 0,
    weightsBytes,
    gradientBytes,
    optimizerBytes,
    activationBytes,
    kvCacheBytes,
    transientBytes,
    reserveBytes: reserve,
    totalBytes,
    capacityBytes: cap.capacityBytes,
    fraction: totalBytes / cap.capacityBytes,
    fits: totalBytes <= cap.capacityBytes,
  };
}
