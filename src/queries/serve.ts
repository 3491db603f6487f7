/**
 * `attncap serve`: a model served on one or more GPUs (docs/serving.md, docs/parallelism.md).
 * For requests of `--input` prompt tokens and `--output` generated tokens: the KV blocks left
 * after weights, the peak working set and the reserve; the most sequences that fit at once; time
 * to first token and per output token at a concurrency; aggregate output tokens/s; and the
 * concurrency that maximises throughput under `--max-tpot` / `--max-ttft`. Every row says
 * whether it fits and what limits it.
 */
import {InvalidInputError} from '../errors.js';
import type {ResolvedHardware} from '../hardware.js';
import {evaluate} from '../model/engine.js';
import {reserveBytes} from '../model/memory.js';
import {
  allReduceSeconds,
  allToAllSeconds,
  gpuComponentSeconds,
  gpuMemory,
  groupLink,
  kvHeadShare,
  LINK_LATENCY_SECONDS,
  type Link,
  type Parallelism,
  ringOverlapTokens,
  sendSeconds,
  stageShare,
  type Topology,
} from '../model/parallel.js';
import {maxInt} from '../model/solvers.js';
import type {ResolvedVariant} from '../model/types.js';
import {resolveVariant} from '../model/variants/index.js';
import {atSeq, type Workload} from '../model/workload.js';
import type {ResolvedScenario} from '../scenario/resolve.js';
import {type Warning, warning} from '../scenario/warnings.js';
import type {ModelPreset} from '../schema/presets.js';
import {parseBandwidth, parseDuration, parseInteger, parseSeq} from '../units.js';
import {echoCapacity} from './capacity.js';
import {layerLabel} from './cost.js';

/** What `serve` takes beyond the scenario, as the flags give it (strings parsed here). */
export interface ServeOptions {
  input?: string;
  output?: string;
  concurrency?: string;
  'max-tpot'?: string;
  'max-ttft'?: string;
  gpus?: string;
  tp?: string;
  pp?: string;
  cp?: string;
  ep?: string;
  'micro-batches'?: string;
  nodes?: string;
  interconnect?: string;
  network?: string;
  engine?: string;
}

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

/** What stops the answer from being larger (or the deployment from fitting at all). */
export type ServeLimit = 'weights' | 'kv-cache' | 'tpot budget' | 'ttft budget' | 'concurrency';
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

export interface ServeRow {
  variant: string;
  hardware: string;
  gpus: number;
  parallelism: Parallelism;
  input: number;
  output: number;
  /** At least one request fits (weights, working set, reserve and its KV cache). */
  fits: boolean;
  limitedBy: ServeLimit;
  /** Per GPU. */
  memory: {
    capacityBytes: number;
    /** capacity − reserve: what the engine may use (--memory-utilization). */
    budgetBytes: number;
    reserveBytes: number;
    weightsBytes: number;
    transientBytes: number;
    /** budget − weights − transient: room for the KV cache. */
    kvRoomBytes: number;
  };
  kv: {
    dtype: string;
    blockTokens: number;
    /** One block of one sequence, on one GPU. */
    blockBytes: number;
    blocks: number;
    tokens: number;
    /** ⌈(input + output) / block⌉. */
    blocksPerSequence: number;
    sequenceBytes: number;
  };
  /** Most sequences of input + output tokens whose caches fit at once (per replica × dp). */
  maxConcurrency: number;
  /** The concurrency the times below are for. */
  concurrency: number;
  ttftSeconds: number | null;
  tpotSeconds: number | null;
  /** c·output / (TTFT + output·TPOT), times dp replicas. */
  outputTokensPerSec: number | null;
  prefill: StepBreakdown | null;
  decode: StepBreakdown | null;
  /** Context parallel: chunk tokens per rank above which ring transfers hide behind compute. */
  ringOverlapTokens: number | null;
}

