/**
 * Published attention benchmarks (calibration/published/attention.json) and the pure functions
 * that predict them with the library, fit an implementation's efficiencies to them, and summarise
 * the error by group (docs/calibration-presets.md). Used by `npm run fidelity` (scripts/fidelity.ts).
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {z} from 'zod';
import {evaluate} from '../model/engine.js';
import {IMPL_DEFS, IMPLS, type Impl, resolveImpls} from '../model/impl.js';
import {componentSeconds} from '../model/roofline.js';
import {DETAILED_ACCOUNTING} from '../model/types.js';
import {resolveVariant} from '../model/variants/index.js';
import type {Workload} from '../model/workload.js';
import {packageRoot} from '../presets/paths.js';
import {matrixPeak} from '../presets/peaks.js';
import {type HardwarePreset, type ModelPreset, modelPresetSchema} from '../schema/presets.js';
import {type ImplementationEfficiency, type Profile, ratesFromProfile} from '../schema/profile.js';

export const publishedRowSchema = z.strictObject({
  source: z.string().min(1),
  hardware: z.string().min(1),
  impl: z.enum(IMPLS),
  pass: z.enum(['fwd', 'fwd+bwd']),
  batch: z.number().int().positive(),
  heads: z.number().int().positive(),
  headDim: z.number().int().positive(),
  seq: z.number().int().positive(),
  causal: z.boolean(),
  tflops: z.number().positive().optional(),
  ms: z.number().positive().optional(),
  oom: z.boolean().optional(),
  role: z.enum(['fit', 'check']).describe('fit: the profiles were fitted to it; check: held out'),
});
export type PublishedRow = z.infer<typeof publishedRowSchema>;

export const publishedFileSchema = z.strictObject({
  description: z.string(),
  rows: z.array(publishedRowSchema),
});

/** The rows of calibration/published/attention.json, parsed strictly. */
export function loadPublishedRows(): PublishedRow[] {
  const text = readFileSync(join(packageRoot, 'calibration', 'published', 'attention.json'), 'utf8');
  return publishedFileSchema.parse(JSON.parse(text)).rows;
}

/** FLOPs of a row in the sources' convention: 4·b·n²·h·d_h, halved when causal, ×3.5 fwd+bwd. */
export function publishedFlops(
  r: Pick<PublishedRow, 'batch' | 'seq' | 'heads' | 'headDim' | 'causal' | 'pass'>,
): number {
  const fwd = (4 * r.batch * r.seq * r.seq * r.heads * r.headDim) / (r.causal ? 2 : 1);
  return r.pass === 'fwd' ? fwd : 3.5 * fwd;
}

/** Published seconds (from ms, or TFLOP/s through the FLOP convention); undefined for OOM rows. */
export function publishedSeconds(r: PublishedRow): number | undefined {
  if (r.ms !== undefined) return r.ms / 1e3;
  if (r.tflops !== undefined) return publishedFlops(r) / (r.tflops * 1e12);
  return undefined;
}

/** The variant a row's implementation runs: materialised `standard` or fused `flash`. */
export function variantOf(impl: Impl): 'standard' | 'flash' {
  return IMPL_DEFS[impl].family === 'attention-materialized' ? 'standard' : 'flash';
}

/** One attention layer with the benchmark's heads and head dim (d = h·d_h), as `--scope attention` sees it. */
export function benchModel(heads: number, headDim: number): ModelPreset {
  return modelPresetSchema().parse({
    id: 'attention-benchmark',
    name: `attention benchmark (${heads} heads x ${headDim})`,
    architecture: 'transformer',
    dModel: heads * headDim,
    heads,
    headDim,
    layers: 1,
    causal: false,
    sources: [{title: 'Dao-AILab/flash-attention benchmarks/benchmark_flash_attention.py'}],
  });
}

export function benchWorkload(r: PublishedRow): Workload {
  return {
    batch: r.batch,
    seq: r.seq,
    mode: r.pass === 'fwd' ? 'prefill' : 'train',
    causal: r.causal,
    dtype: 'fp16',
    bytes: 2,
    weightBytes: 2,
    kvBytes: 2,
    recompute: 'none',
    scope: 'attention',
    accounting: DETAILED_ACCOUNTING,
    impl: r.impl,
  };
}

