/**
 * `mamba2`: the Mamba-2 mixer — Dao & Gu 2024, "Transformers are SSMs: Generalized Models and
 * Efficient Algorithms Through Structured State Space Duality" (ICML 2024, arXiv:2405.21060), §6
 * (the SSD algorithm) and §7 (the block), as the reference builds it (state-spaces/mamba,
 * mamba_ssm/modules/mamba2.py). With d_inner = H·P (H heads of P channels; default E·d), G groups
 * sharing B and C, state N, conv width K, chunk Q:
 * - in_proj d → 2·d_inner + 2·G·N + H (z, x, B, C, Δ), no bias;
 * - causal depthwise conv1d (with bias) of width K on x, B, C (d_inner + 2·G·N channels), SiLU;
 * - the SSD scan, chunked: per chunk of Q tokens, CBᵀ (Q²·N per group), the masked
 *   (L ∘ CBᵀ)·X (Q²·P per head), the chunk's state Bᵀ·X (Q·N·P per head), the output from the
 *   previous state C·h (Q·N·P per head), and a scalar recurrence passing the H·P·N states between
 *   chunks. Kernels compute whole Q × Q blocks, so the causal mask does not halve them
 *   (documented assumption). Decode: h ← exp(ΔA)·h + Δ·x ⊗ B and y = C·h, 6 vector FLOPs per
 *   state element;
 * - gated RMSNorm y ⊙ SiLU(z), out_proj d_inner → d, no bias. Per head: Δ bias, A, D.
 * Decode state per layer and sequence: H·P·N (SSM) + (d_inner + 2·G·N)·(K − 1) (conv window).
 * Derivation and worked example: docs/layers/mamba2.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import {component} from '../types.js';
import type {Workload} from '../workload.js';
import {FP32, gatedMixer, mixerSteps} from './gated-mixer.js';
import type {Mixer} from './index.js';

/** Decode state update per state element: decay multiply, Δ·x·B (two multiplies), add; y = C·h (2). */
const DECODE_FLOPS_PER_STATE = 6;

export function mamba2Dims(model: ModelPreset) {
  const m = model.mamba2;
  const d = model.dModel;
  const headDim = m?.headDim ?? 64;
  const heads = m?.heads ?? Math.max(1, Math.floor(((m?.expand ?? 2) * d) / headDim));
  const groups = m?.groups ?? 1;
  const state = m?.state ?? 128;
  const inner = heads * headDim;
  return {
    d,
    heads,
    headDim,
    inner,
    groups,
    state,
    conv: m?.conv ?? 4,
    chunk: m?.chunk ?? 256,
    convDim: inner + 2 * groups * state,
    inWidth: 2 * inner + 2 * groups * state + heads,
  };
}

/** Weights of one Mamba-2 mixer: in_proj, conv (+ bias), Δ bias, A, D per head, gated norm, out_proj. */
export function mamba2Params(model: ModelPreset): number {
  const {d, heads, inner, conv, convDim, inWidth} = mamba2Dims(model);
  return d * inWidth + convDim * (conv + 1) + 3 * heads + inner + inner * d;
}

export function mamba2Mixer(model: ModelPreset, w: Workload): Mixer {
  const {
    d,
    heads: H,
    headDim: P,
    inner,
    groups: G,
    state: N,
    conv: K,
    chunk,
    convDim,
    inWidth,
  } = mamba2Dims(model);
  const b = w.batch;
  const s = w.bytes;
  const {decode, steps, rows} = mixerSteps(w);
  const stateElements = H * P * N;
  let scan: ReturnType<typeof component>;
  if (decode) {
    const state = b * stateElements * w.kvBytes;
    scan = component('ssd-scan', 'scan', {
      // The state update and read-out per state element, + D·x per channel.
      vectorFlops: b * (stateElements * DECODE_FLOPS_PER_STATE + 2 * inner),
      readBytes: b * (inner + 2 * G * N + H) * s + state,
      writeBytes: b * inner * s + state,
      transientBytes: b * inner * s,
    });
  } else {
    const q = Math.min(chunk, steps);
    const chunks = Math.ceil(steps / q);
    // Per sequence: CBᵀ per group, (L∘CBᵀ)·X per head, chunk states and state read-out per head.
    const macs = b * steps * (G * q * N + H * q * P + 2 * H * N * P);
    const chunkStates = b * chunks * stateElements * FP32;
    scan = component('ssd-scan', 'scan', {
      macs,
      // The decay mask (exp of a segment sum, multiply) per score, D·x per channel, and the
      // scalar state passing between chunks.
      vectorFlops: b * (steps * (2 * H * q + 2 * inner) + 2 * chunks * stateElements),
      readBytes: rows * (inner + 2 * G * N + H) * s + chunkStates,
      writeBytes: rows * inner * s + chunkStates,
      transientBytes: rows * inner * s + chunkStates,
    });
  }
  return gatedMixer(
    {d, inWidth, convDim, conv: K, width: inner, stateElements},
    w,
    scan,
    mamba2Params(model),
  );
}
