/** The resolved workload every model evaluation takes (docs/design.md §2.1 "Workload", §4.3). */
import type {Dtype} from '../schema/presets.js';
import type {Impl} from './impl.js';
import type {Accounting, Mode} from './types.js';

export type Recompute = 'none' | 'selective' | 'full';
export type Scope = 'attention' | 'layer' | 'model';

export interface Workload {
  batch: number;
  /** n: tokens per sequence (prefill/train), or the KV-cache context length (decode). */
  seq: number;
  mode: Mode;
  /** Causal masking; resolved from the model's default unless the user overrode it. */
  causal: boolean;
  dtype: Dtype;
  /** Bytes per element: activations (s), weights (s_w), KV cache / recurrent state (s_kv). */
  bytes: number;
  weightBytes: number;
  kvBytes: number;
  /**
   * Bytes per weight of the parameters outside the repeated layers (embeddings, LM head, final
   * norm): quantised checkpoints keep them in the compute dtype (docs/serving.md). Default: weightBytes.
   */
  embeddingBytes?: number;
  /** Paged KV cache: each sequence's cache is a whole number of blocks of this many tokens. Default 1. */
  kvBlock?: number;
  recompute: Recompute;
  scope: Scope;
  accounting: Accounting;
  /** `--impl`: the attention kernel implementation; undefined = each device's default. */
  impl?: Impl;
  /**
   * `--dropout p`: attention dropout is on in this run (a module in train mode), forward-only
   * runs included; undefined or 0 = off (variant `dropout=` parameters then apply in training).
   */
  dropout?: number;
}

/**
 * The workload at one sequence length (and batch). Built field by field on purpose: V8 copies
 * `{...base, seq}` an order of magnitude slower than a literal, and solvers and sweeps build
 * one per probe.
 */
export function atSeq(base: Omit<Workload, 'seq'>, seq: number, batch: number = base.batch): Workload {
  return {
    batch,
    seq,
    mode: base.mode,
    causal: base.causal,
    dtype: base.dtype,
    bytes: base.bytes,
    weightBytes: base.weightBytes,
    kvBytes: base.kvBytes,
    embeddingBytes: base.embeddingBytes,
    kvBlock: base.kvBlock,
    recompute: base.recompute,
    scope: base.scope,
    accounting: base.accounting,
    impl: base.impl,
    dropout: base.dropout,
  };
}
