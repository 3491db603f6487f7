/**
 * The detailed accounting of a model split across GPUs (docs/parallelism.md "memory, max-seq and
 * latency"): the same AccountingProfile interface, answered per GPU, so that memory, latency,
 * max-seq, report, sweep and check need no branch of their own. resolveScenario picks it when the
 * scenario's `parallel` splits the model (inference, detailed accounting, whole-model scope).
 *
 * Memory per GPU is what gpuMemory shares (the largest pipeline stage: weights / tp, routed
 * experts / ep, KV heads ⌈h_kv/tp⌉ of 1/cp of the tokens, the working set / tp) plus the reserve.
 * Time is one forward on one replica as serve's step computes it (src/model/step.ts): each GPU's
 * share of the kernels plus the collectives and the pipeline. A batch spreads over the dp
 * data-parallel replicas: each replica holds and runs ⌈batch / dp⌉ sequences.
 */
import type {ResolvedHardware} from '../hardware.js';
import {evaluate} from '../model/engine.js';
import {attentionShape, type MemoryBreakdown, memoryOf, spareBytes} from '../model/memory.js';
import {componentShare, modelGpuMemory} from '../model/parallel.js';
import {microBatchesOf, type StepBreakdown, stepSetup, stepTime} from '../model/step.js';
import type {ResolvedVariant} from '../model/types.js';
import {atSeq, type Workload} from '../model/workload.js';
import type {Placement} from '../scenario/parallel.js';
import type {ModelPreset} from '../schema/presets.js';
import type {DeviceRates} from '../schema/profile.js';
import {
  dominantTerm,
  keepsCache,
  type LatencyBound,
  largestBound,
  type MergedRow,
  mergedComponents,
  mergeRow,
  type PointLatency,
  tokensPerSecond,
} from './capacity.js';
import type {AccountingProfile} from './profiles.js';

/** The communication and pipeline terms of a step as latency breakdown rows. */
const STEP_ROWS: {key: keyof StepBreakdown; name: string; kernel: string; bound: LatencyBound}[] = [
  {
    key: 'tensorParallelSeconds',
    name: 'tensor-parallel all-reduce',
    kernel: 'all-reduce',
    bound: 'communication',
  },
  {
    key: 'expertParallelSeconds',
    name: 'expert-parallel all-to-all',
    kernel: 'all-to-all',
    bound: 'communication',
  },
  {key: 'contextParallelSeconds', name: 'context-parallel ring', kernel: 'ring', bound: 'communication'},
  {key: 'pipelineSendSeconds', name: 'pipeline sends', kernel: 'send', bound: 'communication'},
  {key: 'pipelineBubbleSeconds', name: 'pipeline bubble', kernel: 'idle', bound: 'pipeline bubble'},
];

/** The workload one replica runs: ⌈batch / dp⌉ sequences. */
function replicaWorkload(w: Workload, placement: Placement): Workload {
  const dp = placement.p.dp;
  return dp === 1 ? w : atSeq(w, w.seq, Math.ceil(w.batch / dp));
}

/** Memory of one GPU: the replica's weights, cache and working set as gpuMemory shares them. */
export function placedMemory(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  placement: Placement,
): MemoryBreakdown {
  const wr = replicaWorkload(w, placement);
  const e = evaluate(model, wr, variant, {scoped: false});
  const replica = memoryOf(e, wr, hw, keepsCache(model, wr), attentionShape(model));
  const g = modelGpuMemory(model, e, wr, replica, placement.p);
  const totalBytes =
    g.weightsBytes +
    replica.gradientBytes +
    replica.optimizerBytes +
    replica.activationBytes +
    g.kvCacheBytes +
    g.transientBytes +
    replica.reserveBytes;
  return {
    ...replica,
    weightsBytes: g.weightsBytes,
    kvCacheBytes: g.kvCacheBytes,
    transientBytes: g.transientBytes,
    totalBytes,
    fraction: totalBytes / replica.capacityBytes,
    fits: totalBytes <= replica.capacityBytes,
  };
}

