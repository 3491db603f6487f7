/**
 * The evaluation engine: a model preset + workload → one forward pass from its architecture,
 * then modes (docs/design.md §4.3), scope and totals (docs/design.md §3). Pure and allocation-light: the solvers
 * and sweeps call `evaluate` millions of times.
 */
import type {ModelPreset} from '../schema/presets.js';
import {getArchitecture} from './architectures/index.js';
import type {LayerComponent, LayerGroup, ModelCost, Part} from './architectures/types.js';
import type {KernelFamily, ResolvedVariant} from './types.js';
import type {Workload} from './workload.js';

export interface Totals {
  macs: number;
  /** macs × flopsPerMac (2 in the detailed accounting). */
  matmulFlops: number;
  vectorFlops: number;
  /** matmulFlops + vectorFlops. */
  flops: number;
  readBytes: number;
  writeBytes: number;
  /** readBytes + writeBytes. */
  hbmBytes: number;
  pairs: number;
  launches: number;
}

/** A component of the evaluated scope, scaled by mode and by the layers it stands for. */
export interface ScopedComponent extends Totals {
  name: string;
  kernel: KernelFamily;
  part: Part;
  core: boolean;
  /** Layer group label ('standard', 'window w=4096', 'model' for extras). */
  group: string;
  /** Layers this entry stands for (repeat in model scope, 1 otherwise). */
  layers: number;
  /** Passes over the forward work: 1, or 1 + backward (+ recomputation) in training. */
  passes: number;
  /** Of `passes`, those of the backward (its backward factor in training; 0 otherwise). */
  backwardPasses: number;
  /** Tiled kernels: CTAs per launch and key-block steps per launch (0 otherwise). */
  tiles: number;
  tileSteps: number;
  maxTileSteps: number;
  minTileSteps: number;
  /** Computed pairs / useful pairs of a tiled kernel (≥ 1: whole blocks on a causal diagonal). */
  blockWork: number;
  savedBytes: number;
  transientBytes: number;
}

export interface Evaluation {
  cost: ModelCost;
  /** Components in scope, one entry per (group, component) in schedule order. */
  components: ScopedComponent[];
  totals: Totals;
  /** All weights of the model (parameter count), whatever the scope. */
  params: number;
  /**
   * Weights one token uses: params less the routed experts it does not select (mixture of
   * experts; = params for dense models). docs/architectures.md "Active parameters".
   */
  activeParams: number;
  /** Decode state of all layers (KV cache / recurrent state), bytes; 0 in training. */
  cacheBytes: number;
  /** Activations saved for backward, all layers, under the recompute policy; 0 outside training. */
  savedBytes: number;
  /** Largest transient working set of a single component (one layer runs at a time). */
  peakTransientBytes: number;
}

/** Names of a variant's core passes that the layer view shows as one 'attention' row. */
const CORE_PASS_NAMES = new Set([
  'scores',
  'softmax',
  'causal-mask',
  'weighted-sum',
  'attention',
  'backward-dot-do-o',
  'backward-convert-dq',
]);

function passes(c: LayerComponent, w: Workload): number {
  if (w.mode !== 'train' || c.cost.backwardOnly) return 1;
  // docs/design.md §4.3: backward = backwardFactor × forward (2 for autograd, 2.5 for FlashAttention);
  // full recomputation replays the forward once; selective replays only the attention core
  // (Korthikanti et al. 2022 §5).
  const replay = w.recompute === 'full' || (w.recompute === 'selective' && c.core) ? 1 : 0;
  return 1 + c.backwardFactor + replay;
}

function scoped(c: LayerComponent, group: string, layers: number, w: Workload): ScopedComponent {
  const p = passes(c, w);
  const k = p * layers;
  const macs = c.cost.macs * k;
  const matmulFlops = macs * w.accounting.flopsPerMac;
  const vectorFlops = c.cost.vectorFlops * k;
  const readBytes = c.cost.readBytes * k;
  const writeBytes = c.cost.writeBytes * k;
  return {
    name: c.cost.name,
    kernel: c.cost.kernel,
    part: c.part,
    core: c.core,
    group,
    layers,
    passes: p,
    backwardPasses: p > 1 ? c.backwardFactor : 0,
    tiles: c.cost.tiles,
    tileSteps: c.cost.tileSteps,
    maxTileSteps: c.cost.maxTileSteps,
    minTileSteps: c.cost.minTileSteps,
    blockWork: c.cost.computedPairs > 0 && c.cost.pairs > 0 ? c.cost.computedPairs / c.cost.pairs : 1,
    macs,
    matmulFlops,
    vectorFlops,
    flops: matmulFlops + vectorFlops,
    readBytes,
    writeBytes,
    hbmBytes: readBytes + writeBytes,
    pairs: c.cost.pairs * layers,
    launches: c.cost.launches * k,
    savedBytes: c.cost.savedBytes * layers,
    transientBytes: c.cost.transientBytes,
  };
}

