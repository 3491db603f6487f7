/**
 * `attncap sweep`: one metric (FLOPs, HBM bytes, peak memory, expected latency) over a range of
 * sequence lengths, batches or model widths, for several variants (and devices, for latency).
 * Built for large sweeps: one evaluation per point, values kept in flat arrays; the per-point
 * JSON rows are built only when asked for.
 */
import {checkBudget, SWEEP_MAX_POINTS, SWEEP_POINTS_CEILING} from '../budget.js';
import {InvalidInputError} from '../errors.js';
import {evaluate} from '../model/engine.js';
import {attentionShape, memoryOf} from '../model/memory.js';
import {atSeq, type Workload} from '../model/workload.js';
import {asField, type ResolvedScenario, scenarioSeqs} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning, warning} from '../scenario/warnings.js';
import type {ModelPreset} from '../schema/presets.js';
import {formatBytes, formatInt, parseSeqList} from '../units.js';
import {
  contextWarnings,
  echoCapacity,
  echoPlacement,
  keepsCache,
  secondsOf,
  type VariantFields,
  variantFields,
} from './capacity.js';

type CapacityContext = ResolvedScenario;

export type SweepMetric = 'flops' | 'bytes' | 'memory' | 'latency';
export type SweepOver = 'seq' | 'batch' | 'd-model';

/** The JSON field of each metric (units in names, docs/design.md §2.2). */
export const METRIC_FIELD: Record<SweepMetric, 'flops' | 'hbmBytes' | 'memoryBytes' | 'seconds'> = {
  flops: 'flops',
  bytes: 'hbmBytes',
  memory: 'memoryBytes',
  latency: 'seconds',
};

export interface SweepOptions {
  metric?: SweepMetric;
  over?: SweepOver;
  /** Values of batch or d-model to sweep (with over batch / d-model), e.g. '1..256'. */
  range?: string;
  /** --max-points: the work budget (docs/limits.md), when raised. */
  maxPoints?: number;
}

export interface SweepSeries extends VariantFields {
  /** Device of a latency series (or of the fit columns); null for device-independent metrics. */
  hardware: string | null;
  values: Float64Array;
  /** With a device: 1 where the set-up fits it, 0 where it does not. */
  fits?: Uint8Array;
  /** With a device: memory each point needs (without the reserve) and the usable memory. */
  memoryBytes?: Float64Array;
  usableBytes?: number;
}

export interface SweepRow extends VariantFields {
  hardware: string | null;
  seq: number;
  batch: number;
  dModel: number;
  flops?: number;
  hbmBytes?: number;
  memoryBytes?: number;
  seconds?: number;
  /** With a device: whether the point fits, and the usable memory its memoryBytes is held against. */
  fits?: boolean;
  usableBytes?: number;
}

export interface SweepQuery {
  ctx: CapacityContext;
  inputs: Record<string, unknown>;
  metric: SweepMetric;
  over: SweepOver;
  xs: number[];
  series: SweepSeries[];
  warnings: Warning[];
}

const NO_RESERVE = {capacityBytes: 1, runtimeReserveBytes: 0, memoryReserveFraction: 0};

function widened(model: ModelPreset, d: number): ModelPreset {
  // A wider model keeps its head count; d_h follows d, and a 4·d FFN stays 4·d.
  return {
    ...model,
    dModel: d,
    headDim: undefined,
    dFf: model.dFf === undefined || model.dFf === 4 * model.dModel ? 4 * d : model.dFf,
  };
}

