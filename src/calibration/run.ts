/**
 * The two workflows of docs/design.md §7 as library functions (commands stay thin):
 * - `calibrate`: run the micro-benchmarks and the attention kernels on one backend, fit the device
 *   model, validate it on held-out sizes, write the profile atomically.
 * - `bench`: run the attention kernels of chosen variants at chosen sizes, and compare the measured
 *   times with the profile's predictions (the product's roofline over each variant's own cost
 *   model, plus the transfer), and fit the scaling exponent of time vs n.
 */
import {availableParallelism, loadavg} from 'node:os';
import {BENCH_MAX_POINTS, BENCH_POINTS_CEILING, checkBudget} from '../budget.js';
import {InvalidInputError} from '../errors.js';
import {KERNEL_FAMILIES, type KernelFamily} from '../model/types.js';
import {resolveVariant} from '../model/variants/index.js';
import {
  type ErrorStats,
  type Peaks,
  PROFILE_SCHEMA_VERSION,
  type Profile,
  type Sample,
  type Transfer,
  type Validation,
} from '../schema/profile.js';
import {formatInt, parseVariantSpec} from '../units.js';
import {
  type BackendChoice,
  type BackendDriver,
  type BackendHandle,
  type BackendId,
  type BackendProbe,
  fingerprint,
  gpuJsDriver,
  selectBackend,
} from './backends.js';
import {stageCosts} from './costs.js';
import {
  errorPct,
  errorStats,
  figuresFromFit,
  fitDevice,
  fitTransfer,
  goodnessOfFit,
  predictSample,
  profileRates,
  scalingExponent,
  validateProfile,
} from './fit.js';
import {
  type AttentionKernel,
  type BenchCase,
  buildCase,
  type CaseSpec,
  type Random,
  seededRandom,
} from './kernels.js';
import {writeProfile} from './store.js';
import {type CaseTiming, type Progress, summarize, type TimingOptions, timeCases} from './timing.js';

/** Shape of every attention benchmark: 4 heads of 32 channels (documented in docs/calibration.md). */
export const BENCH_HEADS = 4;
export const BENCH_HEAD_DIM = 32;
/** Window of the calibration's window kernels and the default bench window variant. */
export const CALIBRATION_WINDOW = 128;
/** Latents N of the perceiver cross-attention kernels. */
export const DEFAULT_LATENTS = 256;

/** Host memory a group of cases may hold at once (inputs, outputs and gpu.js's copies). */
const GROUP_BYTES = 768 * 2 ** 20;
/** gpu.js keeps its own copy of arguments and results: host bytes × this. */
const COPIES = 3;

export type PlanName = 'full' | 'quick' | 'tiny';
export const PLAN_NAMES: readonly PlanName[] = ['full', 'quick', 'tiny'];

export interface PlannedCase {
  spec: CaseSpec;
  role: Sample['role'];
}

export interface CalibrationPlan {
  name: PlanName;
  cases: PlannedCase[];
  timing: TimingOptions;
}

function attention(
  kernel: AttentionKernel,
  n: number,
  extra: {window?: number; latents?: number} = {},
): CaseSpec {
  const base = {heads: BENCH_HEADS, headDim: BENCH_HEAD_DIM};
  if (kernel === 'perceiver') return {kernel, queries: extra.latents ?? DEFAULT_LATENTS, keys: n, ...base};
  if (kernel === 'window')
    return {kernel, queries: n, keys: n, window: extra.window ?? CALIBRATION_WINDOW, ...base};
  return {kernel, queries: n, keys: n, ...base};
}

interface PlanSizes {
  matmul: number[];
  stream: number[];
  softmaxCols: number[];
  softmaxRows: number;
  standard: number[];
  window: number[];
  linear: number[];
  perceiver: number[];
  latents: number;
  windowKeys: number;
}

