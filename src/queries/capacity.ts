/**
 * The shared point evaluation of the capacity commands (memory, latency, max-seq, sweep, report):
 * one model × workload × variant on one device → the evaluation, the peak-memory breakdown
 * (docs/design.md §4.4) and the roofline latency (docs/design.md §4.5). Also the textbook forms of both (docs/design.md §5.1)
 * and the input resolution these commands share.
 */
import {echoHardware, type ResolvedHardware} from '../hardware.js';
import {echoModel, echoVariant, echoWorkload} from '../inputs.js';
import {getArchitecture} from '../model/architectures/index.js';
import {cachedVariant} from '../model/architectures/shared.js';
import {type Evaluation, evaluate, type ScopedComponent} from '../model/engine.js';
import {attentionShape, type MemoryBreakdown, memoryOf} from '../model/memory.js';
import {planCostGroups} from '../model/plan.js';
import {type Bound, componentSeconds} from '../model/roofline.js';
import type {StepBreakdown} from '../model/step.js';
import type {ResolvedVariant} from '../model/types.js';
import {atSeq, type Workload} from '../model/workload.js';
import type {ResolvedScenario} from '../scenario/resolve.js';
import {type Warning, warning} from '../scenario/warnings.js';
import type {ModelPreset} from '../schema/presets.js';
import {formatInt} from '../units.js';
import {layerLabel, modelVariantLabel} from './cost.js';

/** What the capacity commands evaluate: a resolved scenario. */
export type CapacityContext = ResolvedScenario;

/** The attention of a row, as every JSON row carries it: the id, its parameters and its label. */
export interface VariantFields {
  /** Variant id ('flash', 'window'), 'model' for a model's mixed layers, or the architecture id of a model without attention. */
  variant: string;
  variantParams: Record<string, unknown>;
  /** Display name, e.g. 'window w=512'. */
  variantLabel: string;
}

export function variantFields(model: ModelPreset, v: ResolvedVariant | undefined): VariantFields {
  const label = layerLabel(model, v);
  if (!getArchitecture(model.architecture).takesVariant)
    return {variant: model.architecture, variantParams: {}, variantLabel: label};
  if (v) return {variant: v.def.id, variantParams: v.params, variantLabel: label};
  // The stages' variants, or the layer plan's (docs/layer-plans.md): one id only when uniform.
  const plan = model.stages ? [] : planCostGroups(model);
  const specs = new Set([
    ...plan.map(g => g.spec ?? g.kind),
    ...(model.stages ?? []).map(st => st.variant ?? model.variant),
  ]);
  if (specs.size === 0) specs.add(model.variant);
  if (specs.size > 1 || plan.some(g => g.kind !== 'attention' || g.sinks))
    return {variant: 'model', variantParams: {}, variantLabel: label};
  const own = cachedVariant([...specs][0]);
  return {variant: own.def.id, variantParams: own.params, variantLabel: label};
}

/** The resolved inputs as echoed in the JSON envelope. */
export function echoCapacity(c: ResolvedScenario): Record<string, unknown> {
  return {
    model: {...echoModel(c.model), label: c.modelLabel},
    ...echoWorkload(c.workload),
    variants: c.variants.map(v => (v ? echoVariant(v) : {id: 'model', label: modelVariantLabel(c.model)})),
    hardware: c.hardware.map(echoHardware),
    ignoreContext: c.ignoreContext,
  };
}

/** A split model's layout in the inputs (its rows are per GPU: docs/parallelism.md); nothing otherwise. */
export function echoPlacement(c: ResolvedScenario): Record<string, unknown> {
  return c.parallel.split ? {gpus: c.parallel.gpus, parallelism: c.parallel.p} : {};
}

/** `gpus` on each row of a split model (whose memory and time are per GPU), nothing otherwise. */
export function gpusField(c: ResolvedScenario): {gpus?: number} {
  return c.parallel.split ? {gpus: c.parallel.gpus} : {};
}

/** Whether a row's set-up fits its device: the memory it needs against the usable memory. */
export interface FitFields {
  fits: boolean;
  /** Peak memory the set-up needs, without the device's reserve (bytes). */
  memoryBytes: number;
  /** Device capacity less the runtime reserve and the memory kept free (bytes). */
  usableBytes: number;
}

export function fitAt(
  r: ResolvedScenario,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
): FitFields {
  const memoryBytes = r.profile.demandBytes(r.model, w, variant, hw);
  const usableBytes = r.profile.usableBytes(hw);
  return {fits: memoryBytes <= usableBytes, memoryBytes, usableBytes};
}

