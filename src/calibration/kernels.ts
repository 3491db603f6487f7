/**
 * The gpu.js kernels attncap times (docs/design.md §7). Each benchmark case is built from a `gpu` instance
 * passed in (this module never imports gpu.js at run time: only a type), holds its random inputs
 * and compiled kernels, and exposes its work as *stages*. A stage is one component of the cost
 * model — `scores`, `softmax`, `weighted-sum`, … — run as one or more gpu.js kernel calls; it is
 * what one timing sample measures.
 *
 * Layouts (rows of Float32Array, what gpu.js hands back for 2-D outputs): multi-head tensors
 * stack the heads along the rows, row = head·n + i. Values are stored transposed (Vᵀ: row =
 * head·d_v + channel, column = key) so that every inner loop reads contiguous memory, as a real
 * kernel would arrange it.
 *
 * Every gpu.js call uploads its arguments and reads its result back to the host (no
 * `pipeline: true`): the fit models the upload as the transfer term and counts the readback in
 * the kernel's own bytes (fit.ts).
 */
import type {GPU, IKernelFunctionThis, KernelFunction} from 'gpu.js';

export type Matrix = Float32Array[];

/** What a benchmark case computes at one size. */
export type CaseSpec =
  | {kernel: 'empty'}
  | {kernel: 'upload'; n: number}
  | {kernel: 'matmul'; n: number}
  | {kernel: 'triad'; n: number}
  | {kernel: 'softmax'; rows: number; cols: number}
  | {kernel: AttentionKernel; queries: number; keys: number; heads: number; headDim: number; window?: number};

/** Attention kernel sets: standard self-attention, perceiver cross-attention (latents × inputs), window, linear. */
export type AttentionKernel = 'standard' | 'perceiver' | 'window' | 'linear';

export interface Stage {
  /** Component name, as the cost model names it (`scores`, `softmax`, …) or the micro-benchmark's. */
  name: string;
  /** gpu.js kernel calls this stage makes. */
  calls: number;
  /**
   * Host→device bytes per run: the arguments gpu.js uploads (4 bytes per float). Reading the
   * results back is part of the kernel's own memory traffic (see fit.ts).
   */
  transferBytes: number;
  run(): Promise<void>;
}

export interface BenchCase {
  spec: CaseSpec;
  stages: Stage[];
  /** Bytes of inputs and outputs this case holds on the host (memory planning). */
  hostBytes: number;
  /** The arrays a check compares against the reference, by name. */
  inputs: Record<string, Matrix>;
  outputs(): Record<string, Matrix>;
  destroy(): Promise<void>;
}

/** A source of uniform numbers in [0, 1): seeded in tests, Math.random otherwise. */
export type Random = () => number;

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random values in ±[0.05, 1): never zero (docs/design.md §7: a kernel that ignores an input must not pass
 * its check by luck), mixed signs so sums do not grow without bound.
 */
export function randomMatrix(rows: number, cols: number, random: Random): Matrix {
  const m: Matrix = [];
  for (let r = 0; r < rows; r++) {
    const row = new Float32Array(cols);
    for (let c = 0; c < cols; c++) {
      const v = 0.05 + 0.95 * random();
      row[c] = random() < 0.5 ? -v : v;
    }
    m.push(row);
  }
  return m;
}

/** The subset of a gpu.js `GPU` instance this module uses. */
export type GpuInstance = Pick<GPU, 'createKernel'>;

// biome-ignore lint/suspicious/noExplicitAny: gpu.js kernels are untyped source functions
type Source = (this: IKernelFunctionThis<any>, ...args: any[]) => number;
type Settings = {output: number[]; constants?: Record<string, number>};

/** A compiled gpu.js kernel: call it, free it. */
interface Kernel {
  run(...args: unknown[]): Promise<Matrix>;
  destroy(): Promise<void>;
}

/**
 * How kernels run. `asyncMode` (a Promise per call): required by WebGPU, and on the WebAssembly
 * backend it also spreads each kernel of ≥ 4096 cells over a pool of worker threads. attncap
 * runs WebAssembly synchronously, on one thread (docs/calibration.md, "Why one thread").
 */
export interface KernelOptions {
  asyncMode: boolean;
}