/** Predicted seconds of a row on `hw` with `profile`, optionally with one implementation's entry replaced. */
export function predictRow(
  r: PublishedRow,
  hw: HardwarePreset,
  profile: Pick<Profile, 'families' | 'implementations'>,
  entry?: ImplementationEfficiency,
): number {
  const implementations = entry ? {...profile.implementations, [r.impl]: entry} : profile.implementations;
  const impls = resolveImpls({vendor: hw.vendor, computeCapability: hw.computeCapability}, r.impl);
  const rates = ratesFromProfile(
    {families: profile.families, implementations},
    {
      matrix: matrixPeak(hw, 'fp16').flopsPerSec,
      vector: hw.vectorFlopsPerSec,
      bandwidth: hw.bandwidthBytesPerSec,
    },
    {impls, slots: hw.streamingMultiprocessors},
  );
  const e = evaluate(benchModel(r.heads, r.headDim), benchWorkload(r), resolveVariant(variantOf(r.impl)));
  let seconds = 0;
  for (const c of e.components)
    seconds += componentSeconds(c, rates, DETAILED_ACCOUNTING.flopsPerMac).seconds;
  return seconds;
}

/** Signed error in percent: 100·(predicted − published)/published (negative: predicted faster). */
export function errorPct(predicted: number, published: number): number {
  return (100 * (predicted - published)) / published;
}

export type FitParam =
  | 'matrixEfficiency'
  | 'backwardMatrixEfficiency'
  | 'memoryEfficiency'
  | 'launchSeconds'
  | 'hostSeconds'
  | 'tileOverheadSteps';

const RANGES: Readonly<Record<FitParam, [number, number]>> = {
  matrixEfficiency: [0.05, 1],
  backwardMatrixEfficiency: [0.05, 1],
  memoryEfficiency: [0.1, 1],
  launchSeconds: [0, 200e-6],
  hostSeconds: [0, 400e-6],
  tileOverheadSteps: [0, 4],
};

/**
 * Least squares in log time of the `free` parameters of one implementation entry over its rows:
 * coordinate-wise grid refinement (41 points per axis, the span shrunk 4× per round, 6 rounds),
 * the other parameters held at `start`. Pure: `predict` is the model for one row and one entry.
 */
export function fitEntry(
  rows: readonly PublishedRow[],
  start: ImplementationEfficiency,
  free: readonly FitParam[],
  predict: (r: PublishedRow, e: ImplementationEfficiency) => number,
): {entry: ImplementationEfficiency; rmsLogError: number} {
  const timed = rows.filter(r => publishedSeconds(r) !== undefined);
  const loss = (e: ImplementationEfficiency): number => {
    let sum = 0;
    for (const r of timed) {
      const d = Math.log(predict(r, e) / (publishedSeconds(r) as number));
      sum += d * d;
    }
    return sum;
  };
  let best = {...start};
  let bestLoss = loss(best);
  const span: Record<string, number> = {};
  for (const p of free) span[p] = (RANGES[p][1] - RANGES[p][0]) / 2;
  for (let round = 0; round < 6; round++) {
    for (let sweep = 0; sweep < 2; sweep++) {
      for (const p of free) {
        const [lo, hi] = RANGES[p];
        const center = (best[p] as number | undefined) ?? (lo + hi) / 2;
        for (let i = 0; i <= 40; i++) {
          const v = Math.min(hi, Math.max(lo, center - span[p]! + (2 * span[p]! * i) / 40));
          const candidate = {...best, [p]: v};
          const l = loss(candidate);
          if (l < bestLoss) {
            best = candidate;
            bestLoss = l;
          }
        }
      }
    }
    for (const p of free) span[p] = span[p]! / 4;
  }
  return {entry: best, rmsLogError: Math.sqrt(bestLoss / Math.max(1, timed.length))};
}

export interface RowResult {
  row: PublishedRow;
  published: number;
  predicted: number;
  error: number;
}

export interface GroupStats {
  group: string;
  role: PublishedRow['role'];
  points: number;
  medianAbsPct: number;
  maxAbsPct: number;
}

/** Group key: implementation × hardware × head dim × causal × direction. */
export function groupKey(r: PublishedRow): string {
  return `${r.impl} ${r.hardware} d${r.headDim} ${r.causal ? 'causal' : 'non-causal'} ${r.pass}`;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Median and worst absolute error per `key` of the results. */
export function summarise(
  results: readonly RowResult[],
  key: (r: PublishedRow) => string = groupKey,
): GroupStats[] {
  const groups = new Map<string, RowResult[]>();
  for (const r of results) {
    const k = key(r.row);
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  return [...groups].map(([group, list]) => {
    const abs = list.map(r => Math.abs(r.error));
    return {
      group,
      role: list.some(r => r.row.role === 'fit') ? 'fit' : 'check',
      points: list.length,
      medianAbsPct: median(abs),
      maxAbsPct: Math.max(...abs),
    };
  });
}
