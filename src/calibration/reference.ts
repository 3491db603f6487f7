/**
 * Plain-JavaScript float64 references of every benchmark kernel (docs/design.md §7: results are checked
 * against a reference before they are timed). References are computed for a few sampled rows of
 * each output — exact, just not for all rows: a full float64 reference of a 2048-token attention
 * would take longer than the benchmark itself.
 */
import {
  type BenchCase,
  type CaseSpec,
  type Matrix,
  THREAD_CELLS,
  TRIAD_COLUMNS,
  TRIAD_SCALAR,
} from './kernels.js';

/** Expected rows of one output array. */
export interface ExpectedRows {
  rows: number[];
  values: Float64Array[];
}

/** Largest normwise relative error |x − ref|∞ / |ref|∞ accepted from float32 kernels. */
export const FLOAT32_TOLERANCE = 1e-4;

export interface CheckResult {
  ok: boolean;
  /** Worst normwise relative error over the checked outputs. */
  maxError: number;
  /** Output whose error was worst. */
  output: string;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>, length: number): number {
  let s = 0;
  for (let i = 0; i < length; i++) s += a[i] * b[i];
  return s;
}

function softmaxRow(scores: Float64Array): Float64Array {
  let mx = Number.NEGATIVE_INFINITY;
  for (const s of scores) mx = Math.max(mx, s);
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let j = 0; j < scores.length; j++) {
    out[j] = Math.exp(scores[j] - mx);
    sum += out[j];
  }
  for (let j = 0; j < scores.length; j++) out[j] /= sum;
  return out;
}

/** φ(x) = elu(x) + 1. */
export function elu1(x: number): number {
  return x > 0 ? x + 1 : Math.exp(x);
}

/** Window start of query i: centred, shifted inward at the edges (see kernels.ts). */
export function windowStart(i: number, w: number, m: number): number {
  return Math.min(Math.max(i - Math.floor(w / 2), 0), m - w);
}

/** Row indices to check: evenly spaced from the first to the last row (deterministic). */
export function sampleRows(count: number, wanted = 8): number[] {
  if (count <= wanted) return Array.from({length: count}, (_, i) => i);
  return Array.from({length: wanted}, (_, i) => Math.floor((i * (count - 1)) / (wanted - 1)));
}

/** Reference values of the named outputs of a case at the given output rows. */
export function reference(spec: CaseSpec, inputs: Record<string, Matrix>): Record<string, ExpectedRows> {
  switch (spec.kernel) {
    case 'empty':
      // thread.x + 1 over THREAD_CELLS cells.
      return {out: {rows: [0], values: [Float64Array.from({length: THREAD_CELLS}, (_, x) => x + 1)]}};
    case 'upload':
      return {
        out: {rows: [0], values: [Float64Array.from({length: THREAD_CELLS}, (_, x) => inputs.a[0][0] + x)]},
      };
    case 'matmul': {
      const {a, bt} = inputs;
      const rows = sampleRows(spec.n);
      return {c: {rows, values: rows.map(r => Float64Array.from(bt, col => dot(a[r], col, spec.n)))}};
    }
    case 'triad': {
      const {b, c} = inputs;
      const rows = sampleRows(b.length);
      const values = rows.map(r =>
        Float64Array.from({length: TRIAD_COLUMNS}, (_, x) => b[r][x] + TRIAD_SCALAR * c[r][x]),
      );
      return {a: {rows, values}};
    }
    case 'softmax': {
      const rows = sampleRows(spec.rows);
      return {p: {rows, values: rows.map(r => softmaxRow(Float64Array.from(inputs.s[r])))}};
    }
    case 'linear':
      return linearReference(spec, inputs);
    default:
      return attentionReference(spec, inputs);
  }
}

type AttentionSpec = Extract<CaseSpec, {queries: number}>;