function kernel(gpu: GpuInstance, source: Source, settings: Settings, options: KernelOptions): Kernel {
  const shortcut = gpu.createKernel(source as unknown as KernelFunction, {
    ...settings,
    asyncMode: options.asyncMode,
    tactic: 'precision',
  });
  return {
    async run(...args) {
      return (await (shortcut as unknown as (...a: unknown[]) => Promise<Matrix> | Matrix)(
        ...args,
      )) as Matrix;
    },
    async destroy() {
      try {
        await (shortcut as unknown as {destroy(): Promise<void> | void}).destroy();
      } catch {
        // A kernel that never compiled has nothing to free.
      }
    },
  };
}

async function call(k: Kernel, ...args: unknown[]): Promise<Matrix> {
  return k.run(...args);
}

const FLOAT = 4;

/* ------------------------------------------------------------------ kernel sources
 * gpu.js compiles these functions from their source text: plain arithmetic, loops bounded by
 * constants, no closures. `this.thread.x` is the column, `this.thread.y` the row of the output.
 */

function emptySource(this: IKernelFunctionThis): number {
  return this.thread.x + 1;
}

/** Reads one element of a large argument: the cost is uploading the argument. */
function uploadSource(this: IKernelFunctionThis, a: Matrix): number {
  return a[0][0] + this.thread.x;
}

/** C = A·B with B given transposed (row-by-row dot products). */
function matmulSource(this: IKernelFunctionThis<{n: number}>, a: Matrix, bt: Matrix): number {
  let sum = 0;
  for (let i = 0; i < this.constants.n; i++) {
    sum += a[this.thread.y][i] * bt[this.thread.x][i];
  }
  return sum;
}

/** STREAM triad: a = b + s·c. */
function triadSource(this: IKernelFunctionThis<{s: number}>, b: Matrix, c: Matrix): number {
  return b[this.thread.y][this.thread.x] + this.constants.s * c[this.thread.y][this.thread.x];
}

/**
 * Softmax over rows in three calls: partial log-sum-exps over column chunks, their combination
 * per row, and the normalisation. The chunks give the statistics pass at least THREAD_CELLS
 * independent cells even for short, wide softmaxes (perceiver: 4 heads × 256 latents = 1,024
 * rows): GPU backends need thousands of threads to fill the device, and gpu.js's threaded
 * WebAssembly splits only kernels of ≥ 4,096 cells. Chunk c of a row covers columns
 * [c·len, min((c + 1)·len, cols)).
 */
export const THREAD_CELLS = 4096;

/** Chunks per row so that rows·chunks ≥ THREAD_CELLS (at most one chunk per column). */
export function softmaxChunks(rows: number, cols: number): number {
  return Math.max(1, Math.min(cols, Math.ceil(THREAD_CELLS / rows)));
}

/*
 * Loops run to a constant bound with a guard: gpu.js caps loops with a computed bound at
 * `loopMaxIterations` (1000 by default), which silently truncates long rows.
 */
function partialLseSource(this: IKernelFunctionThis<{cols: number; len: number}>, s: Matrix): number {
  const start = this.thread.x * this.constants.len;
  let mx = s[this.thread.y][start];
  for (let j = 1; j < this.constants.len; j++) {
    if (start + j < this.constants.cols) mx = Math.max(mx, s[this.thread.y][start + j]);
  }
  let sum = 0;
  for (let j = 0; j < this.constants.len; j++) {
    if (start + j < this.constants.cols) sum += Math.exp(s[this.thread.y][start + j] - mx);
  }
  return mx + Math.log(sum);
}

function combineLseSource(this: IKernelFunctionThis<{chunks: number}>, partial: Matrix): number {
  let mx = partial[this.thread.x][0];
  for (let c = 1; c < this.constants.chunks; c++) {
    mx = Math.max(mx, partial[this.thread.x][c]);
  }
  let sum = 0;
  for (let c = 0; c < this.constants.chunks; c++) {
    sum += Math.exp(partial[this.thread.x][c] - mx);
  }
  return mx + Math.log(sum);
}

function normalizeSource(this: IKernelFunctionThis, s: Matrix, lse: Float32Array): number {
  return Math.exp(s[this.thread.y][this.thread.x] - lse[this.thread.y]);
}

