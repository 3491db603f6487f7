/**
 * `attncap memory`: the peak-memory breakdown (docs/capacity.md) of each variant × sequence
 * length on each device: weights, gradients, optimizer states, saved activations, KV cache, the
 * largest transient working set, the runtime reserve, against the device capacity. Textbook
 * profile (docs/assumptions.md): attention memory per sample L·s·(3nd + h·n² + nd) against 70%
 * of the marketed GB.
 */
import type {MemoryBreakdown} from '../model/memory.js';
import {atSeq} from '../model/workload.js';
import {type ResolvedScenario, scenarioSeqs} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning} from '../scenario/warnings.js';
import {
  contextWarnings,
  echoCapacity,
  echoPlacement,
  gpusField,
  type VariantFields,
  variantFields,
} from './capacity.js';

export interface MemoryRow extends VariantFields {
  seq: number;
  hardware: string;
  /** A split model (docs/parallelism.md): its GPUs; `memory` is then one GPU's. */
  gpus?: number;
  /** Largest term of the peak, e.g. 'KV cache' or 'transient (scores)'. */
  dominantTerm: string;
  memory: MemoryBreakdown;
}

export interface MemoryQuery {
  ctx: ResolvedScenario;
  inputs: Record<string, unknown>;
  rows: MemoryRow[];
  warnings: Warning[];
}

export function runMemory(r: ResolvedScenario): MemoryQuery {
  const seqs = scenarioSeqs(r);
  const rows: MemoryRow[] = [];
  for (const variant of r.variants) {
    for (const seq of seqs.values) {
      for (const hw of r.hardware) {
        const p = r.profile.point(r.model, atSeq(r.workload.base, seq), variant, hw);
        rows.push({
          ...variantFields(r.model, variant),
          seq,
          hardware: hw.id,
          ...gpusField(r),
          dominantTerm: p.dominantTerm,
          memory: p.memory,
        });
      }
    }
  }
  return {
    ctx: r,
    rows,
    warnings: uniqueWarnings([...r.warnings, ...contextWarnings(r, seqs.values)]),
    inputs: {...echoCapacity(r), ...echoPlacement(r), seq: seqs},
  };
}
