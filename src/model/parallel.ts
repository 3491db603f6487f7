/**
 * A model split across GPUs (docs/parallelism.md): what one GPU holds and does under tensor (TP),
 * pipeline (PP) and context (CP) parallelism, and the collectives that join them, with the α–β
 * model of a message (Hockney 1994): t = α + bytes / β per step. Ring algorithms as in Thakur,
 * Rabenseifner & Gropp 2005, "Optimization of Collective Communication Operations in MPICH"
 * (IJHPCA 19(1)) and NCCL's documentation ("Performance: algorithm bandwidth and bus bandwidth"):
 * a ring all-reduce of S bytes over N ranks is 2(N−1) steps of S/N bytes, moving 2(N−1)/N·S per rank.
 * Pure: no I/O.
 */

import type {ModelPreset} from '../schema/presets.js';
import type {DeviceRates} from '../schema/profile.js';
import {hasAttentionLayers} from './architectures/index.js';
import type {Evaluation, ScopedComponent} from './engine.js';
import {kindsUsed} from './plan.js';
import {type ComponentTime, componentSeconds} from './roofline.js';
import type {Workload} from './workload.js';

export interface Parallelism {
  /** Tensor parallel: heads and FFN columns split across tp ranks (Shoeybi et al. 2019, Megatron-LM §3). */
  tp: number;
  /** Pipeline parallel: consecutive layers on pp stages (Huang et al. 2019, GPipe). */
  pp: number;
  /** Context parallel: the sequence split across cp ranks, K/V passed around a ring (Liu et al. 2023, Ring Attention). */
  cp: number;
  /** Expert parallel: routed experts split across ep ranks (Lepikhin et al. 2020, GShard). */
  ep: number;
  /** Data-parallel replicas: gpus / (tp·pp·cp). */
  dp: number;
  /** Micro-batches in flight through the pipeline (default pp). */
  microBatches: number;
}

/** One kind of link: bandwidth per GPU per direction and the fixed latency of one message. */
export interface Link {
  kind: string;
  bytesPerSec: number;
  latencySeconds: number;
}

/**
 * The links a group of GPUs talks over: the fast GPU-to-GPU link within its domain (NVLink
 * through a switch, or a 2-GPU bridge), the host's PCIe within a node, the network between nodes.
 */
export interface Topology {
  fast: Link;
  /** GPUs the fast link joins. */
  fastGpus: number;
  host: Link;
  gpusPerNode: number;
  network: Link;
  nodes: number;
}

/**
 * α per message, a documented assumption (docs/parallelism.md): NCCL's small-message all-reduce on
 * 8 NVLink GPUs takes on the order of 10–20 µs, i.e. about 1 µs for each of its 14 ring steps;
 * PCIe peer copies go through the root complex (2 µs); InfiniBand/RoCE adds the NIC (5 µs).
 */
export const LINK_LATENCY_SECONDS = {nvlink: 1e-6, pcie: 2e-6, network: 5e-6} as const;

/**
 * The slowest link a group of `ranks` GPUs, `stride` apart, crosses (ranks are placed TP innermost,
 * then CP, then PP, as Megatron-LM orders them): its span decides.
 */
export function groupLink(topology: Topology, ranks: number, stride = 1): Link {
  const span = ranks * stride;
  if (span <= topology.fastGpus) return topology.fast;
  if (span <= topology.gpusPerNode) return topology.host;
  return topology.network;
}

/** Ring all-reduce: 2(N−1) steps, each α + (S/N)/β. */
export function allReduceSeconds(bytes: number, ranks: number, link: Link): number {
  if (ranks <= 1) return 0;
  return 2 * (ranks - 1) * (link.latencySeconds + bytes / ranks / link.bytesPerSec);
}

/** All-to-all (expert dispatch or combine): each rank sends (N−1)/N of its S bytes, N−1 messages. */
export function allToAllSeconds(bytes: number, ranks: number, link: Link): number {
  if (ranks <= 1) return 0;
  return (ranks - 1) * (link.latencySeconds + bytes / ranks / link.bytesPerSec);
}

/** One point-to-point send (a pipeline stage boundary). */
export function sendSeconds(bytes: number, link: Link): number {
  return link.latencySeconds + bytes / link.bytesPerSec;
}

/** Fraction of a model's KV heads one TP rank keeps: ⌈h_kv / tp⌉ / h_kv (replicated when h_kv < tp). */
export function kvHeadShare(kvHeads: number, tp: number): number {
  return Math.ceil(kvHeads / tp) / kvHeads;
}

