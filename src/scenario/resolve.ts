/**
 * `resolveScenario()`: a scenario (src/scenario/schema.ts) → the resolved inputs every query
 * takes: presets looked up, units parsed, variants resolved, devices resolved with their
 * what-ifs, the accounting profile chosen. Errors name the field at fault as the scenario's
 * author wrote it — a flag on the command line (`--seq '4x' …`), a field in a file or a
 * library call (`seq '4x' …`, with its path) — never a flag the user did not type.
 */
import {AttncapError, InvalidInputError} from '../errors.js';
import {
  DEFAULT_HARDWARE,
  type HardwareInput,
  type ResolvedHardware,
  resolveHardware,
  whatIfInRange,
} from '../hardware.js';
import {
  type AssumptionProfile,
  modelLabel,
  type ResolvedWorkload,
  resolveModel,
  resolveSeqs,
  resolveWorkload,
  type SeqInput,
  type ShapeOverrides,
} from '../inputs.js';
import {getArchitecture, hasAttentionLayers} from '../model/architectures/index.js';
import {runsOnMla} from '../model/architectures/mla.js';
import {applyVariantOverrides, hasSelector, kindsUsed, parseVariantOverride} from '../model/plan.js';
import type {ResolvedVariant} from '../model/types.js';
import {resolveVariant} from '../model/variants/index.js';
import {checkHardwareObject, checkModelObject, modelWarnings} from '../presets/load.js';
import {placedProfile} from '../queries/placed.js';
import {type AccountingProfile, accountingProfile} from '../queries/profiles.js';
import type {Dtype, ModelPreset} from '../schema/presets.js';
import {parseBandwidth, parseBytes, parseFlopsRate, parseFraction, parseInteger} from '../units.js';
import {type ParallelSpec, type Placement, resolvePlacement} from './parallel.js';
import {type Scenario, scenarioSchema} from './schema.js';
import {uniqueWarnings, type Warning, warning} from './warnings.js';

/** Who wrote the scenario: decides how errors name a field. */
export type Origin =
  | {kind: 'flags'}
  | {kind: 'library'}
  /** A capacity file: `label` is the file name, `baseDir` resolves relative paths. */
  | {kind: 'file'; label: string; baseDir: string};

export interface ResolveOptions {
  origin?: Origin;
  /** Variant specs when the scenario names none (compare, report, sweep). */
  defaultVariants?: string[];
  /** Devices when the scenario names none; `false`: the command needs no device. */
  defaultHardware?: string[] | false;
  /** complexity and crossover: a new d keeps 64-channel heads (docs/scenarios.md). */
  reheadOnWiden?: boolean;
  /**
   * serve: the deployment is timed by its own prefill and decode steps, whatever the scenario's
   * mode, scope and accounting, so a split model needs none of the per-GPU accounting's rules.
   */
  serving?: boolean;
}

/** A scenario with everything looked up and parsed. */
export interface ResolvedScenario {
  /** The scenario as given (echoed in JSON inputs). */
  scenario: Scenario;
  model: ModelPreset;
  /** `id`, or `id (field=value, …)` when the scenario changed the preset's shape. */
  modelLabel: string;
  workload: ResolvedWorkload;
  /** One entry per result row; undefined: the model's own layers. */
  variants: (ResolvedVariant | undefined)[];
  hardware: ResolvedHardware[];
  profile: AccountingProfile;
  /** Lift the cap of answers at the model's context length. */
  ignoreContext: boolean;
  /** Where the model runs: one GPU unless the scenario's `parallel` splits it (docs/parallelism.md). */
  parallel: Placement;
  /** The scenario's `seq`, as text, for the command to parse with its own default. */
  seqText?: string;
  origin: Origin;
  warnings: Warning[];
}

