/**
 * Resolution of user inputs (flags, files, presets) into the model, workload and variants the
 * library evaluates (docs/design.md §2.1). Precedence: explicit flags > model/hardware file > preset >
 * defaults. The resolved inputs are echoed in every JSON envelope (`echoInputs`), so any result
 * can be reproduced.
 */
import {InvalidInputError} from './errors.js';
import {getArchitecture} from './model/architectures/index.js';
import type {Impl} from './model/impl.js';
import {withLayers} from './model/plan.js';
import {
  KV_DTYPES,
  kvBytesPerElement,
  WEIGHT_FORMAT_ALIASES,
  WEIGHT_FORMAT_NAMES,
  WEIGHT_FORMATS,
  type WeightFormat,
  weightFormat,
} from './model/quant.js';
import {parseModality} from './model/tokens.js';
import type {Accounting, Mode, ResolvedVariant} from './model/types.js';
import {DETAILED_ACCOUNTING, TEXTBOOK_ACCOUNTING} from './model/types.js';
import type {Recompute, Scope, Workload} from './model/workload.js';
import {keepModelWarnings, loadModel, loadModelFile} from './presets/load.js';
import {DTYPE_BYTES, type Dtype, type ModelPreset, modelPresetSchema} from './schema/presets.js';
import {didYouMean} from './suggest.js';
import {parseInteger, parseSeqList} from './units.js';

export const DEFAULT_MODEL = 'gpt2-small';

export type AssumptionProfile = 'detailed' | 'textbook';

/** Overrides of a model's shape, already parsed to integers. */
export interface ShapeOverrides {
  dModel?: number;
  heads?: number;
  kvHeads?: number;
  headDim?: number;
  layers?: number;
  dFf?: number;
  vocab?: number;
}

/** Where the model comes from: a preset, a file or an object, or (none) the overrides alone. */
export interface ModelSource {
  preset?: string;
  file?: string;
  inline?: ModelPreset;
  overrides?: ShapeOverrides;
  /**
   * A new d without a new head count keeps 64-channel heads where it can (complexity and
   * crossover ask about width, not about one model's head count).
   */
  reheadOnWiden?: boolean;
}

/** Display names of the overridable fields, as the model's label shows them. */
const OVERRIDE_NAMES: Record<keyof ShapeOverrides, string> = {
  dModel: 'd_model',
  heads: 'heads',
  kvHeads: 'kv_heads',
  headDim: 'head_dim',
  layers: 'layers',
  dFf: 'd_ff',
  vocab: 'vocab',
};