/** Scores of query row y (head h = ⌊y/n⌋) against key x of the same head, scaled by 1/√d. */
function scoresSource(
  this: IKernelFunctionThis<{n: number; m: number; d: number; scale: number}>,
  q: Matrix,
  k: Matrix,
): number {
  const head = Math.floor(this.thread.y / this.constants.n);
  const key = head * this.constants.m + this.thread.x;
  let sum = 0;
  for (let c = 0; c < this.constants.d; c++) {
    sum += q[this.thread.y][c] * k[key][c];
  }
  return sum * this.constants.scale;
}

/** Output channel x of query row y: Σ_j p[y][j] · vᵀ[head·d_v + x][j]. */
function weightedSumSource(
  this: IKernelFunctionThis<{n: number; m: number; dv: number}>,
  p: Matrix,
  vt: Matrix,
): number {
  const head = Math.floor(this.thread.y / this.constants.n);
  const row = head * this.constants.dv + this.thread.x;
  let sum = 0;
  for (let j = 0; j < this.constants.m; j++) {
    sum += p[this.thread.y][j] * vt[row][j];
  }
  return sum;
}

/*
 * Window (banded) attention, non-causal: query i sees w consecutive keys starting at
 * start(i) = clamp(i − ⌊w/2⌋, 0, m − w): a centred window shifted inward at the edges, so
 * every row sees exactly w keys (the convention of the `window` cost model).
 */
function windowScoresSource(
  this: IKernelFunctionThis<{n: number; m: number; d: number; w: number; half: number; scale: number}>,
  q: Matrix,
  k: Matrix,
): number {
  const head = Math.floor(this.thread.y / this.constants.n);
  const i = this.thread.y - head * this.constants.n;
  const start = Math.min(Math.max(i - this.constants.half, 0), this.constants.m - this.constants.w);
  const key = head * this.constants.m + start + this.thread.x;
  let sum = 0;
  for (let c = 0; c < this.constants.d; c++) {
    sum += q[this.thread.y][c] * k[key][c];
  }
  return sum * this.constants.scale;
}

function windowWeightedSumSource(
  this: IKernelFunctionThis<{n: number; m: number; dv: number; w: number; half: number}>,
  p: Matrix,
  vt: Matrix,
): number {
  const head = Math.floor(this.thread.y / this.constants.n);
  const i = this.thread.y - head * this.constants.n;
  const start = Math.min(Math.max(i - this.constants.half, 0), this.constants.m - this.constants.w);
  const row = head * this.constants.dv + this.thread.x;
  let sum = 0;
  for (let t = 0; t < this.constants.w; t++) {
    sum += p[this.thread.y][t] * vt[row][start + t];
  }
  return sum;
}

/*
 * Linear attention (Katharopoulos et al. 2020), φ(x) = elu(x) + 1:
 *   feature-map:  φ(Q), and φ(K)ᵀ (K's features transposed so the state's reduction is contiguous)
 *   kv-state:     per head Sᵀ[v][a] = Σ_j vᵀ[v][j]·φ(K)ᵀ[a][j] for v < d_v, plus the normaliser
 *                 z[a] = Σ_j φ(K)ᵀ[a][j] stored as row v = d_v
 *   readout:      u[i][v] = Σ_a φ(Q)[i][a]·Sᵀ[v][a] for v ≤ d_v (numerators and the denominator
 *                 in one product), then out[i][v] = u[i][v] / u[i][d_v]
 */
function featureSource(this: IKernelFunctionThis, x: Matrix): number {
  const v = x[this.thread.y][this.thread.x];
  if (v > 0) return v + 1;
  return Math.exp(v);
}

/** φ(K)ᵀ: row = head·d + channel, column = key. */
function featureTransposedSource(this: IKernelFunctionThis<{m: number; d: number}>, k: Matrix): number {
  const head = Math.floor(this.thread.y / this.constants.d);
  const channel = this.thread.y - head * this.constants.d;
  const v = k[head * this.constants.m + this.thread.x][channel];
  if (v > 0) return v + 1;
  return Math.exp(v);
}