function planFrom(
  name: PlanName,
  fit: PlanSizes,
  validate: Partial<PlanSizes>,
  timing: TimingOptions,
): CalibrationPlan {
  const cases: PlannedCase[] = [];
  const add = (sizes: PlanSizes | Partial<PlanSizes>, role: Sample['role']) => {
    const latents = fit.latents;
    const w = fit.windowKeys;
    for (const n of sizes.matmul ?? []) cases.push({spec: {kernel: 'matmul', n}, role});
    for (const n of sizes.stream ?? []) {
      cases.push({spec: {kernel: 'triad', n}, role});
      cases.push({spec: {kernel: 'upload', n}, role});
    }
    for (const cols of sizes.softmaxCols ?? [])
      cases.push({spec: {kernel: 'softmax', rows: fit.softmaxRows, cols}, role});
    for (const n of sizes.standard ?? []) cases.push({spec: attention('standard', n), role});
    for (const n of sizes.window ?? []) cases.push({spec: attention('window', n, {window: w}), role});
    for (const n of sizes.linear ?? []) cases.push({spec: attention('linear', n), role});
    for (const n of sizes.perceiver ?? []) cases.push({spec: attention('perceiver', n, {latents}), role});
  };
  cases.push({spec: {kernel: 'empty'}, role: 'fit'});
  add(fit, 'fit');
  add(validate, 'validate');
  return {name, cases, timing};
}

/**
 * The sizes each plan measures. Fit sizes are spaced by ×2 from 192; held-out validation sizes
 * fall between them; `bench`'s default sizes (powers of two) are held out from both. The ranges
 * keep the n² (standard) and n·w, n·d² (window, linear) work far above the per-call overheads so
 * the fitted rates describe the arithmetic, not the launch.
 */
export function calibrationPlan(name: PlanName): CalibrationPlan {
  switch (name) {
    case 'full':
      return planFrom(
        name,
        {
          matmul: [128, 256, 384],
          stream: [2 ** 18, 2 ** 20, 2 ** 22],
          softmaxRows: 1024,
          softmaxCols: [256, 512, 1024],
          standard: [192, 384, 768, 1536],
          window: [192, 384, 768, 1536, 3072],
          linear: [384, 768, 1536, 3072, 6144],
          perceiver: [192, 384, 768, 1536, 3072],
          latents: DEFAULT_LATENTS,
          windowKeys: CALIBRATION_WINDOW,
        },
        {
          matmul: [192],
          softmaxCols: [768],
          standard: [1152],
          window: [1152],
          linear: [1152],
          perceiver: [1152],
        },
        {warmup: 1, minReps: 3, maxReps: 15, minSeconds: 0.4},
      );
    case 'quick':
      // The checked first run doubles as the warm-up.
      return planFrom(
        name,
        {
          matmul: [128, 256],
          stream: [2 ** 18, 2 ** 21],
          softmaxRows: 1024,
          softmaxCols: [256, 1024],
          standard: [192, 384, 640],
          window: [192, 384, 768],
          linear: [384, 768, 1536, 3072],
          perceiver: [192, 384, 768],
          latents: DEFAULT_LATENTS,
          windowKeys: CALIBRATION_WINDOW,
        },
        {standard: [288], window: [576], linear: [1152], perceiver: [288]},
        {warmup: 0, minReps: 3, maxReps: 7, minSeconds: 0.15},
      );
    case 'tiny':
      // For tests of the whole pipeline: seconds, not accuracy.
      return planFrom(
        name,
        {
          matmul: [32, 64],
          stream: [2 ** 12, 2 ** 14],
          softmaxRows: 64,
          softmaxCols: [32, 64],
          standard: [32, 64],
          window: [32, 64],
          linear: [32, 64],
          perceiver: [32, 64],
          latents: 16,
          windowKeys: 16,
        },
        {standard: [48], window: [48], linear: [48], perceiver: [48]},
        {warmup: 0, minReps: 1, maxReps: 2, minSeconds: 0},
      );
  }
}

