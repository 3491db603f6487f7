/**
 * Layer plans (docs/layer-plans.md): a model's `layers` as ordered groups of identical layers —
 * each of one kind (attention, mamba, mamba2, gated-deltanet), with its attention variant, its
 * head shape, its feed-forward and its name for `--variant` selectors. A preset states them as a
 * `schedule` (explicit groups that cover exactly `layers`) or a `pattern` (entries cycled over
 * `layers`, a last partial cycle allowed: 34 layers of 5 local : 1 global = 29 local + 5 global),
 * or neither (every layer the model's `variant`).
 *
 * Pure and allocation-light where it matters: the plan of a model object is built once and cached
 * (WeakMap), because solvers evaluate the same model millions of times.
 */
import {InvalidInputError} from '../errors.js';
import type {LayerKind, MlpKind, ModelPreset, ScheduleEntry} from '../schema/presets.js';
import type {ResolvedVariant} from './types.js';
import {resolveVariant} from './variants/index.js';

/** Consecutive identical layers of a plan. */
export interface PlanGroup {
  kind: LayerKind;
  /** What a `--variant NAME=SPEC` selector matches (besides an attention group's variant id). */
  name: string;
  repeat: number;
  /** Attention groups: the variant spec and its resolution; undefined for other kinds. */
  spec?: string;
  variant?: ResolvedVariant;
  heads: number;
  kvHeads: number;
  headDim: number;
  mlp: MlpKind;
  /** Attention sinks (gpt-oss): one learned logit per head in each softmax row. */
  sinks: boolean;
  /** Index of the preset entry (schedule or pattern) the group comes from; -1 for the default. */
  entry: number;
}

interface Plan {
  /** In layer order; consecutive layers of one entry merged. */
  groups: PlanGroup[];
  /** One group per entry, repeats summed, in order of first appearance: what costing needs. */
  distinct: PlanGroup[];
}

const cache = new WeakMap<ModelPreset, Plan>();

/** The entries a model's layers come from: its schedule or pattern, else one entry of `variant`. */
function entriesOf(model: ModelPreset): readonly ScheduleEntry[] {
  return model.schedule ?? model.pattern ?? [{repeat: model.layers}];
}

function toGroup(model: ModelPreset, e: ScheduleEntry, index: number, repeat: number): PlanGroup {
  const kind = e.kind ?? 'attention';
  const heads = e.heads ?? model.heads ?? 1;
  const spec = kind === 'attention' ? (e.variant ?? model.variant) : undefined;
  const variant = spec === undefined ? undefined : resolveVariant(spec, 'variant');
  return {
    kind,
    name: e.name ?? variant?.def.id ?? kind,
    repeat,
    spec,
    variant,
    heads,
    kvHeads: e.kvHeads ?? model.kvHeads ?? heads,
    headDim: e.headDim ?? model.headDim ?? Math.floor(model.dModel / heads),
    // A MoE model's layers are MoE unless their entry says otherwise (the first moe.denseLayers
    // are split off by denseFirst).
    mlp: e.mlp ?? (model.moe ? 'moe' : 'dense'),
    sinks: e.sinks ?? false,
    entry: model.schedule || model.pattern ? index : -1,
  };
}

function buildPlan(model: ModelPreset): Plan {
  const entries = entriesOf(model);
  const groups: PlanGroup[] = [];
  if (model.pattern) {
    let left = model.layers;
    while (left > 0) {
      for (const [i, e] of entries.entries()) {
        const repeat = Math.min(e.repeat, left);
        if (repeat === 0) break;
        const last = groups[groups.length - 1];
        if (last && last.entry === i) last.repeat += repeat;
        else groups.push(toGroup(model, e, i, repeat));
        left -= repeat;
      }
    }
  } else {
    for (const [i, e] of entries.entries()) groups.push(toGroup(model, e, i, e.repeat));
  }
  denseFirst(groups, model.moe?.denseLayers ?? 0);
  const distinct: PlanGroup[] = [];
  // One group per entry and feed-forward: a MoE entry's dense first layers cost apart.
  const byEntry = new Map<string, PlanGroup>();
  for (const g of groups) {
    const key = `${g.entry}/${g.mlp}`;
    const seen = byEntry.get(key);
    if (seen) seen.repeat += g.repeat;
    else {
      const copy = {...g};
      byEntry.set(key, copy);
      distinct.push(copy);
    }
  }
  return {groups, distinct};
}

