/**
 * `attncap latency`: roofline latency (docs/capacity.md) of each variant × sequence length on
 * each device: expected (calibrated efficiencies, launch overheads) and ideal (the peaks: the
 * floor), tokens per second, per component the bound and arithmetic intensity, and whether the
 * set-up fits the device at all (a speed that cannot be had is marked, never silently shown).
 */

import type {StepBreakdown} from '../model/step.js';
import {atSeq} from '../model/workload.js';
import {type ResolvedScenario, scenarioSeqs} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning} from '../scenario/warnings.js';
import {formatBytes} from '../units.js';
import {
  type ComponentLatency,
  contextWarnings,
  echoCapacity,
  echoPlacement,
  type FitFields,
  fitAt,
  fitWarnings,
  gpusField,
  type LatencyBound,
  type VariantFields,
  variantFields,
} from './capacity.js';

export interface LatencyRow extends VariantFields, FitFields {
  seq: number;
  batch: number;
  hardware: string;
  /** A split model (docs/parallelism.md): its GPUs; memory (fits) is then one GPU's, time one replica's. */
  gpus?: number;
  seconds: number;
  idealSeconds: number;
  tokensPerSec: number;
  /** The bound that accounts for most of the expected time. */
  bound: LatencyBound;
  components: ComponentLatency[];
  /** A split model: the step's kernel, collective and pipeline terms (serve's step breakdown). */
  step?: StepBreakdown;
}

export interface LatencyQuery {
  ctx: ResolvedScenario;
  inputs: Record<string, unknown>;
  rows: LatencyRow[];
  warnings: Warning[];
}

export function runLatency(r: ResolvedScenario): LatencyQuery {
  const seqs = scenarioSeqs(r);
  const rows: LatencyRow[] = [];
  for (const variant of r.variants) {
    for (const seq of seqs.values) {
      for (const hw of r.hardware) {
        const w = atSeq(r.workload.base, seq);
        const l = r.profile.point(r.model, w, variant, hw).latency;
        rows.push({
          ...variantFields(r.model, variant),
          seq,
          batch: w.batch,
          hardware: hw.id,
          ...gpusField(r),
          ...fitAt(r, w, variant, hw),
          seconds: l.seconds,
          idealSeconds: l.idealSeconds,
          tokensPerSec: l.tokensPerSec,
          bound: l.bound,
          components: l.components,
          ...(l.step ? {step: l.step} : {}),
        });
      }
    }
  }
  return {
    ctx: r,
    rows,
    warnings: uniqueWarnings([
      ...r.warnings,
      ...contextWarnings(r, seqs.values),
      ...fitWarnings(rows, n => formatBytes(n)),
    ]),
    inputs: {
      ...echoCapacity(r),
      ...echoPlacement(r),
      seq: seqs,
      peaks: Object.fromEntries(r.hardware.map(h => [h.id, h.peaks])),
      profiles: Object.fromEntries(r.hardware.map(h => [h.id, h.profileSource])),
    },
  };
}