function setupOf(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  placement: Placement,
  rates: DeviceRates,
) {
  // Latency times every kernel launch, as on one GPU (no CUDA graphs: that is serve's --engine).
  return stepSetup({
    model,
    variant,
    rates,
    p: placement.p,
    topo: placement.topology(hw),
    engine: 'eager',
    prefillBase: w,
    decodeBase: w,
  });
}

function phaseOf(w: Workload): 'prefill' | 'decode' {
  return w.mode === 'decode' ? 'decode' : 'prefill';
}

/** Expected seconds of one forward on one replica (the solvers' fast path). */
export function placedSeconds(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  placement: Placement,
): number {
  const s = setupOf(model, w, variant, hw, placement, hw.rates);
  return stepTime(s, phaseOf(w), w.seq, replicaWorkload(w, placement).batch).seconds;
}

/**
 * Latency of one forward on one replica, expected and ideal, with one row per component (one
 * GPU's share, merged by name as on one GPU) and one per communication or pipeline term.
 */
export function placedLatency(
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  placement: Placement,
): PointLatency & {step: StepBreakdown} {
  const p = placement.p;
  const batch = replicaWorkload(w, placement).batch;
  const phase = phaseOf(w);
  const decode = phase === 'decode';
  const kvHeads = setupOf(model, w, variant, hw, placement, hw.rates).kvHeads;
  const rows = new Map<string, MergedRow>();
  const step = stepTime(setupOf(model, w, variant, hw, placement, hw.rates), phase, w.seq, batch, (c, t) => {
    const share = componentShare(c, kvHeads, p, decode);
    mergeRow(rows, c, t, {
      flops: (c.matmulFlops + c.vectorFlops) * share.flops,
      bytes: c.hbmBytes * share.bytes,
    });
  });
  const ideal = stepTime(setupOf(model, w, variant, hw, placement, hw.ideal), phase, w.seq, batch, (c, t) => {
    const row = rows.get(c.name);
    if (row) row.idealSeconds += t.seconds;
  });
  // Kernel rows are one micro-batch's; the step runs m of them over pp stages.
  const components = mergedComponents(rows, microBatchesOf(p, batch) / p.pp);
  for (const t of STEP_ROWS) {
    const seconds = step[t.key] as number;
    if (seconds > 0) {
      components.push({
        name: t.name,
        kernel: t.kernel,
        seconds,
        idealSeconds: ideal[t.key] as number,
        bound: t.bound,
        intensity: 0,
      });
    }
  }
  const bound = largestBound(components);
  return {
    seconds: step.seconds,
    idealSeconds: ideal.seconds,
    tokensPerSec: tokensPerSecond(w, step.seconds),
    bound,
    components,
    step,
  };
}

/** `base` (the detailed accounting) answered per GPU of `placement`. */
export function placedProfile(base: AccountingProfile, placement: Placement): AccountingProfile {
  const memory = (
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    hw: ResolvedHardware,
  ) => placedMemory(model, w, variant, hw, placement);
  const point = (
    model: ModelPreset,
    w: Workload,
    variant: ResolvedVariant | undefined,
    hw: ResolvedHardware,
  ) => {
    const m = memory(model, w, variant, hw);
    const evaluation = evaluate(model, replicaWorkload(w, placement), variant);
    return {
      memory: m,
      latency: placedLatency(model, w, variant, hw, placement),
      dominantTerm: dominantTerm({evaluation, memory: m}),
      flops: evaluate(model, w, variant).totals.flops,
    };
  };
  return {
    id: base.id,
    cost: base.cost,
    point,
    solverMargin: (model, w, variant, hw) => spareBytes(memory(model, w, variant, hw)),
    solverMemory(model, w, variant, hw) {
      const m = memory(model, w, variant, hw);
      return {memory: m, dominantTerm: dominantTerm({evaluation: evaluate(model, w, variant), memory: m})};
    },
    seconds: (model, w, variant, hw) => placedSeconds(model, w, variant, hw, placement),
    demandBytes(model, w, variant, hw) {
      const m = memory(model, w, variant, hw);
      return m.totalBytes - m.reserveBytes;
    },
    usableBytes: base.usableBytes,
    crossoverFlops: base.crossoverFlops,
  };
}