export interface ServeQuery {
  ctx: ResolvedScenario;
  inputs: Record<string, unknown>;
  rows: ServeRow[];
  warnings: Warning[];
}

function intFlag(flags: ServeOptions, key: keyof ServeOptions): number | undefined {
  const v = flags[key];
  return v === undefined ? undefined : parseInteger(v as string, key);
}

/** Parallel degrees, checked against the model: `--tp 3` with 64 heads exits 2 naming the rule. */
export function resolveParallelism(
  flags: ServeOptions,
  model: ModelPreset,
  warnings: Warning[],
): {p: Parallelism; gpus: number} {
  const pp = intFlag(flags, 'pp') ?? 1;
  const cp = intFlag(flags, 'cp') ?? 1;
  const ep = intFlag(flags, 'ep') ?? 1;
  const given = intFlag(flags, 'gpus');
  let tp = intFlag(flags, 'tp');
  if (tp === undefined) tp = given !== undefined && given % (pp * cp) === 0 ? given / (pp * cp) : 1;
  const gpus = given ?? tp * pp * cp;
  if (gpus % (tp * pp * cp) !== 0) {
    throw new InvalidInputError(
      `--gpus ${gpus} is not a multiple of --tp ${tp} × --pp ${pp} × --cp ${cp} = ${tp * pp * cp}: every replica needs all of its ranks`,
      {
        path: ['gpus'],
        hint: `Use --gpus ${tp * pp * cp} (one replica) or a multiple of it (data-parallel replicas).`,
      },
    );
  }
  const heads = model.heads ?? 1;
  const kvHeads = model.kvHeads ?? heads;
  if (heads % tp !== 0) {
    throw new InvalidInputError(
      `--tp ${tp} does not divide the ${heads} query heads of ${model.id}: each tensor-parallel rank holds whole heads`,
      {path: ['tp'], hint: `Valid: ${divisors(heads).join(', ')}.`},
    );
  }
  if (model.mla) {
    // No KV-head rule: the latent cache is not split by heads.
  } else if (tp > kvHeads) {
    if (tp % kvHeads !== 0) {
      throw new InvalidInputError(
        `--tp ${tp} is neither a divisor nor a multiple of the ${kvHeads} KV heads of ${model.id}: KV heads are split or replicated whole`,
        {
          path: ['tp'],
          hint: `Valid: ${divisors(heads)
            .filter(t => t % kvHeads === 0 || kvHeads % t === 0)
            .join(', ')}.`,
        },
      );
    }
    warnings.push(
      warning(
        'kv-heads-replicated',
        `${model.id} has ${kvHeads} KV heads, fewer than --tp ${tp}: each KV head is replicated on ${tp / kvHeads} ranks, so the KV cache per GPU shrinks only to 1/${kvHeads}`,
      ),
    );
  } else if (kvHeads % tp !== 0) {
    throw new InvalidInputError(
      `--tp ${tp} does not divide the ${kvHeads} KV heads of ${model.id}: each tensor-parallel rank holds whole KV heads`,
      {
        path: ['tp'],
        hint: `Valid: ${divisors(kvHeads).join(', ')} (or multiples of ${kvHeads} that divide ${heads}).`,
      },
    );
  }
  if (pp > model.layers) {
    throw new InvalidInputError(
      `--pp ${pp} exceeds the ${model.layers} layers of ${model.id}: a stage holds at least one layer`,
      {
        path: ['pp'],
        hint: `Use --pp ${model.layers} or fewer.`,
      },
    );
  }
  if (ep > 1 && !model.moe) {
    throw new InvalidInputError(
      `--ep ${ep} needs a mixture-of-experts model; ${model.id} has no routed experts`,
      {path: ['ep'], hint: 'Drop --ep, or pick a mixture-of-experts model.'},
    );
  }
  if (model.moe && model.moe.experts % ep !== 0) {
    throw new InvalidInputError(
      `--ep ${ep} does not divide the ${model.moe.experts} routed experts of ${model.id}: each expert-parallel rank holds whole experts`,
      {path: ['ep'], hint: `Valid: ${divisors(model.moe.experts).join(', ')}.`},
    );
  }
  if (ep > 1 && ep % tp !== 0) {
    throw new InvalidInputError(
      `--ep ${ep} is not a multiple of --tp ${tp}: expert-parallel groups are whole tensor-parallel groups (ep = tp × data-parallel ranks)`,
      {path: ['ep'], hint: `Use --ep ${tp}, ${2 * tp}, … up to --gpus.`},
    );
  }
  if (ep > gpus) {
    throw new InvalidInputError(`--ep ${ep} exceeds --gpus ${gpus}: each expert-parallel rank is a GPU`, {
      path: ['ep'],
      hint: `Use --ep ${gpus} or fewer, or more GPUs.`,
    });
  }
  if (model.mla && tp > 1) {
    warnings.push(
      warning(
        'kv-heads-replicated',
        `${model.id} caches one shared latent per token (multi-head latent attention): every tensor-parallel rank keeps the whole cache`,
      ),
    );
  }
  const microBatches = intFlag(flags, 'micro-batches') ?? pp;
  return {p: {tp, pp, cp, ep, dp: gpus / (tp * pp * cp), microBatches}, gpus};
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= n; k++) if (n % k === 0) out.push(k);
  return out;
}