/** Sᵀ with the normaliser: row = head·(d_v + 1) + v, column = feature channel a. */
function kvStateSource(
  this: IKernelFunctionThis<{m: number; d: number; dv: number}>,
  fkt: Matrix,
  vt: Matrix,
): number {
  const head = Math.floor(this.thread.y / (this.constants.dv + 1));
  const v = this.thread.y - head * (this.constants.dv + 1);
  const frow = head * this.constants.d + this.thread.x;
  let sum = 0;
  if (v < this.constants.dv) {
    const vrow = head * this.constants.dv + v;
    for (let j = 0; j < this.constants.m; j++) {
      sum += vt[vrow][j] * fkt[frow][j];
    }
  } else {
    for (let j = 0; j < this.constants.m; j++) {
      sum += fkt[frow][j];
    }
  }
  return sum;
}

/** u[y][v] = Σ_a φ(Q)[y][a]·Sᵀ[head·(d_v + 1) + v][a], v ≤ d_v. */
function linearProductSource(
  this: IKernelFunctionThis<{n: number; d: number; dv: number}>,
  fq: Matrix,
  st: Matrix,
): number {
  const head = Math.floor(this.thread.y / this.constants.n);
  const row = head * (this.constants.dv + 1) + this.thread.x;
  let sum = 0;
  for (let a = 0; a < this.constants.d; a++) {
    sum += fq[this.thread.y][a] * st[row][a];
  }
  return sum;
}

function linearDivideSource(this: IKernelFunctionThis<{dv: number}>, u: Matrix): number {
  return u[this.thread.y][this.thread.x] / u[this.thread.y][this.constants.dv];
}

/* ------------------------------------------------------------------ cases */

/** Triad and upload over a rows × 1024 array (2-D so that huge arrays stay within gpu.js's output limits). */
export const TRIAD_COLUMNS = 1024;
export const TRIAD_SCALAR = 1.75;

function transposeHeads(x: Matrix, heads: number, rows: number, cols: number): Matrix {
  // x: [heads·rows][cols] → [heads·cols][rows]
  const out: Matrix = [];
  for (let h = 0; h < heads; h++) {
    for (let c = 0; c < cols; c++) {
      const row = new Float32Array(rows);
      for (let r = 0; r < rows; r++) row[r] = x[h * rows + r][c];
      out.push(row);
    }
  }
  return out;
}

type Make = (source: Source, settings: Settings) => Kernel;

/**
 * Builds the kernels and random inputs of one case. Kernels compile on their first call.
 * `options.asyncMode` defaults to false (synchronous, one thread on WebAssembly).
 */
export function buildCase(
  gpu: GpuInstance,
  spec: CaseSpec,
  random: Random,
  options: KernelOptions = {asyncMode: false},
): BenchCase {
  const make: Make = (source, settings) => kernel(gpu, source, settings, options);
  switch (spec.kernel) {
    case 'empty':
      return emptyCase(make, spec);
    case 'upload':
      return uploadCase(make, spec, random);
    case 'matmul':
      return matmulCase(make, spec, random);
    case 'triad':
      return triadCase(make, spec, random);
    case 'softmax':
      return softmaxCase(make, spec, random);
    case 'linear':
      return linearCase(make, spec, random);
    default:
      return scoreAttentionCase(make, spec, random);
  }
}

async function destroyAll(kernels: Kernel[]): Promise<void> {
  for (const k of kernels) await k.destroy();
}

/**
 * The empty kernel writes THREAD_CELLS cells and computes nothing: its time is the fixed cost of
 * a kernel call (set-up, dispatch, a small readback) at the scale of the smallest real kernels.
 */
function emptyCase(make: Make, spec: Extract<CaseSpec, {kernel: 'empty'}>): BenchCase {
  const k = make(emptySource, {output: [THREAD_CELLS]});
  let out: Matrix = [];
  return {
    spec,
    hostBytes: THREAD_CELLS * FLOAT,
    inputs: {},
    stages: [
      {
        name: 'launch',
        calls: 1,
        transferBytes: 0,
        run: async () => {
          out = [(await call(k)) as unknown as Float32Array];
        },
      },
    ],
    outputs: () => ({out}),
    destroy: () => destroyAll([k]),
  };
}