/** One warning for the rows that do not fit, naming the first (docs/warnings.md 'does-not-fit'). */
export function fitWarnings(
  rows: readonly {
    fits?: boolean;
    memoryBytes?: number;
    usableBytes?: number;
    variantLabel?: string;
    hardware?: string | null;
    seq?: number;
  }[],
  bytes: (n: number) => string,
): Warning[] {
  const out = rows.filter(r => r.fits === false);
  if (out.length === 0) return [];
  const r = out[0];
  const example = `${r.variantLabel ?? ''} at n = ${formatInt(r.seq ?? 0)}${r.hardware ? ` on ${r.hardware}` : ''} needs ${bytes(r.memoryBytes ?? 0)} of ${bytes(r.usableBytes ?? 0)} usable`;
  return [
    warning(
      'does-not-fit',
      `${out.length} of ${rows.length} result${rows.length === 1 ? '' : 's'} do${out.length === 1 ? 'es' : ''} not fit in device memory (marked "does not fit"): any speed shown for ${out.length === 1 ? 'it' : 'them'} cannot be had as set up; e.g. ${example.trim()}. To make it fit: split the model across GPUs (--tp, docs/parallelism.md), quantise its weights (--weights int4) or its KV cache (--kv-dtype fp8, docs/serving.md), or a shorter n or smaller batch`,
    ),
  ];
}

/** Warns for lengths beyond the model's trained context (docs/warnings.md 'beyond-context'). */
export function contextWarnings(r: ResolvedScenario, seqs: readonly number[]): Warning[] {
  const limit = r.model.contextLength;
  if (limit === undefined) return [];
  const beyond = seqs.filter(n => n > limit);
  if (beyond.length === 0) return [];
  return [
    warning(
      'beyond-context',
      `n = ${formatInt(Math.max(...beyond.slice(0, 1000)))} is beyond ${r.modelLabel}'s context length of ${formatInt(limit)} tokens (contextLength): the model was not trained for it, so its cost is computable but its answers are not to be trusted there`,
    ),
  ];
}

/** What bounds a component or a step: the roofline's terms, and on a split model its collectives and pipeline bubble. */
export type LatencyBound = Bound | 'communication' | 'pipeline bubble';

export interface ComponentLatency {
  name: string;
  kernel: string;
  seconds: number;
  idealSeconds: number;
  bound: LatencyBound;
  /** FLOPs per HBM byte. */
  intensity: number;
}

export interface PointLatency {
  /** Expected: calibrated efficiencies and launch overheads. */
  seconds: number;
  /** The floor: peaks, η = 1, no launch overhead. */
  idealSeconds: number;
  tokensPerSec: number;
  /** The bound that accounts for most of the expected time. */
  bound: LatencyBound;
  components: ComponentLatency[];
  /** A split model (docs/parallelism.md): the step's terms, as serve's breakdown gives them. */
  step?: StepBreakdown;
}

export interface Point {
  evaluation: Evaluation;
  memory: MemoryBreakdown;
  latency: PointLatency;
}

/** Whether the mode keeps a KV cache alive: causal models build it during prefill. */
export function keepsCache(model: ModelPreset, w: Workload): boolean {
  return model.causal && w.causal;
}

export function memoryAt(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
): MemoryBreakdown {
  return memoryOf(
    evaluate(model, w, variant, {scoped: false}),
    w,
    hw,
    keepsCache(model, w),
    attentionShape(model),
  );
}

/** Tokens produced or consumed per second: decode makes one token per sequence per step. */
export function tokensPerSecond(w: Workload, seconds: number): number {
  if (!(seconds > 0)) return 0;
  return (w.mode === 'decode' ? w.batch : w.batch * w.seq) / seconds;
}

/** Expected seconds of a whole evaluation (no per-component rows): the fast path for solvers. */
export function secondsOf(e: Evaluation, w: Workload, hw: ResolvedHardware): number {
  let seconds = 0;
  for (const c of e.components) seconds += componentSeconds(c, hw.rates, w.accounting.flopsPerMac).seconds;
  return seconds;
}

/** A latency row being merged: the work behind it (for its intensity) and its largest contribution. */
export type MergedRow = ComponentLatency & {flops: number; bytes: number; boundSeconds: number};

/**
 * Adds one component's time to the row of its name (components of the same name merged): the
 * seconds add up, and the merged row's bound is that of its largest contribution.
 */