/** Flag names of scenario fields (what a command-line user typed). */
const FLAG_OF: Record<string, string> = {
  modelFile: 'model-file',
  hardwareFile: 'hardware-file',
  kvDtype: 'kv-dtype',
  embeddingWeights: 'embedding-weights',
  kvBlock: 'kv-block',
  memoryUtilization: 'memory-utilization',
  'whatIf.peakFlops': 'peak-flops',
  'whatIf.bandwidth': 'bandwidth',
  'whatIf.memory': 'memory',
  memoryReserve: 'memory-reserve',
  'overrides.dModel': 'd-model',
  'overrides.kvHeads': 'kv-heads',
  'overrides.headDim': 'head-dim',
  'overrides.dFf': 'd-ff',
  'accounting.flopsPerMac': 'flops-per-mac',
  'accounting.softmaxOps': 'softmax-ops',
  'accounting.countMasked': 'count-masked',
  calibrationProfile: 'profile',
  ignoreContext: 'ignore-context',
  'parallel.gpus': 'gpus',
  'parallel.tp': 'tp',
  'parallel.pp': 'pp',
  'parallel.cp': 'cp',
  'parallel.ep': 'ep',
  'parallel.microBatches': 'micro-batches',
  'parallel.nodes': 'nodes',
  'parallel.interconnect': 'interconnect',
  'parallel.network': 'network',
};

/** The scenario field a flag name stands for (`d-model` → `overrides.dModel`). */
const FIELD_OF: Record<string, string> = Object.fromEntries(Object.entries(FLAG_OF).map(([f, k]) => [k, f]));

function flagOf(field: string): string {
  return FLAG_OF[field] ?? field.split('.').pop() ?? field;
}

/** One problem of a scenario: where, what, and the error that said so. */
export interface ScenarioProblem {
  path: (string | number)[];
  message: string;
  error: AttncapError;
}

/** Several problems of one scenario (files and library calls list them all at once). */
export class ScenarioError extends InvalidInputError {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map(p => `${p.path.join('.')}: ${p.message}`).join('\n'), {
      path: problems[0]?.path ?? [],
      hint: problems[0]?.error.hint,
    });
  }
}

/** Rewrites a parser's `--flag …` subject into the field's own name for files and library calls. */
function fieldMessage(message: string): string {
  return message.replace(/--([a-z][\w-]*)/g, (_m, flag: string) => FIELD_OF[flag] ?? flag);
}

