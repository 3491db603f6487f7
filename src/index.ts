/**
 * attncap as a library: the same questions as the command line, asked with a scenario object
 * (docs/scenarios.md) instead of flags, with typed results and no oclif. Every function answers
 * exactly what the command of the same name prints under --json (`results` and `warnings`).
 *
 *   import {resolve, maxSeq} from 'attncap';
 *   const r = await resolve({model: 'llama-3.1-8b', hardware: 'h100-sxm', variant: 'flash'});
 *   maxSeq(r).rows[0].maxSeq;
 *
 * Errors are InvalidInputError (bad scenario: the message names the field), EnvironmentError
 * (unreadable calibration profile), both with `code`, `path` and `hint`.
 */

import {InvalidInputError} from './errors.js';
import {DEFAULT_HARDWARE} from './hardware.js';
import {type CompareQuery, DEFAULT_VARIANTS, runCompare} from './queries/compare.js';
import {type CostQuery, runCost} from './queries/cost.js';
import {type CrossoverOptions, type CrossoverQuery, runCrossover} from './queries/crossover.js';
import {type LatencyQuery, runLatency} from './queries/latency.js';
import {type MaxSeqOptions, type MaxSeqQuery, runMaxSeq} from './queries/max-seq.js';
import {type MemoryQuery, runMemory} from './queries/memory.js';
import {type ReportQuery, runReport} from './queries/report.js';
import {runServe, type ServeOptions, type ServeQuery} from './queries/serve.js';
import {runSweep, type SweepOptions, type SweepQuery, sweepRows} from './queries/sweep.js';
import {type ResolvedScenario, type ResolveOptions, resolveScenario} from './scenario/resolve.js';
import type {Scenario} from './scenario/schema.js';

export {AttncapError, CheckFailedError, EnvironmentError, InvalidInputError} from './errors.js';
export type {CostRow} from './queries/cost.js';
export type {CrossoverRow} from './queries/crossover.js';
export type {LatencyRow} from './queries/latency.js';
export type {MaxSeqRow} from './queries/max-seq.js';
export type {MemoryRow} from './queries/memory.js';
export type {ReportRow} from './queries/report.js';
export type {ServeRow} from './queries/serve.js';
export type {SweepRow} from './queries/sweep.js';
export type {ResolvedScenario, ScenarioProblem} from './scenario/resolve.js';
export {ScenarioError} from './scenario/resolve.js';
export {type Scenario, scenarioSchema} from './scenario/schema.js';
export type {Warning, WarningCode} from './scenario/warnings.js';
export type {
  CompareQuery,
  CostQuery,
  CrossoverOptions,
  CrossoverQuery,
  LatencyQuery,
  MaxSeqOptions,
  MaxSeqQuery,
  MemoryQuery,
  ReportQuery,
  ServeOptions,
  ServeQuery,
  SweepOptions,
  SweepQuery,
};

/**
 * Resolves a scenario: presets looked up, units parsed, variants and devices resolved. Devices
 * default to the report's four GPUs, as on the command line; `{hardware: false}` in `opts`
 * resolves none (for cost-only questions).
 */
export function resolve(
  scenario: Scenario,
  opts: {defaultVariants?: string[]; hardware?: string[] | false} = {},
): Promise<ResolvedScenario> {
  const options: ResolveOptions = {origin: {kind: 'library'}};
  if (opts.defaultVariants) options.defaultVariants = opts.defaultVariants;
  if (opts.hardware !== undefined) options.defaultHardware = opts.hardware;
  return resolveScenario(scenario, options);
}

/** A scenario as given, or already resolved. */
type Input = Scenario | ResolvedScenario;

function isResolved(x: Input): x is ResolvedScenario {
  return typeof (x as ResolvedScenario).profile === 'object' && 'workload' in x;
}

async function resolved(x: Input, opts: ResolveOptions = {}): Promise<ResolvedScenario> {
  return isResolved(x) ? x : resolveScenario(x, {origin: {kind: 'library'}, ...opts});
}

/** FLOPs, MACs, traffic and parameters (attncap cost); `fits` per device when the scenario names one. */
export async function cost(s: Input, opts: {breakdown?: boolean} = {}): Promise<CostQuery> {
  return runCost(await resolved(s, {defaultHardware: false}), {breakdown: opts.breakdown ?? false});
}

