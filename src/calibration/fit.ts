/**
 * Fitting the device model (docs/design.md §7): a pure function from timing samples to per-kernel-family
 * rates, with goodness of fit and validation on held-out samples. No I/O, no clock.
 *
 * The model of one sample (one component of the cost model, run as `calls` gpu.js calls) is the
 * product's own roofline (src/model/roofline.ts) plus gpu.js's host→device transfer:
 *
 *   t = launches·L_f + max(flopsPerMac·macs / P_f, vectorFlops / V_f, bytes / B_f)
 *       + calls·t_call + transferBytes / T
 *
 * with per-family rates (P_f matrix FLOP/s, V_f vector FLOP/s, B_f bytes/s, L_f seconds per
 * launch). The transfer is measured, not fitted: t_call is the time of an empty kernel call and T
 * the throughput of uploading a large argument to a kernel that reads one element of it (both
 * fitted by `fitTransfer`). It is added, not maxed, because gpu.js uploads arguments before the
 * kernel starts. Results read back after a kernel are part of its own memory traffic: on the
 * WebAssembly backend the host's memory *is* the device's, so readback and bandwidth are one
 * resource (docs/calibration.md discusses the choice).
 *
 * Estimation per family: all sizes of one kernel (e.g. every `standard.scores` sample) share the
 * term that bounds them; every assignment of the family's kernels to terms is tried, each solved
 * by non-negative least squares on relative error (weights 1/t) — with the bounding terms fixed, t
 * is linear in the inverse rates — and scored by the max model itself, so the chosen assignment is
 * one its rates agree with.
 */
import {componentSeconds} from '../model/roofline.js';
import {KERNEL_FAMILIES, type KernelFamily} from '../model/types.js';
import {
  type DeviceRates,
  type ErrorStats,
  type FamilyEfficiency,
  type Peaks,
  type Profile,
  ratesFromProfile,
  type Sample,
  type Transfer,
  type Validation,
} from '../schema/profile.js';

/** Matrix FLOPs per MAC in the calibration (docs/design.md §3, detailed accounting). */
export const FLOPS_PER_MAC = 2;
/** The schema's ceiling on an efficiency relative to the peak. */
export const MAX_EFFICIENCY = 1.5;

export type Term = 'compute' | 'vector' | 'memory';
const TERMS: readonly Term[] = ['compute', 'vector', 'memory'];

/* ------------------------------------------------------------------ NNLS */

/**
 * Non-negative least squares, min ‖Ax − b‖ subject to x ≥ 0 (Lawson & Hanson 1974, "Solving
 * Least Squares Problems", ch. 23). A is given by rows. Columns that are all zero stay 0.
 */
export function nnls(rows: readonly (readonly number[])[], b: readonly number[]): number[] {
  const m = rows.length;
  const n = rows[0]?.length ?? 0;
  // Column scaling: regressors span many decades (bytes vs launches).
  const scale = new Array<number>(n).fill(0);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += rows[i][j] * rows[i][j];
    scale[j] = s > 0 ? Math.sqrt(s) : 0;
  }
  const a = rows.map(r => r.map((v, j) => (scale[j] > 0 ? v / scale[j] : 0)));
  const x = new Array<number>(n).fill(0);
  const passive = new Array<boolean>(n).fill(false);
  const usable = scale.map(s => s > 0);
  const tol = 1e-12 * Math.max(1, m, n);
  const gradient = (): number[] => {
    const r = b.map((bi, i) => bi - a[i].reduce((s, aij, j) => s + aij * x[j], 0));
    return Array.from({length: n}, (_, j) => a.reduce((s, ai, i) => s + ai[j] * r[i], 0));
  };
  for (let outer = 0; outer < 3 * n + 10; outer++) {
    const w = gradient();
    let best = -1;
    for (let j = 0; j < n; j++)
      if (usable[j] && !passive[j] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j;
    if (best < 0) break;
    passive[best] = true;
    for (let inner = 0; inner < 3 * n + 10; inner++) {
      const z = solvePassive(a, b, passive);
      let alpha = 1;
      let blocked = false;
      for (let j = 0; j < n; j++) {
        if (passive[j] && z[j] <= 0) {
          blocked = true;
          const denom = x[j] - z[j];
          if (denom > 0) alpha = Math.min(alpha, x[j] / denom);
        }
      }
      if (!blocked) {
        for (let j = 0; j < n; j++) x[j] = passive[j] ? z[j] : 0;
        break;
      }
      for (let j = 0; j < n; j++) {
        x[j] += alpha * ((passive[j] ? z[j] : 0) - x[j]);
        if (passive[j] && x[j] <= tol) {
          passive[j] = false;
          x[j] = 0;
        }
      }
    }
  }
  return x.map((v, j) => (scale[j] > 0 ? v / scale[j] : 0));
}

