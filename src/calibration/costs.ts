/**
 * What each benchmark stage costs in the product's own cost model. The attention kernels are
 * costed by the attention variants' `cost()` (src/model/variants) — so calibrating them, and
 * predicting them in `bench`, tests the real model — and the micro-benchmarks by the formulas
 * below. Pure: no gpu.js, no I/O.
 */

import {
  type AttentionInput,
  type ComponentCost,
  DETAILED_ACCOUNTING,
  type KernelFamily,
} from '../model/types.js';
import {getVariant} from '../model/variants/index.js';
import type {CaseSpec} from './kernels.js';
import {THREAD_CELLS, TRIAD_COLUMNS} from './kernels.js';

/** Bytes per element of every kernel: gpu.js computes in float32. */
export const ELEMENT_BYTES = 4;

export interface StageCost {
  name: string;
  family: KernelFamily;
  macs: number;
  vectorFlops: number;
  /** Memory traffic the model counts: bytes read + written. */
  bytes: number;
  launches: number;
}

/** The attention input of an attention case: one sequence, one layer, float32, non-causal. */
export function attentionInput(spec: Extract<CaseSpec, {queries: number}>): AttentionInput {
  return {
    batch: 1,
    queries: spec.queries,
    keys: spec.keys,
    queryOffset: 0,
    heads: spec.heads,
    kvHeads: spec.heads,
    headDim: spec.headDim,
    valueDim: spec.headDim,
    dModel: spec.heads * spec.headDim,
    causal: false,
    bytes: ELEMENT_BYTES,
    kvBytes: ELEMENT_BYTES,
    training: false,
    accounting: {...DETAILED_ACCOUNTING},
  };
}

/**
 * The variant whose cost model an attention kernel set implements, with its parameters.
 * Perceiver cross-attention (N latents × M inputs) is `standard` attention with n = N, m = M
 * (docs/design.md §4.2: the encoder's cross-attention is softmax attention over the inputs).
 */
export function variantOf(spec: Extract<CaseSpec, {queries: number}>): {
  id: string;
  params: Record<string, unknown>;
} {
  switch (spec.kernel) {
    case 'window':
      return {id: 'window', params: {w: spec.window ?? spec.keys}};
    case 'linear':
      return {id: 'linear', params: {}};
    default:
      return {id: 'standard', params: {}};
  }
}

function fromComponent(c: ComponentCost): StageCost {
  return {
    name: c.name,
    family: c.kernel,
    macs: c.macs,
    vectorFlops: c.vectorFlops,
    bytes: c.readBytes + c.writeBytes,
    launches: c.launches,
  };
}

/** Cost of each stage of a case, in stage order; the names match the kernels' stages. */
export function stageCosts(spec: CaseSpec): StageCost[] {
  const s = ELEMENT_BYTES;
  switch (spec.kernel) {
    case 'empty':
      // THREAD_CELLS output elements written; no work.
      return [
        {
          name: 'launch',
          family: 'elementwise',
          macs: 0,
          vectorFlops: 0,
          bytes: THREAD_CELLS * s,
          launches: 1,
        },
      ];
    case 'upload':
      // One element read and one written: what remains is the upload of the argument (transfer).
      return [{name: 'upload', family: 'elementwise', macs: 0, vectorFlops: 0, bytes: 2 * s, launches: 1}];
    case 'matmul': {
      // C = A·B, n×n×n: n³ MACs; reads A and B, writes C.
      const n = spec.n;
      return [
        {name: 'matmul', family: 'gemm', macs: n ** 3, vectorFlops: 0, bytes: 3 * n * n * s, launches: 1},
      ];
    }
    case 'triad': {
      // a = b + s·c: reads b and c, writes a, 12 bytes per float32 element (STREAM's triad in
      // float64 counts 24). Its 2 FLOPs per element are deliberately not counted as vector work:
      // the triad is a bandwidth benchmark whose arithmetic is free on any device, while the
      // vector rate is calibrated on softmax work dominated by exp (docs/calibration.md).
      const elements = Math.max(1, Math.round(spec.n / TRIAD_COLUMNS)) * TRIAD_COLUMNS;
      return [
        {name: 'triad', family: 'elementwise', macs: 0, vectorFlops: 0, bytes: 3 * elements * s, launches: 1},
      ];
    }
    case 'softmax': {
      // The model's softmax pass (standard.ts): softmaxOps FLOPs per score, reads and writes the scores.
      const cells = spec.rows * spec.cols;
      return [
        {
          name: 'softmax',
          family: 'elementwise',
          macs: 0,
          vectorFlops: DETAILED_ACCOUNTING.softmaxOps * cells,
          bytes: 2 * cells * s,
          launches: 1,
        },
      ];
    }
    default: {
      const {id, params} = variantOf(spec);
      const def = getVariant(id);
      return def
        .cost(attentionInput(spec), def.params().parse(params) as Record<string, unknown>)
        .map(fromComponent);
    }
  }
}