/** Variants side by side with ratios to a baseline (attncap compare). */
export async function compare(
  s: Input,
  opts: {baseline?: string; breakdown?: boolean} = {},
): Promise<CompareQuery> {
  return runCompare(await resolved(s, {defaultVariants: DEFAULT_VARIANTS, defaultHardware: false}), {
    baseline: opts.baseline ?? 'standard',
    breakdown: opts.breakdown ?? false,
  });
}

/** Peak-memory breakdown per variant × length × device (attncap memory). */
export async function memory(s: Input): Promise<MemoryQuery> {
  return runMemory(await resolved(s));
}

/** Roofline latency per variant × length × device, with `fits` (attncap latency). */
export async function latency(s: Input): Promise<LatencyQuery> {
  return runLatency(await resolved(s));
}

/** The longest sequence (or batch) that fits, capped at the model's context (attncap max-seq). */
export async function maxSeq(s: Input, opts: MaxSeqOptions = {}): Promise<MaxSeqQuery> {
  return runMaxSeq(await resolved(s), opts);
}

/** Where two designs cost the same (attncap crossover). */
export async function crossover(s: Input, opts: CrossoverOptions): Promise<CrossoverQuery> {
  const metric = opts.metric ?? 'flops';
  return runCrossover(
    await resolved(s, {reheadOnWiden: true, defaultHardware: metric === 'latency' ? ['h100-sxm'] : false}),
    opts,
  );
}

/** One metric over a range (attncap sweep); `rows` gives one JSON row per point. */
export async function sweep(
  s: Input,
  opts: SweepOptions = {},
): Promise<SweepQuery & {rows: ReturnType<typeof sweepRows>}> {
  const metric = opts.metric ?? 'flops';
  const scenario = isResolved(s) ? s.scenario : s;
  const device =
    metric === 'latency' || (metric === 'memory' && scenario.assumptions === 'textbook') || scenario.hardware;
  const q = runSweep(
    await resolved(s, {defaultVariants: DEFAULT_VARIANTS, defaultHardware: device ? ['h100-sxm'] : false}),
    opts,
  );
  return {...q, rows: sweepRows(q)};
}

/** The capacity overview (attncap report). */
export async function report(s: Input): Promise<ReportQuery> {
  return runReport(await resolved(s, {defaultVariants: DEFAULT_VARIANTS, defaultHardware: DEFAULT_HARDWARE}));
}

/**
 * A served deployment (attncap serve): KV blocks, the most concurrent requests, TTFT, TPOT and
 * tokens/s, on the GPUs of the scenario's `parallel` (`{parallel: {tp: 4}}`); options as the
 * flags spell them (`{input: '8k', output: '1k', 'max-tpot': '50ms'}`). docs/serving.md.
 */
export async function serve(s: Input, opts: ServeOptions & LegacyServeLayout = {}): Promise<ServeQuery> {
  const {gpus, tp, pp, cp, ep, 'micro-batches': microBatches, nodes, interconnect, network, ...rest} = opts;
  const legacy = Object.fromEntries(
    Object.entries({gpus, tp, pp, cp, ep, microBatches, nodes, interconnect, network}).filter(
      ([, v]) => v !== undefined,
    ),
  );
  if (Object.keys(legacy).length === 0) return runServe(await resolved(s, {serving: true}), rest);
  // The layout once went in the options; it is the scenario's `parallel` now (docs/library.md).
  if (isResolved(s) || s.parallel !== undefined) {
    throw new InvalidInputError(
      `serve options ${Object.keys(legacy).join(', ')}: the layout is the scenario's parallel field; give it there`,
      {path: ['parallel'], hint: "e.g. serve({model, hardware, parallel: {tp: 4}}, {input: '8k'})"},
    );
  }
  return runServe(await resolved({...s, parallel: legacy}, {serving: true}), rest);
}

/** @deprecated serve's layout options, from before it was the scenario's `parallel`: folded into it. */
export interface LegacyServeLayout {
  gpus?: string;
  tp?: string;
  pp?: string;
  cp?: string;
  ep?: string;
  'micro-batches'?: string;
  nodes?: string;
  interconnect?: string;
  network?: string;
}
