/**
 * The interface every architecture implements (docs/design.md §4.2, §4.2a). An architecture turns a model
 * preset and a workload into layer groups — a schedule of identical layers — plus model-level
 * extras (embeddings, heads, stems). The engine (src/model/engine.ts) applies modes, scope and
 * totals; architectures only describe one forward pass.
 */
import type {Architecture, ModelPreset} from '../../schema/presets.js';
import type {Citation, ComponentCost, Family, ResolvedVariant} from '../types.js';
import type {Workload} from '../workload.js';

/** Which part of a layer a component belongs to (for breakdowns and recomputation). */
export type Part = 'attention' | 'projection' | 'ffn' | 'norm' | 'mixer' | 'embedding' | 'head' | 'other';

export interface LayerComponent {
  cost: ComponentCost;
  part: Part;
  /** Backward cost as a multiple of this component's forward (2 for autograd; flash 2.5). */
  backwardFactor: number;
  /** Part of the attention core (what `--scope attention` reports and selective recompute redoes). */
  core: boolean;
}

export interface LayerGroup {
  /** e.g. 'standard', 'window w=4096', 'stage 2 · paca c=100', 'latent self-attention'. */
  label: string;
  /** Identical consecutive layers in this group. */
  repeat: number;
  /** Query tokens each layer processes per sequence. */
  tokens: number;
  /** ONE layer, forward pass, whole batch. */
  components: LayerComponent[];
  /** Weights of one layer (parameter count). */
  params: number;
  /** Of those, weights a token does not use: the routed experts it does not select (MoE). */
  inactiveParams?: number;
  /** State one layer keeps between decode steps (KV cache, recurrent state), whole batch, bytes. */
  cacheBytes: number;
  /**
   * Activations one layer saves for backward outside the attention core (Korthikanti et al.
   * 2022 terms, generalised), whole batch, bytes. The core's own saved bytes are in its
   * components' savedBytes.
   */
  activationBytes: number;
  /** The layer input alone (what full recomputation keeps), whole batch, bytes. */
  inputBytes: number;
  variant?: ResolvedVariant;
}

export interface ModelCost {
  groups: LayerGroup[];
  /** Embeddings, heads, stems, patch merging: counted once per model. */
  extras: LayerComponent[];
  /** Parameters outside the layer groups (embeddings, heads, stems). */
  extraParams: number;
}

export interface ArchitectureDef {
  id: Architecture;
  title: string;
  family: Family;
  citation: Citation;
  /** What the design gives up for its efficiency, in one line. */
  tradeoff: string;
  /** Whether `--variant` replaces the attention of its layers. */
  takesVariant: boolean;
  /** Sequence length to use when the user gives none (e.g. a ViT's patch count). */
  defaultSeq(model: ModelPreset): number;
  /** One forward pass: the layer groups and extras. Pure and allocation-light. */
  evaluate(model: ModelPreset, workload: Workload, variant: ResolvedVariant | undefined): ModelCost;
  /** Leading-order operation count with constant 1 for `attncap complexity`. */
  leadingOps(n: number, model: ModelPreset): number;
  /** Longest and mean number of steps information travels between two positions. */
  pathLength(n: number, model: ModelPreset): {max: number; mean: number};
}