/** Least squares restricted to the passive columns (normal equations, Gaussian elimination). */
function solvePassive(a: readonly number[][], b: readonly number[], passive: readonly boolean[]): number[] {
  const cols = passive.flatMap((p, j) => (p ? [j] : []));
  const k = cols.length;
  const g = Array.from({length: k}, () => new Array<number>(k + 1).fill(0));
  for (let i = 0; i < a.length; i++) {
    for (let p = 0; p < k; p++) {
      const ap = a[i][cols[p]];
      if (ap === 0) continue;
      for (let q = 0; q < k; q++) g[p][q] += ap * a[i][cols[q]];
      g[p][k] += ap * b[i];
    }
  }
  // Tikhonov-small ridge keeps near-collinear columns (bytes vs transfer bytes) solvable.
  for (let p = 0; p < k; p++) g[p][p] *= 1 + 1e-10;
  for (let p = 0; p < k; p++) {
    let pivot = p;
    for (let r = p + 1; r < k; r++) if (Math.abs(g[r][p]) > Math.abs(g[pivot][p])) pivot = r;
    [g[p], g[pivot]] = [g[pivot], g[p]];
    const d = g[p][p];
    if (Math.abs(d) < 1e-300) continue;
    for (let r = 0; r < k; r++) {
      if (r === p) continue;
      const f = g[r][p] / d;
      if (f === 0) continue;
      for (let c = p; c <= k; c++) g[r][c] -= f * g[p][c];
    }
  }
  const z = new Array<number>(passive.length).fill(0);
  for (let p = 0; p < k; p++) z[cols[p]] = Math.abs(g[p][p]) < 1e-300 ? 0 : g[p][k] / g[p][p];
  return z;
}

/* ------------------------------------------------------------------ the model */

/** Kernels that measure the transfer (fitTransfer), not a family's rates. */
export const TRANSFER_KERNELS: readonly string[] = ['empty', 'upload'];

export interface FitOptions {
  transfer: Transfer;
  flopsPerMac?: number;
}

export interface FamilyFit {
  /** Fitted inverse rates; 0 means the term never bounded a sample of this family. */
  secondsPerFlop: number;
  secondsPerVectorFlop: number;
  secondsPerByte: number;
  launchSeconds: number;
  /** How many fit samples each term bounds. */
  bound: Record<Term, number>;
  points: number;
}

export interface DeviceFit {
  families: Partial<Record<KernelFamily, FamilyFit>>;
  transfer: Transfer;
  flopsPerMac: number;
}

function termWork(s: Sample, flopsPerMac: number): Record<Term, number> {
  return {compute: s.macs * flopsPerMac, vector: s.vectorFlops, memory: s.bytes};
}

function callsOf(s: Sample): number {
  return s.calls ?? s.launches;
}

function transferOf(s: Sample): number {
  return s.transferBytes ?? s.bytes;
}

function baseKernel(s: Sample): string {
  return s.kernel.split('.')[0];
}

/**
 * The transfer terms from the fit samples of the `empty` kernel (t_call: their median time) and
 * the `upload` kernel (T: least squares of t − t_call = bytes / T, relative error).
 */
