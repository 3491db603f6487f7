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
import {hasAttentionLayers} from '../model/architectures/index.js';
import {evaluate} from '../model/engine.js';
import {reserveBytes} from '../model/memory.js';
import type {Parallelism} from '../model/parallel.js';
import {groupLink, kvHeadShare, modelGpuMemory, ringOverlapTokens, stageShare} from '../model/parallel.js';
import {applyVariantOverrides, planCostGroups} from '../model/plan.js';
import {maxInt} from '../model/solvers.js';
import {type EngineProfile, type StepBreakdown, type StepSetup, stepSetup, stepTime} from '../model/step.js';
import type {ResolvedVariant} from '../model/types.js';
import {resolveVariant} from '../model/variants/index.js';
import {atSeq} from '../model/workload.js';
import type {ResolvedScenario} from '../scenario/resolve.js';
import type {Warning} from '../scenario/warnings.js';
import {parseDuration, parseInteger, parseSeq} from '../units.js';
import {echoCapacity, type VariantFields, variantFields} from './capacity.js';

export {
  ENGINE_PROFILES,
  type EngineProfile,
  type StepBound,
  type StepBreakdown,
  stepTime,
} from '../model/step.js';

/**
 * What `serve` takes beyond the scenario, as the flags give it (strings parsed here). Parallelism
 * is the scenario's `parallel` (docs/scenarios.md), like every other input of the deployment.
 */
export interface ServeOptions {
  input?: string;
  output?: string;
  concurrency?: string;
  'max-tpot'?: string;
  'max-ttft'?: string;
  engine?: string;
}

/** What stops the answer from being larger (or the deployment from fitting at all). */
export type ServeLimit = 'weights' | 'kv-cache' | 'tpot budget' | 'ttft budget' | 'concurrency';

export interface ServeRow extends VariantFields {
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
    /** capacity − reserve, at least 0: what the engine may use (--memory-utilization). */
    budgetBytes: number;
    reserveBytes: number;
    weightsBytes: number;
    transientBytes: number;
    /** budget − weights − transient: room for the KV cache; negative by what they are short. */
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

/** A step set-up on one device, with what serve shows beside it. */
interface Setup extends StepSetup {
  hw: ResolvedHardware;
  kvDtype: string;
}

/** The fused kernel an engine runs for `v`: flash for standard, the windowed kernel for a window. */
function fusedSpec(v: ResolvedVariant): string | undefined {
  if (v.def.id === 'standard') return 'flash';
  if (v.def.id === 'window' && !v.params.fused) return `window:w=${v.params.w},fused=true`;
  return undefined;
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
  const w = s.prefillBase;
  const mem = modelGpuMemory(model, one, w, {kvCacheBytes: 0, transientBytes: one.peakTransientBytes}, p);
  const reserve = reserveBytes(hw);
  // A reserve above the capacity leaves nothing (not a negative budget); the KV room is negative by
  // what the weights and working set are short (fits: false, limited by weights).
  const budgetBytes = Math.max(0, hw.capacityBytes - reserve);
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
    ...variantFields(model, s.variant),
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
  const input = parseSeq(flags.input ?? '1k', 'input');
  const output = parseSeq(flags.output ?? '256', 'output');
  const {p, gpus} = ctx.parallel;
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
  // Engines run fused (flash/paged) attention kernels: standard attention is served with flash,
  // sliding windows with FlashAttention's windowed kernel. A layer plan keeps its groups' own
  // attention otherwise — Gemma 3's local layers keep their windowed caches — and a model without
  // attention layers its own layers.
  let served = model;
  let variants = ctx.variants;
  if (ctx.scenario.variant === undefined && hasAttentionLayers(model)) {
    if (model.schedule || model.pattern) {
      const fused = planCostGroups(model).flatMap(g => {
        const spec = g.kind === 'attention' && g.variant ? fusedSpec(g.variant) : undefined;
        return spec === undefined ? [] : [{selector: g.name, spec}];
      });
      if (fused.length > 0) served = applyVariantOverrides(model, fused).model;
      variants = [undefined];
    } else {
      const spec = fusedSpec(resolveVariant(model.variant, 'variant'));
      if (spec !== undefined) variants = [resolveVariant(spec, 'variant')];
    }
  }
  const base = ctx.workload.base;
  const rows: ServeRow[] = [];
  for (const variant of variants) {
    for (const hw of ctx.hardware) {
      const setup: Setup = {
        ...stepSetup({
          model: served,
          variant,
          rates: hw.rates,
          p,
          topo: ctx.parallel.topology(hw),
          engine,
          prefillBase: {...base, mode: 'prefill', causal: true},
          decodeBase: {...base, mode: 'decode', causal: true},
        }),
        hw,
        kvDtype: ctx.workload.kvDtype,
      };
      rows.push(serveOne(setup, {input, output}, {concurrency, maxTpotSeconds, maxTtftSeconds}));
    }
  }
  return {
    ctx,
    rows,
    warnings: ctx.warnings,
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