/** `llama-3.1-8b`, or `llama-3.1-8b (d_model=2048, layers=16)` when the shape was changed. */
export function modelLabel(id: string, overrides: ShapeOverrides | undefined): string {
  const parts = Object.entries(overrides ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${OVERRIDE_NAMES[k as keyof ShapeOverrides]}=${v}`);
  return parts.length === 0 || id === 'custom' ? id : `${id} (${parts.join(', ')})`;
}

/** A head count dividing d with heads as close to 64 channels as d allows. */
export function headsFor(dModel: number): number {
  const target = Math.max(1, Math.round(dModel / 64));
  for (let delta = 0; delta <= target; delta++) {
    if (target - delta >= 1 && dModel % (target - delta) === 0) return target - delta;
    if (dModel % (target + delta) === 0) return target + delta;
  }
  return 1;
}

/**
 * The model to evaluate: a preset, file or inline model with the overrides applied. Without any,
 * dModel and layers describe a plain transformer; with none of them, the default model.
 */
export function resolveModel(source: ModelSource): ModelPreset {
  const overrides = {...(source.overrides ?? {})};
  let base: ModelPreset;
  if (source.inline) base = source.inline;
  else if (source.file) base = loadModelFile(source.file);
  else if (source.preset) base = loadModel(source.preset);
  else if (overrides.dModel !== undefined && overrides.layers !== undefined) {
    base = modelPresetSchema().parse({
      id: 'custom',
      name: 'custom transformer (from the scenario)',
      architecture: 'transformer',
      dModel: overrides.dModel,
      heads: overrides.heads ?? headsFor(overrides.dModel),
      layers: overrides.layers,
      causal: true,
      sources: [{title: 'the scenario (flags or file)'}],
    });
  } else base = loadModel(DEFAULT_MODEL);
  if (
    source.reheadOnWiden &&
    overrides.dModel !== undefined &&
    overrides.heads === undefined &&
    overrides.headDim === undefined
  )
    overrides.heads = headsFor(overrides.dModel);

  const model: ModelPreset = {...base};
  keepModelWarnings(base, model);
  const reshaped = overrides.dModel !== undefined || overrides.heads !== undefined;
  if (overrides.dModel !== undefined) model.dModel = overrides.dModel;
  if (overrides.heads !== undefined) {
    // A new head count keeps MHA models MHA; GQA models keep their kv heads unless told.
    if (overrides.kvHeads === undefined && (base.kvHeads === undefined || base.kvHeads === base.heads))
      model.kvHeads = overrides.heads;
    model.heads = overrides.heads;
  }
  if (overrides.kvHeads !== undefined) model.kvHeads = overrides.kvHeads;
  // A stated head_dim is read, never derived (docs/architectures.md) — unless the user reshaped d or h.
  if (overrides.headDim !== undefined) model.headDim = overrides.headDim;
  else if (reshaped && model.heads) model.headDim = undefined;
  // A pattern re-cycles over the new count; a multi-group schedule is refused (docs/layer-plans.md).
  if (overrides.layers !== undefined) Object.assign(model, withLayers(model, overrides.layers));
  if (overrides.dFf !== undefined) model.dFf = overrides.dFf;
  else if (overrides.dModel !== undefined && base.dFf === 4 * base.dModel) model.dFf = 4 * model.dModel;
  if (overrides.vocab !== undefined) model.vocab = overrides.vocab;
  checkHeads(model);
  return model;
}
function checkHeads(model: ModelPreset): void {
  const {heads, kvHeads, headDim, dModel} = model;
  if (heads === undefined) return;
  if (kvHeads !== undefined && (kvHeads > heads || heads % kvHeads !== 0)) {
    throw new InvalidInputError(
      `--kv-heads ${kvHeads} does not divide --heads ${heads}: each key/value head serves a whole group of query heads`,
      {
        path: ['kv-heads'],
        hint: `Use a divisor of ${heads}, e.g. ${heads} (MHA), ${largestDivisorAtMost(heads, 8)} (GQA) or 1 (MQA).`,
      },
    );
  }
  if (headDim === undefined && dModel % heads !== 0) {
    throw new InvalidInputError(
      `--d-model ${dModel} is not divisible by --heads ${heads}, so the head dimension is undefined`,
      {
        path: ['heads'],
        hint: `State it with --head-dim, or use a head count that divides ${dModel}.`,
      },
    );
  }
}

function largestDivisorAtMost(n: number, cap: number): number {
  for (let k = Math.min(n, cap); k > 1; k--) if (n % k === 0) return k;
  return 1;
}

export interface ResolvedWorkload {
  /** Everything but the sequence length, which commands vary. */
  base: Omit<Workload, 'seq'>;
  profile: AssumptionProfile;
  /** KV-cache dtype: a compute dtype, or int8/int4 with their scales (src/model/quant.ts). */
  kvDtype: string;
  /** Weight storage of the repeated layers, and of the parameters outside them. */
  weights: WeightFormat;
  embeddingWeights: WeightFormat;
}

/**
 * `--weights` (and `--embedding-weights`): FORMAT or FORMAT:g=N for the group-scaled integer
 * formats; awq and gptq are int4:g=128.
 */
export function parseWeightFormat(text: string, flag: string): WeightFormat {
  const spec = text.trim().toLowerCase();
  const [name, param] = (WEIGHT_FORMAT_ALIASES[spec] ?? spec).split(':', 2);
  const def = WEIGHT_FORMATS[name];
  if (!def) {
    throw new InvalidInputError(
      `--${flag} '${text}' is not a weight format${didYouMean(name, WEIGHT_FORMAT_NAMES)}`,
      {
        path: [flag],
        hint: `Valid: ${WEIGHT_FORMAT_NAMES.join(', ')}; int4 and int8 take a group size, e.g. int4:g=64.`,
      },
    );
  }
  if (param === undefined) return weightFormat(def.id);
  const m = /^g=(\d+)$/.exec(param);
  if (!def.groupable || !m) {
    throw new InvalidInputError(
      def.groupable
        ? `--${flag} '${text}': the group size is written g=N, e.g. ${def.id}:g=128`
        : `--${flag} '${text}': ${def.id} has a fixed layout and takes no parameters`,
      {path: [flag], hint: 'Only int4 and int8 take a group size (weights per scale), e.g. int4:g=64.'},
    );
  }
  return weightFormat(def.id, parseInteger(m[1], flag, {min: 1}));
}

/**
 * The default of `--weights` a model's checkpoint sets: its own format (`weightFormat`) where that
 * is quantised — fp8, mxfp4, int4, nf4 … (gpt-oss's mxfp4 experts, DeepSeek-V3's fp8). A plain
 * float checkpoint (bf16, fp16, fp32) follows --dtype, as engines cast it on load (vLLM
 * `dtype=auto` serves fp32 checkpoints in fp16); a format attncap does not know is ignored.
 */
export function checkpointFormat(model: ModelPreset): string | undefined {
  const own = (model as {weightFormat?: string}).weightFormat;
  const def = own === undefined ? undefined : WEIGHT_FORMATS[own];
  return def && (!def.float || def.id === 'fp8') ? own : undefined;
}

/** The workload fields of a scenario, parsed. */
export interface WorkloadInput {
  batch?: number;
  dtype?: Dtype;
  /** A compute dtype, or int8/int4 (src/model/quant.ts). */
  kvDtype?: string;
  mode?: Mode;
  causal?: boolean;
  recompute?: Recompute;
  scope?: Scope;
  /** `--impl`: the attention kernel implementation (undefined: each device's default). */
  impl?: Impl;
  /** `--dropout p`: attention dropout on in this run (any mode). */
  dropout?: number;
  profile?: AssumptionProfile;
  accounting?: Partial<Accounting>;
  /** Weight storage (docs/serving.md): a format spec, e.g. 'int4:g=128', 'awq', 'mxfp4'. */
  weights?: string;
  embeddingWeights?: string;
  /** Tokens per KV block (paged cache); 1 = unpaged. */
  kvBlock?: number;
}

export function resolveWorkload(input: WorkloadInput, model: ModelPreset): ResolvedWorkload {
  const dtype = input.dtype ?? 'bf16';
  const kvDtype = input.kvDtype ?? dtype;
  const profile = input.profile ?? 'detailed';
  const accounting: Accounting = {
    ...(profile === 'textbook' ? TEXTBOOK_ACCOUNTING : DETAILED_ACCOUNTING),
    ...input.accounting,
  };
  const mode = input.mode ?? 'prefill';
  // A quantised checkpoint (gpt-oss's mxfp4) is an inference default: training keeps float weights.
  const own = checkpointFormat(model);
  const ownDefault = own !== undefined && (mode !== 'train' || WEIGHT_FORMATS[own]?.float) ? own : undefined;
  const weights = parseWeightFormat(input.weights ?? ownDefault ?? dtype, 'weights');
  const embeddingWeights = parseWeightFormat(input.embeddingWeights ?? dtype, 'embedding-weights');
  if (mode === 'train' && !weights.float) {
    throw new InvalidInputError(
      `--weights ${weights.label} is an inference format; training keeps weights in a floating-point dtype`,
      {path: ['weights'], hint: 'Use --weights bf16 (or fp16, fp8, fp32) with --mode train.'},
    );
  }
  if (!KV_DTYPES.includes(kvDtype)) {
    throw new InvalidInputError(`--kv-dtype '${kvDtype}' is not a KV-cache dtype`, {
      path: ['kv-dtype'],
      hint: `Valid: ${KV_DTYPES.join(', ')}.`,
    });
  }
  const headDim = model.headDim ?? Math.floor(model.dModel / (model.heads ?? 1));
  return {
    profile,
    kvDtype,
    weights,
    embeddingWeights,
    base: {
      batch: input.batch ?? 1,
      mode,
      causal: input.causal ?? model.causal,
      dtype,
      bytes: DTYPE_BYTES[dtype],
      weightBytes: weights.bitsPerWeight / 8,
      kvBytes: kvBytesPerElement(kvDtype, headDim),
      embeddingBytes: embeddingWeights.bitsPerWeight / 8,
      kvBlock: input.kvBlock ?? 1,
      recompute: input.recompute ?? 'none',
      scope: input.scope ?? 'model',
      accounting,
      ...(input.impl !== undefined ? {impl: input.impl} : {}),
      ...(input.dropout !== undefined && input.dropout > 0 ? {dropout: input.dropout} : {}),
    },
  };
}

export interface SeqInput {
  values: number[];
  /** What the user typed, or 'default' with the reason. */
  spec: string;
  /** For modality shorthand: how the token count was derived. */
  formula?: string;
}

export function resolveSeqs(text: string | undefined, model: ModelPreset): SeqInput {
  if (text === undefined) {
    const n = getArchitecture(model.architecture).defaultSeq(model);
    return {values: [n], spec: `default (${model.id})`};
  }
  const modality = parseModality(text.trim());
  // A model with a class token reads one token more than its patches (ViT-B/16: 196 + 1 = 197).
  if (modality?.modality === 'image' && model.vision?.classToken && !/\+\s*cls\s*$/i.test(text)) {
    const withCls = parseModality(`${text.trim()}+cls`) ?? modality;
    return {
      values: [withCls.tokens],
      spec: text,
      formula: `${withCls.formula} (${model.id} has a class token)`,
    };
  }
  return {values: parseSeqList(text, 'seq'), spec: text, ...(modality ? {formula: modality.formula} : {})};
}

/** The resolved model as echoed in `inputs.model`. */
export function echoModel(model: ModelPreset): Record<string, unknown> {
  const {$schema: _schema, sources: _sources, notes: _notes, ...rest} = model;
  return rest;
}

export function echoWorkload(r: ResolvedWorkload): Record<string, unknown> {
  const {accounting, ...rest} = r.base;
  return {
    ...rest,
    kvDtype: r.kvDtype,
    weightFormat: r.weights.label,
    weightBitsPerWeight: r.weights.bitsPerWeight,
    embeddingWeightFormat: r.embeddingWeights.label,
    assumptions: {profile: r.profile, ...accounting},
  };
}

export function echoVariant(v: ResolvedVariant): Record<string, unknown> {
  return {id: v.def.id, label: v.label, params: v.params};
}