export function fitTransfer(samples: readonly Sample[]): Transfer {
  const empty = samples.filter(s => s.role === 'fit' && baseKernel(s) === 'empty').map(s => s.medianSeconds);
  if (empty.length === 0) throw new Error('fitTransfer: no empty-kernel samples');
  const sorted = [...empty].sort((a, b) => a - b);
  const fixedSeconds = sorted[Math.floor((sorted.length - 1) / 2)];
  const uploads = samples.filter(s => s.role === 'fit' && baseKernel(s) === 'upload');
  // min Σ ((t_call + x·N_i)/t_i − 1)² over x = 1/T ≥ 0.
  let num = 0;
  let den = 0;
  for (const s of uploads) {
    const a = transferOf(s) / s.medianSeconds;
    num += a * (1 - fixedSeconds / s.medianSeconds);
    den += a * a;
  }
  const perByte = den > 0 ? Math.max(0, num / den) : 0;
  return {bytesPerSec: perByte > 0 ? 1 / perByte : Number.MAX_VALUE, fixedSeconds};
}

type Assignment = ReadonlyMap<string, Term>;

interface FamilySolution {
  launchSeconds: number;
  inverse: Record<Term, number>;
  error: number;
  assignment: Assignment;
}

/** Most assignments tried exhaustively per family; beyond it, coordinate descent. */
const MAX_COMBINATIONS = 4096;

/** Fits per-family rates to the samples with role 'fit' (transfer samples excluded). */
export function fitDevice(samples: readonly Sample[], options: FitOptions): DeviceFit {
  const flopsPerMac = options.flopsPerMac ?? FLOPS_PER_MAC;
  const {transfer} = options;
  const fit = samples.filter(s => s.role === 'fit' && !TRANSFER_KERNELS.includes(baseKernel(s)));
  if (fit.length === 0) throw new Error('fitDevice: no samples with role "fit"');
  const families = KERNEL_FAMILIES.filter(f => fit.some(s => s.family === f));
  const overhead = (s: Sample) => transferSeconds(transfer, callsOf(s), transferOf(s));

  /** Relative squared error of the max model over some samples. */
  const maxError = (rows: readonly Sample[], sol: Omit<FamilySolution, 'error' | 'assignment'>): number =>
    rows.reduce((sum, s) => {
      const work = termWork(s, flopsPerMac);
      let top = 0;
      for (const t of TERMS) top = Math.max(top, sol.inverse[t] * work[t]);
      const predicted = overhead(s) + sol.launchSeconds * s.launches + top;
      const r = predicted / s.medianSeconds - 1;
      return sum + r * r;
    }, 0);

  const solveFamily = (rows: readonly Sample[], assignment: Assignment): FamilySolution => {
    const a = rows.map(s => {
      const w = 1 / s.medianSeconds;
      const work = termWork(s, flopsPerMac);
      const term = assignment.get(s.kernel);
      return [s.launches * w, ...TERMS.map(t => (t === term ? work[t] * w : 0))];
    });
    const b = rows.map(s => (s.medianSeconds - overhead(s)) / s.medianSeconds);
    const x = nnls(a, b);
    const sol = {launchSeconds: x[0], inverse: {compute: x[1], vector: x[2], memory: x[3]}};
    return {...sol, assignment, error: maxError(rows, sol)};
  };

  /**
   * Strictly better beyond rounding. Ties (a softmax does 5 vector FLOPs per 8 bytes at every
   * size, so its vector and memory terms explain it equally well) keep the earlier assignment in
   * the order compute, vector, memory: where the data cannot tell, a kernel is taken to be bound
   * by its arithmetic, not by an effective bandwidth far below what the triad measured.
   */
  const better = (a: FamilySolution, b: FamilySolution) => a.error < b.error * (1 - 1e-9) - 1e-15;

  const bestForFamily = (family: KernelFamily): FamilySolution => {
    const rows = fit.filter(s => s.family === family);
    const kernels = [...new Set(rows.map(s => s.kernel))];
    // A kernel can be bound by a term it does work in at every size.
    const choices = kernels.map(k => {
      const own = rows.filter(s => s.kernel === k);
      return TERMS.filter(t => own.every(s => termWork(s, flopsPerMac)[t] > 0));
    });
    const count = choices.reduce((p, c) => p * Math.max(1, c.length), 1);
    const build = (picks: readonly number[]): Assignment =>
      new Map(
        kernels.flatMap((k, i) =>
          choices[i].length > 0 ? [[k, choices[i][picks[i]]] as [string, Term]] : [],
        ),
      );
    const picks = kernels.map(() => 0);
    let best = solveFamily(rows, build(picks));
    if (count <= MAX_COMBINATIONS) {
      for (let c = 1; c < count; c++) {
        let rest = c;
        for (let i = 0; i < kernels.length; i++) {
          const size = Math.max(1, choices[i].length);
          picks[i] = rest % size;
          rest = Math.floor(rest / size);
        }
        const sol = solveFamily(rows, build(picks));
        if (better(sol, best)) best = sol;
      }
      return best;
    }
    // Coordinate descent from the first usable term of every kernel.
    for (let sweep = 0, improved = true; improved && sweep < 20; sweep++) {
      improved = false;
      for (let i = 0; i < kernels.length; i++) {
        for (let option = 0; option < choices[i].length; option++) {
          if (option === picks[i]) continue;
          const trial = [...picks];
          trial[i] = option;
          const sol = solveFamily(rows, build(trial));
          if (better(sol, best)) {
            best = sol;
            picks[i] = option;
            improved = true;
          }
        }
      }
    }
    return best;
  };

  const out: Partial<Record<KernelFamily, FamilyFit>> = {};
  for (const family of families) {
    const sol = bestForFamily(family);
    const bound: Record<Term, number> = {compute: 0, vector: 0, memory: 0};
    for (const s of fit) {
      const t = sol.assignment.get(s.kernel);
      if (s.family === family && t && sol.inverse[t] > 0) bound[t]++;
    }
    out[family] = {
      launchSeconds: sol.launchSeconds,
      secondsPerFlop: sol.inverse.compute,
      secondsPerVectorFlop: sol.inverse.vector,
      secondsPerByte: sol.inverse.memory,
      bound,
      points: fit.filter(s => s.family === family).length,
    };
  }
  return {families: out, transfer, flopsPerMac};
}

