/**
 * The vocabulary of the pure cost model (docs/design.md §3–§4). Everything here is data: no I/O, no
 * console. Quantities are plain numbers in base units (MACs, FLOPs, bytes) for the WHOLE batch.
 */
import type {z} from 'zod';

export type Mode = 'prefill' | 'decode' | 'train';

/** How a variant trades quality for efficiency (docs/design.md §4). */
export type Family = 'dense' | 'sparse' | 'low-rank' | 'kernel' | 'latent' | 'recurrent' | 'state-space';

/**
 * Which kind of kernel a component runs as. Calibration profiles carry efficiencies per kernel
 * family (docs/design.md §7, issue 4), and the roofline looks them up by this tag.
 */
export type KernelFamily =
  | 'gemm' // dense matrix products: projections, FFN, LM head
  | 'attention-materialized' // scores written to memory, then softmax, then AV (PyTorch eager)
  | 'attention-fused' // tiled, IO-aware attention (FlashAttention)
  | 'attention-sparse' // banded / block-sparse attention kernels
  | 'elementwise' // norms, activations, residuals, softmax as a separate pass
  | 'scan'; // recurrences and selective scans

export const KERNEL_FAMILIES: readonly KernelFamily[] = [
  'gemm',
  'attention-materialized',
  'attention-fused',
  'attention-sparse',
  'elementwise',
  'scan',
];

/** Switches of the accounting (docs/design.md §5). `detailed` and `textbook` are presets of these. */
export interface Accounting {
  /** FLOPs per multiply-accumulate in matrix products: 2 (detailed) or 1 (textbook). */
  flopsPerMac: number;
  /** Vector FLOPs per attention score for the softmax (detailed: 5 = max, subtract, exp, sum, divide). */
  softmaxOps: number;
  /** Count masked (causal) pairs as computed work even in kernels that skip them. */
  countMasked: boolean;
}

/** The resolved shape an attention variant is costed on: one layer, the whole batch. */
export interface AttentionInput {
  batch: number;
  /** n: query rows per sequence. */
  queries: number;
  /** m: key/value rows per sequence (m = n for self-attention; the context in decode). */
  keys: number;
  /** Absolute position of query row 0 among the keys: 0 in prefill, m - 1 in decode. */
  queryOffset: number;
  /** h: query heads. */
  heads: number;
  /** h_kv: key/value heads (GQA/MQA). Changes K/V traffic and caches, never query-side MACs. */
  kvHeads: number;
  /** d_h: query/key channels per head. */
  headDim: number;
  /** Value channels per head (= headDim except in Perceiver-style attention). */
  valueDim: number;
  /**
   * The values are the first valueDim channels of the keys (MLA decode with absorbed matrices: the
   * latent is both, docs/mla.md): a fused kernel loads each key row once. Omitted: separate K and V.
   */
  valueInKey?: boolean;
  /** d: model width (the input width of projections a variant adds, e.g. PaCa clustering). */
  dModel: number;
  causal: boolean;
  /** s: bytes per activation element. */
  bytes: number;
  /** s_kv: bytes per element of the KV cache / recurrent state kept between decode steps. */
  kvBytes: number;
  /** Forward pass of a training step: report activations saved for backward. */
  training: boolean;
  /** `--dropout p`: attention dropout on in this run, whatever the mode (0 or absent: off). */
  dropout?: number;
  accounting: Accounting;
}

/** The cost of one component of one layer, for the whole batch, forward pass. */
export interface ComponentCost {
  /** e.g. 'scores', 'softmax', 'weighted-sum', 'projection-k', 'feature-map', 'qkv-projection'. */
  name: string;
  kernel: KernelFamily;
  /** Multiply-accumulates of matrix products. */
  macs: number;
  /** Elementwise FLOPs (softmax, activations, norms), run on the vector units. */
  vectorFlops: number;
  /** HBM bytes read. */
  readBytes: number;
  /** HBM bytes written. */
  writeBytes: number;
  /** Bytes this component keeps alive for the backward pass (training only; 0 otherwise). */
  savedBytes: number;
  /** Working memory alive while this component runs, freed afterwards (e.g. score matrices). */
  transientBytes: number;
  /** Query–key interactions computed, all heads. */
  pairs: number;
  /** Kernel launches (fixed overhead each). */
  launches: number;
  /**
   * Runs in the backward pass only (training), once per step: not scaled by the backward factor
   * nor replayed by recomputation — e.g. FlashAttention-2's pre- and post-processing kernels.
   */
  backwardOnly: boolean;
  /**
   * Tiled kernels only (0 otherwise): thread blocks (CTAs) one launch runs, for wave quantisation
   * over the device's SMs (docs/calibration-presets.md "Kernel time model").
   */
  tiles: number;
  /** Inner-loop steps (key blocks) summed over the tiles of one launch; 0 when not tiled. */
  tileSteps: number;
  /**
   * Inner-loop steps of the launch's longest tile; 0 when its tiles are equal (non-causal) or it is
   * not tiled. Unequal tiles (causal) leave slots idle at the end of the grid.
   */
  maxTileSteps: number;
  /** Inner-loop steps of the launch's shortest tile, with maxTileSteps (0 with it). */
  minTileSteps: number;
  /**
   * Query–key pairs the kernel computes, all heads: `pairs` rounded up to whole blocks along a
   * causal diagonal (a block straddling it is computed in full, then masked); 0 = `pairs`.
   */
  computedPairs: number;
}