/**
 * Groups of cases that are alive, and interleaved, together: as many as fit the memory budget,
 * whatever their kind, so that a burst of background load is shared by all kernels and sizes
 * rather than biasing the ones that happened to run during it.
 */
function groupCases<T extends {bytes: number}>(items: readonly T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && bytes + item.bytes > GROUP_BYTES) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Host bytes of a case before building it (inputs, intermediates, outputs; float32). */
function caseBytes(spec: CaseSpec): number {
  switch (spec.kernel) {
    case 'empty':
      return 4;
    case 'matmul':
      return 12 * spec.n * spec.n;
    case 'triad':
    case 'upload':
      return 12 * spec.n;
    case 'softmax':
      return 8 * spec.rows * spec.cols;
    default: {
      const cols = spec.kernel === 'window' ? Math.min(spec.window ?? spec.keys, spec.keys) : spec.keys;
      const scores = spec.kernel === 'linear' ? 0 : spec.heads * spec.queries * cols;
      return 4 * (2 * scores + 4 * spec.heads * (spec.queries + spec.keys) * spec.headDim);
    }
  }
}

/** Builds, times and frees the cases group by group; results in the order of `specs`. */
async function measure(
  handle: Pick<BackendHandle, 'gpu' | 'kernels'>,
  specs: readonly CaseSpec[],
  timing: TimingOptions,
  random: Random,
  progress?: Progress,
): Promise<CaseTiming[]> {
  const items = specs.map((spec, index) => ({spec, index, bytes: COPIES * caseBytes(spec)}));
  const out: CaseTiming[] = new Array(specs.length);
  for (const group of groupCases(items)) {
    const cases: BenchCase[] = [];
    try {
      for (const item of group) cases.push(buildCase(handle.gpu, item.spec, random, handle.kernels));
      const timings = await timeCases(cases, timing, progress);
      group.forEach((item, i) => {
        out[item.index] = timings[i];
      });
    } finally {
      for (const c of cases) await c.destroy();
    }
  }
  return out;
}

/** The samples of one measured case: one per stage, costed by the product's model. */
export function samplesOf(timing: CaseTiming, role: Sample['role']): Sample[] {
  const costs = stageCosts(timing.spec);
  const {kernel, ...size} = timing.spec;
  return timing.stages.map((stage, i) => {
    const cost = costs[i];
    if (!cost || cost.name !== stage.name) {
      throw new Error(
        `stage '${stage.name}' of ${kernel} does not match the cost model's component '${cost?.name}'`,
      );
    }
    const summary = summarize(stage.times);
    const single = timing.stages.length === 1;
    return {
      kernel: single ? kernel : `${kernel}.${stage.name}`,
      family: cost.family,
      size: size as Record<string, number>,
      macs: cost.macs,
      vectorFlops: cost.vectorFlops,
      bytes: cost.bytes,
      transferBytes: stage.transferBytes,
      launches: cost.launches,
      calls: stage.calls,
      medianSeconds: Math.max(summary.median, 1e-9),
      spreadSeconds: summary.spread,
      reps: summary.reps,
      role,
    };
  });
}

/**
 * A warning when other processes keep the CPU busy (1-minute load above the number of cores)
 * before a measurement starts: wall times then include waiting for the CPU.
 */
export function busyWarning(load = loadavg()[0], cores = availableParallelism()): string[] {
  if (!(load > cores)) return [];
  return [
    `this machine is busy (1-minute load ${load.toFixed(1)} on ${cores} cores): other processes share the CPU, so timings are noisy and throughputs low; measure on an idle machine for figures you can trust`,
  ];
}

/* ------------------------------------------------------------------ calibrate */

export interface CalibrateOptions {
  plan: PlanName;
  backend: BackendChoice;
  profilePath: string;
  /** --force: the profile may be written into a device or FIFO, or through a symbolic link. */
  force?: boolean;
  toolVersion: string;
  progress?: (message: string) => void;
  driver?: BackendDriver;
  random?: Random;
  /** Clock for createdAt (tests pin it). */
  now?: () => Date;
}