/* ------------------------------------------------------------------ fit → profile figures */

/**
 * Families gpu.js cannot exercise take the figures of the closest measured one (documented in
 * docs/calibration.md): a fused attention kernel needs on-chip tiling gpu.js does not expose; a
 * scan is a sequential elementwise recurrence.
 */
const STAND_IN: Partial<Record<KernelFamily, KernelFamily[]>> = {
  'attention-fused': ['attention-materialized', 'attention-sparse'],
  'attention-sparse': ['attention-materialized'],
  'attention-materialized': ['attention-sparse'],
  scan: ['elementwise'],
  elementwise: ['gemm'],
  gemm: ['elementwise'],
};

function inverse(seconds: number): number {
  return seconds > 0 ? 1 / seconds : Number.POSITIVE_INFINITY;
}

function rateOf(f: FamilyFit, term: Term): number {
  return inverse(
    term === 'compute' ? f.secondsPerFlop : term === 'vector' ? f.secondsPerVectorFlop : f.secondsPerByte,
  );
}

/**
 * Peaks of the device: for each resource, the fastest rate any family reached where that resource
 * bound at least one of its samples — usually the micro-benchmark made for it (matrix product,
 * row softmax, triad). Taking the fastest keeps every fitted efficiency ≤ 1, so the roofline's
 * `ideal` (all efficiencies 1) is a floor under its `expected`. A resource that bound nothing
 * gets the fastest rate observed over all samples (a lower bound on the truth).
 */
