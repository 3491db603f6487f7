/** `attncap compare`: variants side by side at one configuration, with ratios to a baseline. */
import {InvalidInputError} from '../errors.js';
import {resolveVariant} from '../model/variants/index.js';
import type {ResolvedScenario} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning} from '../scenario/warnings.js';
import {type CostQuery, type CostRow, runCost} from './cost.js';

/** Variants compared (and reported) when the user names none. */
export const DEFAULT_VARIANTS = ['standard', 'flash', 'window', 'linformer', 'performer'];

export interface ComparedRow extends CostRow {
  /** The model of the row (its label: `id`, or `id (field=value)` when overridden). */
  model: string;
  id: string;
  family: string;
  exact: boolean;
  tradeoff: string;
  /** Ratio to the baseline at the same n; null when the baseline's value is 0. */
  flopsRatio: number;
  hbmBytesRatio: number;
  pairsRatio: number;
}

export interface CompareQuery {
  inputs: Record<string, unknown>;
  rows: ComparedRow[];
  baseline: string;
  model: CostQuery['model'];
  modelLabel: string;
  warnings: Warning[];
}

export function runCompare(r: ResolvedScenario, opts: {baseline: string; breakdown: boolean}): CompareQuery {
  const baseline = resolveVariant(opts.baseline, 'baseline');
  // A model without attention layers (resolve leaves it one row, its own layers): nothing to
  // compare variants on, so its row is its own baseline.
  if (r.variants.every(v => v === undefined)) {
    const q = runCost(r, {breakdown: opts.breakdown});
    return {
      inputs: {...q.inputs, baseline: q.modelLabel},
      rows: q.rows.map(row => ({
        ...row,
        model: q.modelLabel,
        id: r.model.architecture,
        family: 'model',
        exact: true,
        tradeoff: `no attention layers: the ${r.model.architecture} model's own layers, which no attention variant changes`,
        flopsRatio: 1,
        hbmBytesRatio: 1,
        pairsRatio: 1,
      })),
      baseline: q.modelLabel,
      model: q.model,
      modelLabel: q.modelLabel,
      warnings: q.warnings,
    };
  }
  const resolved = r.variants.filter(v => v !== undefined);
  const baseIndex = resolved.findIndex(v => v.label === baseline.label);
  const all = baseIndex >= 0 ? resolved : [baseline, ...resolved];
  const q = runCost({...r, variants: all}, {breakdown: opts.breakdown});
  const defs = all.map(v => v.def);
  const seqCount = q.rows.length / all.length;
  const base = q.rows.slice(Math.max(baseIndex, 0) * seqCount, (Math.max(baseIndex, 0) + 1) * seqCount);
  if (base.length !== seqCount)
    throw new InvalidInputError('compare: baseline rows missing', {path: ['baseline']});
  const div = (a: number, b: number) => (b > 0 ? a / b : a === 0 ? 1 : 0);
  const rows = q.rows.map((r, i) => {
    const def = defs[Math.floor(i / seqCount)];
    const b = base[i % seqCount];
    return {
      ...r,
      model: q.modelLabel,
      id: def.id,
      family: def.family,
      exact: def.exact,
      tradeoff: def.tradeoff,
      flopsRatio: div(r.flops, b.flops),
      hbmBytesRatio: div(r.hbmBytes, b.hbmBytes),
      pairsRatio: div(r.pairs, b.pairs),
    };
  });
  return {
    inputs: {...q.inputs, baseline: baseline.label},
    rows,
    baseline: baseline.label,
    model: q.model,
    modelLabel: q.modelLabel,
    warnings: q.warnings,
  };
}

/** Several models side by side (`compare --model a --model b`): one block of rows per model. */
export interface CompareModelsQuery {
  queries: CompareQuery[];
  rows: ComparedRow[];
  inputs: Record<string, unknown>;
  warnings: Warning[];
}

export function runCompareModels(
  scenarios: ResolvedScenario[],
  opts: {baseline: string; breakdown: boolean},
): CompareModelsQuery {
  const queries = scenarios.map(r => runCompare(r, opts));
  const first = queries[0];
  return {
    queries,
    rows: queries.flatMap(q => q.rows),
    warnings: uniqueWarnings(queries.flatMap(q => q.warnings)),
    inputs: {...first.inputs, models: queries.map(q => q.inputs.model)},
  };
}