export function emptyTotals(): Totals {
  return {
    macs: 0,
    matmulFlops: 0,
    vectorFlops: 0,
    flops: 0,
    readBytes: 0,
    writeBytes: 0,
    hbmBytes: 0,
    pairs: 0,
    launches: 0,
  };
}

export function addTotals(into: Totals, c: Totals): Totals {
  into.macs += c.macs;
  into.matmulFlops += c.matmulFlops;
  into.vectorFlops += c.vectorFlops;
  into.flops += c.flops;
  into.readBytes += c.readBytes;
  into.writeBytes += c.writeBytes;
  into.hbmBytes += c.hbmBytes;
  into.pairs += c.pairs;
  into.launches += c.launches;
  return into;
}

function groupSavedBytes(g: LayerGroup, w: Workload): number {
  if (w.mode !== 'train') return 0;
  if (w.recompute === 'full') return g.inputBytes;
  let core = 0;
  for (const c of g.components) core += c.core && w.recompute === 'selective' ? 0 : c.cost.savedBytes;
  return g.activationBytes + core;
}

/**
 * Evaluates one forward (and, in training, backward) pass of `model` under `w`. With
 * `scoped: false` only the model-wide memory terms are computed (no per-component rows, zero totals).
 */
export function evaluate(
  model: ModelPreset,
  w: Workload,
  variant?: ResolvedVariant,
  opts: {scoped?: boolean} = {},
): Evaluation {
  const arch = getArchitecture(model.architecture);
  const cost = arch.evaluate(model, w, arch.takesVariant ? variant : undefined);
  const components: ScopedComponent[] = [];
  let params = cost.extraParams;
  let inactiveParams = 0;
  let cacheBytes = 0;
  let savedBytes = 0;
  let peakTransientBytes = 0;
  for (const g of cost.groups) {
    params += g.params * g.repeat;
    inactiveParams += (g.inactiveParams ?? 0) * g.repeat;
    cacheBytes += g.cacheBytes * g.repeat;
    savedBytes += groupSavedBytes(g, w) * g.repeat;
    for (const c of g.components)
      if (c.cost.transientBytes > peakTransientBytes) peakTransientBytes = c.cost.transientBytes;
  }
  for (const c of cost.extras)
    if (c.cost.transientBytes > peakTransientBytes) peakTransientBytes = c.cost.transientBytes;

  const activeParams = params - inactiveParams;
  // Memory questions (solvers) need only the model-wide terms above: skip the scoped rows.
  if (opts.scoped === false)
    return {
      cost,
      components,
      totals: emptyTotals(),
      params,
      activeParams,
      cacheBytes,
      savedBytes,
      peakTransientBytes,
    };
  if (w.scope === 'model') {
    for (const g of cost.groups)
      for (const c of g.components) components.push(scoped(c, g.label, g.repeat, w));
    for (const c of cost.extras) components.push(scoped(c, 'model', 1, w));
  } else {
    // One layer: the first layer of the schedule (docs/architectures.md "Scope").
    const first = cost.groups[0];
    if (first) {
      for (const c of first.components) {
        if (w.scope === 'layer' || c.core) components.push(scoped(c, first.label, 1, w));
      }
    }
  }
  const totals = emptyTotals();
  for (const c of components) addTotals(totals, c);
  return {cost, components, totals, params, activeParams, cacheBytes, savedBytes, peakTransientBytes};
}

export interface BreakdownRow extends Totals {
  name: string;
  part: Part;
  savedBytes: number;
  transientBytes: number;
}

/**
 * The per-component breakdown shown to users: components of the same name summed over layers;
 * outside the attention scope, a variant's core passes (scores, softmax, weighted sum, a fused
 * kernel) are shown as one 'attention' row and its extra work (projections, feature maps) by name.
 */
export function breakdown(e: Evaluation, scope: Workload['scope']): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>();
  for (const c of e.components) {
    const name = scope !== 'attention' && c.core && CORE_PASS_NAMES.has(c.name) ? 'attention' : c.name;
    let row = rows.get(name);
    if (!row) {
      row = {...emptyTotals(), name, part: c.part, savedBytes: 0, transientBytes: 0};
      rows.set(name, row);
    }
    addTotals(row, c);
    row.savedBytes += c.savedBytes;
    row.transientBytes = Math.max(row.transientBytes, c.transientBytes);
  }
  return [...rows.values()];
}