export interface FamilySummary {
  family: KernelFamily;
  matrixFlopsPerSec: number;
  vectorFlopsPerSec: number;
  bytesPerSec: number;
  launchSeconds: number;
  r2?: number;
  source: string;
  validation?: ErrorStats;
}

export interface CalibrateResult {
  backend: BackendId;
  adapter?: string;
  probes: BackendProbe[];
  profilePath: string;
  plan: PlanName;
  elapsedSeconds: number;
  fitted: {peaks: Peaks; transfer: Transfer; families: FamilySummary[]};
  validation: Validation;
  profile: Profile;
}

function reporter(progress: ((message: string) => void) | undefined): Progress | undefined {
  if (!progress) return undefined;
  return ({label, phase, rep}) =>
    progress(phase === 'rep' ? `${label}: repetition ${rep}` : `${label}: ${phase}`);
}

export async function calibrate(options: CalibrateOptions): Promise<CalibrateResult> {
  const started = performance.now();
  const random = options.random ?? seededRandom((Date.now() ^ (process.pid << 8)) >>> 0);
  const plan = calibrationPlan(options.plan);
  options.progress?.('choosing a gpu.js backend');
  const {handle, probes} = await selectBackend(options.backend, options.driver ?? gpuJsDriver());
  let timings: CaseTiming[];
  try {
    options.progress?.(`measuring on ${handle.id}`);
    timings = await measure(
      handle,
      plan.cases.map(c => c.spec),
      plan.timing,
      random,
      reporter(options.progress),
    );
  } finally {
    await handle.release();
  }
  const samples = timings.flatMap((t, i) => samplesOf(t, plan.cases[i].role));
  const transfer = fitTransfer(samples);
  const fit = fitDevice(samples, {transfer});
  const figures = figuresFromFit(fit, samples);
  const r2 = goodnessOfFit(samples, figures);
  for (const family of KERNEL_FAMILIES) {
    const value = r2[family];
    if (value !== undefined && fit.families[family])
      figures.families[family] = {...figures.families[family], r2: value};
  }
  const validation = validateProfile(samples, figures);
  const profile: Profile = {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    toolVersion: options.toolVersion,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    kind: 'device',
    device: fingerprint(handle),
    peaks: figures.peaks,
    families: figures.families,
    transfer: figures.transfer,
    samples,
    validation,
  };
  await writeProfile(options.profilePath, profile, {force: options.force});
  const rates = profileRates(figures);
  return {
    backend: handle.id,
    ...(handle.adapter ? {adapter: handle.adapter} : {}),
    probes,
    profilePath: options.profilePath,
    plan: plan.name,
    elapsedSeconds: (performance.now() - started) / 1000,
    fitted: {
      peaks: figures.peaks,
      transfer: figures.transfer,
      families: KERNEL_FAMILIES.map(family => ({
        family,
        ...rates[family],
        ...(figures.families[family].r2 !== undefined ? {r2: figures.families[family].r2} : {}),
        source: figures.families[family].source,
        ...(validation.families[family] ? {validation: validation.families[family]} : {}),
      })),
    },
    validation,
    profile,
  };
}

/* ------------------------------------------------------------------ bench */

export const BENCH_KERNELS: readonly AttentionKernel[] = ['standard', 'window', 'linear', 'perceiver'];
export const DEFAULT_BENCH_VARIANTS = [
  'standard',
  `window:w=${CALIBRATION_WINDOW}`,
  'linear',
  `perceiver:latents=${DEFAULT_LATENTS}`,
];
export const DEFAULT_BENCH_SEQ = '256..2048';

export interface BenchVariant {
  kernel: AttentionKernel;
  label: string;
  window?: number;
  latents?: number;
}

