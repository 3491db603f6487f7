/**
 * `attncap check FILE`: CI capacity checks (docs/design.md §8). A capacity file lists named checks, each a
 * configuration and expectations; every configuration is evaluated with the same point model as
 * `memory`/`latency` (pointAt) and the same solver as `max-seq` (solveOne), so a check never
 * disagrees with the commands a user runs to investigate it.
 *
 * Validation happens in two passes, both collecting every problem before failing: the zod schema
 * (unknown keys, wrong types), then the values that need the library (preset ids, variant specs,
 * lengths and durations with units). Each problem is one `file: path: message` line; exit 2.
 */
import {dirname} from 'node:path';
import {type AttncapError, CheckFailedError, EnvironmentError, InvalidInputError} from '../errors.js';
import {readDataFile, writeOutputFile} from '../files.js';
import type {ResolvedHardware} from '../hardware.js';
import type {ResolvedWorkload} from '../inputs.js';
import {SOLVER_LIMIT} from '../model/solvers.js';
import type {ResolvedVariant} from '../model/types.js';
import {atSeq} from '../model/workload.js';
import {issuesToProblems, type Problem, parseDataText, problemsError} from '../presets/validate.js';
import {resolvePlacement} from '../scenario/parallel.js';
import {type ResolvedScenario, resolveScenario, ScenarioError, scenarioSeqs} from '../scenario/resolve.js';
import type {Scenario} from '../scenario/schema.js';
import {uniqueWarnings, type Warning} from '../scenario/warnings.js';
import {
  type CapacityFile,
  type CheckEntry,
  capacityFileSchema,
  checkDefaultsSchema,
  checkSchema,
  type ExpectationKind,
  type Expectations,
} from '../schema/capacity.js';
import type {ModelPreset} from '../schema/presets.js';
import {parseBytes, parseDuration, parseFraction, parseSeq} from '../units.js';
import {contextWarnings, type VariantFields, variantFields} from './capacity.js';
import {solveOne} from './max-seq.js';
import {runServe, type ServeOptions, type ServeRow} from './serve.js';

export type ExpectationUnit = 'bytes' | 'fraction' | 'seconds' | 'tokens' | 'tokensPerSec' | 'count';

export interface ExpectationResult {
  kind: ExpectationKind;
  /** Unit of `measured` and `bound` (base SI). For `fits`: bytes (peak memory vs capacity). */
  unit: ExpectationUnit;
  measured: number;
  bound: number;
  /** Signed relative margin, positive when the expectation holds: (bound − measured)/bound for upper bounds, (measured − bound)/bound for lower bounds. */
  margin: number;
  pass: boolean;
  /** For `fits`: the expected answer. */
  expected?: boolean;
}

export interface CheckRow extends VariantFields {
  name: string;
  pass: boolean;
  model: string;
  hardware: string;
  seq: number;
  batch: number;
  dtype: string;
  mode: string;
  expectations: ExpectationResult[];
}

/** Bounds of a check's expectations, in base SI units. */
export interface Bounds {
  fits?: boolean;
  maxMemoryFraction?: number;
  maxMemoryBytes?: number;
  maxLatencySeconds?: number;
  minMaxSeq?: number;
  minTokensPerSec?: number;
  minConcurrency?: number;
  maxTpotSeconds?: number;
  maxTtftSeconds?: number;
}

/** A check whose presets, variant, lengths and bounds all resolved. */
export interface ResolvedCheck {
  index: number;
  name: string;
  /** The check's scenario, resolved (one device, one variant entry). */
  scenario: ResolvedScenario;
  model: ModelPreset;
  workload: ResolvedWorkload;
  variant: ResolvedVariant | undefined;
  hardware: ResolvedHardware;
  seq: number;
  seqSpec: string;
  seqFormula?: string;
  bounds: Bounds;
  /** Checks with a `serve` block: the deployment at the chosen concurrency, and at one request. */
  serve?: {row: ServeRow; single: ServeRow};
}

export interface CheckQuery {
  file: string;
  rows: CheckRow[];
  inputs: Record<string, unknown>;
  warnings: Warning[];
  failure?: CheckFailedError;
}