/**
 * The first `dense` layers of a MoE model use the dense FFN (DeepSeek's first_k_dense_replace,
 * docs/architectures.md "Mixture of experts"): MoE groups among them become dense, and the
 * group the boundary falls in is split there. Changes `groups` in place.
 */
function denseFirst(groups: PlanGroup[], dense: number): void {
  let left = dense;
  for (let i = 0; i < groups.length && left > 0; i++) {
    const g = groups[i]!;
    const first = Math.min(left, g.repeat);
    left -= first;
    if (g.mlp !== 'moe') continue;
    if (first < g.repeat) groups.splice(i + 1, 0, {...g, repeat: g.repeat - first});
    groups[i] = {...g, repeat: first, mlp: 'dense'};
  }
}

function planOf(model: ModelPreset): Plan {
  let plan = cache.get(model);
  if (!plan) {
    plan = buildPlan(model);
    cache.set(model, plan);
  }
  return plan;
}

/** The model's layers as consecutive groups, in layer order, covering exactly `layers`. */
export function layerPlan(model: ModelPreset): readonly PlanGroup[] {
  return planOf(model).groups;
}

/**
 * One group per plan entry (and feed-forward: a MoE model's dense first layers apart) with its
 * total repeat, in order of first appearance (the first is the first layer's): every per-layer
 * quantity is a sum over these, so a 62-layer 5:1 pattern costs two layer evaluations, not 21.
 */
export function planCostGroups(model: ModelPreset): readonly PlanGroup[] {
  return planOf(model).distinct;
}

/** 'window w=1024' for attention, the kind otherwise; the name in front when it says more. */
export function groupLabel(g: PlanGroup): string {
  const what = g.variant ? g.variant.label : g.kind;
  const sinks = g.sinks ? ' + sinks' : '';
  const moe = g.mlp === 'moe' ? ' · moe' : '';
  const named = g.name === (g.variant?.def.id ?? g.kind) ? '' : `${g.name} `;
  return `${named}${what}${sinks}${moe}`;
}

/**
 * The plan in one line: '62 = 52× local window w=1024 + 10× global standard (pattern 5:1)';
 * a uniform model: '32× standard'.
 */
export function planSummary(model: ModelPreset): string {
  // Entries that are the same layer (Jamba's 8-entry pattern repeats its mamba layers) count once.
  const counts = new Map<string, number>();
  for (const g of planCostGroups(model))
    counts.set(groupLabel(g), (counts.get(groupLabel(g)) ?? 0) + g.repeat);
  const parts = [...counts].map(([label, repeat]) => `${repeat}× ${label}`);
  if (parts.length === 1) return parts[0]!;
  const how = model.pattern
    ? ` (pattern ${model.pattern.map(e => e.repeat).join(':')})`
    : model.schedule
      ? ' (schedule)'
      : '';
  return `${model.layers} = ${parts.join(' + ')}${how}`;
}

/** A problem of a model file, as src/presets/validate.ts reports them: `file: path: message`. */
export interface PlanProblem {
  path: (string | number)[];
  message: string;
}

/** The model block each non-attention kind takes its dimensions from (an mlp layer: the model's dFf, ffn). */
const KIND_BLOCKS: Readonly<Record<Exclude<LayerKind, 'attention'>, keyof ModelPreset>> = {
  mamba: 'ssm',
  mamba2: 'mamba2',
  'gated-deltanet': 'gatedDeltaNet',
  mlp: 'dFf',
};

/** Kinds the plan uses, for the architecture-blocks rule (a block no layer uses is an error). */
export function kindsUsed(model: ModelPreset): Set<LayerKind> {
  return new Set(entriesOf(model).map(e => e.kind ?? 'attention'));
}