/**
 * A `--variant` of bench: standard, window (w), linear — the registry's variants, validated by
 * their own parameter schemas — or perceiver (cross-attention from `latents` N to the n inputs).
 */
export function parseBenchVariant(text: string): BenchVariant {
  const spec = parseVariantSpec(text, 'variant');
  if (spec.name === 'perceiver') {
    const keys = Object.keys(spec.params);
    const bad = keys.find(k => k !== 'latents');
    if (bad !== undefined) {
      throw new InvalidInputError(
        `--variant perceiver: '${bad}' is not a parameter of perceiver. Valid: latents (N latents, default ${DEFAULT_LATENTS})`,
        {
          path: ['variant', bad],
        },
      );
    }
    const latents = spec.params.latents ?? DEFAULT_LATENTS;
    if (typeof latents !== 'number' || !Number.isInteger(latents) || latents < 1) {
      throw new InvalidInputError(
        `--variant perceiver: latents must be a positive integer; got ${String(latents)}`,
        {
          path: ['variant', 'latents'],
        },
      );
    }
    return {kernel: 'perceiver', label: `perceiver N=${latents}`, latents};
  }
  const resolved = resolveVariant(spec, 'variant');
  const kernel = resolved.def.id as AttentionKernel;
  if (!BENCH_KERNELS.includes(kernel) || kernel === 'perceiver') {
    throw new InvalidInputError(
      `--variant '${resolved.def.id}' has no gpu.js kernel to benchmark. Valid: standard, window, linear, perceiver`,
      {path: ['variant'], hint: `attncap bench --variant ${DEFAULT_BENCH_VARIANTS.join(' --variant ')}`},
    );
  }
  if (kernel === 'window') {
    if (resolved.params.fused === true) {
      throw new InvalidInputError(
        '--variant window:fused=true has no gpu.js kernel: bench runs the materialised band',
        {
          path: ['variant', 'fused'],
        },
      );
    }
    return {kernel, label: resolved.label, window: resolved.params.w as number};
  }
  return {kernel, label: resolved.label};
}

export interface BenchRow {
  variant: string;
  kernel: AttentionKernel;
  seq: number;
  measuredSeconds: number;
  spreadSeconds: number;
  predictedSeconds: number;
  errorPct: number;
  /** Fitted exponent of time vs n of this row's variant (repeated on each of its rows). */
  exponent: number;
}

export interface BenchVariantSummary {
  variant: string;
  exponent: number;
  predictedExponent: number;
  error: ErrorStats;
}

export interface BenchResult {
  backend: BackendId;
  heads: number;
  headDim: number;
  rows: BenchRow[];
  variants: BenchVariantSummary[];
  /** Over all rows: median and worst absolute error, percent. */
  medianAbsPctError: number;
  maxAbsPctError: number;
  /**
   * Time of the calibration's reference kernels now / when the profile was measured (1 = the
   * machine runs as fast as it did then).
   */
  drift: number;
  warnings: string[];
}

/** Drift beyond which bench warns that the machine no longer runs as it did at calibration. */
export const DRIFT_TOLERANCE = 0.1;

export interface BenchOptions {
  variants: BenchVariant[];
  seqs: number[];
  profile: Profile;
  progress?: (message: string) => void;
  driver?: BackendDriver;
  random?: Random;
  timing?: TimingOptions;
}

/** The checked first run doubles as the warm-up. */
export const BENCH_TIMING: TimingOptions = {warmup: 0, minReps: 3, maxReps: 9, minSeconds: 0.3};

function median(values: readonly number[]): number {
  return summarize(values).median;
}

