/**
 * `attncap max-seq`: the largest sequence length (or batch, `--solve batch`) that fits in memory
 * and, with `--max-latency`, meets a latency budget (docs/design.md §4.6). Exact to the token: the answer
 * n fits and n + 1 does not. `--min` turns the answer into a capacity check (exit 1).
 */
import {CheckFailedError, InvalidInputError} from '../errors.js';
import type {ResolvedHardware} from '../hardware.js';
import type {MemoryBreakdown} from '../model/memory.js';
import {maxInt, maxIntByMargin, SOLVER_LIMIT} from '../model/solvers.js';
import type {ResolvedVariant} from '../model/types.js';
import {atSeq, type Workload} from '../model/workload.js';
import {type ResolvedScenario, scenarioSeqs} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning, warning} from '../scenario/warnings.js';
import {formatInt, parseDuration, parseInteger, parseSeq} from '../units.js';
import {echoCapacity, echoPlacement, gpusField, type VariantFields, variantFields} from './capacity.js';

type CapacityContext = ResolvedScenario;

export type Solve = 'seq' | 'batch';
export type Binding = 'memory' | 'latency' | 'context' | 'none fits' | 'unbounded';

export interface MaxSeqOptions {
  solve?: Solve;
  /** Expected-latency budget, e.g. '2s'. */
  maxLatency?: string;
  /** The capacity assertion (exit 1 when not met), e.g. '32k'. */
  min?: string;
}

export interface MaxSeqRow extends VariantFields {
  hardware: string;
  /** A split model (docs/parallelism.md): its GPUs; the answer fits every GPU, `memory` is one GPU's. */
  gpus?: number;
  solve: Solve;
  /**
   * The answer when solving for n, capped at the model's context length unless the scenario says
   * ignoreContext; null when nothing fits or the answer is unbounded.
   */
  maxSeq: number | null;
  /** What memory (and the latency budget) alone allow, before the context cap; null as maxSeq. */
  maxSeqMemory: number | null;
  /** The model's trained context length, when it states one. */
  contextLength: number | null;
  /** The answer when solving for the batch (`--solve batch`). */
  maxBatch: number | null;
  /** Sequence length and batch at the answer (the fixed one and the solved one). */
  seq: number | null;
  batch: number | null;
  /** What stops the answer from being larger. */
  binding: Binding;
  /** Whether anything fits at all (n = 1, or batch 1). */
  fits: boolean;
  /** Largest memory term at the answer, e.g. 'transient (scores)'. */
  dominantTerm: string | null;
  memory: MemoryBreakdown | null;
  /** Expected latency at the answer. */
  seconds: number | null;
}

export interface SolveOptions {
  solve: Solve;
  /** The fixed sequence length when solving for the batch. */
  seq: number;
  maxLatencySeconds?: number;
}

function workloadAt(ctx: CapacityContext, solve: Solve, fixedSeq: number, x: number): Workload {
  return solve === 'seq' ? atSeq(ctx.workload.base, x) : atSeq(ctx.workload.base, fixedSeq, x);
}

/** The memory margin of the scenario's accounting profile: bytes to spare at x (≥ 0: fits). */
export function memoryMargin(
  ctx: CapacityContext,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  opts: SolveOptions,
): (x: number) => number {
  return x => ctx.profile.solverMargin(ctx.model, workloadAt(ctx, opts.solve, opts.seq, x), variant, hw);
}

/** The memory predicate of the scenario's accounting profile. */
export function memoryPredicate(
  ctx: CapacityContext,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  opts: SolveOptions,
): (x: number) => boolean {
  const margin = memoryMargin(ctx, variant, hw, opts);
  return x => margin(x) >= 0;
}

export function latencyPredicate(
  ctx: CapacityContext,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  opts: SolveOptions & {maxLatencySeconds: number},
): (x: number) => boolean {
  const budget = opts.maxLatencySeconds;
  return x => ctx.profile.seconds(ctx.model, workloadAt(ctx, opts.solve, opts.seq, x), variant, hw) <= budget;
}

