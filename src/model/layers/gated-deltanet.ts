/**
 * `gated-deltanet`: the Gated DeltaNet mixer — Yang, Kautz & Hatamizadeh 2024, "Gated Delta
 * Networks: Improving Mamba2 with Delta Rule" (ICLR 2025, arXiv:2412.06464), §3 — as Qwen3-Next
 * builds it (Hugging Face transformers, models/qwen3_next, Qwen3NextGatedDeltaNet). With h_k key
 * (and query) heads of d_k, h_v value heads of d_v (queries and keys are repeated to the h_v
 * heads), conv width K, chunk C:
 * - in_proj_qkvz d → 2·h_k·d_k + 2·h_v·d_v and in_proj_ba d → 2·h_v (β and the decay α), no bias;
 * - causal depthwise conv1d (no bias) of width K on q, k, v, SiLU; L2-normalised q and k;
 * - the gated delta rule S_t = α_t (I − β_t k_t k_tᵀ) S_{t−1} + β_t v_t k_tᵀ, o_t = S_t q_t, run
 *   chunkwise (Yang et al. 2024, "Parallelizing Linear Transformers with the Delta Rule over
 *   Sequence Length", arXiv:2406.06484, §3.3, WY representation). Per token and value head:
 *   QKᵀ and KKᵀ within the chunk (2·C·d_k), W = T·K and U = T·V (C·d_k + C·d_v), the intra-chunk
 *   output (C·d_v), W·S, Q·S and the state update (3·d_k·d_v) MACs, plus C(C−1)(C−2)/6 per
 *   chunk for the triangular inverse T (the last chunk padded to C, as the kernels do).
 *   Decode: one step, 9 vector FLOPs per state element (decay, S·k, the rank-1 correction and
 *   write, S·q);
 * - gated RMSNorm per value head (d_v weights, shared) with the gate z, out_proj h_v·d_v → d;
 *   per value head: Δ bias and A.
 * Decode state per layer and sequence: h_v·d_k·d_v (S) + (2·h_k·d_k + h_v·d_v)·(K − 1) (conv).
 * Derivation and worked example: docs/layers/gated-deltanet.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import {component} from '../types.js';
import type {Workload} from '../workload.js';
import {FP32, gatedMixer, mixerSteps} from './gated-mixer.js';
import type {Mixer} from './index.js';

/** Decode per state element: α·S, S·k (2), β-scaled rank-1 correction and write (2·2), S·q (2). */
const DECODE_FLOPS_PER_STATE = 9;
/** L2 norm of q and k: square, sum, scale per channel, each (3·d_k per vector). */
const L2NORM_FLOPS = 3;

export function gatedDeltaNetDims(model: ModelPreset) {
  const g = model.gatedDeltaNet;
  const keyHeads = g?.heads ?? 1;
  const keyHeadDim = g?.keyHeadDim ?? 128;
  const valueHeads = g?.valueHeads ?? keyHeads;
  const valueHeadDim = g?.valueHeadDim ?? 128;
  const keyDim = keyHeads * keyHeadDim;
  const valueDim = valueHeads * valueHeadDim;
  return {
    d: model.dModel,
    keyHeads,
    keyHeadDim,
    valueHeads,
    valueHeadDim,
    keyDim,
    valueDim,
    conv: g?.conv ?? 4,
    chunk: g?.chunk ?? 64,
    convDim: 2 * keyDim + valueDim,
    inWidth: 2 * keyDim + 2 * valueDim + 2 * valueHeads,
  };
}

/** Weights of one Gated DeltaNet mixer (Qwen3NextGatedDeltaNet). */
export function gatedDeltaNetParams(model: ModelPreset): number {
  const {d, valueHeads, valueHeadDim, valueDim, conv, convDim, inWidth} = gatedDeltaNetDims(model);
  return d * inWidth + convDim * conv + 2 * valueHeads + valueHeadDim + valueDim * d;
}

export function gatedDeltaNetMixer(model: ModelPreset, w: Workload): Mixer {
  const {
    d,
    valueHeads: H,
    keyHeadDim: dk,
    valueHeadDim: dv,
    keyDim,
    valueDim,
    conv: K,
    chunk,
    convDim,
    inWidth,
  } = gatedDeltaNetDims(model);
  const b = w.batch;
  const s = w.bytes;
  const {decode, steps, rows} = mixerSteps(w);
  const stateElements = H * dk * dv;
  const perToken = (2 * keyDim + valueDim + 2 * H) * s;
  let rule: ReturnType<typeof component>;
  if (decode) {
    const state = b * stateElements * w.kvBytes;
    rule = component('delta-rule', 'scan', {
      vectorFlops: b * (stateElements * DECODE_FLOPS_PER_STATE + H * 2 * L2NORM_FLOPS * dk),
      readBytes: b * perToken + state,
      writeBytes: b * valueDim * s + state,
      transientBytes: b * valueDim * s,
    });
  } else {
    const c = Math.min(chunk, steps);
    const chunks = Math.ceil(steps / c);
    const macsPerTokenHead = 3 * c * dk + 2 * c * dv + 3 * dk * dv;
    // Inverting the unit lower-triangular C × C matrix by forward substitution: C(C−1)(C−2)/6.
    const inverse = (c * (c - 1) * (c - 2)) / 6;
    const chunkStates = b * chunks * stateElements * FP32;
    rule = component('delta-rule', 'scan', {
      macs: b * H * (steps * macsPerTokenHead + chunks * inverse),
      // L2 norms of q and k, and the decay mask (exp of a cumulative sum, multiply) per score.
      vectorFlops: b * steps * H * (2 * L2NORM_FLOPS * dk + 2 * c),
      readBytes: rows * perToken + chunkStates,
      writeBytes: rows * valueDim * s + chunkStates,
      transientBytes: rows * valueDim * s + chunkStates,
    });
  }
  return gatedMixer(
    {d, inWidth, convDim, conv: K, width: valueDim, stateElements},
    w,
    rule,
    gatedDeltaNetParams(model),
  );
}