/** Predicted seconds of a whole case: the profile's roofline of each component plus transfer. */
export function predictCase(
  spec: CaseSpec,
  stages: readonly {calls: number; transferBytes: number}[],
  profile: Profile,
): number {
  if (!profile.peaks) throw new Error('predictCase: the profile has no peaks');
  const rates = profileRates({families: profile.families, peaks: profile.peaks});
  const costs = stageCosts(spec);
  return costs.reduce((sum, cost, i) => {
    const sample: Sample = {
      kernel: cost.name,
      family: cost.family,
      size: {},
      macs: cost.macs,
      vectorFlops: cost.vectorFlops,
      bytes: cost.bytes,
      transferBytes: stages[i].transferBytes,
      launches: cost.launches,
      calls: stages[i].calls,
      medianSeconds: 1,
      spreadSeconds: 0,
      reps: 1,
      role: 'validate',
    };
    return sum + predictSample(sample, rates, profile.transfer);
  }, 0);
}

/**
 * Reference cases for the drift check: calibration cases the profile recorded (its largest matrix
 * product, its widest row softmax, its smallest standard attention), with the time each took then
 * (the sum of its stages' medians).
 */
export function referenceCases(profile: Profile): {spec: CaseSpec; seconds: number}[] {
  const byCase = new Map<string, {spec: CaseSpec; seconds: number}>();
  for (const s of profile.samples ?? []) {
    if (s.role !== 'fit') continue;
    const kernel = s.kernel.split('.')[0];
    if (!['matmul', 'softmax', 'standard'].includes(kernel)) continue;
    const spec = {kernel, ...s.size} as CaseSpec;
    const key = JSON.stringify(spec);
    const entry = byCase.get(key) ?? {spec, seconds: 0};
    entry.seconds += s.medianSeconds;
    byCase.set(key, entry);
  }
  const all = [...byCase.values()];
  const pick = (kernel: string, size: (spec: CaseSpec) => number, largest: boolean) => {
    const own = all.filter(c => c.spec.kernel === kernel).sort((a, b) => size(a.spec) - size(b.spec));
    return largest ? own[own.length - 1] : own[0];
  };
  return [
    pick('matmul', spec => (spec as {n: number}).n, true),
    pick('softmax', spec => (spec as {cols: number}).cols, true),
    pick('standard', spec => (spec as {queries: number}).queries, false),
  ].filter((c): c is {spec: CaseSpec; seconds: number} => c !== undefined);
}

/** The case `bench` runs for a variant at sequence length n (perceiver: n inputs). */
export function benchCaseSpec(variant: BenchVariant, n: number): CaseSpec {
  return attention(variant.kernel, n, {window: variant.window, latents: variant.latents});
}

/**
 * bench's work budget (docs/limits.md), checked before any backend opens: the attention-score
 * elements (heads × queries × keys, or × window) summed over its cases bound both the memory the
 * largest case and its float64 reference allocate and the time all of them take. Linear attention
 * never forms its scores but is counted as if it did (its reference does): the budget errs on the
 * safe side.
 */
export function checkBenchBudget(
  variants: readonly BenchVariant[],
  seqs: readonly number[],
  maxPoints?: number,
): void {
  let largest = {elements: 0, label: '', seq: 0, heads: 0, queries: 0, keys: 0};
  let total = 0;
  let cases = 0;
  for (const variant of variants) {
    for (const seq of seqs) {
      const spec = benchCaseSpec(variant, seq);
      if (!('queries' in spec)) continue;
      const keys = Math.min(spec.keys, spec.window ?? spec.keys);
      const elements = spec.heads * spec.queries * keys;
      total += elements;
      cases++;
      if (elements > largest.elements)
        largest = {elements, label: variant.label, seq, heads: spec.heads, queries: spec.queries, keys};
    }
  }
  checkBudget({
    command: 'bench',
    unit: 'score elements',
    product: total,
    factors: `${formatInt(cases)} ${cases === 1 ? 'case' : 'cases'} (the largest ${largest.label} at n ${formatInt(largest.seq)}: ${largest.heads} heads × ${formatInt(largest.queries)} queries × ${formatInt(largest.keys)} keys)`,
    limit: BENCH_MAX_POINTS,
    maxPoints,
    ceiling: BENCH_POINTS_CEILING,
    advice: 'use shorter sequences (the default is 256..2048)',
  });
}