/**
 * The plan's own rules, applied when a preset or model file is loaded: schedule and pattern are
 * exclusive; a schedule covers exactly `layers`; each entry's variant resolves; a non-attention
 * entry has no attention fields and its model block is present; an mlp layer has a feed-forward.
 */
export function validatePlan(model: ModelPreset): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (model.schedule && model.pattern) {
    problems.push({
      path: ['pattern'],
      message:
        'schedule and pattern are mutually exclusive: a schedule lists every group in order, a pattern is cycled over layers; keep one',
    });
    return problems;
  }
  const key = model.schedule ? 'schedule' : 'pattern';
  const entries = model.schedule ?? model.pattern;
  if (!entries) return problems;
  if (model.schedule) {
    const total = model.schedule.reduce((sum, e) => sum + e.repeat, 0);
    if (total !== model.layers)
      problems.push({
        path: ['schedule'],
        message: `the schedule's repeats add up to ${total} layers but layers is ${model.layers}; list every group so that the repeats cover all ${model.layers} layers, or give the entries as a pattern (cycled over the layers, e.g. 5 local : 1 global)`,
      });
  }
  for (const [i, e] of entries.entries()) {
    const kind = e.kind ?? 'attention';
    if (e.mlp === 'moe' && model.moe === undefined)
      problems.push({
        path: [key, i, 'mlp'],
        message: "mlp 'moe' needs the model's moe block (experts, active, expertDim)",
      });
    if (kind === 'attention') {
      const spec = e.variant ?? model.variant;
      try {
        resolveVariant(spec, 'variant');
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        problems.push({path: [key, i, 'variant'], message: error.message.replace(/^--variant /, 'variant ')});
      }
      continue;
    }
    for (const field of ['variant', 'heads', 'kvHeads', 'headDim', 'sinks'] as const) {
      if (e[field] !== undefined)
        problems.push({
          path: [key, i, field],
          message: `${field} is for attention layers; ${
            kind === 'mlp'
              ? "an mlp layer is the model's feed-forward (dFf, ffn)"
              : `a ${kind} layer takes its dimensions from the model's ${KIND_BLOCKS[kind]} block`
          }`,
        });
    }
    if (kind === 'mlp') {
      if (e.mlp === 'none')
        problems.push({
          path: [key, i, 'mlp'],
          message: "an mlp layer is its feed-forward: mlp 'none' leaves nothing",
        });
      continue;
    }
    if (model[KIND_BLOCKS[kind]] === undefined)
      problems.push({
        path: [key, i, 'kind'],
        message: `a ${kind} layer needs the model's ${KIND_BLOCKS[kind]} block`,
      });
  }
  return problems;
}

/**
 * The model with `n` layers (`--layers N`). A pattern (or a model without a plan) re-cycles over
 * n; a one-group schedule becomes n of that group. A schedule of several groups says nothing
 * about another layer count, so it is refused (exit 2) rather than guessed at: the way out is a
 * pattern in a --model-file (docs/layer-plans.md "--layers").
 */
export function withLayers(model: ModelPreset, n: number): ModelPreset {
  if (model.schedule && model.schedule.length > 1 && n !== model.layers) {
    const groups = layerPlan(model)
      .map(g => `${g.repeat}× ${groupLabel(g)}`)
      .join(', ');
    throw new InvalidInputError(
      `--layers ${n}: '${model.id}' lists its ${model.layers} layers as an explicit schedule of ${model.schedule.length} groups (${groups}), which does not say what ${n} layers would be`,
      {
        path: ['layers'],
        hint: 'Write the layers as a `pattern` (cycled over any layer count) in a --model-file, or leave --layers out (docs/layer-plans.md).',
      },
    );
  }
  if (model.schedule && model.schedule.length === 1)
    return {...model, layers: n, schedule: [{...model.schedule[0]!, repeat: n}]};
  return {...model, layers: n};
}

/** One `--variant` value: a plain spec, or `SELECTOR=SPEC` addressing groups by name or variant id. */
export interface VariantOverride {
  selector?: string;
  spec: string;
}

/**
 * Tells `global=flash` (a selector: the text before the first '=' has no ':') from a plain spec
 * such as `window:w=1024` (':' comes before '=') or `flash`.
 */
