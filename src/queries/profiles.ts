/**
 * The two accounting profiles (docs/assumptions.md) as two implementations of one interface, so
 * that no query branches on the profile: `detailed` (the cost model of docs/architectures.md,
 * docs/capacity.md) and `textbook` (the simplified accounting of the common introductory
 * treatment, reproduced exactly: multiplications only, attention matrices only, 70 % of the
 * marketed GB, time = 2·n²·d·L / peak). A query asks its scenario's profile for a point, a
 * solver predicate or a cost row and never knows which one answers.
 */
import type {ResolvedHardware} from '../hardware.js';
import {type BreakdownRow, breakdown, type Evaluation, evaluate} from '../model/engine.js';
import {attentionShape, type MemoryBreakdown, memoryOf, reserveBytes, spareBytes} from '../model/memory.js';
import {planCostGroups} from '../model/plan.js';
import {
  textbookAttentionCore,
  textbookAttentionSeconds,
  textbookLayer,
  textbookUsableBytes,
} from '../model/textbook.js';
import type {ResolvedVariant} from '../model/types.js';
import type {Workload} from '../model/workload.js';
import type {ModelPreset} from '../schema/presets.js';
import {
  dominantTerm,
  keepsCache,
  memoryAt,
  type PointLatency,
  pointOf,
  secondsOf,
  tokensPerSecond,
} from './capacity.js';

export type AssumptionProfileId = 'detailed' | 'textbook';

export interface ComponentRow {
  name: string;
  part: string;
  flops: number;
  macs: number;
  matmulFlops: number;
  vectorFlops: number;
  hbmBytes: number;
  pairs: number;
  savedBytes: number;
  transientBytes: number;
}

/** The numbers of one cost row: work, traffic and parameters of one configuration. */
export interface CostNumbers {
  flops: number;
  macs: number;
  matmulFlops: number;
  vectorFlops: number;
  pairs: number;
  hbmBytes: number;
  readBytes: number;
  writeBytes: number;
  params: number;
  /** Parameters one token uses (MoE: less the routed experts it does not select). */
  activeParams: number;
  components?: ComponentRow[];
}

/** Memory, latency and the largest memory term at one point on one device. */
export interface ProfilePoint {
  memory: MemoryBreakdown;
  latency: PointLatency;
  dominantTerm: string;
  flops: number;
}

export interface AccountingProfile {
  id: AssumptionProfileId;
  /** FLOPs, MACs, traffic and parameters of one configuration (cost, compare). */
  cost(
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    withComponents: boolean,
  ): CostNumbers;
  /** Memory and latency at one point (memory, latency, report, check). */
  point(
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    hw: ResolvedHardware,
  ): ProfilePoint;
  /**
   * The solvers' memory margin: bytes to spare against what counts when solving for n or b
   * (negative: short); the point fits when it is ≥ 0.
   */
  solverMargin(
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    hw: ResolvedHardware,
  ): number;
  /** The memory the solvers report at their answer, and its largest term. */
  solverMemory(
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    hw: ResolvedHardware,
  ): {memory: MemoryBreakdown; dominantTerm: string};
  /** Expected seconds (the fast path of solvers and sweeps). */
  seconds(
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    hw: ResolvedHardware,
  ): number;
  /** The model's memory demand without the device's reserve (report curve, sweep --metric memory). */
  demandBytes(
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    hw: ResolvedHardware,
  ): number;
  /** What a device offers against `demandBytes`. */
  usableBytes(hw: ResolvedHardware): number;
  /** FLOPs of one side of a crossover: evaluated, or the leading-order term. */
  crossoverFlops(
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    leading: (n: number) => number,
  ): number;
}

const NO_RESERVE = {capacityBytes: 1, runtimeReserveBytes: 0, memoryReserveFraction: 0};

function toComponentRow(r: BreakdownRow): ComponentRow {
  return {
    name: r.name,
    part: r.part,
    flops: r.flops,
    macs: r.macs,
    matmulFlops: r.matmulFlops,
    vectorFlops: r.vectorFlops,
    hbmBytes: r.hbmBytes,
    pairs: r.pairs,
    savedBytes: r.savedBytes,
    transientBytes: r.transientBytes,
  };
}

function costNumbers(e: Evaluation, w: Workload, withComponents: boolean): CostNumbers {
  const t = e.totals;
  return {
    flops: t.flops,
    macs: t.macs,
    matmulFlops: t.matmulFlops,
    vectorFlops: t.vectorFlops,
    pairs: t.pairs,
    hbmBytes: t.hbmBytes,
    readBytes: t.readBytes,
    writeBytes: t.writeBytes,
    params: e.params,
    activeParams: e.activeParams,
    ...(withComponents ? {components: breakdown(e, w.scope).map(toComponentRow)} : {}),
  };
}

function detailedPoint(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
): ProfilePoint & {evaluation: Evaluation} {
  const p = pointOf(model, w, variant, hw);
  return {...p, dominantTerm: dominantTerm(p), flops: p.evaluation.totals.flops};
}

