/**
 * The frame Mamba-2 and Gated DeltaNet layers share (docs/layers/mamba2.md,
 * docs/layers/gated-deltanet.md): in_proj d → inWidth, a causal depthwise conv of width K with
 * SiLU over convDim channels, the layer's own state mixer, a gated RMSNorm over its output
 * (width channels), out_proj width → d. Decode keeps a fixed-size state per sequence: the mixer's
 * stateElements plus the conv's last K − 1 inputs. Each layer module supplies only its mixer.
 */
import {gemm, NORM_FLOPS_PER_ELEMENT, part} from '../architectures/layer.js';
import {depthwise} from '../architectures/shared.js';
import {type ComponentCost, component} from '../types.js';
import type {Workload} from '../workload.js';
import type {Mixer} from './index.js';

/** SiLU per element: exp, add, divide, multiply (as in mamba.ts). */
export const SILU_FLOPS = 4;
/** Chunk states are kept in fp32 by the reference kernels. */
export const FP32 = 4;
/** Backward of the fused chunked kernels over their forward: replay plus 2× (the assumption of mamba.ts). */
export const SCAN_BACKWARD_FACTOR = 3;

export interface GatedMixerShape {
  d: number;
  inWidth: number;
  convDim: number;
  /** K: conv taps. */
  conv: number;
  /** Channels of the mixer's output (gated norm and out_proj input). */
  width: number;
  /** State the mixer keeps per sequence between decode steps (elements). */
  stateElements: number;
}

/** Steps per sequence (n, or 1 in decode) and rows of the whole batch. */
export function mixerSteps(w: Workload): {decode: boolean; steps: number; rows: number} {
  const decode = w.mode === 'decode';
  const steps = decode ? 1 : w.seq;
  return {decode, steps, rows: w.batch * steps};
}

/** One layer: the shared frame around `core`, the layer's state mixer. */
export function gatedMixer(shape: GatedMixerShape, w: Workload, core: ComponentCost, params: number): Mixer {
  const {d, inWidth, convDim, conv: K, width} = shape;
  const b = w.batch;
  const s = w.bytes;
  const {decode, steps, rows} = mixerSteps(w);
  // Decode reads and writes the conv's cached K − 1 inputs.
  const convState = decode ? b * convDim * (K - 1) * w.kvBytes : 0;
  const conv1d = depthwise('conv1d', rows, convDim, K, w, SILU_FLOPS);
  conv1d.readBytes += convState;
  conv1d.writeBytes += convState;
  const gatedNorm = component('gated-norm', 'elementwise', {
    vectorFlops: rows * width * (SILU_FLOPS + 1 + NORM_FLOPS_PER_ELEMENT),
    readBytes: 2 * rows * width * s,
    writeBytes: rows * width * s,
  });
  return {
    components: [
      part(gemm('in-projection', rows, d, inWidth, w), 'projection'),
      part(conv1d, 'mixer'),
      part(core, 'mixer', SCAN_BACKWARD_FACTOR, true),
      part(gatedNorm, 'norm'),
      part(gemm('out-projection', rows, width, d, w), 'projection'),
    ],
    params,
    cacheBytes: w.mode === 'train' ? 0 : b * (shape.stateElements + convDim * (K - 1)) * w.kvBytes,
    // Saved per token: the in_proj input, its outputs, the conv output, the mixer's output and the
    // gated, normed output fed to out_proj.
    activationBytes: rows * s * (d + inWidth + convDim + 2 * width),
    tokens: steps,
  };
}
