/**
 * `attncap cost` and `attncap compare`: FLOPs, MACs, HBM traffic and pairs of one
 * configuration per variant and sequence length (docs/design.md §2, §3), with the per-component breakdown.
 */

import {getArchitecture} from '../model/architectures/index.js';
import {planCostGroups, planSummary} from '../model/plan.js';
import type {ResolvedVariant} from '../model/types.js';
import {atSeq} from '../model/workload.js';
import {type ResolvedScenario, scenarioSeqs} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning} from '../scenario/warnings.js';
import type {ModelPreset} from '../schema/presets.js';
import {formatBytes} from '../units.js';
import {
  contextWarnings,
  echoCapacity,
  echoPlacement,
  type FitFields,
  fitAt,
  fitWarnings,
  type VariantFields,
  variantFields,
} from './capacity.js';
import type {CostNumbers} from './profiles.js';

export type {ComponentRow} from './profiles.js';

/** One row of `cost`: the numbers of one configuration, what they are for, and (with a device) its fit. */
export interface CostRow extends VariantFields, Partial<FitFields>, CostNumbers {
  seq: number;
  /** The device of the fit columns, when the scenario names one (cost --hardware). */
  hardware?: string;
  batch: number;
}

export interface CostQuery {
  inputs: Record<string, unknown>;
  warnings: Warning[];
  rows: CostRow[];
  model: ModelPreset;
  modelLabel: string;
}

/**
 * What the attention of a row is: the --variant given, else the model's own layers (schedule or
 * stages); architectures without attention layers (mamba, rnn, hyena) are named themselves.
 */
export function layerLabel(model: ModelPreset, variant: ResolvedVariant | undefined): string {
  if (!getArchitecture(model.architecture).takesVariant) return model.architecture;
  if (variant) return variant.label;
  if (model.stages && model.stages.length > 0) {
    const specs = [...new Set(model.stages.map(stage => stage.variant ?? model.variant))];
    return specs.length === 1 ? specs[0] : `stages (${specs.join(', ')})`;
  }
  return modelVariantLabel(model);
}

/** Label of the layers when no --variant is given: the model's own plan (docs/layer-plans.md). */
export function modelVariantLabel(model: ModelPreset): string {
  const groups = planCostGroups(model);
  if (groups.length === 1 && groups[0]!.kind === 'attention' && !groups[0]!.sinks)
    return groups[0]!.spec ?? model.variant;
  return planSummary(model);
}

/**
 * FLOPs, MACs, traffic and parameters per variant × sequence length (× device, when the scenario
 * names devices: then each row also says whether the set-up fits).
 */
export function runCost(r: ResolvedScenario, opts: {breakdown: boolean}): CostQuery {
  const {model} = r;
  const seqs = scenarioSeqs(r);
  const rows: CostRow[] = [];
  const devices = r.hardware.length > 0 ? r.hardware : [undefined];
  for (const variant of r.variants) {
    for (const seq of seqs.values) {
      const w = atSeq(r.workload.base, seq);
      const numbers = r.profile.cost(model, w, variant, opts.breakdown);
      for (const hw of devices) {
        rows.push({
          ...variantFields(model, variant),
          seq,
          batch: w.batch,
          ...(hw ? {hardware: hw.id, ...fitAt(r, w, variant, hw)} : {}),
          ...numbers,
        });
      }
    }
  }
  return {
    model,
    modelLabel: r.modelLabel,
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
    },
  };
}