/** The cost model of docs/architectures.md and docs/capacity.md: what users should plan with. */
export const detailedProfile: AccountingProfile = {
  id: 'detailed',
  cost: (model, w, variant, withComponents) => costNumbers(evaluate(model, w, variant), w, withComponents),
  point: detailedPoint,
  solverMargin: (model, w, variant, hw) => spareBytes(memoryAt(model, w, variant, hw)),
  solverMemory(model, w, variant, hw) {
    const p = detailedPoint(model, w, variant, hw);
    return {memory: p.memory, dominantTerm: p.dominantTerm};
  },
  seconds: (model, w, variant, hw) => secondsOf(evaluate(model, w, variant), w, hw),
  demandBytes: (model, w, variant) =>
    memoryOf(
      evaluate(model, w, variant, {scoped: false}),
      w,
      NO_RESERVE,
      keepsCache(model, w),
      attentionShape(model),
    ).totalBytes,
  // A reserve above the capacity (--usable 0) leaves nothing, not a negative amount.
  usableBytes: hw => Math.max(0, hw.capacityBytes - reserveBytes(hw)),
  crossoverFlops: (model, w, variant) => evaluate(model, w, variant).totals.flops,
};

// ---- textbook (docs/assumptions.md "textbook") ----

/** Pairs per head per layer in the textbook view: the variant's leading term over d (standard: n²). */
export function textbookPairs(model: ModelPreset, variant: ResolvedVariant | undefined, n: number): number {
  return variant ? variant.def.leadingOps(n, model.dModel, variant.params) / model.dModel : n * n;
}

/** One group of attention layers as the textbook counts it. */
interface TextbookGroup {
  repeat: number;
  heads: number;
  variant: ResolvedVariant | undefined;
}

/**
 * The attention layers of the model's plan (docs/layer-plans.md), each group with its own variant,
 * or `variant` (a plain `--variant`) for every one of them, as the detailed profile replaces them.
 * The textbook has formulas for attention layers only: Mamba, Gated DeltaNet and MLP-only layers
 * add nothing to its counts (docs/assumptions.md). A model without a plan is one group of L.
 */
function textbookGroups(model: ModelPreset, variant: ResolvedVariant | undefined): TextbookGroup[] {
  if (!model.schedule && !model.pattern) return [{repeat: model.layers, heads: model.heads ?? 1, variant}];
  return planCostGroups(model)
    .filter(g => g.kind === 'attention')
    .map(g => ({repeat: g.repeat, heads: g.heads, variant: variant ?? g.variant}));
}

/** Σ over the attention layers of `perLayer(group)`, each group counted `repeat` times. */
function overLayers(groups: readonly TextbookGroup[], perLayer: (g: TextbookGroup) => number): number {
  let total = 0;
  for (const g of groups) total += g.repeat * perLayer(g);
  return total;
}

/**
 * Textbook memory: attention memory per sample L·s·(3nd + h·pairs + nd), times b, against the
 * marketed capacity with 70% usable (L·(…) summed over the plan's attention layers). The 30% kept
 * back is reported as the reserve. With `matricesOnly`, only the h score matrices per layer (what
 * the textbook max-seq counts).
 */
export function textbookMemory(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  opts: {matricesOnly?: boolean} = {},
): MemoryBreakdown {
  const n = w.seq;
  const d = model.dModel;
  const attention =
    w.batch *
    w.bytes *
    overLayers(textbookGroups(model, variant), g => {
      const matrices = g.heads * textbookPairs(model, g.variant, n);
      return opts.matricesOnly ? matrices : 3 * n * d + matrices + n * d;
    });
  const capacityBytes = hw.memoryMarketedGB * 1e9;
  const reserve = capacityBytes - textbookUsableBytes(hw.memoryMarketedGB);
  const totalBytes = attention + reserve;
  return {
    tensorsBytes: 0,
    weightsBytes: 0,
    gradientBytes: 0,
    optimizerBytes: 0,
    activationBytes: attention,
    kvCacheBytes: 0,
    transientBytes: 0,
    reserveBytes: reserve,
    totalBytes,
    capacityBytes,
    fraction: totalBytes / capacityBytes,
    fits: totalBytes <= capacityBytes,
  };
}

/** Textbook latency: 2·pairs·d·L / peak (standard: 2·n²·d·L; L·pairs summed over the plan), compute-bound by construction. */
export function textbookLatency(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
): PointLatency {
  const n = w.seq;
  const d = model.dModel;
  const peak = hw.peaks.matrixFlopsPerSec;
  const seconds =
    overLayers(textbookGroups(model, variant), g =>
      g.variant === undefined
        ? textbookAttentionSeconds(n, d, 1, peak).seconds
        : (2 * textbookPairs(model, g.variant, n) * d) / peak,
    ) * w.batch;
  return {
    seconds,
    idealSeconds: seconds,
    tokensPerSec: tokensPerSecond(w, seconds),
    bound: 'compute',
    components: [
      {
        name: 'attention',
        kernel: 'attention-materialized',
        seconds,
        idealSeconds: seconds,
        bound: 'compute',
        intensity: 0,
      },
    ],
  };
}