const FILE_HINT =
  'The capacity file format is in docs/ci.md; its JSON Schema is docs/schema/capacity-file.json.';

/** Reads, validates and resolves a capacity file; throws one InvalidInputError listing every problem. */
export async function loadCapacityFile(file: string): Promise<ResolvedCheck[]> {
  const text = readDataFile(file, {
    noun: 'capacity file',
    path: ['file'],
    hint: 'attncap check takes a JSON or YAML capacity file, e.g. attncap check capacity.yaml (docs/ci.md).',
  });
  const data = parseDataText(text, file, {hint: FILE_HINT});
  const parsed = capacityFileSchema.safeParse(data);
  if (parsed.success) return resolveChecks(parsed.data, file, dirname(file));
  // List the problems the schema finds AND those of every check that passes it (unknown presets,
  // bad units), so one run shows everything to fix.
  const problems = issuesToProblems(parsed.error.issues, data, capacityFileSchema);
  const raw = data as {defaults?: unknown; checks?: unknown};
  const defaults = checkDefaultsSchema.optional().safeParse(raw?.defaults);
  if (defaults.success && Array.isArray(raw.checks)) {
    const valid = raw.checks.flatMap((entry, index) => {
      const check = checkSchema.safeParse(entry);
      return check.success ? [{index, check: check.data}] : [];
    });
    try {
      await resolveChecks(
        {schemaVersion: 1, defaults: defaults.data, checks: valid.map(v => v.check)},
        file,
        dirname(file),
        valid.map(v => v.index),
      );
    } catch (error) {
      if (!(error instanceof ProblemsError)) throw error;
      problems.push(...error.problems);
    }
  }
  // Top to bottom: defaults, then each check in file order (a stable sort keeps each one's order).
  const rank = (p: Problem) => (p.path[0] === 'checks' && typeof p.path[1] === 'number' ? p.path[1] : -1);
  problems.sort((a, b) => rank(a) - rank(b));
  throw problemsError(file, problems, {hint: FILE_HINT});
}

/** The second pass's problems, kept apart so that loadCapacityFile can merge them with the schema's. */
class ProblemsError extends InvalidInputError {
  constructor(
    readonly problems: Problem[],
    fileLabel: string,
  ) {
    super(problemsError(fileLabel, problems).message, {
      path: [...(problems[0]?.path ?? [])],
      hint: FILE_HINT,
    });
  }
}

/** The flag-style subject (`--maxLatency '2x' is …`) of a parser message, dropped: the path names the field. */
function fieldMessage(err: AttncapError): string {
  return err.message.replace(/^--[\w-]+ /, '');
}

