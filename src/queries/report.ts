/**
 * `attncap report` (the default command, docs/design.md §2.0): for one model across several devices and
 * variants, the longest sequence that fits, the cost at a reference length, and the curve of
 * memory vs n against each device's usable capacity.
 */

import {InvalidInputError} from '../errors.js';
import {evaluate} from '../model/engine.js';
import type {MemoryBreakdown} from '../model/memory.js';
import {SOLVER_LIMIT} from '../model/solvers.js';
import {atSeq} from '../model/workload.js';
import {asField, type ResolvedScenario} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning} from '../scenario/warnings.js';
import {formatBytes, parseSeqList} from '../units.js';
import {
  contextWarnings,
  echoCapacity,
  echoPlacement,
  type FitFields,
  fitAt,
  fitWarnings,
  type LatencyBound,
  type VariantFields,
  variantFields,
} from './capacity.js';
import {layerLabel} from './cost.js';
import {type Binding, solveOne} from './max-seq.js';

type CapacityContext = ResolvedScenario;

export const DEFAULT_REFERENCE_SEQ = 8192;

export interface ReportRow extends VariantFields, FitFields {
  hardware: string;
  /** Longest sequence that fits, capped at the model's context length; null when nothing fits or above 2^40 (see binding). */
  maxSeq: number | null;
  /** What memory alone allows, before the context cap (max-seq's maxSeqMemory). */
  maxSeqMemory: number | null;
  binding: Binding;
  /** Largest memory term at maxSeq. */
  dominantTerm: string | null;
  /** The reference length the following numbers are for. */
  seq: number;
  flops: number;
  memory: MemoryBreakdown;
  seconds: number;
  idealSeconds: number;
  bound: LatencyBound;
}

export interface VariantFacts {
  label: string;
  family: string;
  exact: boolean;
  tradeoff: string;
}

export interface MemoryCurve {
  /** log₂-spaced sequence lengths from 512 to the largest that fits. */
  xs: number[];
  /** Per variant: the model's peak demand without the device reserve. */
  series: {variant: string; values: number[]}[];
  /** Per device: capacity minus the reserve. */
  capacities: {hardware: string; name: string; usableBytes: number}[];
}

export interface ReportQuery {
  ctx: CapacityContext;
  inputs: Record<string, unknown>;
  rows: ReportRow[];
  facts: VariantFacts[];
  curve: MemoryCurve;
  referenceSeq: number;
  /** The model's parameters with its own layers (the headline), however it is split across GPUs. */
  params: number;
  warnings: Warning[];
}

/** The chart stops at 2^26 tokens (64M): beyond it every curve is a straight line on log axes. */
const CURVE_MAX_LOG2 = 26;

export function runReport(ctx: ResolvedScenario): ReportQuery {
  const seqs =
    ctx.seqText === undefined
      ? [DEFAULT_REFERENCE_SEQ]
      : asField(ctx, () => parseSeqList(ctx.seqText as string, 'seq'));
  if (seqs.length !== 1) {
    throw new InvalidInputError(
      `--seq '${ctx.seqText}' gives ${seqs.length} lengths; the report takes one reference length`,
      {
        path: ['seq'],
        hint: 'e.g. --seq 32k; use attncap sweep for a range.',
      },
    );
  }
  const referenceSeq = seqs[0];
  const rows: ReportRow[] = [];
  let largest = 512;
  for (const variant of ctx.variants) {
    for (const hw of ctx.hardware) {
      const solved = solveOne(ctx, variant, hw, {solve: 'seq', seq: 0});
      // The chart shows where memory runs out, so it spans what memory allows, not the context cap.
      const reach = solved.maxSeqMemory ?? solved.maxSeq;
      if (reach !== null) largest = Math.max(largest, reach);
      if (solved.binding === 'unbounded') largest = SOLVER_LIMIT;
      const w = atSeq(ctx.workload.base, referenceSeq);
      const p = ctx.profile.point(ctx.model, w, variant, hw);
      rows.push({
        ...variantFields(ctx.model, variant),
        hardware: hw.id,
        maxSeq: solved.maxSeq,
        maxSeqMemory: solved.maxSeqMemory,
        binding: solved.binding,
        dominantTerm: solved.dominantTerm,
        seq: referenceSeq,
        ...fitAt(ctx, w, variant, hw),
        flops: p.flops,
        memory: p.memory,
        seconds: p.latency.seconds,
        idealSeconds: p.latency.idealSeconds,
        bound: p.latency.bound,
      });
    }
  }
  const facts = ctx.variants.map(v => ({
    label: layerLabel(ctx.model, v),
    family: v?.def.family ?? 'model',
    exact: v?.def.exact ?? true,
    tradeoff: v?.def.tradeoff ?? '',
  }));
  return {
    ctx,
    rows,
    facts,
    curve: memoryCurve(ctx, largest),
    referenceSeq,
    params: evaluate(ctx.model, atSeq(ctx.workload.base, referenceSeq), undefined).params,
    warnings: uniqueWarnings([
      ...ctx.warnings,
      ...contextWarnings(ctx, [referenceSeq]),
      ...fitWarnings(rows, n => formatBytes(n)),
    ]),
    inputs: {...echoCapacity(ctx), ...echoPlacement(ctx), referenceSeq},
  };
}

function memoryCurve(ctx: CapacityContext, largest: number): MemoryCurve {
  const top = Math.min(CURVE_MAX_LOG2, Math.max(10, Math.ceil(Math.log2(largest))));
  const xs: number[] = [];
  for (let k = 9; k <= top; k++) xs.push(2 ** k);
  const hw = ctx.hardware[ctx.hardware.length - 1];
  const series = ctx.variants.map(variant => ({
    variant: layerLabel(ctx.model, variant),
    values: xs.map(n => ctx.profile.demandBytes(ctx.model, atSeq(ctx.workload.base, n), variant, hw)),
  }));
  const capacities = ctx.hardware.map(h => ({
    hardware: h.id,
    name: h.name,
    usableBytes: ctx.profile.usableBytes(h),
  }));
  return {xs, series, capacities};
}
