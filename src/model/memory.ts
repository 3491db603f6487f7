/**
 * Peak memory (SPEC §4.4). Inference: weights + KV cache (decode, and causal prefill which
 * builds it) + the largest transient working set of one component + runtime reserve. Training:
 * weights + gradients + Adam states (mixed precision: fp32 master, m, v = 12 bytes/parameter;
 * Micikevicius et al. 2018, Rajbhandari et al. 2020 "ZeRO" §3) + saved activations of all
 * layers (Korthikanti et al. 2022) + the backward pass's transient buffers (for materialised
 * attention dP and dS, the size of the forward's S and P) + reserve.
 */
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
  weightsBytes: number;
  gradientBytes: number;
  optimizerBytes: number;
  activationBytes: number;
  kvCacheBytes: number;
  transientBytes: number;
  reserveBytes: number;
  /** The peak: the sum of the terms above. */
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

export function memoryOf(
  e: Evaluation,
  w: Workload,
  cap: MemoryCapacity,
  keepsCache: boolean,
): MemoryBreakdown {
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