export async function bench(options: BenchOptions): Promise<BenchResult> {
  const {profile} = options;
  if (profile.kind !== 'device' || !profile.device || !profile.peaks) {
    throw new InvalidInputError(
      'bench needs a device profile (written by attncap calibrate), not a preset profile',
      {
        path: ['profile'],
        hint: 'Run attncap calibrate first, or pass --profile FILE.',
      },
    );
  }
  const random = options.random ?? seededRandom((Date.now() ^ (process.pid << 8)) >>> 0);
  const backend = profile.device.backend as BackendId;
  options.progress?.(`opening the ${backend} backend the profile was measured on`);
  const {handle} = await selectBackend(backend as BackendChoice, options.driver ?? gpuJsDriver());
  const specs: {variant: BenchVariant; seq: number; spec: CaseSpec}[] = [];
  for (const variant of options.variants) {
    for (const seq of options.seqs) {
      specs.push({
        variant,
        seq,
        spec: benchCaseSpec(variant, seq),
      });
    }
  }
  // Reference cases run interleaved with the bench: how fast the machine is now vs at calibration.
  const references = referenceCases(profile);
  let timings: CaseTiming[];
  try {
    timings = await measure(
      handle,
      [...specs.map(s => s.spec), ...references.map(r => r.spec)],
      options.timing ?? BENCH_TIMING,
      random,
      reporter(options.progress),
    );
  } finally {
    await handle.release();
  }
  const ratios = references.map((r, i) => summarize(timings[specs.length + i].totals).median / r.seconds);
  const drift = ratios.length > 0 ? median(ratios) : 1;
  const partial = specs.map((s, i) => {
    const t = timings[i];
    const total = summarize(t.totals);
    const predicted = predictCase(s.spec, t.stages, profile);
    return {
      variant: s.variant.label,
      kernel: s.variant.kernel,
      seq: s.seq,
      measuredSeconds: total.median,
      spreadSeconds: total.spread,
      predictedSeconds: predicted,
      errorPct: errorPct(predicted, total.median),
    };
  });
  const variants: BenchVariantSummary[] = options.variants.map(v => {
    const own = partial.filter(r => r.variant === v.label);
    return {
      variant: v.label,
      exponent: scalingExponent(own.map(r => ({n: r.seq, seconds: r.measuredSeconds}))),
      predictedExponent: scalingExponent(own.map(r => ({n: r.seq, seconds: r.predictedSeconds}))),
      error: errorStats(own.map(r => r.errorPct)),
    };
  });
  const rows: BenchRow[] = partial.map(r => {
    const exponent = variants.find(v => v.variant === r.variant)!.exponent;
    return {...r, exponent: Number.isFinite(exponent) ? exponent : 0};
  });
  const abs = rows.map(r => Math.abs(r.errorPct));
  return {
    backend,
    heads: BENCH_HEADS,
    headDim: BENCH_HEAD_DIM,
    rows,
    variants: variants.map(v => ({
      ...v,
      exponent: Number.isFinite(v.exponent) ? v.exponent : 0,
      predictedExponent: Number.isFinite(v.predictedExponent) ? v.predictedExponent : 0,
    })),
    medianAbsPctError: abs.length > 0 ? median(abs) : 0,
    maxAbsPctError: abs.length > 0 ? Math.max(...abs) : 0,
    drift,
    warnings:
      Math.abs(drift - 1) > DRIFT_TOLERANCE
        ? [
            `the calibration's reference kernels now take ${drift.toFixed(2)}× the time they took when this profile was measured: the machine is ${drift > 1 ? 'slower (busier)' : 'faster (less busy)'} than then, and predictions are off by about that factor; recalibrate under the conditions you want to predict`,
          ]
        : [],
  };
}