/**
 * The textbook's cost rows: multiplications only, heads ignored in the softmax, the variant's
 * pairs taken from its leading-order term (pairs = leadingOps / d; standard n²), summed over the
 * plan's attention layers (one layer under `--scope attention`: the first). Traffic and parameters
 * come from the detailed model (the textbook does not count them).
 */
function textbookCost(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  withComponents: boolean,
): CostNumbers {
  const e = evaluate(model, w, variant);
  const n = w.seq;
  const batch = w.batch;
  const d = model.dModel;
  const all = textbookGroups(model, variant);
  const groups = w.scope === 'model' ? all : all.slice(0, 1).map(g => ({...g, repeat: 1}));
  const rows = new Map<string, {mul: number; vec: number; pairs: number}>();
  const add = (name: string, times: number, mul: number, vec: number, pairs = 0) => {
    const row = rows.get(name) ?? {mul: 0, vec: 0, pairs: 0};
    row.mul += times * mul;
    row.vec += times * vec;
    row.pairs += times * pairs;
    rows.set(name, row);
  };
  for (const g of groups) {
    const pairs = textbookPairs(model, g.variant, n);
    if (w.scope === 'attention' && g.variant === undefined) {
      const core = textbookAttentionCore(n, d);
      add('scores', g.repeat, core.scores, 0);
      add('softmax', g.repeat, 0, core.softmax, pairs);
      add('weighted-sum', g.repeat, core.weightedSum, 0);
      continue;
    }
    add('attention', g.repeat, 2 * pairs * d, 3 * pairs, pairs);
    if (w.scope === 'attention') continue;
    const layer = textbookLayer(n, d, pairs);
    add('qkv-projection', g.repeat, layer.qkv, 0);
    add('output-projection', g.repeat, layer.output, 0);
    add('ffn', g.repeat, layer.ffn, 0);
  }
  const components: ComponentRow[] = [...rows].map(([name, p]) => ({
    name,
    part: name === 'ffn' ? 'ffn' : name.endsWith('projection') ? 'projection' : 'attention',
    flops: batch * (p.mul + p.vec),
    macs: batch * p.mul,
    matmulFlops: batch * p.mul,
    vectorFlops: batch * p.vec,
    hbmBytes: 0,
    pairs: batch * p.pairs,
    savedBytes: 0,
    transientBytes: 0,
  }));
  const sum = (key: 'flops' | 'macs' | 'vectorFlops' | 'pairs') =>
    components.reduce((acc, c) => acc + c[key], 0);
  return {
    flops: sum('flops'),
    macs: sum('macs'),
    matmulFlops: sum('macs'),
    vectorFlops: sum('vectorFlops'),
    pairs: sum('pairs'),
    hbmBytes: e.totals.hbmBytes,
    readBytes: e.totals.readBytes,
    writeBytes: e.totals.writeBytes,
    params: e.params,
    activeParams: e.activeParams,
    ...(withComponents ? {components} : {}),
  };
}

/** The textbook accounting (docs/assumptions.md): exactly the introductory tables' numbers. */
export const textbookProfile: AccountingProfile = {
  id: 'textbook',
  cost: textbookCost,
  point(model, w, variant, hw) {
    const latency = textbookLatency(model, w, variant, hw);
    return {
      memory: textbookMemory(model, w, variant, hw),
      latency,
      dominantTerm: 'attention matrices',
      flops: evaluate(model, w, variant).totals.flops,
    };
  },
  // Only the attention matrices count: h·pairs·s·L·b ≤ 0.7·GB·10⁹ (h·pairs·L summed over the plan).
  solverMargin: (model, w, variant, hw) =>
    textbookUsableBytes(hw.memoryMarketedGB) -
    overLayers(textbookGroups(model, variant), g => g.heads * textbookPairs(model, g.variant, w.seq)) *
      w.bytes *
      w.batch,
  solverMemory: (model, w, variant, hw) => ({
    memory: textbookMemory(model, w, variant, hw, {matricesOnly: true}),
    dominantTerm: 'attention matrices',
  }),
  seconds: (model, w, variant, hw) => textbookLatency(model, w, variant, hw).seconds,
  demandBytes: (model, w, variant, hw) => textbookMemory(model, w, variant, hw).activationBytes,
  usableBytes: hw => textbookUsableBytes(hw.memoryMarketedGB),
  crossoverFlops: (_model, w, _variant, leading) => leading(w.seq),
};

export function accountingProfile(id: AssumptionProfileId): AccountingProfile {
  return id === 'textbook' ? textbookProfile : detailedProfile;
}