/**
 * The links a replica talks over: `--interconnect nvlink|pcie|BANDWIDTH` inside a node (default:
 * the preset's NVLink where it has one), `--network BANDWIDTH` between nodes (default: the
 * preset's reference network), `--nodes` (default ⌈gpus / 8⌉).
 */
export function resolveTopology(flags: ServeOptions, hw: ResolvedHardware, gpus: number): Topology {
  const nodes = intFlag(flags, 'nodes') ?? Math.ceil(gpus / 8);
  if (gpus % nodes !== 0) {
    throw new InvalidInputError(
      `--nodes ${nodes} does not divide --gpus ${gpus}: every node holds the same number of GPUs`,
      {
        path: ['nodes'],
        hint: `Use a divisor of ${gpus}.`,
      },
    );
  }
  const links = hw.links;
  if (gpus === 1 && !links && flags.interconnect === undefined) {
    // One GPU talks to no one: no link is ever costed.
    const none: Link = {kind: 'none', bytesPerSec: 1, latencySeconds: 0};
    return {fast: none, fastGpus: 1, host: none, gpusPerNode: 1, network: none, nodes: 1};
  }
  const choice = flags.interconnect ?? (links?.nvlinkBytesPerSec ? 'nvlink' : 'pcie');
  const needLinks = (what: string) =>
    new InvalidInputError(`${hw.id} states no ${what} bandwidth`, {
      path: ['interconnect'],
      hint: 'Give it with --interconnect BANDWIDTH (e.g. 450GB/s per GPU per direction), or add `links` to the hardware file.',
    });
  let fast: Link;
  let fastGpus = gpus / nodes;
  if (choice === 'nvlink') {
    if (!links?.nvlinkBytesPerSec) throw needLinks('NVLink');
    fast = {
      kind: 'nvlink',
      bytesPerSec: links.nvlinkBytesPerSec,
      latencySeconds: LINK_LATENCY_SECONDS.nvlink,
    };
    fastGpus = links.nvlinkGpus ?? fastGpus;
  } else if (choice === 'pcie') {
    if (!links) throw needLinks('PCIe');
    fast = {kind: 'pcie', bytesPerSec: links.pcieBytesPerSec, latencySeconds: LINK_LATENCY_SECONDS.pcie};
  } else {
    if (!/^[\d.]/.test(choice)) {
      throw new InvalidInputError(
        `--interconnect '${choice}' is not a link: use nvlink, pcie or a bandwidth`,
        {
          path: ['interconnect'],
          hint: 'e.g. --interconnect pcie, or --interconnect 450GB/s (per GPU, per direction).',
        },
      );
    }
    fast = {
      kind: 'custom',
      bytesPerSec: parseBandwidth(choice, 'interconnect'),
      latencySeconds: LINK_LATENCY_SECONDS.nvlink,
    };
  }
  const host: Link = links
    ? {kind: 'pcie', bytesPerSec: links.pcieBytesPerSec, latencySeconds: LINK_LATENCY_SECONDS.pcie}
    : fast;
  let network: Link = {
    kind: 'network',
    bytesPerSec: links?.networkBytesPerSec ?? 0,
    latencySeconds: LINK_LATENCY_SECONDS.network,
  };
  if (flags.network !== undefined)
    network = {...network, bytesPerSec: parseBandwidth(flags.network, 'network')};
  if (nodes > 1 && !(network.bytesPerSec > 0)) {
    throw new InvalidInputError(`${hw.id} states no network between nodes, and --nodes ${nodes} needs one`, {
      path: ['network'],
      hint: 'Give it with --network BANDWIDTH per GPU (e.g. 50GB/s for 400 Gb/s NICs).',
    });
  }
  const gpusPerNode = gpus / nodes;
  return {fast, fastGpus: Math.min(fastGpus, gpusPerNode), host, gpusPerNode, network, nodes};
}

