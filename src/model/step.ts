/**
 * One step of a model split across GPUs (docs/parallelism.md "Time per step"): the kernels one GPU
 * runs (componentShare) plus the collectives and the pipeline of one forward. `serve` times its
 * prefill and decode steps with it; `latency` (and the solvers) time one forward of a split model
 * with it. Pure: no I/O.
 */

import type {ModelPreset} from '../schema/presets.js';
import type {DeviceRates} from '../schema/profile.js';
import {evaluate, type ScopedComponent} from './engine.js';
import {
  allReduceSeconds,
  allToAllSeconds,
  cacheKvHeads,
  gpuComponentSeconds,
  groupLink,
  type Parallelism,
  sendSeconds,
  type Topology,
} from './parallel.js';
import type {ComponentTime} from './roofline.js';
import type {ResolvedVariant} from './types.js';
import {atSeq, type Workload} from './workload.js';

/**
 * Per-step engine overhead profiles (docs/serving.md "Engine overhead"). `eager` launches every
 * kernel from the host: the calibrated per-kernel launch cost of the device profile applies to
 * each kernel. `graphs` replays the decode step as one CUDA graph: a kernel costs
 * `graphKernelSeconds` of launch (NVIDIA Technical Blog, A. Gray 2019, "Getting Started with CUDA
 * Graphs": 3.8 µs per back-to-back stream launch of a 2.9 µs kernel vs 3.4 µs from a graph, so
 * 0.5 µs per kernel) — prefill runs eagerly in both (engines capture decode only).
 */
export const ENGINE_PROFILES = {
  eager: {graphKernelSeconds: undefined},
  graphs: {graphKernelSeconds: 0.5e-6},
} as const;
export type EngineProfile = keyof typeof ENGINE_PROFILES;

/** The term that dominates a step: kernels bound by compute or bandwidth, launches, collectives, pipeline bubble. */
export type StepBound = 'compute' | 'bandwidth' | 'launch' | 'communication' | 'pipeline bubble';

export interface StepBreakdown {
  seconds: number;
  /** Kernels on one GPU: matrix/vector-bound time. */
  computeSeconds: number;
  /** Kernels on one GPU: HBM-bound time. */
  bandwidthSeconds: number;
  /** Kernel launches (eager) or graph replays (CUDA graphs): the engine's per-step overhead. */
  engineOverheadSeconds: number;
  /** Tensor parallel: two all-reduces of the activations per layer. */
  tensorParallelSeconds: number;
  /** Pipeline: stage-to-stage sends. */
  pipelineSendSeconds: number;
  /** Pipeline: the idle share of (m + p − 1) stage slots. */
  pipelineBubbleSeconds: number;
  /** Context parallel: ring K/V passes not hidden behind compute, and the partial-softmax merge. */
  contextParallelSeconds: number;
  /** Expert parallel: all-to-all dispatch and combine. */
  expertParallelSeconds: number;
  bound: StepBound;
}

/** What a step needs to know of the model, its placement and the device. */
export interface StepSetup {
  model: ModelPreset;
  variant: ResolvedVariant | undefined;
  /** The device's rates: calibrated (expected) or its peaks (ideal). */
  rates: DeviceRates;
  p: Parallelism;
  topo: Topology;
  engine: EngineProfile;
  prefillBase: Omit<Workload, 'seq'>;
  decodeBase: Omit<Workload, 'seq'>;
  /** KV heads the cache holds (1 for a latent MLA cache, which every TP rank keeps whole). */
  kvHeads: number;
  heads: number;
  headDim: number;
  /** Mixture of experts: layers with routed experts, and experts each token picks. */
  moeLayers: number;
  activeExperts: number;
}

/** A step set-up: the model's head shape and experts filled in from the model. */
export function stepSetup(
  at: Pick<StepSetup, 'model' | 'variant' | 'rates' | 'p' | 'topo' | 'engine' | 'prefillBase' | 'decodeBase'>,
): StepSetup {
  const {model} = at;
  const heads = model.heads ?? 1;
  return {
    ...at,
    heads,
    kvHeads: cacheKvHeads(model),
    headDim: model.headDim ?? Math.floor(model.dModel / heads),
    moeLayers: model.moe ? model.layers - model.moe.denseLayers : 0,
    activeExperts: model.moe?.active ?? 0,
  };
}

/** Micro-batches in flight for a batch of `batch` sequences: at most one sequence each. */
export function microBatchesOf(p: Parallelism, batch: number): number {
  return Math.max(1, Math.min(p.microBatches, batch));
}

/**
 * One step on one replica: `batch` sequences of `seq` tokens (prefill) or one new token each over a
 * context of `seq` (decode). Kernels per GPU (componentShare), plus collectives and the pipeline.
 * `visit` sees each component's time on one GPU for one micro-batch (before the pipeline's m/pp).
 */