/** Resolves a scenario; throws InvalidInputError (exit 2) naming the field at fault. */
export async function resolveScenario(input: Scenario, opts: ResolveOptions = {}): Promise<ResolvedScenario> {
  const origin: Origin = opts.origin ?? {kind: 'library'};
  const problems: ScenarioProblem[] = [];
  if (origin.kind === 'library') {
    // The CLI and capacity files validate the shape before; a script's object is checked here.
    const parsed = scenarioSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.map(p => (typeof p === 'symbol' ? String(p) : p));
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      throw new InvalidInputError(`scenario ${path.join('.') || '(top level)'}: ${issue.message}${keys}`, {
        path,
        hint: 'The scenario fields are in docs/scenarios.md; its JSON Schema is docs/schema/scenario.json.',
      });
    }
  }
  const s = input;
  function attempt<T>(field: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof AttncapError)) throw error;
      const path = field.split('.');
      const message = origin.kind === 'flags' ? error.message : fieldMessage(error.message);
      problems.push({path, message, error});
      return undefined;
    }
  }
  /** As attempt, naming the field by the error's own path under `prefix` (`--tp` → parallel.tp). */
  function attemptAt<T>(prefix: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof AttncapError)) throw error;
      const key = String(error.path[0] ?? '');
      const field = FIELD_OF[key] ?? (key ? `${prefix}.${key}` : prefix);
      const message = origin.kind === 'flags' ? error.message : fieldMessage(error.message);
      problems.push({path: field.split('.'), message, error});
      return undefined;
    }
  }
  const int = (field: string, value: number | string | undefined) =>
    value === undefined ? undefined : attempt(field, () => parseInteger(String(value), flagOf(field)));

  // ---- model ----
  const o = s.overrides ?? {};
  const overrides: ShapeOverrides = {};
  for (const key of ['dModel', 'heads', 'kvHeads', 'headDim', 'layers', 'dFf', 'vocab'] as const) {
    const v = int(`overrides.${key}`, o[key]);
    if (v !== undefined) overrides[key] = v;
  }
  const hasModel = s.model !== undefined;
  if (hasModel && s.modelFile !== undefined) {
    attempt('modelFile', () => {
      throw new InvalidInputError(
        `${origin.kind === 'flags' ? '--model and --model-file' : 'model and modelFile'} both name a model: keep one`,
      );
    });
  }
  const file =
    s.modelFile === undefined
      ? undefined
      : origin.kind === 'file'
        ? resolvePath(origin.baseDir, s.modelFile)
        : s.modelFile;
  let model: ModelPreset | undefined;
  if (problems.length === 0) {
    model = attempt(
      typeof s.model === 'object' ? 'model' : s.modelFile !== undefined ? 'modelFile' : 'model',
      () =>
        resolveModel({
          ...(typeof s.model === 'string' ? {preset: s.model} : {}),
          ...(typeof s.model === 'object'
            ? {inline: checkModelObject(s.model, origin.kind === 'file' ? origin.label : 'scenario.model')}
            : {}),
          ...(file !== undefined ? {file} : {}),
          overrides,
          reheadOnWiden: opts.reheadOnWiden && !hasModel && s.modelFile === undefined,
        }),
    );
  }

  // What an imported Hugging Face config leaves out (docs/import.md), before a plan rewrite copies the model.
  const importNotes = model ? modelWarnings(model) : [];

  // ---- workload ----
  const batch = int('batch', s.batch);
  const profileId: AssumptionProfile = s.assumptions ?? 'detailed';
  const sw = s.accounting ?? {};
  const softmaxOps =
    sw.softmaxOps === undefined
      ? undefined
      : attempt('accounting.softmaxOps', () => parseInteger(String(sw.softmaxOps), 'softmax-ops', {min: 0}));
  const accounting = {
    ...(sw.flopsPerMac !== undefined ? {flopsPerMac: sw.flopsPerMac} : {}),
    ...(softmaxOps !== undefined ? {softmaxOps} : {}),
    ...(sw.countMasked !== undefined ? {countMasked: sw.countMasked} : {}),
  };
  const workload = model
    ? resolveWorkload(
        {
          batch,
          dtype: s.dtype,
          kvDtype: s.kvDtype,
          weights: s.weights,
          embeddingWeights: s.embeddingWeights,
          kvBlock:
            s.kvBlock === undefined
              ? undefined
              : attempt('kvBlock', () => parseInteger(String(s.kvBlock), 'kv-block')),
          mode: s.mode,
          causal: s.causal,
          recompute: s.recompute,
          scope: s.scope,
          impl: s.impl,
          dropout:
            s.dropout === undefined
              ? undefined
              : attempt('dropout', () => parseFraction(String(s.dropout), 'dropout')),
          profile: profileId,
          accounting,
        },
        model,
      )
    : undefined;

  // ---- variants ----
  const specs = s.variant === undefined ? [] : Array.isArray(s.variant) ? s.variant : [s.variant];
  const plain = specs.length > 0 ? specs : (opts.defaultVariants ?? []);
  // Layer plans (docs/layer-plans.md): with a `NAME=SPEC` selector every value rewrites the plan
  // and the model's own layers are the one row; plain specs are rows that replace every attention
  // layer. Either way a mixed plan gets a note saying which layers changed.
  let variants: (ResolvedVariant | undefined)[];
  let planNotes: string[] = [];
  const defaultNotes: string[] = [];
  if (model && hasSelector(specs)) {
    const base = model;
    const applied = attempt('variant', () => applyVariantOverrides(base, specs.map(parseVariantOverride)));
    if (applied) {
      model = applied.model;
      planNotes = applied.notes;
    }
    variants = [undefined];
  } else {
    variants =
      plain.length > 0
        ? plain.map(spec => attempt('variant', () => resolveVariant(spec, 'variant')) as ResolvedVariant)
        : [undefined];
    // A model without attention layers (Mamba, RNN, Hyena; a plan of Mamba-2 layers) has one
    // answer whatever the variants: one row, its own layers (a --variant given says it is ignored).
    if (model && !hasAttentionLayers(model)) variants = [undefined];
    // A command's default variants (the report's) that the model cannot run are left out, saying
    // so: MLA keeps one latent per position, which low-rank and kernel variants have no use for.
    if (specs.length === 0 && model?.mla) {
      const skipped = variants.filter(v => v !== undefined && !runsOnMla(v));
      if (skipped.length > 0 && skipped.length < variants.length) {
        variants = variants.filter(v => v === undefined || runsOnMla(v));
        defaultNotes.push(
          `${model.id}'s attention is multi-head latent (MLA): the default variant${skipped.length === 1 ? '' : 's'} ${skipped.map(v => v?.label).join(', ')} cannot run on it and ${skipped.length === 1 ? 'is' : 'are'} left out (docs/mla.md)`,
        );
      }
    }
    const base = model;
    if (base && getArchitecture(base.architecture).takesVariant && problems.length === 0)
      planNotes = plain.flatMap(spec => applyVariantOverrides(base, [{spec}]).notes);
  }

  // ---- hardware ----
  let hardware: ResolvedHardware[] = [];
  if (opts.defaultHardware !== false || s.hardware !== undefined || s.hardwareFile !== undefined) {
    if (s.hardware !== undefined && s.hardwareFile !== undefined) {
      attempt('hardwareFile', () => {
        throw new InvalidInputError(
          origin.kind === 'flags'
            ? '--hardware and --hardware-file both name devices: keep one (a hardware file describes one device)'
            : 'hardware and hardwareFile both name devices: keep one',
        );
      });
    }
    const w = s.whatIf ?? {};
    const hwInput: HardwareInput = {
      ids: typeof s.hardware === 'string' ? [s.hardware] : Array.isArray(s.hardware) ? s.hardware : undefined,
      ...(s.hardwareFile !== undefined
        ? {file: origin.kind === 'file' ? resolvePath(origin.baseDir, s.hardwareFile) : s.hardwareFile}
        : {}),
      peakFlopsPerSec:
        w.peakFlops === undefined
          ? undefined
          : attempt('whatIf.peakFlops', () =>
              whatIfInRange(
                parseFlopsRate(String(w.peakFlops), 'peak-flops'),
                String(w.peakFlops),
                'peak-flops',
              ),
            ),
      bandwidthBytesPerSec:
        w.bandwidth === undefined
          ? undefined
          : attempt('whatIf.bandwidth', () =>
              whatIfInRange(
                parseBandwidth(String(w.bandwidth), 'bandwidth'),
                String(w.bandwidth),
                'bandwidth',
              ),
            ),
      memoryBytes:
        w.memory === undefined
          ? undefined
          : attempt('whatIf.memory', () => parseBytes(String(w.memory), 'memory')),
      memoryReserveFraction: reserveOf(s, attempt),
      profilePath: s.calibrationProfile,
      impl: s.impl,
    };
    if (typeof s.hardware === 'object' && !Array.isArray(s.hardware)) {
      const inline = attempt('hardware', () =>
        checkHardwareObject(s.hardware, origin.kind === 'file' ? origin.label : 'scenario.hardware'),
      );
      if (inline) hwInput.inline = inline;
    }
    if (problems.length === 0) {
      const defaults =
        opts.defaultHardware === false ? DEFAULT_HARDWARE : (opts.defaultHardware ?? DEFAULT_HARDWARE);
      const dtype: Dtype = s.dtype ?? 'bf16';
      try {
        hardware = await resolveHardware(hwInput, dtype, defaults);
      } catch (error) {
        if (!(error instanceof AttncapError)) throw error;
        const field =
          s.hardwareFile !== undefined
            ? 'hardwareFile'
            : error.path[0] === 'profile'
              ? 'calibrationProfile'
              : error.path[0] === 'impl'
                ? 'impl'
                : 'hardware';
        problems.push({
          path: [field],
          message: origin.kind === 'flags' ? error.message : fieldMessage(error.message),
          error,
        });
      }
    }
  }

  // ---- parallelism (docs/parallelism.md) ----
  const ps = s.parallel ?? {};
  const spec: ParallelSpec = {};
  for (const key of ['gpus', 'tp', 'pp', 'cp', 'ep', 'microBatches', 'nodes'] as const) {
    const v = int(`parallel.${key}`, ps[key]);
    if (v !== undefined) spec[key] = v;
  }
  if (ps.interconnect !== undefined) spec.interconnect = ps.interconnect;
  if (ps.network !== undefined) spec.network = ps.network;
  const parallelNotes: Warning[] = [];
  let placement: Placement | undefined;
  if (problems.length === 0 && model && workload) {
    const m = model;
    placement = attemptAt('parallel', () => resolvePlacement(spec, m, hardware, parallelNotes));
    if (placement?.split && !opts.serving) checkSplit(placement, workload, profileId, attempt);
  }

  if (problems.length > 0 || !model || !workload || !placement) {
    if (origin.kind === 'flags' || problems.length === 1) {
      const first = problems[0];
      if (origin.kind === 'flags' || !first) throw first?.error ?? new InvalidInputError('invalid scenario');
      throw new InvalidInputError(first.message, {path: first.path, hint: first.error.hint});
    }
    throw new ScenarioError(problems);
  }

  const warnings: Warning[] = [
    ...importNotes.map(message => warning('model-import', message)),
    ...hardware.flatMap(h => h.warnings),
    ...planNotes.map(note => warning('variant-scope', origin.kind === 'flags' ? note : fieldMessage(note))),
    ...defaultNotes.map(note => warning('variant-ignored', note)),
  ];
  const arch = getArchitecture(model.architecture);
  if (specs.length > 0 && !hasAttentionLayers(model)) {
    warnings.push(
      warning(
        'variant-ignored',
        arch.takesVariant
          ? `${model.id} has no attention layers (${[...kindsUsed(model)].join(', ')}): the variant is ignored`
          : `${model.id} is a ${model.architecture} model without attention layers: the variant is ignored`,
      ),
    );
  }
  if (workload.base.causal && arch.takesVariant) {
    for (const v of variants) {
      if (v && !v.def.supportsCausal) {
        warnings.push(
          warning(
            'non-causal-variant',
            `${v.label} mixes every position before attending, so on a causal model each token would see later ones: its numbers answer a different (bidirectional) question (docs/warnings.md)`,
          ),
        );
      }
    }
  }
  // What the placement says (KV heads replicated), after the scenario's own notes, as serve said it.
  for (const n of parallelNotes)
    warnings.push(origin.kind === 'flags' ? n : {...n, message: fieldMessage(n.message)});
  const profile = accountingProfile(profileId);
  return {
    scenario: s,
    model,
    modelLabel: modelLabel(model.id, overrides),
    workload,
    variants,
    hardware,
    profile: placement.split && !opts.serving ? placedProfile(profile, placement) : profile,
    ignoreContext: s.ignoreContext ?? false,
    parallel: placement,
    origin,
    ...(s.seq !== undefined ? {seqText: String(s.seq)} : {}),
    warnings: uniqueWarnings(warnings),
  };
}