export function peaksFromFit(fit: DeviceFit, samples: readonly Sample[]): Peaks {
  const peak = (term: Term): number => {
    let best = 0;
    for (const f of Object.values(fit.families)) {
      if (f && f.bound[term] > 0 && Number.isFinite(rateOf(f, term))) best = Math.max(best, rateOf(f, term));
    }
    if (best > 0) return best;
    for (const s of samples) {
      const work = termWork(s, fit.flopsPerMac)[term];
      if (work > 0) best = Math.max(best, work / s.medianSeconds);
    }
    return best > 0 ? best : 1;
  };
  return {
    matrixFlopsPerSec: peak('compute'),
    vectorFlopsPerSec: peak('vector'),
    bandwidthBytesPerSec: peak('memory'),
  };
}

/**
 * Efficiency of one term of a family. A term that bound samples: fitted rate / peak. A term that
 * never bound a sample of the family: as fast as the peak (efficiency 1), or faster if even the
 * peak would have made it bound some sample — then just fast enough that it does not (the data
 * only say it is at least that fast); capped at MAX_EFFICIENCY.
 */
function efficiencyOf(
  f: FamilyFit,
  term: Term,
  peak: number,
  samples: readonly Sample[],
  family: KernelFamily,
  flopsPerMac: number,
): number {
  const rate = rateOf(f, term);
  if (f.bound[term] > 0 && Number.isFinite(rate))
    return Math.min(MAX_EFFICIENCY, Math.max(1e-9, rate / peak));
  let needed = 0;
  for (const s of samples) {
    if (s.family !== family || s.role !== 'fit') continue;
    const work = termWork(s, flopsPerMac);
    let top = 0;
    for (const t of TERMS) if (t !== term) top = Math.max(top, work[t] / rateOf(f, t));
    if (top > 0) needed = Math.max(needed, work[term] / top);
  }
  return Math.min(MAX_EFFICIENCY, Math.max(1, needed / peak));
}

export interface FittedFigures {
  peaks: Peaks;
  families: Record<KernelFamily, FamilyEfficiency>;
  transfer: Transfer;
}

export const FITTED_SOURCE = 'fitted on this device';

/** The profile's figures from a fit: peaks, efficiencies of every family, transfer. */
export function figuresFromFit(fit: DeviceFit, samples: readonly Sample[]): FittedFigures {
  const peaks = peaksFromFit(fit, samples);
  const peakOf: Record<Term, number> = {
    compute: peaks.matrixFlopsPerSec,
    vector: peaks.vectorFlopsPerSec,
    memory: peaks.bandwidthBytesPerSec,
  };
  const measured: Partial<Record<KernelFamily, FamilyEfficiency>> = {};
  for (const family of KERNEL_FAMILIES) {
    const f = fit.families[family];
    if (!f) continue;
    const eff = (t: Term) => efficiencyOf(f, t, peakOf[t], samples, family, fit.flopsPerMac);
    measured[family] = {
      matrixEfficiency: eff('compute'),
      vectorEfficiency: eff('vector'),
      memoryEfficiency: eff('memory'),
      launchSeconds: f.launchSeconds,
      source: FITTED_SOURCE,
    };
  }
  const families = {} as Record<KernelFamily, FamilyEfficiency>;
  for (const family of KERNEL_FAMILIES) {
    const own = measured[family];
    if (own) {
      families[family] = own;
      continue;
    }
    const standIn = (STAND_IN[family] ?? []).find(f => measured[f]) ?? KERNEL_FAMILIES.find(f => measured[f]);
    if (!standIn) throw new Error('figuresFromFit: no family was fitted');
    families[family] = {
      ...measured[standIn]!,
      source: `not measurable with gpu.js kernels on this device: taken from ${standIn}`,
    };
  }
  return {peaks, families, transfer: fit.transfer};
}

/* ------------------------------------------------------------------ prediction and validation */

export type ProfileFigures = Pick<Profile, 'families'> & {peaks: Peaks; transfer?: Transfer};

export function profileRates(profile: ProfileFigures): DeviceRates {
  const {peaks} = profile;
  return ratesFromProfile(profile, {
    matrix: peaks.matrixFlopsPerSec,
    vector: peaks.vectorFlopsPerSec,
    bandwidth: peaks.bandwidthBytesPerSec,
  });
}