export function stepTime(
  s: StepSetup,
  phase: 'prefill' | 'decode',
  seq: number,
  batch: number,
  visit?: (c: ScopedComponent, t: ComponentTime) => void,
): StepBreakdown {
  const {p, model} = s;
  const m = microBatchesOf(p, batch);
  const micro = Math.ceil(batch / m);
  const w = atSeq(phase === 'prefill' ? s.prefillBase : s.decodeBase, seq, micro);
  const e = evaluate(model, w, s.variant);
  const graphs = phase === 'decode' ? ENGINE_PROFILES[s.engine].graphKernelSeconds : undefined;
  let computeSeconds = 0;
  let bandwidthSeconds = 0;
  let engineOverheadSeconds = 0;
  let launches = 0;
  let attentionComputeSeconds = 0;
  for (const c of e.components) {
    const t = gpuComponentSeconds(c, s.kvHeads, p, s.rates, w.accounting.flopsPerMac, {
      launches: graphs === undefined,
      decode: phase === 'decode',
    });
    if (t.bound === 'memory') bandwidthSeconds += t.seconds - t.launchSeconds;
    else computeSeconds += t.seconds - t.launchSeconds;
    engineOverheadSeconds += t.launchSeconds;
    launches += c.launches;
    if (c.core) attentionComputeSeconds += t.computeSeconds;
    visit?.(c, t);
  }
  if (graphs !== undefined) engineOverheadSeconds = launches * graphs;
  const tokens = micro * (phase === 'decode' ? 1 : seq / p.cp);
  const d = model.dModel;
  const actBytes = tokens * d * w.bytes;
  const L = model.layers;
  // Megatron-LM §3: one all-reduce after attention and one after the FFN, per layer, forward.
  const tensorParallelSeconds = 2 * L * allReduceSeconds(actBytes, p.tp, groupLink(s.topo, p.tp));
  // EP (GShard; DeepSeek-V3 §3.2): dispatch each token to its k experts' ranks and combine them back.
  const expertParallelSeconds =
    p.ep > 1
      ? // Each TP rank dispatches 1/tp of its replica's tokens, k copies each.
        2 *
        s.moeLayers *
        allToAllSeconds((tokens * s.activeExperts * d * w.bytes) / p.tp, p.ep, groupLink(s.topo, p.ep))
      : 0;
  let contextParallelSeconds = 0;
  if (p.cp > 1) {
    const link = groupLink(s.topo, p.cp, p.tp);
    if (phase === 'prefill') {
      // Ring attention: cp − 1 passes of a K/V chunk per layer; each hides behind one block's compute.
      const chunk = micro * (seq / p.cp) * Math.ceil(s.kvHeads / p.tp) * 2 * s.headDim * w.kvBytes;
      const perBlockCompute = attentionComputeSeconds / L / p.cp;
      const exposed = Math.max(0, sendSeconds(chunk, link) - perBlockCompute);
      contextParallelSeconds = L * (p.cp - 1) * exposed;
    } else {
      // Decode: each rank attends over its share of the cache; partial outputs merge in one all-reduce.
      const partial = micro * (s.heads / p.tp) * s.headDim * w.bytes;
      contextParallelSeconds = L * allReduceSeconds(partial, p.cp, link);
    }
  }
  // One micro-batch through every stage: each GPU runs 1/pp of the layers, the micro-batch visits all.
  const perMicro =
    computeSeconds +
    bandwidthSeconds +
    engineOverheadSeconds +
    tensorParallelSeconds +
    contextParallelSeconds +
    expertParallelSeconds;
  const sends = (p.pp - 1) * sendSeconds(actBytes, groupLink(s.topo, p.pp, p.tp * p.cp));
  // Prefill fills and drains the pipeline: (m + p − 1) stage slots (GPipe, Huang et al. 2019 §2.2).
  // Decode runs continuously: with m ≥ p micro-batches every stage is busy and a sequence steps
  // once per pass; with m < p the stages wait for the micro-batches in flight.
  const busy = (perMicro * m) / p.pp;
  const seconds =
    phase === 'prefill' ? (perMicro * (m + p.pp - 1)) / p.pp + sends : Math.max(perMicro + sends, busy);
  const scale = m / p.pp;
  const br: StepBreakdown = {
    seconds,
    computeSeconds: computeSeconds * scale,
    bandwidthSeconds: bandwidthSeconds * scale,
    engineOverheadSeconds: engineOverheadSeconds * scale,
    tensorParallelSeconds: tensorParallelSeconds * scale,
    pipelineSendSeconds: sends,
    pipelineBubbleSeconds: Math.max(0, seconds - busy - sends),
    contextParallelSeconds: contextParallelSeconds * scale,
    expertParallelSeconds: expertParallelSeconds * scale,
    bound: 'compute',
  };
  br.bound = stepBound(br);
  return br;
}

function stepBound(b: StepBreakdown): StepBound {
  const terms: [StepBound, number][] = [
    ['compute', b.computeSeconds],
    ['bandwidth', b.bandwidthSeconds],
    ['launch', b.engineOverheadSeconds],
    [
      'communication',
      b.tensorParallelSeconds + b.pipelineSendSeconds + b.contextParallelSeconds + b.expertParallelSeconds,
    ],
    ['pipeline bubble', b.pipelineBubbleSeconds],
  ];
  let best = terms[0];
  for (const t of terms) if (t[1] > best[1]) best = t;
  return best[0];
}
