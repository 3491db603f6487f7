/**
 * `attncap latency`: roofline latency (docs/capacity.md) of each variant × sequence length on
 * each device: expected (calibrated efficiencies, launch overheads) and ideal (the peaks: the
 * floor), tokens per second, per component the bound and arithmetic intensity, and whether the
 * set-up fits the device at all (a speed that cannot be had is marked, never silently shown).
 */

import type {Bound} from '../model/roofline.js';
import {atSeq} from '../model/workload.js';
import {type ResolvedScenario, scenarioSeqs} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning} from '../scenario/warnings.js';
import {formatBytes} from '../units.js';
import {
  type ComponentLatency,
  contextWarnings,
  echoCapacity,
  type FitFields,
  fitAt,
  fitWarnings,
  type VariantFields,
  variantFields,
} from './capacity.js';

export interface LatencyRow extends VariantFields, FitFields {
  seq: number;
  batch: number;
  hardware: string;
  seconds: number;
  idealSeconds: number;
  tokensPerSec: number;
  /** The bound that accounts for most of the expected time. */
  bound: Bound;
  components: ComponentLatency[];
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
          ...fitAt(r, w, variant, hw),
          seconds: l.seconds,
          idealSeconds: l.idealSeconds,
          tokensPerSec: l.tokensPerSec,
          bound: l.bound,
          components: l.components,
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
      seq: seqs,
      peaks: Object.fromEntries(r.hardware.map(h => [h.id, h.peaks])),
      profiles: Object.fromEntries(r.hardware.map(h => [h.id, h.profileSource])),
    },
  };
}