/** The numeric fields of a ComponentCost (all but its name, kernel and backwardOnly flag). */
export type CostField = Exclude<keyof ComponentCost, 'name' | 'kernel' | 'backwardOnly'>;

export interface Citation {
  text: string;
  url?: string;
}

/**
 * One attention variant (docs/design.md §4.1). Each declares its own facts; shared code never branches on
 * a variant's id.
 */
export interface VariantDef<P extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  title: string;
  family: Family;
  /** Exact softmax attention (same output as `standard`) or an approximation. */
  exact: boolean;
  /** Big-O of time and memory per layer, e.g. 'O(n·w·d)'. */
  timeComplexity: string;
  memoryComplexity: string;
  /**
   * The schema of its parameters, with defaults and descriptions; parsing `{}` gives the defaults.
   * Built on first call and kept (`once`): a query builds only the schemas of the variants it uses.
   */
  params(): z.ZodType<P>;
  /** Whether causal masking reduces the work this variant's kernel does. */
  causalReducesWork: boolean;
  /**
   * Whether the variant can run under a causal mask without letting a query see later tokens.
   * false for designs that mix all positions before attending (Linformer's projection of all n
   * keys, Nyström landmarks, PaCa clusters, Swin's 2-D windows): on a causal decoder they answer
   * a different question, and attncap warns (docs/warnings.md).
   */
  supportsCausal: boolean;
  citation: Citation;
  /** What it gives up for its efficiency, in one line. */
  tradeoff: string;
  /** Backward cost as a multiple of the forward (2 for autograd; FlashAttention 2.5 with recomputation). */
  backwardFactor: number;
  /**
   * Leading-order operation count for the `complexity` view (constant 1, docs/design.md §5.1), at
   * sequence length n and model width d.
   */
  leadingOps(n: number, d: number, params: P): number;
  /**
   * Longest and mean number of attention hops between two of n positions (docs/design.md §5.1 path
   * length). Omitted: 1 and 1 — every query reaches every key directly.
   */
  pathLength?(n: number, params: P): {max: number; mean: number};
  /**
   * Trainable weights (parameters) the variant adds to one attention layer beyond Q/K/V/O: Swin's
   * relative-position bias table, Longformer's global projections, Linformer's E and F,
   * Transformer-XL's W_{k,R} and u, v. Omitted: none.
   */
  weights?(input: AttentionInput, params: P): number;
  /** Per-component forward cost of one layer's attention core. Must be pure and allocation-light. */
  cost(input: AttentionInput, params: P): ComponentCost[];
  /**
   * Bytes this layer keeps between decode steps for the whole batch: the KV cache of the keys it
   * can still attend to (standard: 2·b·m·h_kv·d_h·s_kv; window: a rolling buffer of min(m, w)),
   * or a recurrent state (linear attention: b·h·d_h·d_v·s_kv). Uses `input.keys` as the context.
   */
  cacheBytes(input: AttentionInput, params: P): number;
}

/** Helper for variant and architecture modules: a component with zeros for unset fields. */
export function component(
  name: string,
  kernel: KernelFamily,
  fields: Partial<Omit<ComponentCost, 'name' | 'kernel'>>,
): ComponentCost {
  return {
    name,
    kernel,
    macs: fields.macs ?? 0,
    vectorFlops: fields.vectorFlops ?? 0,
    readBytes: fields.readBytes ?? 0,
    writeBytes: fields.writeBytes ?? 0,
    savedBytes: fields.savedBytes ?? 0,
    transientBytes: fields.transientBytes ?? 0,
    pairs: fields.pairs ?? 0,
    launches: fields.launches ?? 1,
    backwardOnly: fields.backwardOnly ?? false,
    tiles: fields.tiles ?? 0,
    tileSteps: fields.tileSteps ?? 0,
    maxTileSteps: fields.maxTileSteps ?? 0,
    minTileSteps: fields.minTileSteps ?? 0,
    computedPairs: fields.computedPairs ?? 0,
  };
}

/** Accounting of the `detailed` profile (docs/design.md §5.2). */
export const DETAILED_ACCOUNTING: Readonly<Accounting> = {flopsPerMac: 2, softmaxOps: 5, countMasked: false};
/** Accounting switches the `textbook` profile sets (docs/design.md §5.1). */
export const TEXTBOOK_ACCOUNTING: Readonly<Accounting> = {flopsPerMac: 1, softmaxOps: 3, countMasked: true};

/** A variant with its validated parameters, as chosen by `--variant name:key=value`. */
export interface ResolvedVariant {
  def: VariantDef;
  params: Record<string, unknown>;
  /** Short display name, e.g. 'window w=512'. */
  label: string;
}