/** Upload of an n-float argument (rows of TRIAD_COLUMNS) to a kernel that reads one element of it. */
function uploadCase(make: Make, spec: Extract<CaseSpec, {kernel: 'upload'}>, random: Random): BenchCase {
  const rows = Math.max(1, Math.round(spec.n / TRIAD_COLUMNS));
  const a = randomMatrix(rows, TRIAD_COLUMNS, random);
  // THREAD_CELLS cells: dispatched like the empty kernel, so t − t_call is the upload.
  const k = make(uploadSource, {output: [THREAD_CELLS]});
  let out: Matrix = [];
  return {
    spec,
    hostBytes: rows * TRIAD_COLUMNS * FLOAT,
    inputs: {a},
    stages: [
      {
        name: 'upload',
        calls: 1,
        transferBytes: rows * TRIAD_COLUMNS * FLOAT,
        run: async () => {
          out = [(await call(k, a)) as unknown as Float32Array];
        },
      },
    ],
    outputs: () => ({out}),
    destroy: () => destroyAll([k]),
  };
}

function matmulCase(make: Make, spec: Extract<CaseSpec, {kernel: 'matmul'}>, random: Random): BenchCase {
  const {n} = spec;
  const a = randomMatrix(n, n, random);
  const bt = randomMatrix(n, n, random);
  const k = make(matmulSource, {output: [n, n], constants: {n}});
  let c: Matrix = [];
  return {
    spec,
    hostBytes: 3 * n * n * FLOAT,
    inputs: {a, bt},
    stages: [
      {
        name: 'matmul',
        calls: 1,
        transferBytes: 2 * n * n * FLOAT,
        run: async () => {
          c = await call(k, a, bt);
        },
      },
    ],
    outputs: () => ({c}),
    destroy: () => destroyAll([k]),
  };
}

function triadCase(make: Make, spec: Extract<CaseSpec, {kernel: 'triad'}>, random: Random): BenchCase {
  const rows = Math.max(1, Math.round(spec.n / TRIAD_COLUMNS));
  const b = randomMatrix(rows, TRIAD_COLUMNS, random);
  const c = randomMatrix(rows, TRIAD_COLUMNS, random);
  const k = make(triadSource, {output: [TRIAD_COLUMNS, rows], constants: {s: TRIAD_SCALAR}});
  let a: Matrix = [];
  const elements = rows * TRIAD_COLUMNS;
  return {
    spec,
    hostBytes: 3 * elements * FLOAT,
    inputs: {b, c},
    stages: [
      {
        name: 'triad',
        calls: 1,
        transferBytes: 2 * elements * FLOAT,
        run: async () => {
          a = await call(k, b, c);
        },
      },
    ],
    outputs: () => ({a}),
    destroy: () => destroyAll([k]),
  };
}

/** The softmax stage over a rows × cols matrix produced by `source()`; result via `result()`. */
function softmaxStage(make: Make, rows: number, cols: number, source: () => Matrix) {
  const chunks = softmaxChunks(rows, cols);
  // Chunks are never empty: len·(chunks − 1) < cols because chunks ≤ cols.
  const len = Math.ceil(cols / chunks);
  const used = Math.ceil(cols / len);
  const partialK = make(partialLseSource, {output: [used, rows], constants: {cols, len}});
  const combineK = make(combineLseSource, {output: [rows], constants: {chunks: used}});
  const normK = make(normalizeSource, {output: [cols, rows]});
  let p: Matrix = [];
  const stage: Stage = {
    name: 'softmax',
    calls: 3,
    // partial: S; combine: the partial sums; normalize: S and the row sums
    transferBytes: (2 * rows * cols + rows * used + rows) * FLOAT,
    run: async () => {
      const s = source();
      const partial = await call(partialK, s);
      const lse = (await call(combineK, partial)) as unknown as Float32Array;
      p = await call(normK, s, lse);
    },
  };
  return {stage, kernels: [partialK, combineK, normK], result: () => p};
}

function softmaxCase(make: Make, spec: Extract<CaseSpec, {kernel: 'softmax'}>, random: Random): BenchCase {
  const {rows, cols} = spec;
  const s = randomMatrix(rows, cols, random);
  const softmax = softmaxStage(make, rows, cols, () => s);
  return {
    spec,
    hostBytes: 2 * rows * cols * FLOAT,
    inputs: {s},
    stages: [softmax.stage],
    outputs: () => ({p: softmax.result()}),
    destroy: () => destroyAll(softmax.kernels),
  };
}

type AttentionSpec = Extract<CaseSpec, {kernel: AttentionKernel}>;

