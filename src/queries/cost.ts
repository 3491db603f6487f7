/**
 * `attncap cost` and `attncap compare`: FLOPs, MACs, HBM traffic and pairs of one
 * configuration per variant and sequence length (SPEC §2, §3), with the per-component breakdown.
 */

import {
  echoModel,
  echoVariant,
  echoWorkload,
  type ModelFlags,
  resolveModel,
  resolveSeqs,
  resolveVariants,
  resolveWorkload,
  type WorkloadFlags,
} from '../inputs.js';
import {getArchitecture} from '../model/architectures/index.js';
import {type BreakdownRow, breakdown, evaluate} from '../model/engine.js';
import {textbookAttentionCore, textbookLayer} from '../model/textbook.js';
import type {ResolvedVariant} from '../model/types.js';
import {atSeq} from '../model/workload.js';
import type {ModelPreset} from '../schema/presets.js';

export interface CostFlags extends ModelFlags, WorkloadFlags {
  seq?: string;
  variant?: string[];
}

export interface ComponentRow {
  name: string;
  part: string;
  flops: number;
  macs: number;
  matmulFlops: number;
  vectorFlops: number;
  hbmBytes: number;
  pairs: number;
  savedBytes: number;
  transientBytes: number;
}

export interface CostRow {
  variant: string;
  seq: number;
  batch: number;
  flops: number;
  macs: number;
  matmulFlops: number;
  vectorFlops: number;
  pairs: number;
  hbmBytes: number;
  readBytes: number;
  writeBytes: number;
  params: number;
  /** Parameters one token uses (MoE: less the routed experts it does not select). */
  activeParams: number;
  components?: ComponentRow[];
}

export interface CostQuery {
  inputs: Record<string, unknown>;
  warnings: string[];
  rows: CostRow[];
  model: ModelPreset;
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

/** A warning when --variant names attention for a model without attention layers. */
export function ignoredVariantWarnings(model: ModelPreset, given: readonly unknown[] | undefined): string[] {
  if (!given || given.length === 0 || getArchitecture(model.architecture).takesVariant) return [];
  return [`${model.id} is a ${model.architecture} model without attention layers: --variant is ignored`];
}

/** Label of the layers when no --variant is given: the model's own schedule. */
export function modelVariantLabel(model: ModelPreset): string {
  if (model.schedule && model.schedule.length > 1)
    return `schedule (${model.schedule.map(e => `${e.repeat}× ${e.variant}`).join(', ')})`;
  return model.schedule?.[0]?.variant ?? model.variant;
}

function toComponentRow(r: BreakdownRow): ComponentRow {
  return {
    name: r.name,
    part: r.part,
    flops: r.flops,
    macs: r.macs,
    matmulFlops: r.matmulFlops,
    vectorFlops: r.vectorFlops,
    hbmBytes: r.hbmBytes,
    pairs: r.pairs,
    savedBytes: r.savedBytes,
    transientBytes: r.transientBytes,
  };
}

export function runCost(flags: CostFlags, opts: {breakdown: boolean}): CostQuery {
  const model = resolveModel(flags);
  const workload = resolveWorkload(flags, model);
  const seqs = resolveSeqs(flags.seq, model);
  const variants: (ResolvedVariant | undefined)[] = resolveVariants(flags.variant) ?? [undefined];
  const rows: CostRow[] = [];
  for (const variant of variants) {
    for (const seq of seqs.values) {
      const w = atSeq(workload.base, seq);
      const e = evaluate(model, w, variant);
      const t = e.totals;
      if (workload.profile === 'textbook') {
        rows.push(
          textbookRow(
            model,
            variant,
            seq,
            w.batch,
            w.scope,
            e.params,
            e.activeParams,
            t.hbmBytes,
            t.readBytes,
            t.writeBytes,
            opts.breakdown,
          ),
        );
        continue;
      }
      rows.push({
        variant: layerLabel(model, variant),
        seq,
        batch: w.batch,
        flops: t.flops,
        macs: t.macs,
        matmulFlops: t.matmulFlops,
        vectorFlops: t.vectorFlops,
        pairs: t.pairs,
        hbmBytes: t.hbmBytes,
        readBytes: t.readBytes,
        writeBytes: t.writeBytes,
        params: e.params,
        activeParams: e.activeParams,
        ...(opts.breakdown ? {components: breakdown(e, w.scope).map(toComponentRow)} : {}),
      });
    }
  }
  return {
    model,
    rows,
    warnings: ignoredVariantWarnings(model, flags.variant),
    inputs: {
      model: echoModel(model),
      seq: seqs,
      ...echoWorkload(workload),
      variants: variants.map(v => (v ? echoVariant(v) : {id: 'model', label: modelVariantLabel(model)})),
    },
  };
}

/**
 * The textbook profile's rows (SPEC §5.1): multiplications only, heads ignored in the softmax,
 * the variant's pairs taken from its leading-order term (pairs = leadingOps / d; standard n²).
 * Traffic and parameters come from the detailed model (the textbook does not count them).
 */
function textbookRow(
  model: ModelPreset,
  variant: ResolvedVariant | undefined,
  n: number,
  batch: number,
  scope: string,
  params: number,
  activeParams: number,
  hbmBytes: number,
  readBytes: number,
  writeBytes: number,
  withComponents: boolean,
): CostRow {
  const d = model.dModel;
  const pairs = variant ? variant.def.leadingOps(n, d, variant.params) / d : n * n;
  const core = textbookAttentionCore(n, d);
  const layer = textbookLayer(n, d, pairs);
  const layers = scope === 'model' ? model.layers : 1;
  const parts =
    scope === 'attention'
      ? variant
        ? [{name: 'attention', mul: 2 * pairs * d, vec: 3 * pairs}]
        : [
            {name: 'scores', mul: core.scores, vec: 0},
            {name: 'softmax', mul: 0, vec: core.softmax},
            {name: 'weighted-sum', mul: core.weightedSum, vec: 0},
          ]
      : [
          {name: 'attention', mul: 2 * pairs * d, vec: 3 * pairs},
          {name: 'qkv-projection', mul: layer.qkv, vec: 0},
          {name: 'output-projection', mul: layer.output, vec: 0},
          {name: 'ffn', mul: layer.ffn, vec: 0},
        ];
  const components: ComponentRow[] = parts.map(p => ({
    name: p.name,
    part: p.name === 'ffn' ? 'ffn' : p.name.endsWith('projection') ? 'projection' : 'attention',
    flops: batch * layers * (p.mul + p.vec),
    macs: batch * layers * p.mul,
    matmulFlops: batch * layers * p.mul,
    vectorFlops: batch * layers * p.vec,
    hbmBytes: 0,
    pairs: p.name === 'softmax' || p.name === 'attention' ? batch * layers * pairs : 0,
    savedBytes: 0,
    transientBytes: 0,
  }));
  const sum = (key: 'flops' | 'macs' | 'vectorFlops') => components.reduce((acc, c) => acc + c[key], 0);
  return {
    variant: layerLabel(model, variant),
    seq: n,
    batch,
    flops: sum('flops'),
    macs: sum('macs'),
    matmulFlops: sum('macs'),
    vectorFlops: sum('vectorFlops'),
    pairs: batch * layers * pairs,
    hbmBytes,
    readBytes,
    writeBytes,
    params,
    activeParams,
    ...(withComponents ? {components} : {}),
  };
}