/** Second pass: every value that needs the library, every problem collected. */
export async function resolveChecks(
  data: CapacityFile,
  fileLabel: string,
  baseDir: string,
  /** Each check's index in the file (when some were left out for schema problems). */
  indices: number[] = data.checks.map((_, i) => i),
): Promise<ResolvedCheck[]> {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const defaults = data.defaults ?? {};
  const out: ResolvedCheck[] = [];

  for (const [position, check] of data.checks.entries()) {
    const index = indices[position];
    const own = (key: keyof CheckEntry) => Object.hasOwn(check, key);
    const where = (key: string): (string | number)[] =>
      own(key as keyof CheckEntry) || !Object.hasOwn(defaults, key)
        ? ['checks', index, key]
        : ['defaults', key];
    const report = (path: (string | number)[], message: string) => {
      // A bad default is one problem, not one per check that inherits it.
      const text = path[0] === 'defaults' ? message : `check '${check.name}': ${message}`;
      const key = `${path.join('.')}\u0000${text}`;
      if (seen.has(key)) return;
      seen.add(key);
      problems.push({path, message: text});
    };
    function attempt<T>(path: (string | number)[], fn: () => T): T | undefined {
      try {
        return fn();
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        report(path, fieldMessage(error));
        return undefined;
      }
    }

    // A check that names its own model (preset or file) replaces both of the defaults'.
    const modelSource = own('model') || own('modelFile') ? check : defaults;
    const {name: _name, expect: _expect, serve: checkServe, ...checkFields} = check;
    const {expect: _dexpect, serve: defaultServe, ...defaultFields} = defaults;
    const serveBlock = checkServe || defaultServe ? {...defaultServe, ...checkServe} : undefined;
    const merged: Scenario = {
      ...defaultFields,
      ...checkFields,
      model: modelSource.model,
      modelFile: modelSource.modelFile,
    };
    if (merged.model === undefined) delete merged.model;
    if (merged.modelFile === undefined) delete merged.modelFile;
    const expect: Expectations = {...defaults.expect, ...check.expect};

    if (merged.model === undefined && merged.modelFile === undefined) {
      report(
        ['checks', index],
        'no model: set model (a preset id, see attncap presets models) or modelFile, in the check or under defaults',
      );
    }
    if (merged.hardware === undefined && merged.hardwareFile === undefined) {
      report(
        ['checks', index],
        'no hardware: set hardware (a preset id, see attncap presets hardware), in the check or under defaults',
      );
    } else if (Array.isArray(merged.hardware) && merged.hardware.length !== 1) {
      report(where('hardware'), `names ${merged.hardware.length} devices; a check runs on one`);
    }
    if (Array.isArray(merged.variant) && merged.variant.filter(v => !/^[a-z0-9-]+=/.test(v)).length > 1) {
      report(
        where('variant'),
        'names several variants; a check evaluates one (selectors like global=flash may be added)',
      );
    }

    const bounds = resolveBounds(expect, (key, fn) =>
      attempt(
        own('expect') && check.expect && Object.hasOwn(check.expect, key)
          ? ['checks', index, 'expect', key]
          : ['defaults', 'expect', key],
        fn,
      ),
    );
    if (Object.keys(expect).length === 0) {
      report(['checks', index], 'expects nothing: add expect, e.g. expect: {fits: true, maxLatency: 2s}');
    }
    if (merged.model === undefined && merged.modelFile === undefined) continue;
    if (merged.hardware === undefined && merged.hardwareFile === undefined) continue;

    let resolved: ResolvedScenario | undefined;
    try {
      resolved = await resolveScenario(merged, {
        origin: {kind: 'file', label: fileLabel, baseDir},
        serving: serveBlock !== undefined,
      });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const list =
        error instanceof ScenarioError ? error.problems : [{path: error.path, message: error.message, error}];
      for (const p of list) {
        const key = String(p.path[0] ?? '');
        // The path names the field, so the message drops its own `field 'value'` subject.
        report(
          key ? [...where(key), ...p.path.slice(1)] : ['checks', index],
          p.message.replace(/^[A-Za-z][\w.]* (?=')/, ''),
        );
      }
      continue;
    }
    const r = resolved;
    const seqs = attempt(where('seq'), () => scenarioSeqs(r));
    if (seqs && seqs.values.length !== 1) {
      report(
        where('seq'),
        `'${String(merged.seq)}' gives ${seqs.values.length} lengths; a check takes one, e.g. seq: 128k`,
      );
      continue;
    }
    if (!seqs || problems.length > 0) continue;
    let serve: ResolvedCheck['serve'];
    if (serveBlock) {
      try {
        serve = resolveServe(r, serveBlock, bounds);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        // The message names the serve option (--tp 3 …) and the rule: keep it whole.
        report(where('serve'), error.message);
        continue;
      }
    }
    out.push({
      ...(serve ? {serve} : {}),
      index,
      name: check.name,
      scenario: r,
      model: r.model,
      workload: r.workload,
      variant: r.variants[0],
      hardware: r.hardware[0],
      seq: seqs.values[0],
      seqSpec: seqs.spec,
      ...(seqs.formula ? {seqFormula: seqs.formula} : {}),
      bounds,
    });
  }
  if (problems.length > 0) throw new ProblemsError(problems, fileLabel);
  return out;
}

function resolveBounds(
  expect: Expectations,
  attempt: <T>(key: ExpectationKind, fn: () => T) => T | undefined,
): Bounds {
  const positive = (value: number, key: string) => {
    if (!(value > 0)) throw new InvalidInputError(`--${key} ${value} must be greater than 0`);
    return value;
  };
  const b: Bounds = {};
  if (expect.fits !== undefined) b.fits = expect.fits;
  const {maxMemoryFraction: f, maxMemory, maxLatency, minMaxSeq, minTokensPerSec} = expect;
  if (f !== undefined) {
    b.maxMemoryFraction = attempt('maxMemoryFraction', () =>
      positive(
        typeof f === 'number' ? f : parseFraction(f, 'maxMemoryFraction', {allowOne: true}),
        'maxMemoryFraction',
      ),
    );
  }
  if (maxMemory !== undefined)
    b.maxMemoryBytes = attempt('maxMemory', () =>
      typeof maxMemory === 'number' ? maxMemory : parseBytes(maxMemory, 'maxMemory'),
    );
  if (maxLatency !== undefined) {
    b.maxLatencySeconds = attempt('maxLatency', () =>
      typeof maxLatency === 'number' ? maxLatency : parseDuration(maxLatency, 'maxLatency'),
    );
  }
  if (minMaxSeq !== undefined)
    b.minMaxSeq = attempt('minMaxSeq', () =>
      typeof minMaxSeq === 'number' ? minMaxSeq : parseSeq(minMaxSeq, 'minMaxSeq'),
    );
  if (minTokensPerSec !== undefined) b.minTokensPerSec = minTokensPerSec;
  if (expect.minConcurrency !== undefined) b.minConcurrency = expect.minConcurrency;
  const seconds = (key: 'maxTpot' | 'maxTtft') => {
    const v = expect[key];
    if (v === undefined) return undefined;
    return attempt(key, () => (typeof v === 'number' ? v : parseDuration(v, key)));
  };
  b.maxTpotSeconds = seconds('maxTpot');
  b.maxTtftSeconds = seconds('maxTtft');
  if (b.maxTpotSeconds === undefined) delete b.maxTpotSeconds;
  if (b.maxTtftSeconds === undefined) delete b.maxTtftSeconds;
  return b;
}

/**
 * A check's `serve` block run as `attncap serve` runs it: without a concurrency, the most requests
 * that fit and meet maxTpot/maxTtft; and one request alone, whose times a budget that no
 * concurrency meets is measured at.
 */
function resolveServe(
  resolved: ResolvedScenario,
  block: NonNullable<CheckEntry['serve']>,
  bounds: Bounds,
): {row: ServeRow; single: ServeRow} {
  let r = resolved;
  const str = (v: number | string | undefined) => (v === undefined ? undefined : String(v));
  const opts: ServeOptions = {
    input: str(block.input),
    output: str(block.output),
    engine: block.engine,
  };
  // The serve block's own layout (its older spelling of the scenario's `parallel`), named as flags.
  const {gpus, tp, pp, cp, ep, nodes} = block;
  const layout = {gpus, tp, pp, cp, ep, nodes};
  if (Object.values(layout).some(v => v !== undefined)) {
    if (r.scenario.parallel !== undefined) {
      throw new InvalidInputError(
        'gives gpus/tp/pp/cp/ep/nodes and the check gives parallel: keep one (parallel)',
      );
    }
    const spec = Object.fromEntries(Object.entries(layout).filter(([, v]) => v !== undefined));
    r = {...r, parallel: resolvePlacement(spec, r.model, r.hardware, [])};
  }
  const row = runServe(r, {
    ...opts,
    concurrency: str(block.concurrency),
    'max-tpot': bounds.maxTpotSeconds === undefined ? undefined : `${bounds.maxTpotSeconds}s`,
    'max-ttft': bounds.maxTtftSeconds === undefined ? undefined : `${bounds.maxTtftSeconds}s`,
  }).rows[0];
  const single = runServe(r, {...opts, concurrency: '1'}).rows[0];
  return {row, single};
}

/**
 * Serving expectations (docs/serving.md): fits (one request's weights, working set and KV cache
 * in the budget of every GPU), minConcurrency, maxTpot, maxTtft — times at the chosen
 * concurrency, or at one request when none meets the budgets.
 */
export function serveExpectations(
  serve: {row: ServeRow; single: ServeRow},
  bounds: Bounds,
): ExpectationResult[] {
  const {row} = serve;
  const out: ExpectationResult[] = [];
  if (bounds.fits !== undefined) {
    const m = row.memory;
    const peak = m.reserveBytes + m.weightsBytes + m.transientBytes + row.kv.sequenceBytes;
    const margin = under(peak, m.capacityBytes);
    out.push({
      kind: 'fits',
      unit: 'bytes',
      measured: peak,
      bound: m.capacityBytes,
      margin: bounds.fits ? margin : -margin,
      pass: row.maxConcurrency >= 1 === bounds.fits,
      expected: bounds.fits,
    });
  }
  if (bounds.minConcurrency !== undefined)
    out.push(bounded('minConcurrency', 'count', row.concurrency, bounds.minConcurrency));
  const timed = row.concurrency >= 1 ? row : serve.single;
  if (bounds.maxTpotSeconds !== undefined)
    out.push(bounded('maxTpot', 'seconds', timed.tpotSeconds ?? 0, bounds.maxTpotSeconds));
  if (bounds.maxTtftSeconds !== undefined)
    out.push(bounded('maxTtft', 'seconds', timed.ttftSeconds ?? 0, bounds.maxTtftSeconds));
  return out;
}

/** Relative margin of an upper bound (positive: room left) and of a lower bound (positive: above it). */
const under = (measured: number, bound: number) => (bound - measured) / bound;
const over = (measured: number, bound: number) => (measured - bound) / bound;

/** A max* expectation holds at measured ≤ bound; a min* one at measured ≥ bound. */
function bounded(
  kind: ExpectationKind,
  unit: ExpectationUnit,
  measured: number,
  bound: number,
): ExpectationResult {
  const upper = kind.startsWith('max');
  return {
    kind,
    unit,
    measured,
    bound,
    margin: upper ? under(measured, bound) : over(measured, bound),
    pass: upper ? measured <= bound : measured >= bound,
  };
}

/** Evaluates one resolved check: one point (memory, latency) and, for minMaxSeq, the max-seq solver. */
export function evaluateCheck(c: ResolvedCheck): CheckRow {
  const hw = c.hardware;
  const {bounds} = c;
  const expectations: ExpectationResult[] = c.serve ? serveExpectations(c.serve, bounds) : [];
  const needsPoint =
    (bounds.fits !== undefined && !c.serve) ||
    bounds.maxMemoryFraction !== undefined ||
    bounds.maxMemoryBytes !== undefined ||
    bounds.maxLatencySeconds !== undefined ||
    bounds.minTokensPerSec !== undefined;
  if (needsPoint) {
    const p = c.scenario.profile.point(c.model, atSeq(c.workload.base, c.seq), c.variant, hw);
    const m = p.memory;
    // Memory used excludes the policy headroom (--memory-reserve, 10% by default) but keeps the
    // runtime reserve (CUDA context, workspaces), which the process really holds.
    const usedBytes = m.totalBytes - hw.memoryReserveFraction * hw.capacityBytes;
    if (bounds.fits !== undefined && !c.serve) {
      const margin = under(m.totalBytes, m.capacityBytes);
      expectations.push({
        kind: 'fits',
        unit: 'bytes',
        measured: m.totalBytes,
        bound: m.capacityBytes,
        margin: bounds.fits ? margin : -margin,
        pass: m.fits === bounds.fits,
        expected: bounds.fits,
      });
    }
    if (bounds.maxMemoryFraction !== undefined) {
      expectations.push(
        bounded('maxMemoryFraction', 'fraction', usedBytes / m.capacityBytes, bounds.maxMemoryFraction),
      );
    }
    if (bounds.maxMemoryBytes !== undefined) {
      expectations.push(bounded('maxMemory', 'bytes', usedBytes, bounds.maxMemoryBytes));
    }
    if (bounds.maxLatencySeconds !== undefined) {
      expectations.push(bounded('maxLatency', 'seconds', p.latency.seconds, bounds.maxLatencySeconds));
    }
    if (bounds.minTokensPerSec !== undefined) {
      expectations.push(
        bounded('minTokensPerSec', 'tokensPerSec', p.latency.tokensPerSec, bounds.minTokensPerSec),
      );
    }
  }
  if (bounds.minMaxSeq !== undefined) {
    const row = solveOne(c.scenario, c.variant, hw, {solve: 'seq', seq: 0});
    // Unbounded (fits beyond 2^40 tokens) is reported as the solver's limit; nothing fitting as 0.
    const measured = row.binding === 'unbounded' ? SOLVER_LIMIT : row.fits ? (row.maxSeq ?? 0) : 0;
    expectations.push(bounded('minMaxSeq', 'tokens', measured, bounds.minMaxSeq));
  }
  const served = c.serve?.row;
  return {
    name: c.name,
    pass: expectations.every(e => e.pass),
    model: c.model.id,
    hardware: hw.id,
    ...variantFields(c.model, c.variant),
    ...(served
      ? {variant: served.variant, variantParams: served.variantParams, variantLabel: served.variantLabel}
      : {}),
    // A serve check: n is the prompt, the batch the concurrency.
    seq: served ? served.input : c.seq,
    batch: served ? served.concurrency : c.workload.base.batch,
    dtype: c.workload.base.dtype,
    mode: served ? 'serve' : c.workload.base.mode,
    expectations,
  };
}

/** The resolved configuration of a check, as echoed in `inputs.checks`. */
function echoCheck(c: ResolvedCheck): Record<string, unknown> {
  const {accounting: _a, ...workload} = c.workload.base;
  return {
    name: c.name,
    model: c.scenario.modelLabel,
    hardware: c.hardware.id,
    variant: c.variant ? {id: c.variant.def.id, label: c.variant.label, params: c.variant.params} : null,
    ignoreContext: c.scenario.ignoreContext,
    seq: c.seq,
    seqSpec: c.seqSpec,
    ...(c.seqFormula ? {seqFormula: c.seqFormula} : {}),
    ...workload,
    assumptions: c.workload.profile,
    memoryReserveFraction: c.hardware.memoryReserveFraction,
    profileSource: c.hardware.profileSource,
    bounds: c.bounds,
  };
}

/** Runs every check in a capacity file. A failing check is `failure` (exit 1), never a throw. */
export async function runCheck(file: string): Promise<CheckQuery> {
  const checks = await loadCapacityFile(file);
  const rows = checks.map(evaluateCheck);
  const failed = rows.filter(r => !r.pass);
  const failure =
    failed.length === 0
      ? undefined
      : new CheckFailedError(
          `${failed.length} of ${rows.length} checks failed: ${failed
            .map(
              r =>
                `'${r.name}' (${r.expectations
                  .filter(e => !e.pass)
                  .map(e => e.kind)
                  .join(', ')})`,
            )
            .join('; ')}`,
          {
            path: ['checks', checks[rows.indexOf(failed[0])].index],
            hint: 'The table (or --json) shows each measured value next to its bound; attncap memory, latency and max-seq explain them.',
          },
        );
  const warnings = uniqueWarnings(
    checks.flatMap(c => [...c.scenario.warnings, ...contextWarnings(c.scenario, [c.seq])]),
  );
  return {file, rows, warnings, failure, inputs: {file, checks: checks.map(echoCheck)}};
}

/**
 * Writes a report file (src/files.ts rules: regular files replaced atomically, creating the
 * folder; special files and links refused unless `force`, exit 2); exit 3 when the write fails.
 */
export function writeReport(path: string, text: string, flag = 'junit', force = false): void {
  try {
    writeOutputFile(path, text, {flag, force});
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new EnvironmentError(`cannot write --${flag} report '${path}': ${(error as Error).message}`, {
      path: [flag],
      hint: `Point --${flag} at a writable file, e.g. --${flag} reports/capacity.xml.`,
    });
  }
}