/** Softmax attention with materialised scores: standard, perceiver (cross) and window. */
function scoreAttentionCase(make: Make, spec: AttentionSpec, random: Random): BenchCase {
  const {queries: n, keys: m, heads: h, headDim: d} = spec;
  const dv = d;
  const banded = spec.kernel === 'window';
  const w = banded ? Math.min(spec.window ?? m, m) : m;
  const half = Math.floor(w / 2);
  const scale = 1 / Math.sqrt(d);
  const q = randomMatrix(h * n, d, random);
  const k = randomMatrix(h * m, d, random);
  const v = randomMatrix(h * m, dv, random);
  const vt = transposeHeads(v, h, m, dv);
  const cols = banded ? w : m;
  const scoresK = banded
    ? make(windowScoresSource, {output: [w, h * n], constants: {n, m, d, w, half, scale}})
    : make(scoresSource, {output: [m, h * n], constants: {n, m, d, scale}});
  let s: Matrix = [];
  const softmax = softmaxStage(make, h * n, cols, () => s);
  const avK = banded
    ? make(windowWeightedSumSource, {output: [dv, h * n], constants: {n, m, dv, w, half}})
    : make(weightedSumSource, {output: [dv, h * n], constants: {n, m, dv}});
  let o: Matrix = [];
  const scoreCells = h * n * cols;
  return {
    spec,
    hostBytes: (h * (n * d + 2 * m * d) + 2 * scoreCells + h * n * dv) * FLOAT,
    inputs: {q, k, v},
    stages: [
      {
        name: 'scores',
        calls: 1,
        transferBytes: (h * n * d + h * m * d) * FLOAT,
        run: async () => {
          s = await call(scoresK, q, k);
        },
      },
      softmax.stage,
      {
        name: 'weighted-sum',
        calls: 1,
        transferBytes: (scoreCells + h * m * dv) * FLOAT,
        run: async () => {
          o = await call(avK, softmax.result(), vt);
        },
      },
    ],
    outputs: () => ({s, p: softmax.result(), o}),
    destroy: () => destroyAll([scoresK, ...softmax.kernels, avK]),
  };
}

function linearCase(make: Make, spec: AttentionSpec, random: Random): BenchCase {
  const {queries: n, keys: m, heads: h, headDim: d} = spec;
  const dv = d;
  const q = randomMatrix(h * n, d, random);
  const k = randomMatrix(h * m, d, random);
  const v = randomMatrix(h * m, dv, random);
  const vt = transposeHeads(v, h, m, dv);
  const featQ = make(featureSource, {output: [d, h * n]});
  const featKt = make(featureTransposedSource, {output: [m, h * d], constants: {m, d}});
  const stateK = make(kvStateSource, {output: [d, h * (dv + 1)], constants: {m, d, dv}});
  const productK = make(linearProductSource, {output: [dv + 1, h * n], constants: {n, d, dv}});
  const divideK = make(linearDivideSource, {output: [dv, h * n], constants: {dv}});
  let fq: Matrix = [];
  let fkt: Matrix = [];
  let st: Matrix = [];
  let o: Matrix = [];
  return {
    spec,
    hostBytes: (2 * h * n * d + 4 * h * m * d + h * (dv + 1) * d + 2 * h * n * (dv + 1)) * FLOAT,
    inputs: {q, k, v},
    stages: [
      {
        name: 'feature-map',
        calls: 2,
        transferBytes: (h * n * d + h * m * d) * FLOAT,
        run: async () => {
          fq = await call(featQ, q);
          fkt = await call(featKt, k);
        },
      },
      {
        name: 'kv-state',
        calls: 1,
        transferBytes: (h * m * d + h * m * dv) * FLOAT,
        run: async () => {
          st = await call(stateK, fkt, vt);
        },
      },
      {
        name: 'readout',
        calls: 2,
        // product: φ(Q) and Sᵀ; divide: u
        transferBytes: (h * n * d + h * (dv + 1) * d + h * n * (dv + 1)) * FLOAT,
        run: async () => {
          const u = await call(productK, fq, st);
          o = await call(divideK, u);
        },
      },
    ],
    outputs: () => ({fq, fkt, st, o}),
    destroy: () => destroyAll([featQ, featKt, stateK, productK, divideK]),
  };
}