/** The layout as flags, for messages: `--tp 2 --pp 2`, or `--gpus 2` for replicas alone. */
function layoutFlags(placement: Placement): string {
  const {p, gpus} = placement;
  const parts = (['tp', 'pp', 'cp', 'ep'] as const).filter(k => p[k] > 1).map(k => `--${k} ${p[k]}`);
  return parts.length > 0 ? parts.join(' ') : `--gpus ${gpus}`;
}

/**
 * What a split model is answered for (docs/parallelism.md "memory, max-seq and latency"):
 * inference with the detailed accounting over the whole model.
 */
function checkSplit(
  placement: Placement,
  workload: ResolvedWorkload,
  profile: AssumptionProfile,
  attempt: <T>(field: string, fn: () => T) => T | undefined,
): void {
  const layout = layoutFlags(placement);
  const refuse = (field: string, message: string, hint: string) =>
    attempt(field, () => {
      throw new InvalidInputError(message, {path: [field], hint});
    });
  if (workload.base.mode === 'train') {
    refuse(
      'mode',
      `--mode train with ${layout}: training parallelism — ZeRO, sequence parallelism, recomputation per rank — is not modelled; docs/parallelism.md`,
      'Use --mode prefill or decode with parallelism, or train on one GPU.',
    );
  }
  if (profile === 'textbook') {
    refuse(
      'assumptions',
      `--assumptions textbook with ${layout}: the textbook accounting counts one device's attention matrices and has no per-GPU share; docs/parallelism.md`,
      'Use --assumptions detailed (the default) with parallelism.',
    );
  }
  if (workload.base.scope !== 'model') {
    refuse(
      'scope',
      `--scope ${workload.base.scope} with ${layout}: parallelism splits the whole model, and one layer or attention core is answered on one GPU; docs/parallelism.md`,
      'Use --scope model (the default) with parallelism.',
    );
  }
}