/** Fraction of the layers the largest pipeline stage holds: ⌈L / pp⌉ / L. */
export function stageShare(layers: number, pp: number): number {
  return Math.ceil(layers / pp) / layers;
}

export interface GpuMemory {
  weightsBytes: number;
  /** KV cache of the given evaluation on one GPU. */
  kvCacheBytes: number;
  transientBytes: number;
}

/**
 * What one GPU holds (the largest pipeline stage): layer weights / tp · stage share; the weights
 * outside the layers (vocabulary-parallel embedding and LM head) / tp, all on that stage
 * (conservative: the first and last stages each hold one end); KV heads ⌈h_kv/tp⌉ of the stage's
 * layers, 1/cp of the tokens; the largest transient working set / tp (its columns split).
 * Routed experts of a MoE model: / ep with expert parallelism (whole experts per rank), else / tp.
 */
export function gpuMemory(
  total: {
    layerWeightsBytes: number;
    /** Of the layer weights, the routed experts (mixture of experts): split over ep ranks, not tp. */
    routedWeightsBytes: number;
    outsideWeightsBytes: number;
    kvCacheBytes: number;
    transientBytes: number;
  },
  shape: {layers: number; kvHeads: number},
  p: Parallelism,
): GpuMemory {
  const stage = stageShare(shape.layers, p.pp);
  // With EP each rank holds whole experts, 1/ep of them (GShard); without it TP splits each expert.
  const routed = (total.routedWeightsBytes * stage) / (p.ep > 1 ? p.ep : p.tp);
  const dense = total.layerWeightsBytes - total.routedWeightsBytes;
  return {
    weightsBytes: (dense * stage + total.outsideWeightsBytes) / p.tp + routed,
    kvCacheBytes: (total.kvCacheBytes * kvHeadShare(shape.kvHeads, p.tp) * stage) / p.cp,
    transientBytes: total.transientBytes / p.tp,
  };
}

/**
 * What tensor parallelism splits a model's mixers into, each rank holding whole ones: the query
 * and KV heads of its attention layers; without attention layers, the SSM heads of Mamba-2 layers
 * (vLLM's MambaMixer2 asks num_heads % tp = 0), the inner channels E·d of Mamba-1 layers
 * (MambaMixer splits intermediate_size), else the model width. `attention` is undefined for a
 * model without attention layers; `mixer` names its mixer's units.
 */
export function tpUnits(model: ModelPreset): {
  attention?: {heads: number; kvHeads: number};
  mixer?: {count: number; what: string};
} {
  const kinds = model.architecture === 'mamba' ? new Set(['mamba']) : kindsUsed(model);
  const attention =
    hasAttentionLayers(model) && model.heads !== undefined
      ? {heads: model.heads, kvHeads: model.mla ? 1 : (model.kvHeads ?? model.heads)}
      : undefined;
  const m2 = model.mamba2;
  if (kinds.has('mamba2') && m2)
    return {
      attention,
      mixer: {count: m2.heads ?? (m2.expand * model.dModel) / m2.headDim, what: 'SSM heads'},
    };
  if (attention) return {attention};
  if (kinds.has('mamba'))
    return {mixer: {count: (model.ssm?.expand ?? 2) * model.dModel, what: 'inner channels'}};
  return {mixer: {count: model.dModel, what: 'channels'}};
}

/**
 * KV heads of a model's cache as TP splits it: a latent (MLA) cache is one per token, shared by
 * the heads; a model without attention layers splits its recurrent state with its mixer's units.
 */
export function cacheKvHeads(model: ModelPreset): number {
  const units = tpUnits(model);
  return units.attention?.kvHeads ?? units.mixer?.count ?? 1;
}

/**
 * What one GPU holds of an evaluated model (gpuMemory): its weights in their storage formats
 * (docs/serving.md), the routed experts of a mixture of experts — the unused (E − k) of each MoE
 * layer's E, scaled back to all E — apart, and the given cache and working set of one replica.
 */