/** Solves one variant on one device. */
export function solveOne(
  ctx: CapacityContext,
  variant: ResolvedVariant | undefined,
  hw: ResolvedHardware,
  opts: SolveOptions,
): MaxSeqRow {
  const contextLength = ctx.model.contextLength ?? null;
  const base = {
    ...variantFields(ctx.model, variant),
    hardware: hw.id,
    ...gpusField(ctx),
    solve: opts.solve,
    maxSeq: null,
    maxSeqMemory: null,
    contextLength,
    maxBatch: null,
    seq: opts.solve === 'batch' ? opts.seq : null,
    batch: opts.solve === 'seq' ? ctx.workload.base.batch : null,
    dominantTerm: null,
    memory: null,
    seconds: null,
  };
  const mem = maxIntByMargin(memoryMargin(ctx, variant, hw, opts));
  const lat =
    opts.maxLatencySeconds !== undefined
      ? maxInt(latencyPredicate(ctx, variant, hw, {...opts, maxLatencySeconds: opts.maxLatencySeconds}))
      : undefined;
  if (mem.kind === 'none' || lat?.kind === 'none') return {...base, binding: 'none fits', fits: false};
  let value: number;
  let binding: Binding;
  const capped = opts.solve === 'seq' && !ctx.ignoreContext && contextLength !== null;
  if (mem.kind === 'unbounded' && (lat === undefined || lat.kind === 'unbounded')) {
    if (!capped) return {...base, binding: 'unbounded', fits: true};
    value = contextLength;
    binding = 'context';
  } else if (
    mem.kind === 'value' &&
    (lat === undefined || lat.kind === 'unbounded' || mem.value <= lat.value)
  ) {
    value = mem.value;
    binding = 'memory';
  } else {
    value = (lat as {value: number}).value;
    binding = 'latency';
  }
  const uncapped = binding === 'context' ? null : value;
  if (capped && value > contextLength) {
    value = contextLength;
    binding = 'context';
  }
  const w = workloadAt(ctx, opts.solve, opts.seq, value);
  const {memory, dominantTerm: term} = ctx.profile.solverMemory(ctx.model, w, variant, hw);
  const seconds = ctx.profile.seconds(ctx.model, w, variant, hw);
  return {
    ...base,
    maxSeq: opts.solve === 'seq' ? value : null,
    maxSeqMemory: opts.solve === 'seq' ? uncapped : null,
    maxBatch: opts.solve === 'batch' ? value : null,
    seq: w.seq,
    batch: w.batch,
    binding,
    fits: true,
    dominantTerm: term,
    memory,
    seconds,
  };
}

export interface MaxSeqQuery {
  ctx: CapacityContext;
  inputs: Record<string, unknown>;
  rows: MaxSeqRow[];
  warnings: Warning[];
  solve: Solve;
  min?: number;
  failure?: CheckFailedError;
}

export function runMaxSeq(ctx: ResolvedScenario, opts: MaxSeqOptions = {}): MaxSeqQuery {
  const solve = opts.solve ?? 'seq';
  let seq = 0;
  if (solve === 'batch') {
    const seqs = scenarioSeqs(ctx).values;
    if (seqs.length !== 1) {
      throw new InvalidInputError(
        `--seq '${ctx.seqText}' gives ${seqs.length} lengths; --solve batch needs one`,
        {
          path: ['seq'],
          hint: 'Give one sequence length, e.g. --seq 8k.',
        },
      );
    }
    seq = seqs[0];
  } else if (ctx.seqText !== undefined) {
    throw new InvalidInputError(`--seq is what max-seq solves for; it is only taken with --solve batch`, {
      path: ['seq'],
      hint: 'Drop --seq, or add --solve batch to find the largest batch at that length.',
    });
  }
  const flags = {'max-latency': opts.maxLatency, min: opts.min};
  const maxLatencySeconds =
    flags['max-latency'] !== undefined ? parseDuration(flags['max-latency'], 'max-latency') : undefined;
  const min =
    flags.min === undefined
      ? undefined
      : solve === 'seq'
        ? parseSeq(flags.min, 'min')
        : parseInteger(flags.min, 'min');
  const rows: MaxSeqRow[] = [];
  for (const variant of ctx.variants) {
    for (const hw of ctx.hardware) rows.push(solveOne(ctx, variant, hw, {solve, seq, maxLatencySeconds}));
  }
  const cappedRows = rows.filter(r => r.binding === 'context' && r.maxSeqMemory !== r.maxSeq);
  let failure: CheckFailedError | undefined;
  if (min !== undefined) {
    const what = solve === 'seq' ? 'sequence length' : 'batch';
    const short = rows.filter(
      r => r.binding !== 'unbounded' && ((solve === 'seq' ? r.maxSeq : r.maxBatch) ?? 0) < min,
    );
    if (short.length > 0) {
      const list = short
        .map(
          r =>
            `${r.variantLabel} on ${r.hardware}: ${r.fits ? formatInt((solve === 'seq' ? r.maxSeq : r.maxBatch) ?? 0) : 'nothing fits'}`,
        )
        .join('; ');
      failure = new CheckFailedError(
        `--min ${formatInt(min)} not met: the largest ${what} is below it for ${list}`,
        {
          path: ['min'],
          hint: 'Use a variant that keeps less in memory (e.g. --variant flash), a larger device, or a smaller model or batch.',
        },
      );
    }
  }
  return {
    ctx,
    rows,
    solve,
    min,
    warnings: uniqueWarnings([
      ...ctx.warnings,
      ...(cappedRows.length > 0
        ? [
            warning(
              'context-capped',
              `memory allows more than ${ctx.modelLabel}'s context length of ${formatInt(ctx.model.contextLength ?? 0)} tokens (e.g. ${cappedRows[0].variantLabel} on ${cappedRows[0].hardware}: ${cappedRows[0].maxSeqMemory === null ? 'unbounded' : formatInt(cappedRows[0].maxSeqMemory)}); the answer is capped at the context (maxSeqMemory has the memory limit; --ignore-context lifts the cap)`,
            ),
          ]
        : []),
    ]),
    failure,
    inputs: {
      ...echoCapacity(ctx),
      ...echoPlacement(ctx),
      solve,
      ...(solve === 'batch' ? {seq} : {}),
      maxLatencySeconds: maxLatencySeconds ?? null,
      min: min ?? null,
      limit: SOLVER_LIMIT,
    },
  };
}