interface Setup {
  model: ModelPreset;
  variant: ResolvedVariant | undefined;
  hw: ResolvedHardware;
  p: Parallelism;
  topo: Topology;
  engine: EngineProfile;
  prefillBase: Omit<Workload, 'seq'>;
  decodeBase: Omit<Workload, 'seq'>;
  kvHeads: number;
  heads: number;
  headDim: number;
  /** Mixture of experts: layers with routed experts, and experts each token picks. */
  moeLayers: number;
  activeExperts: number;
  kvDtype: string;
}

/**
 * One step on one replica: `batch` sequences of `seq` tokens (prefill) or one new token each over a
 * context of `seq` (decode). Kernels per GPU (componentShare), plus collectives and the pipeline.
 */
export function stepTime(s: Setup, phase: 'prefill' | 'decode', seq: number, batch: number): StepBreakdown {
  const {p, model} = s;
  const m = Math.max(1, Math.min(p.microBatches, batch));
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
    const t = gpuComponentSeconds(c, s.kvHeads, p, s.hw.rates, w.accounting.flopsPerMac, {
      launches: graphs === undefined,
      decode: phase === 'decode',
    });
    if (t.bound === 'memory') bandwidthSeconds += t.seconds - t.launchSeconds;
    else computeSeconds += t.seconds - t.launchSeconds;
    engineOverheadSeconds += t.launchSeconds;
    launches += c.launches;
    if (c.core) attentionComputeSeconds += t.computeSeconds;
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

/** KV cache of one sequence of `seq` tokens on one GPU (paged: whole blocks). */
function kvGpuBytes(s: Setup, seq: number): number {
  const e = evaluate(s.model, atSeq(s.decodeBase, seq, 1), s.variant, {scoped: false});
  return (e.cacheBytes * kvHeadShare(s.kvHeads, s.p.tp) * stageShare(s.model.layers, s.p.pp)) / s.p.cp;
}

export function serveOne(
  s: Setup,
  lengths: {input: number; output: number},
  opts: {concurrency?: number; maxTpotSeconds?: number; maxTtftSeconds?: number},
): ServeRow {
  const {model, hw, p} = s;
  const {input, output} = lengths;
  const one = evaluate(model, atSeq(s.prefillBase, input, 1), s.variant, {scoped: false});
  const outside = one.cost.extraParams;
  const w = s.prefillBase;
  const moe = model.moe;
  // Routed experts: the unused (E − k) of each MoE layer's E, scaled back to all E.
  const routedParams =
    moe && moe.experts > moe.active
      ? ((one.params - one.activeParams) * moe.experts) / (moe.experts - moe.active)
      : 0;
  const mem = gpuMemory(
    {
      layerWeightsBytes: (one.params - outside) * w.weightBytes,
      routedWeightsBytes: routedParams * w.weightBytes,
      outsideWeightsBytes: outside * (w.embeddingBytes ?? w.weightBytes),
      kvCacheBytes: 0,
      transientBytes: one.peakTransientBytes,
    },
    {layers: model.layers, kvHeads: s.kvHeads},
    p,
  );
  const reserve = reserveBytes(hw);
  const budgetBytes = hw.capacityBytes - reserve;
  const kvRoomBytes = budgetBytes - mem.weightsBytes - mem.transientBytes;
  const block = w.kvBlock ?? 1;
  const blockBytes = kvGpuBytes(s, block);
  const sequenceBytes = kvGpuBytes(s, input + output);
  const blocks = kvRoomBytes > 0 && blockBytes > 0 ? Math.floor(kvRoomBytes / blockBytes) : 0;
  const perReplica = kvRoomBytes > 0 ? Math.floor(kvRoomBytes / sequenceBytes) : 0;
  const maxConcurrency = perReplica * p.dp;
  const context = input + Math.floor(output / 2); // the mean context over the generation
  const ttft = (c: number) => stepTime(s, 'prefill', input, c);
  const tpot = (c: number) => stepTime(s, 'decode', context, c);
  const budgetsMet = (c: number) =>
    (opts.maxTpotSeconds === undefined || tpot(c).seconds <= opts.maxTpotSeconds) &&
    (opts.maxTtftSeconds === undefined || ttft(c).seconds <= opts.maxTtftSeconds);

  let limitedBy: ServeLimit;
  let concurrency: number; // per replica
  if (opts.concurrency !== undefined) {
    // Timed at the concurrency asked for, even where it does not fit (a what-if): fits says so.
    concurrency = Math.ceil(opts.concurrency / p.dp);
    limitedBy = kvRoomBytes <= 0 ? 'weights' : concurrency > perReplica ? 'kv-cache' : 'concurrency';
  } else if (perReplica < 1) {
    limitedBy = kvRoomBytes <= 0 ? 'weights' : 'kv-cache';
    concurrency = 0;
  } else {
    const best = maxInt(c => c <= perReplica && budgetsMet(c));
    concurrency = best.kind === 'value' ? best.value : best.kind === 'none' ? 0 : perReplica;
    if (concurrency >= perReplica) limitedBy = 'kv-cache';
    else if (opts.maxTpotSeconds !== undefined && tpot(concurrency + 1).seconds > opts.maxTpotSeconds)
      limitedBy = 'tpot budget';
    else limitedBy = 'ttft budget';
  }
  const fits = perReplica >= 1 && concurrency <= perReplica;
  const timed = concurrency >= 1;
  const prefill = timed ? ttft(concurrency) : null;
  const decode = timed ? tpot(concurrency) : null;
  const requestSeconds = prefill && decode ? prefill.seconds + output * decode.seconds : 0;
  return {
    variant: layerLabel(model, s.variant),
    hardware: hw.id,
    gpus: p.tp * p.pp * p.cp * p.dp,
    parallelism: p,
    input,
    output,
    fits,
    limitedBy,
    memory: {
      capacityBytes: hw.capacityBytes,
      budgetBytes,
      reserveBytes: reserve,
      weightsBytes: mem.weightsBytes,
      transientBytes: mem.transientBytes,
      kvRoomBytes,
    },
    kv: {
      dtype: s.kvDtype,
      blockTokens: block,
      blockBytes,
      blocks,
      tokens: blocks * block,
      blocksPerSequence: Math.ceil((input + output) / block),
      sequenceBytes,
    },
    maxConcurrency,
    concurrency: concurrency * p.dp,
    ttftSeconds: prefill?.seconds ?? null,
    tpotSeconds: decode?.seconds ?? null,
    outputTokensPerSec: requestSeconds > 0 ? (concurrency * p.dp * output) / requestSeconds : null,
    prefill,
    decode,
    ringOverlapTokens:
      p.cp > 1
        ? ringOverlapTokens(
            {heads: s.heads, kvHeads: s.kvHeads, headDim: s.headDim, kvBytes: w.kvBytes, causal: w.causal},
            hw.peaks.matrixFlopsPerSec,
            groupLink(s.topo, p.cp, p.tp).bytesPerSec,
          )
        : null,
  };
}

export function runServe(ctx: ResolvedScenario, flags: ServeOptions): ServeQuery {
  const {model} = ctx;
  if (!model.causal) {
    throw new InvalidInputError(
      `${model.id} is an encoder: serve answers for decoders that generate tokens`,
      {
        path: ['model'],
        hint: 'Use attncap latency or memory for encoders.',
      },
    );
  }
  const warnings: Warning[] = [];
  const input = parseSeq(flags.input ?? '1k', 'input');
  const output = parseSeq(flags.output ?? '256', 'output');
  const {p, gpus} = resolveParallelism(flags, model, warnings);
  if (p.cp > 1 && input % p.cp !== 0) {
    throw new InvalidInputError(`--input ${input} does not split evenly over --cp ${p.cp} ranks`, {
      path: ['cp'],
      hint: `Use an input length that is a multiple of ${p.cp}.`,
    });
  }
  const engine = (flags.engine ?? 'graphs') as EngineProfile;
  const concurrency = intFlag(flags, 'concurrency');
  const maxTpotSeconds =
    flags['max-tpot'] !== undefined ? parseDuration(flags['max-tpot'], 'max-tpot') : undefined;
  const maxTtftSeconds =
    flags['max-ttft'] !== undefined ? parseDuration(flags['max-ttft'], 'max-ttft') : undefined;
  // Engines run fused (flash/paged) attention kernels: a plain standard model is served with flash.
  const plain = ctx.scenario.variant === undefined && !model.schedule && model.variant === 'standard';
  const variants = plain ? [resolveVariant('flash', 'variant')] : ctx.variants;
  const heads = model.heads ?? 1;
  const base = ctx.workload.base;
  const rows: ServeRow[] = [];
  for (const variant of variants) {
    for (const hw of ctx.hardware) {
      const setup: Setup = {
        model,
        variant,
        hw,
        p,
        topo: resolveTopology(flags, hw, gpus),
        engine,
        prefillBase: {...base, mode: 'prefill', causal: true},
        decodeBase: {...base, mode: 'decode', causal: true},
        heads,
        // A latent (MLA) cache is one per token, shared by the heads: every TP rank keeps it whole.
        kvHeads: model.mla ? 1 : (model.kvHeads ?? heads),
        headDim: model.headDim ?? Math.floor(model.dModel / heads),
        moeLayers: model.moe ? model.layers - model.moe.denseLayers : 0,
        activeExperts: model.moe?.active ?? 0,
        kvDtype: ctx.workload.kvDtype,
      };
      rows.push(serveOne(setup, {input, output}, {concurrency, maxTpotSeconds, maxTtftSeconds}));
    }
  }
  return {
    ctx,
    rows,
    warnings: [...ctx.warnings, ...warnings],
    inputs: {
      ...echoCapacity(ctx),
      variants: variants.map(v => (v ? {id: v.def.id, label: v.label} : {id: 'model'})),
      input,
      output,
      gpus,
      parallelism: p,
      engine,
      concurrency: concurrency ?? null,
      maxTpotSeconds: maxTpotSeconds ?? null,
      maxTtftSeconds: maxTtftSeconds ?? null,
    },
  };
}