export function parseVariantOverride(text: string): VariantOverride {
  const eq = text.indexOf('=');
  if (eq > 0) {
    const colon = text.indexOf(':');
    if (colon < 0 || colon > eq) return {selector: text.slice(0, eq).trim(), spec: text.slice(eq + 1).trim()};
  }
  return {spec: text.trim()};
}

function countLabel(groups: readonly PlanGroup[]): string {
  return groups
    .map(g => {
      // Groups that differ only in their feed-forward (DeepSeek's dense first layers) say so.
      const what = `${g.variant ? g.variant.label : g.kind}${g.mlp === 'moe' ? ' · moe' : ''}`;
      return g.name === (g.variant?.def.id ?? g.kind)
        ? `${g.repeat} ${what}`
        : `${g.repeat} ${g.name} ${what}`;
    })
    .join(', ');
}

/**
 * Applies `--variant` values to the plan, in order (a later value wins over an earlier one for the
 * layers both address). Without a selector the spec replaces the attention of every attention
 * layer (never a Mamba or Gated DeltaNet layer); with one, only the groups whose name or variant
 * id equals it. Groups keep their names, so `local` still selects the local layers afterwards.
 * Notes say what changed whenever the plan is mixed (more than one group); an unknown selector is
 * an InvalidInputError naming it and the valid names.
 */
export function applyVariantOverrides(
  model: ModelPreset,
  overrides: readonly VariantOverride[],
): {model: ModelPreset; notes: string[]} {
  const distinct = planCostGroups(model);
  // A note is due where layers differ in what a variant replaces or keeps (their kind or attention),
  // not where they differ only in their feed-forward (DeepSeek's dense first layers).
  const mixed = new Set(distinct.map(g => `${g.kind}\u0000${g.spec ?? ''}`)).size > 1;
  const entries = entriesOf(model).map(e => ({...e}));
  const notes: string[] = [];
  for (const o of overrides) {
    const resolved = resolveVariant(o.spec, 'variant');
    const hit = distinct.filter(
      g =>
        g.kind === 'attention' &&
        (o.selector === undefined || g.name === o.selector || g.variant?.def.id === o.selector),
    );
    if (o.selector !== undefined && hit.length === 0) {
      const names = [...new Set(distinct.flatMap(g => (g.variant ? [g.name, g.variant.def.id] : [g.name])))];
      throw new InvalidInputError(
        `--variant ${o.selector}=${o.spec}: '${o.selector}' names no attention layers of '${model.id}'. Valid: ${names.join(', ')}`,
        {
          path: ['variant'],
          hint: `attncap presets models ${model.id} shows the layer plan and its group names`,
        },
      );
    }
    for (const g of hit) {
      const target = g.entry < 0 ? entries[0]! : entries[g.entry]!;
      target.variant = o.spec;
      // A group keeps a name of its own (`local` still selects the local layers afterwards); one
      // named after its old variant is named after its new one.
      if (g.name !== g.variant?.def.id) target.name = g.name;
    }
    if (!mixed) continue;
    const layers = hit.reduce((sum, g) => sum + g.repeat, 0);
    const others = distinct.filter(g => g.kind !== 'attention');
    const kept = others.length > 0 ? `; the ${countLabel(others)} layers keep their own mixers` : '';
    notes.push(
      o.selector === undefined
        ? `--variant ${o.spec} replaces the attention of all ${layers} attention layers (${countLabel(hit)})${kept}`
        : `--variant ${o.selector}=${o.spec} replaces the attention of ${layers} layers (${countLabel(hit)}) with ${resolved.label}`,
    );
  }
  const next: ModelPreset = {...model};
  if (model.schedule) next.schedule = entries;
  else if (model.pattern) next.pattern = entries;
  else {
    next.variant = entries[0]!.variant ?? model.variant;
  }
  return {model: next, notes};
}

/** Whether any `--variant` value is a selector (then all of them rewrite the model's plan). */
export function hasSelector(texts: readonly string[] | undefined): boolean {
  return (texts ?? []).some(t => parseVariantOverride(t).selector !== undefined);
}
