/**
 * Measurement discipline (docs/design.md §7, STYLE 10): every case runs once and is checked against the
 * float64 reference before any timing; then warm-up runs; then repetitions, interleaved across the
 * cases of a group (round-robin with a rotating start) so that a burst of background load lands on
 * all sizes alike instead of biasing one; each case repeats until it has both a minimum number of
 * repetitions and a minimum measured time, or hits the repetition cap. Reported: the median and
 * the interquartile range of each stage and of the whole case. A full garbage collection runs
 * before each repetition, outside the timed region.
 */
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {EnvironmentError} from '../errors.js';
import type {BenchCase, CaseSpec} from './kernels.js';
import {checkCase, FLOAT32_TOLERANCE} from './reference.js';

export interface TimingOptions {
  /** Untimed runs after the checked first run. */
  warmup: number;
  minReps: number;
  maxReps: number;
  /** Keep repeating a case until its repetitions add up to this many seconds (or maxReps). */
  minSeconds: number;
  /** Normwise relative error accepted against the float64 reference. */
  tolerance?: number;
}

export interface StageTiming {
  name: string;
  calls: number;
  transferBytes: number;
  times: number[];
}

export interface CaseTiming {
  spec: CaseSpec;
  stages: StageTiming[];
  /** Wall time of each whole repetition (all stages in order). */
  totals: number[];
  /** Worst normwise error of the reference check. */
  checkError: number;
}

export interface Summary {
  median: number;
  /** Interquartile range. */
  spread: number;
  reps: number;
}

/** Quantile with linear interpolation between order statistics (type 7, as R and NumPy default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function summarize(times: readonly number[]): Summary {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    spread: quantile(sorted, 0.75) - quantile(sorted, 0.25),
    reps: sorted.length,
  };
}

/** A human label of a case, e.g. "standard n=512 m=512 h=16 d=32". */
export function caseLabel(spec: CaseSpec): string {
  const {kernel, ...size} = spec;
  const parts = Object.entries(size).map(([k, v]) => `${k}=${v}`);
  return [kernel, ...parts].join(' ');
}

export type Progress = (event: {label: string; phase: 'check' | 'warmup' | 'rep'; rep: number}) => void;

let collector: (() => void) | null | undefined;

/**
 * A full garbage collection, run before every timed repetition (outside the timed region), so
 * that no repetition pays for the garbage of the one before it — with interleaved cases, a small
 * kernel would otherwise pay for the hundreds of megabytes a large one just dropped. Node exposes
 * `gc` only with --expose-gc; the flag can be set at run time and the function read from a fresh
 * context. Where that fails, repetitions run without it.
 */
export function collectGarbage(): void {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  collector?.();
}

async function runOnce(benchCase: BenchCase): Promise<{stageTimes: number[]; total: number}> {
  const stageTimes: number[] = [];
  const start = performance.now();
  let last = start;
  for (const stage of benchCase.stages) {
    await stage.run();
    const now = performance.now();
    stageTimes.push((now - last) / 1000);
    last = now;
  }
  return {stageTimes, total: (last - start) / 1000};
}

/**
 * Runs, checks and times a group of cases that are alive together. Throws EnvironmentError when
 * a kernel's output disagrees with the reference: timings of wrong results mean nothing.
 */
export async function timeCases(
  cases: readonly BenchCase[],
  options: TimingOptions,
  progress?: Progress,
): Promise<CaseTiming[]> {
  const tolerance = options.tolerance ?? FLOAT32_TOLERANCE;
  const results: CaseTiming[] = [];
  for (const c of cases) {
    progress?.({label: caseLabel(c.spec), phase: 'check', rep: 0});
    await runOnce(c);
    const check = checkCase(c, tolerance);
    if (!check.ok) {
      throw new EnvironmentError(
        `the ${caseLabel(c.spec)} kernel computed wrong results on this backend: output '${check.output}' differs from the float64 reference by ${check.maxError.toExponential(2)} (normwise), more than the float32 tolerance ${tolerance.toExponential(0)}`,
        {
          hint: 'Try another backend, e.g. attncap calibrate --backend cpu, and report the backend and device.',
        },
      );
    }
    results.push({
      spec: c.spec,
      stages: c.stages.map(s => ({name: s.name, calls: s.calls, transferBytes: s.transferBytes, times: []})),
      totals: [],
      checkError: check.maxError,
    });
  }
  for (let w = 0; w < options.warmup; w++) {
    for (const c of cases) {
      progress?.({label: caseLabel(c.spec), phase: 'warmup', rep: w + 1});
      collectGarbage();
      await runOnce(c);
    }
  }
  const done = cases.map(() => false);
  for (let round = 0; done.some(d => !d); round++) {
    for (let k = 0; k < cases.length; k++) {
      const index = (k + round) % cases.length;
      if (done[index]) continue;
      const result = results[index];
      collectGarbage();
      const {stageTimes, total} = await runOnce(cases[index]);
      stageTimes.forEach((t, s) => {
        result.stages[s].times.push(t);
      });
      result.totals.push(total);
      progress?.({label: caseLabel(cases[index].spec), phase: 'rep', rep: result.totals.length});
      const reps = result.totals.length;
      const spent = result.totals.reduce((a, b) => a + b, 0);
      done[index] = reps >= options.maxReps || (reps >= options.minReps && spent >= options.minSeconds);
    }
  }
  return results;
}