function attentionReference(
  spec: AttentionSpec,
  inputs: Record<string, Matrix>,
): Record<string, ExpectedRows> {
  const {queries: n, keys: m, heads: h, headDim: d} = spec;
  const {q, k, v} = inputs;
  const w = spec.kernel === 'window' ? Math.min(spec.window ?? m, m) : m;
  const scale = 1 / Math.sqrt(d);
  const rows = sampleRows(h * n);
  const s: Float64Array[] = [];
  const p: Float64Array[] = [];
  const o: Float64Array[] = [];
  for (const y of rows) {
    const head = Math.floor(y / n);
    const i = y - head * n;
    const start = spec.kernel === 'window' ? windowStart(i, w, m) : 0;
    const scores = Float64Array.from({length: w}, (_, t) => scale * dot(q[y], k[head * m + start + t], d));
    const probs = softmaxRow(scores);
    const out = new Float64Array(d);
    for (let t = 0; t < w; t++) {
      const vrow = v[head * m + start + t];
      for (let c = 0; c < d; c++) out[c] += probs[t] * vrow[c];
    }
    s.push(scores);
    p.push(probs);
    o.push(out);
  }
  return {s: {rows, values: s}, p: {rows, values: p}, o: {rows, values: o}};
}

function linearReference(spec: AttentionSpec, inputs: Record<string, Matrix>): Record<string, ExpectedRows> {
  const {queries: n, keys: m, heads: h, headDim: d} = spec;
  const {q, k, v} = inputs;
  const rows = sampleRows(h * n);
  const o: Float64Array[] = [];
  // Per-head state S[a][c] = Σ_j φ(k_j)[a]·v_j[c] and normaliser z[a] = Σ_j φ(k_j)[a].
  const states = new Map<number, {s: Float64Array; z: Float64Array}>();
  for (const y of rows) {
    const head = Math.floor(y / n);
    let state = states.get(head);
    if (!state) {
      const s = new Float64Array(d * d);
      const z = new Float64Array(d);
      for (let j = 0; j < m; j++) {
        const kr = k[head * m + j];
        const vr = v[head * m + j];
        for (let a = 0; a < d; a++) {
          const f = elu1(kr[a]);
          z[a] += f;
          for (let c = 0; c < d; c++) s[a * d + c] += f * vr[c];
        }
      }
      state = {s, z};
      states.set(head, state);
    }
    const fq = Float64Array.from(q[y], elu1);
    const den = dot(fq, state.z, d);
    const out = new Float64Array(d);
    for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) out[c] += fq[a] * state.s[a * d + c];
    for (let c = 0; c < d; c++) out[c] /= den;
    o.push(out);
  }
  const fqRows = sampleRows(h * n);
  return {
    fq: {rows: fqRows, values: fqRows.map(r => Float64Array.from(q[r], elu1))},
    o: {rows, values: o},
  };
}

/** Normwise relative error of the checked rows: max |x − ref| / max |ref|. */
export function normwiseError(actual: Matrix, expected: ExpectedRows): number {
  let err = 0;
  let scale = 0;
  for (let r = 0; r < expected.rows.length; r++) {
    const row = actual[expected.rows[r]];
    const ref = expected.values[r];
    if (!row || row.length < ref.length) return Number.POSITIVE_INFINITY;
    for (let c = 0; c < ref.length; c++) {
      const e = Math.abs(row[c] - ref[c]);
      if (!(e <= err)) err = Number.isNaN(e) ? Number.POSITIVE_INFINITY : e;
      scale = Math.max(scale, Math.abs(ref[c]));
    }
  }
  return scale > 0 ? err / scale : err;
}

/** Compares a case's outputs (after one run) with the float64 reference. */
export function checkCase(benchCase: BenchCase, tolerance = FLOAT32_TOLERANCE): CheckResult {
  const expected = reference(benchCase.spec, benchCase.inputs);
  const actual = benchCase.outputs();
  let worst: CheckResult = {ok: true, maxError: 0, output: ''};
  for (const [name, rows] of Object.entries(expected)) {
    const got = actual[name];
    const error = got ? normwiseError(got, rows) : Number.POSITIVE_INFINITY;
    if (error > worst.maxError || worst.output === '')
      worst = {ok: error <= tolerance, maxError: error, output: name};
  }
  return {...worst, ok: worst.maxError <= tolerance};
}