export function modelGpuMemory(
  model: ModelPreset,
  e: Pick<Evaluation, 'params' | 'activeParams' | 'cost'>,
  w: Pick<Workload, 'weightBytes' | 'embeddingBytes'>,
  replica: {kvCacheBytes: number; transientBytes: number},
  p: Parallelism,
): GpuMemory {
  const outside = e.cost.extraParams;
  const moe = model.moe;
  const routedParams =
    moe && moe.experts > moe.active
      ? ((e.params - e.activeParams) * moe.experts) / (moe.experts - moe.active)
      : 0;
  return gpuMemory(
    {
      layerWeightsBytes: (e.params - outside) * w.weightBytes,
      routedWeightsBytes: routedParams * w.weightBytes,
      outsideWeightsBytes: outside * (w.embeddingBytes ?? w.weightBytes),
      kvCacheBytes: replica.kvCacheBytes,
      transientBytes: replica.transientBytes,
    },
    {layers: model.layers, kvHeads: cacheKvHeads(model)},
    p,
  );
}

/**
 * Share of a component one GPU runs, for the whole pipeline (every stage counted: a token passes
 * them all). TP splits heads and FFN columns (1/tp); norms and the embedding lookup are replicated;
 * the attention core's K/V traffic follows the KV heads a rank keeps. CP splits the tokens in
 * prefill (each rank's weight reads are counted once in total: prefill is compute-bound, so the
 * difference does not show); in decode it splits only the attention core (each rank attends over
 * its share of the cache; the new token's projections run on every rank).
 */
export interface ComponentShare {
  flops: number;
  bytes: number;
}

/** The routed-expert component of a MoE layer (src/model/architectures/moe.ts). */
export const ROUTED_EXPERTS = 'experts';

export function componentShare(
  c: Pick<ScopedComponent, 'part' | 'core' | 'name'>,
  kvHeads: number,
  p: Parallelism,
  decode: boolean,
): ComponentShare {
  const cp = decode && !c.core ? 1 : p.cp;
  // EP groups span ep/tp replicas (ep = tp × k, as vLLM forms them from TP × DP ranks): a rank runs
  // its experts' share of the assignments of all of them — 1/tp of its own replica's work — and
  // reads the weights of 1/ep of the experts.
  if (p.ep > 1 && c.name === ROUTED_EXPERTS) return {flops: 1 / (p.tp * cp), bytes: 1 / (p.ep * cp)};
  if (c.part === 'norm' || c.part === 'embedding') return {flops: 1 / cp, bytes: 1 / cp};
  if (c.core) return {flops: 1 / (p.tp * cp), bytes: kvHeadShare(kvHeads, p.tp) / cp};
  return {flops: 1 / (p.tp * cp), bytes: 1 / (p.tp * cp)};
}

/** Roofline time of a component on one GPU under `p`; `launches: false` drops the per-kernel launch term (CUDA graphs). */
export function gpuComponentSeconds(
  c: ScopedComponent,
  kvHeads: number,
  p: Parallelism,
  rates: DeviceRates,
  flopsPerMac: number,
  opts: {launches: boolean; decode: boolean},
): ComponentTime {
  const s = componentShare(c, kvHeads, p, opts.decode);
  return componentSeconds(
    {
      kernel: c.kernel,
      macs: c.macs * s.flops,
      vectorFlops: c.vectorFlops * s.flops,
      readBytes: c.readBytes * s.bytes,
      writeBytes: c.writeBytes * s.bytes,
      launches: opts.launches ? c.launches : 0,
    },
    rates,
    flopsPerMac,
  );
}

/** GPipe's idle fraction of a pipeline of `stages` with `microBatches` in flight: (p−1)/(m+p−1). */
export function bubbleFraction(stages: number, microBatches: number): number {
  return (stages - 1) / (microBatches + stages - 1);
}

/**
 * Ring attention's overlap threshold: the chunk length per CP rank above which computing one K/V
 * block takes longer than receiving the next, so the ring's transfers hide behind compute.
 * Compute of a chunk of c queries against c keys: 4·c²·h·d_h FLOPs (half when causal) at
 * `flopsPerSec`; transfer: c·h_kv·(d_h + d_v)·s_kv bytes at `bytesPerSec`. Equal at
 * c* = h_kv·(d_h+d_v)·s_kv·P / (4·h·d_h·B·causalFactor).
 */
export function ringOverlapTokens(
  shape: {heads: number; kvHeads: number; headDim: number; kvBytes: number; causal: boolean},
  flopsPerSec: number,
  bytesPerSec: number,
): number {
  const causalFactor = shape.causal ? 0.5 : 1;
  return (
    (shape.kvHeads * 2 * shape.headDim * shape.kvBytes * flopsPerSec) /
    (4 * shape.heads * shape.headDim * bytesPerSec * causalFactor)
  );
}