function reserveOf(
  s: Scenario,
  attempt: <T>(field: string, fn: () => T) => T | undefined,
): number | undefined {
  if (s.memoryUtilization !== undefined) {
    // vLLM's gpu_memory_utilization: the same as usable.
    if (s.usable !== undefined || s.memoryReserve !== undefined) {
      attempt('memoryUtilization', () => {
        throw new InvalidInputError(
          'memoryUtilization, usable and memoryReserve say the same thing: keep one',
        );
      });
      return undefined;
    }
    const u = s.memoryUtilization;
    return attempt(
      'memoryUtilization',
      () => 1 - (typeof u === 'number' ? u : parseFraction(u, 'memory-utilization', {allowOne: true})),
    );
  }
  if (s.usable !== undefined && s.memoryReserve !== undefined) {
    attempt('usable', () => {
      throw new InvalidInputError('usable and memoryReserve say the same thing twice: keep one');
    });
    return undefined;
  }
  if (s.usable !== undefined) {
    const u = s.usable;
    return attempt(
      'usable',
      () => 1 - (typeof u === 'number' ? u : parseFraction(u, 'usable', {allowOne: true})),
    );
  }
  if (s.memoryReserve !== undefined) {
    const r = s.memoryReserve;
    return attempt('memoryReserve', () => (typeof r === 'number' ? r : parseFraction(r, 'memory-reserve')));
  }
  return undefined;
}

function resolvePath(baseDir: string, path: string): string {
  return path.startsWith('/') ? path : `${baseDir.replace(/\/$/, '')}/${path}`;
}

/** The scenario's sequence lengths, or the command's default (`fallback`), or the model's own. */
export function scenarioSeqs(r: ResolvedScenario, fallback?: SeqInput): SeqInput {
  if (r.seqText === undefined && fallback) return fallback;
  return asField(r, () => resolveSeqs(r.seqText, r.model));
}

/**
 * Runs a parse of a scenario field after resolution (a command's own reading of `seq`), naming
 * the field as the scenario's author wrote it.
 */
export function asField<T>(r: {origin: Origin}, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (r.origin.kind === 'flags' || !(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(fieldMessage(error.message), {path: error.path, hint: error.hint});
  }
}