export function mergeRow(
  rows: Map<string, MergedRow>,
  c: {name: string; kernel: string},
  t: {seconds: number; bound: LatencyBound},
  work: {flops: number; bytes: number},
): MergedRow {
  let row = rows.get(c.name);
  if (!row) {
    row = {
      name: c.name,
      kernel: c.kernel,
      seconds: 0,
      idealSeconds: 0,
      bound: t.bound,
      intensity: 0,
      flops: 0,
      bytes: 0,
      boundSeconds: 0,
    };
    rows.set(c.name, row);
  }
  row.seconds += t.seconds;
  row.flops += work.flops;
  row.bytes += work.bytes;
  if (t.seconds > row.boundSeconds) {
    row.bound = t.bound;
    row.boundSeconds = t.seconds;
  }
  return row;
}

/** The merged rows as latency components, their times scaled by `scale`. */
export function mergedComponents(rows: Map<string, MergedRow>, scale = 1): ComponentLatency[] {
  return [...rows.values()].map(r => ({
    name: r.name,
    kernel: r.kernel,
    seconds: r.seconds * scale,
    idealSeconds: r.idealSeconds * scale,
    bound: r.bound,
    intensity: r.bytes > 0 ? r.flops / r.bytes : 0,
  }));
}

/** What bounds a whole run: the bound with the most seconds over its parts. */
export function largestBound(components: readonly {bound: LatencyBound; seconds: number}[]): LatencyBound {
  const byBound = new Map<LatencyBound, number>();
  for (const c of components) byBound.set(c.bound, (byBound.get(c.bound) ?? 0) + c.seconds);
  let bound: LatencyBound = 'compute';
  let top = -1;
  for (const [b, s] of byBound) {
    if (s > top) {
      bound = b;
      top = s;
    }
  }
  return bound;
}

/** Roofline latency of an evaluation, per component (components of the same name merged). */
export function latencyOf(e: Evaluation, w: Workload, hw: ResolvedHardware): PointLatency {
  const rows = new Map<string, MergedRow>();
  const parts: {bound: LatencyBound; seconds: number}[] = [];
  let seconds = 0;
  let idealSeconds = 0;
  for (const c of e.components as ScopedComponent[]) {
    const t = componentSeconds(c, hw.rates, w.accounting.flopsPerMac);
    const ideal = componentSeconds(c, hw.ideal, w.accounting.flopsPerMac);
    seconds += t.seconds;
    idealSeconds += ideal.seconds;
    parts.push(t);
    const row = mergeRow(rows, c, t, {flops: c.matmulFlops + c.vectorFlops, bytes: c.hbmBytes});
    row.idealSeconds += ideal.seconds;
  }
  return {
    seconds,
    idealSeconds,
    tokensPerSec: tokensPerSecond(w, seconds),
    bound: largestBound(parts),
    components: mergedComponents(rows),
  };
}

/**
 * One point: `at` sets the sequence length (and optionally the batch) on the workload base.
 */
export function pointAt(
  model: ModelPreset,
  base: Omit<Workload, 'seq'>,
  at: {seq: number; batch?: number},
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
): Point {
  return pointOf(model, atSeq(base, at.seq, at.batch ?? base.batch), variant, hw);
}

/** One point of a workload: the evaluation, its peak memory and its roofline latency. */
export function pointOf(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
): Point {
  const evaluation = evaluate(model, w, variant);
  return {
    evaluation,
    memory: memoryOf(evaluation, w, hw, keepsCache(model, w), attentionShape(model)),
    latency: latencyOf(evaluation, w, hw),
  };
}

/** Name of the largest memory term at a point, for "binding" columns (e.g. 'transient: scores'). */
export function dominantTerm(p: {evaluation: Evaluation; memory: MemoryBreakdown}): string {
  const m = p.memory;
  const terms: [string, number][] = [
    ['Q, K, V, O', m.tensorsBytes],
    ['weights', m.weightsBytes],
    ['gradients', m.gradientBytes],
    ['optimizer states', m.optimizerBytes],
    ['activations', m.activationBytes],
    ['KV cache', m.kvCacheBytes],
    ['transient', m.transientBytes],
  ];
  let best = terms[0];
  for (const t of terms) if (t[1] > best[1]) best = t;
  if (best[0] !== 'transient') return best[0];
  let name = '';
  let bytes = -1;
  for (const c of p.evaluation.components) {
    if (c.transientBytes > bytes) {
      bytes = c.transientBytes;
      name = c.name;
    }
  }
  return name ? `transient (${name})` : 'transient';
}