export function runSweep(ctx: ResolvedScenario, opts: SweepOptions = {}): SweepQuery {
  const metric = opts.metric ?? 'flops';
  const over = opts.over ?? 'seq';
  const needsDevice = metric === 'latency' || (metric === 'memory' && ctx.profile.id === 'textbook');
  let xs: number[];
  let fixedSeq = 0;
  if (over === 'seq') {
    if (opts.range !== undefined) {
      throw new InvalidInputError(
        '--range is for --over batch or d-model; sweep sequence lengths with --seq',
        {path: ['range'], hint: 'e.g. --seq 512..64k'},
      );
    }
    xs = asField(ctx, () => parseSeqList(ctx.seqText ?? '512..64k', 'seq'));
  } else {
    if (opts.range === undefined) {
      throw new InvalidInputError(`--over ${over} needs --range, the values to sweep`, {
        path: ['range'],
        hint: over === 'batch' ? 'e.g. --range 1..256' : 'e.g. --range 256..8k',
      });
    }
    xs = parseSeqList(opts.range, 'range');
    const seqs = scenarioSeqs(ctx).values;
    if (seqs.length !== 1) {
      throw new InvalidInputError(
        `--seq '${ctx.seqText}' gives ${seqs.length} lengths; with --over ${over} it is the one fixed length`,
        {path: ['seq'], hint: 'e.g. --seq 8k'},
      );
    }
    fixedSeq = seqs[0];
  }
  // A device in play (latency, or named by the scenario) also gives each point's fit.
  const devices = needsDevice || ctx.hardware.length > 0 ? ctx.hardware : [undefined];
  checkBudget({
    command: 'sweep',
    unit: 'points',
    product: xs.length * ctx.variants.length * devices.length,
    factors: `${formatInt(xs.length)} ${over === 'seq' ? 'lengths' : 'values'} × ${ctx.variants.length} variants × ${devices.length} hardware`,
    limit: SWEEP_MAX_POINTS,
    maxPoints: opts.maxPoints,
    ceiling: SWEEP_POINTS_CEILING,
    advice: 'use fewer values (larger steps), variants or hardware',
  });
  const base = ctx.workload.base;
  const profile = ctx.profile;
  const series: SweepSeries[] = [];
  let outside = 0;
  let example = '';
  for (const variant of ctx.variants) {
    for (const hw of devices) {
      const values = new Float64Array(xs.length);
      const fits = hw ? new Uint8Array(xs.length) : undefined;
      const memoryBytes = hw ? new Float64Array(xs.length) : undefined;
      const usableBytes = hw ? profile.usableBytes(hw) : undefined;
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i];
        const model = over === 'd-model' ? widened(ctx.model, x) : ctx.model;
        const w: Workload =
          over === 'seq'
            ? atSeq(base, x)
            : over === 'batch'
              ? atSeq(base, fixedSeq, x)
              : atSeq(base, fixedSeq);
        if (profile.id === 'textbook' && hw && (metric === 'latency' || metric === 'memory')) {
          values[i] =
            metric === 'latency'
              ? profile.seconds(model, w, variant, hw)
              : profile.demandBytes(model, w, variant, hw);
        } else {
          const e = evaluate(model, w, variant);
          if (metric === 'flops') values[i] = e.totals.flops;
          else if (metric === 'bytes') values[i] = e.totals.hbmBytes;
          // The model's demand: the peak without the device's reserve, so that series compare across devices.
          else if (metric === 'memory')
            values[i] = memoryOf(e, w, NO_RESERVE, keepsCache(model, w), attentionShape(model)).totalBytes;
          else if (hw) values[i] = secondsOf(e, w, hw);
        }
        if (hw && fits && memoryBytes && usableBytes !== undefined) {
          const demand = profile.demandBytes(model, w, variant, hw);
          memoryBytes[i] = demand;
          fits[i] = demand <= usableBytes ? 1 : 0;
          if (fits[i] === 0) {
            outside++;
            if (example === '')
              example = `${variantFields(ctx.model, variant).variantLabel} at ${over} = ${formatInt(x)} on ${hw.id} needs ${formatBytes(demand)} of ${formatBytes(usableBytes)} usable`;
          }
        }
      }
      series.push({
        ...variantFields(ctx.model, variant),
        hardware: hw?.id ?? null,
        values,
        ...(fits && memoryBytes ? {fits, memoryBytes, usableBytes} : {}),
      });
    }
  }
  const total = series.length * xs.length;
  const fitWarning: Warning[] =
    outside > 0
      ? [
          warning(
            'does-not-fit',
            `${formatInt(outside)} of ${formatInt(total)} points do not fit in device memory (fits: false; "does not fit" in the table): e.g. ${example}`,
          ),
        ]
      : [];
  return {
    ctx,
    metric,
    over,
    xs,
    series,
    warnings: uniqueWarnings([
      ...(devices[0]
        ? ctx.warnings
        : ctx.warnings.filter(w => w.code !== 'dtype-fallback' && w.code !== 'default-calibration')),
      ...(over === 'seq' ? contextWarnings(ctx, xs) : contextWarnings(ctx, [fixedSeq])),
      ...fitWarning,
    ]),
    inputs: {
      ...echoCapacity(ctx),
      ...echoPlacement(ctx),
      ...(devices[0] ? {} : {hardware: []}),
      metric,
      over,
      points: xs.length,
      ...(over === 'seq'
        ? {seq: {spec: ctx.seqText ?? '512..64k (default)'}}
        : {seq: fixedSeq, range: opts.range}),
    },
  };
}

/** One JSON row per series × point. */
export function sweepRows(q: SweepQuery): SweepRow[] {
  const field = METRIC_FIELD[q.metric];
  const base = q.ctx.workload.base;
  const rows: SweepRow[] = [];
  const fixedSeq = (q.inputs.seq as number | undefined) ?? 0;
  for (const s of q.series) {
    for (let i = 0; i < q.xs.length; i++) {
      const x = q.xs[i];
      rows.push({
        variant: s.variant,
        variantParams: s.variantParams,
        variantLabel: s.variantLabel,
        hardware: s.hardware,
        seq: q.over === 'seq' ? x : fixedSeq,
        batch: q.over === 'batch' ? x : base.batch,
        dModel: q.over === 'd-model' ? x : q.ctx.model.dModel,
        [field]: s.values[i],
        ...(s.fits && s.memoryBytes
          ? {fits: s.fits[i] === 1, memoryBytes: s.memoryBytes[i], usableBytes: s.usableBytes}
          : {}),
      });
    }
  }
  return rows;
}
