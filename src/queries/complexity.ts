/**
 * `attncap complexity`: the asymptotic view (docs/design.md §5.1) — each design's leading-order term
 * with constant 1 evaluated at n, its path length, and its speed-up over standard attention.
 * Entries are attention variants (their `leadingOps`) or whole architectures such as `rnn`
 * and `perceiver` (their `leadingOps` on a model of the same width).
 */
import {InvalidInputError} from '../errors.js';
import {echoModel} from '../inputs.js';
import {getArchitecture} from '../model/architectures/index.js';
import {resolveVariant, VARIANT_IDS} from '../model/variants/index.js';
import {type ResolvedScenario, scenarioSeqs} from '../scenario/resolve.js';
import {ARCHITECTURES, type Architecture, type ModelPreset} from '../schema/presets.js';
import {parseVariantSpec} from '../units.js';
import type {VariantFields} from './capacity.js';

/** The textbook's comparison set: dense, linear, sparse k = ⌊√n⌋, window w = 256, RNN. */
export const DEFAULT_COMPLEXITY_ENTRIES = ['standard', 'linear', 'strided', 'window:w=256', 'rnn'];

export interface ComplexityRow extends VariantFields {
  kind: 'variant' | 'architecture';
  seq: number;
  dModel: number;
  /** Leading-order operation count, constant 1. */
  ops: number;
  bigO: string;
  speedupVsStandard: number;
  pathLengthMax: number;
  pathLengthMean: number;
}

interface Entry {
  id: string;
  params: Record<string, unknown>;
  label: string;
  kind: ComplexityRow['kind'];
  bigO: string;
  ops(n: number): number;
  path(n: number): {max: number; mean: number};
}

function entryFor(spec: string, model: ModelPreset): Entry {
  const {name, params} = parseVariantSpec(spec, 'variant');
  if ((ARCHITECTURES as readonly string[]).includes(name) && !VARIANT_IDS.includes(name)) {
    if (Object.keys(params).length > 0) {
      throw new InvalidInputError(
        `--variant ${spec}: architectures take no parameters here; their shape comes from the model (--model, --d-model, --layers)`,
        {path: ['variant']},
      );
    }
    const arch = getArchitecture(name as Architecture);
    // The architecture at the same width and depth as the model being analysed.
    const shaped: ModelPreset = arch.id === model.architecture ? model : {...model, architecture: arch.id};
    return {
      id: arch.id,
      params: {},
      label: arch.id,
      kind: 'architecture',
      bigO: arch.title,
      ops: n => arch.leadingOps(n, shaped),
      path: n => arch.pathLength(n, shaped),
    };
  }
  const v = resolveVariant(spec, 'variant');
  const d = model.dModel;
  return {
    id: v.def.id,
    params: v.params,
    label: v.label,
    kind: 'variant',
    bigO: v.def.timeComplexity,
    ops: n => v.def.leadingOps(n, d, v.params),
    path: n => v.def.pathLength?.(n, v.params) ?? {max: 1, mean: 1},
  };
}

export function runComplexity(
  r: ResolvedScenario,
  opts: {entries?: string[]} = {},
): {
  inputs: Record<string, unknown>;
  rows: ComplexityRow[];
} {
  const {model} = r;
  const seqs = scenarioSeqs(r, {values: [16_384], spec: 'default (16,384)'});
  const entries = (opts.entries && opts.entries.length > 0 ? opts.entries : DEFAULT_COMPLEXITY_ENTRIES).map(
    s => entryFor(s, model),
  );
  const standard = resolveVariant('standard', 'variant');
  const rows: ComplexityRow[] = [];
  for (const n of seqs.values) {
    const base = standard.def.leadingOps(n, model.dModel, standard.params);
    for (const e of entries) {
      const ops = e.ops(n);
      const path = e.path(n);
      rows.push({
        variant: e.id,
        variantParams: e.params,
        variantLabel: e.label,
        kind: e.kind,
        seq: n,
        dModel: model.dModel,
        ops,
        bigO: e.bigO,
        speedupVsStandard: ops > 0 ? base / ops : 0,
        pathLengthMax: path.max,
        pathLengthMean: path.mean,
      });
    }
  }
  return {
    inputs: {
      model: {...echoModel(model), label: r.modelLabel},
      seq: seqs,
      entries: entries.map(e => e.label),
      constant: 1,
    },
    rows,
  };
}