/** Host↔device seconds of one component run: calls·t_call + transferBytes / T. */
export function transferSeconds(
  transfer: Transfer | undefined,
  calls: number,
  transferBytes: number,
): number {
  if (!transfer) return 0;
  return calls * transfer.fixedSeconds + transferBytes / transfer.bytesPerSec;
}

/** Predicted seconds of a sample: the product's roofline for its component plus the transfer. */
export function predictSample(
  sample: Sample,
  rates: DeviceRates,
  transfer: Transfer | undefined,
  flopsPerMac = FLOPS_PER_MAC,
): number {
  const roofline = componentSeconds(
    {
      kernel: sample.family,
      macs: sample.macs,
      vectorFlops: sample.vectorFlops,
      readBytes: sample.bytes,
      writeBytes: 0,
      launches: sample.launches,
    },
    rates,
    flopsPerMac,
  ).seconds;
  return roofline + transferSeconds(transfer, callsOf(sample), transferOf(sample));
}

/** Signed percentage error of a prediction: 100·(predicted − measured)/measured. */
export function errorPct(predicted: number, measured: number): number {
  return (100 * (predicted - measured)) / measured;
}

export function errorStats(errors: readonly number[]): ErrorStats {
  if (errors.length === 0) return {mape: 0, maxAbsPctError: 0, points: 0};
  const abs = errors.map(Math.abs);
  return {
    mape: abs.reduce((a, b) => a + b, 0) / abs.length,
    maxAbsPctError: Math.max(...abs),
    points: abs.length,
  };
}

/** Prediction error of every sample with the given role, per family and overall. */
export function validateProfile(
  samples: readonly Sample[],
  profile: ProfileFigures,
  role: Sample['role'] = 'validate',
): Validation {
  const rates = profileRates(profile);
  const byFamily = new Map<KernelFamily, number[]>();
  const all: number[] = [];
  for (const s of samples) {
    if (s.role !== role || TRANSFER_KERNELS.includes(baseKernel(s))) continue;
    const e = errorPct(predictSample(s, rates, profile.transfer), s.medianSeconds);
    all.push(e);
    byFamily.set(s.family, [...(byFamily.get(s.family) ?? []), e]);
  }
  const families: Validation['families'] = {};
  for (const [family, errors] of byFamily) families[family] = errorStats(errors);
  const overall = errorStats(all);
  return {families, mape: overall.mape, maxAbsPctError: overall.maxAbsPctError};
}

/**
 * Goodness of fit per family: R² of log time over the fit samples (1 − SS_res / SS_tot), with the
 * profile's (clamped) figures — what is stored is what is scored. Undefined below 3 samples.
 */
export function goodnessOfFit(
  samples: readonly Sample[],
  profile: ProfileFigures,
): Partial<Record<KernelFamily, number>> {
  const rates = profileRates(profile);
  const out: Partial<Record<KernelFamily, number>> = {};
  for (const family of KERNEL_FAMILIES) {
    const own = samples.filter(
      s => s.role === 'fit' && s.family === family && !TRANSFER_KERNELS.includes(baseKernel(s)),
    );
    if (own.length < 3) continue;
    const logs = own.map(s => Math.log(s.medianSeconds));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const total = logs.reduce((a, l) => a + (l - mean) ** 2, 0);
    const residual = own.reduce(
      (a, s, i) => a + (Math.log(predictSample(s, rates, profile.transfer)) - logs[i]) ** 2,
      0,
    );
    out[family] = total > 0 ? 1 - residual / total : 1;
  }
  return out;
}

/**
 * Least-squares slope of log time against log n: the empirical scaling exponent (docs/design.md §7:
 * standard ≈ 2, window and linear ≈ 1).
 */
export function scalingExponent(points: readonly {n: number; seconds: number}[]): number {
  const xs = points.map(p => Math.log(p.n));
  const ys = points.map(p => Math.log(p.seconds));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}
