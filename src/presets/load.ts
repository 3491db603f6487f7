/**
 * Loading the shipped presets (presets/hardware/<id>.json, presets/models/<id>.json) and the
 * user's own files (--hardware-file, --model-file). Files are parsed strictly with the zod schemas
 * of src/schema/presets.ts, then checked by the named cross-field rules below; every problem is
 * reported at once as `file: path: message`. Only the files asked for are read, and each parsed
 * preset is cached (deep-frozen: copy before changing, e.g. `{...preset, layers: 4}`).
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {distance} from 'fastest-levenshtein';
import type {z} from 'zod';
import {InvalidInputError} from '../errors.js';
import {readDataFile, reason} from '../files.js';
import {kindsUsed, validatePlan} from '../model/plan.js';
import {
  type HardwarePreset,
  hardwarePresetSchema,
  type ModelPreset,
  modelPresetSchema,
  type ScheduleEntry,
} from '../schema/presets.js';
import {nearest} from '../suggest.js';
import {importHfConfig, isHfConfig} from './hf-import.js';
import {type PresetKind, packageRoot, presetsDir} from './paths.js';

import {prevalidated} from './prevalidated.js';
import {
  type DataFileOptions,
  type Problem,
  parseDataFile,
  parseDataText,
  problemsError,
  validateData,
} from './validate.js';

/** A named cross-field rule: checks a parsed preset and returns its problems (none when it holds). */
export interface PresetRule<T> {
  name: string;
  /** One line for docs/presets.md and `presets` output. */
  description: string;
  check(preset: T): Problem[];
}

const ATTENTION_ARCHITECTURES = new Set(['transformer', 'vit']);
const VISION_ARCHITECTURES = new Set(['vit', 'swin', 'paca-vit']);
const STAGED_ARCHITECTURES = new Set(['swin', 'paca-vit']);
const PERCEIVER_ARCHITECTURES = new Set(['perceiver', 'perceiver-io']);

/** kvHeads against heads at one place of a model (top level, a stage or a schedule entry). */
function checkHeads(
  heads: number | undefined,
  kvHeads: number | undefined,
  path: readonly (string | number)[],
): Problem[] {
  if (kvHeads === undefined) return [];
  if (heads === undefined)
    return [{path: [...path, 'kvHeads'], message: `kvHeads ${kvHeads} is set but heads is not`}];
  if (kvHeads > heads)
    return [
      {
        path: [...path, 'kvHeads'],
        message: `kvHeads ${kvHeads} exceeds heads ${heads}; key/value heads are at most the query heads`,
      },
    ];
  if (heads % kvHeads !== 0)
    return [
      {
        path: [...path, 'kvHeads'],
        message: `kvHeads ${kvHeads} does not divide heads ${heads}; grouped-query attention shares each key/value head among an equal number of query heads`,
      },
    ];
  return [];
}

/** headDim stated, or d divisible by h so that the default d / h is a whole number. */
function checkHeadDim(
  dModel: number,
  heads: number | undefined,
  headDim: number | undefined,
  path: readonly (string | number)[],
): Problem[] {
  if (heads === undefined || headDim !== undefined || dModel % heads === 0) return [];
  return [
    {
      path: [...path, 'headDim'],
      message: `headDim is not set and dModel ${dModel} is not divisible by heads ${heads}; state headDim as the model does`,
    },
  ];
}

/** The entries of a model's schedule and pattern, each with its path in the file. */
function planEntries(model: ModelPreset): [ScheduleEntry, (string | number)[]][] {
  return [
    ...(model.schedule ?? []).map((e, i): [ScheduleEntry, (string | number)[]] => [e, ['schedule', i]]),
    ...(model.pattern ?? []).map((e, i): [ScheduleEntry, (string | number)[]] => [e, ['pattern', i]]),
  ];
}

/** Cross-field rules of model presets (docs/design.md §4.2, §4.2a), applied after the schema. */
export const MODEL_RULES: readonly PresetRule<ModelPreset>[] = [
  {
    name: 'kv-heads-divide-heads',
    description:
      'kvHeads <= heads and heads % kvHeads = 0, at the top level and in every schedule or pattern entry and stage',
    check: model => [
      ...checkHeads(model.heads, model.kvHeads, []),
      ...planEntries(model).flatMap(([entry, path]) =>
        entry.kvHeads === undefined && entry.heads === undefined
          ? []
          : checkHeads(entry.heads ?? model.heads, entry.kvHeads ?? model.kvHeads ?? entry.heads, path),
      ),
    ],
  },
  {
    name: 'head-dim-defined',
    description:
      'headDim is stated, or dModel is divisible by heads (top level, stages, schedule and pattern entries)',
    check: model => [
      ...checkHeadDim(model.dModel, model.heads, model.headDim, []),
      ...(model.stages ?? []).flatMap((stage, i) =>
        checkHeadDim(stage.dModel, stage.heads, stage.headDim, ['stages', i]),
      ),
      ...planEntries(model).flatMap(([entry, path]) =>
        entry.heads === undefined
          ? []
          : checkHeadDim(model.dModel, entry.heads, entry.headDim ?? model.headDim, path),
      ),
    ],
  },
  {
    name: 'architecture-blocks',
    description:
      'transformer/vit state heads (unless no layer attends); vit/swin/paca-vit have vision; swin/paca-vit have stages; mamba has ssm; perceiver/perceiver-io have perceiver; hyena may have hyena; no block the architecture does not use',
    check: model => {
      const problems: Problem[] = [];
      const arch = model.architecture;
      const need = (present: boolean, key: string, what: string) => {
        if (!present) problems.push({path: [key], message: `architecture '${arch}' needs ${what}`});
      };
      const unused = (present: boolean, key: string, users: string) => {
        if (present)
          problems.push({
            path: [key],
            message: `${key} is only used by ${users}, not by architecture '${arch}'`,
          });
      };
      const kinds = ATTENTION_ARCHITECTURES.has(arch) ? kindsUsed(model) : new Set<string>();
      // A plan of state-space layers only (Mamba-2, Mamba-Codestral) has no attention to shape.
      if (ATTENTION_ARCHITECTURES.has(arch) && kinds.has('attention'))
        need(model.heads !== undefined, 'heads', 'heads (query heads per layer)');
      if (VISION_ARCHITECTURES.has(arch))
        need(model.vision !== undefined, 'vision', 'a vision block (imageSize, patch)');
      if (STAGED_ARCHITECTURES.has(arch))
        need((model.stages?.length ?? 0) > 0, 'stages', 'stages (depth, dModel, heads of each)');
      else unused(model.stages !== undefined, 'stages', 'swin and paca-vit');
      if (arch === 'mamba') need(model.ssm !== undefined, 'ssm', 'an ssm block (state, expand, conv)');
      else if (!kinds.has('mamba')) unused(model.ssm !== undefined, 'ssm', "mamba and a plan's mamba layers");
      if (!kinds.has('mamba2')) unused(model.mamba2 !== undefined, 'mamba2', "a plan's mamba2 layers");
      if (!kinds.has('gated-deltanet'))
        unused(model.gatedDeltaNet !== undefined, 'gatedDeltaNet', "a plan's gated-deltanet layers");
      if (!ATTENTION_ARCHITECTURES.has(arch)) {
        unused(model.schedule !== undefined, 'schedule', 'transformer and vit');
        unused(model.pattern !== undefined, 'pattern', 'transformer and vit');
      }
      if (PERCEIVER_ARCHITECTURES.has(arch))
        need(model.perceiver !== undefined, 'perceiver', 'a perceiver block');
      else unused(model.perceiver !== undefined, 'perceiver', 'perceiver and perceiver-io');
      if (arch !== 'hyena') unused(model.hyena !== undefined, 'hyena', 'hyena');
      return problems;
    },
  },
  {
    name: 'layer-plan',
    description:
      "schedule and pattern are exclusive; a schedule's repeats add up to layers; each entry's variant resolves; a mamba / mamba2 / gated-deltanet entry has no attention fields and the model has its ssm / mamba2 / gatedDeltaNet block",
    check: model => (ATTENTION_ARCHITECTURES.has(model.architecture) ? validatePlan(model) : []),
  },
  {
    name: 'stage-depths-sum-to-layers',
    description: 'the depths of the stages add up to layers',
    check: model => {
      if (model.stages === undefined) return [];
      const total = model.stages.reduce((sum, stage) => sum + stage.depth, 0);
      return total === model.layers
        ? []
        : [{path: ['layers'], message: `layers is ${model.layers} but the stage depths add up to ${total}`}];
    },
  },
  {
    name: 'perceiver-consistent',
    description:
      'dModel = latentDim, layers = processLayers, heads = processHeads, dFf = latentDim x processWidening; weight sharing divides the layers; perceiver-io decodes (outputs >= 1), perceiver averages latents (outputs = 0)',
    check: model => {
      const p = model.perceiver;
      if (p === undefined) return [];
      const problems: Problem[] = [];
      const same = (key: string, value: number | undefined, blockKey: string, blockValue: number) => {
        if (value !== undefined && value !== blockValue)
          problems.push({
            path: [key],
            message: `${key} ${value} differs from perceiver.${blockKey} ${blockValue}`,
          });
      };
      same('dModel', model.dModel, 'latentDim', p.latentDim);
      same('layers', model.layers, 'processLayers', p.processLayers);
      same('heads', model.heads, 'processHeads', p.processHeads);
      same('dFf', model.dFf, 'latentDim x processWidening =', p.latentDim * p.processWidening);
      if (p.uniqueProcessLayers !== undefined && p.processLayers % p.uniqueProcessLayers !== 0)
        problems.push({
          path: ['perceiver', 'uniqueProcessLayers'],
          message: `uniqueProcessLayers ${p.uniqueProcessLayers} does not divide processLayers ${p.processLayers}; shared blocks repeat whole`,
        });
      if (model.architecture === 'perceiver-io' && p.outputs < 1)
        problems.push({
          path: ['perceiver', 'outputs'],
          message: 'perceiver-io decodes with output queries: outputs must be at least 1',
        });
      if (model.architecture === 'perceiver' && p.outputs > 0)
        problems.push({
          path: ['perceiver', 'outputs'],
          message: `the original Perceiver averages its latents (outputs 0); a decoder with ${p.outputs} outputs is architecture 'perceiver-io'`,
        });
      return problems;
    },
  },
  {
    name: 'moe-mla-consistent',
    description:
      'moe and mla belong to transformer models; moe.active <= moe.experts; moe.denseLayers <= layers and, when above 0, dFf states the dense FFN width; with mla, kvHeads (if stated) equals heads',
    check: model => {
      const problems: Problem[] = [];
      for (const key of ['moe', 'mla'] as const)
        if (model[key] !== undefined && model.architecture !== 'transformer')
          problems.push({
            path: [key],
            message: `${key} is only used by transformer, not by architecture '${model.architecture}'`,
          });
      const moe = model.moe;
      if (moe !== undefined) {
        if (moe.active > moe.experts)
          problems.push({
            path: ['moe', 'active'],
            message: `moe.active ${moe.active} exceeds moe.experts ${moe.experts}; a token picks at most every expert`,
          });
        if (moe.denseLayers > model.layers)
          problems.push({
            path: ['moe', 'denseLayers'],
            message: `moe.denseLayers ${moe.denseLayers} exceeds layers ${model.layers}`,
          });
        if (moe.denseLayers > 0 && model.dFf === undefined)
          problems.push({
            path: ['dFf'],
            message: `moe.denseLayers ${moe.denseLayers} needs dFf, the width of the dense FFN of those layers`,
          });
      }
      if (model.mla !== undefined && model.kvHeads !== undefined && model.kvHeads !== model.heads)
        problems.push({
          path: ['kvHeads'],
          message: `kvHeads ${model.kvHeads} differs from heads ${model.heads}; MLA expands keys and values for every query head (omit kvHeads or set it to heads)`,
        });
      return problems;
    },
  },
];

/** Cross-field rules of hardware presets. */
export const HARDWARE_RULES: readonly PresetRule<HardwarePreset>[] = [
  {
    name: 'reserve-below-memory',
    description: 'runtimeReserveBytes is less than memoryBytes',
    check: hw =>
      hw.runtimeReserveBytes < hw.memoryBytes
        ? []
        : [
            {
              path: ['runtimeReserveBytes'],
              message: `runtimeReserveBytes ${hw.runtimeReserveBytes} leaves nothing of memoryBytes ${hw.memoryBytes}`,
            },
          ],
  },
];

/** The rule only shipped presets obey: presets/<kind>/<id>.json holds the preset `id`. */
export const FILE_NAME_RULE = 'file-name-is-id';

interface KindInfo<T> {
  kind: PresetKind;
  /** The flag naming a preset of this kind, for error messages and error paths. */
  flag: 'hardware' | 'model';
  noun: string;
  /** Its zod schema, built on first use (src/schema/lazy.ts). */
  schema: () => z.ZodType<T>;
  rules: readonly PresetRule<T>[];
}

const HARDWARE: KindInfo<HardwarePreset> = {
  kind: 'hardware',
  flag: 'hardware',
  noun: 'hardware',
  schema: hardwarePresetSchema,
  rules: HARDWARE_RULES,
};
const MODELS: KindInfo<ModelPreset> = {
  kind: 'models',
  flag: 'model',
  noun: 'model',
  schema: modelPresetSchema,
  rules: MODEL_RULES,
};

function formatHint(info: KindInfo<unknown>): string {
  const schemaFile = info.kind === 'hardware' ? 'hardware-preset.json' : 'model-preset.json';
  return `the ${info.noun} preset format is described in docs/presets.md (JSON Schema: docs/schema/${schemaFile})`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Parse, validate and apply the rules; one error listing every problem. */
function parsePreset<T>(text: string, fileLabel: string, info: KindInfo<T>, expectedId?: string): T {
  const options: DataFileOptions = {hint: formatHint(info)};
  return checkPreset(parseDataFile(text, fileLabel, info.schema(), options), fileLabel, info, expectedId);
}

/** The cross-field rules (and the file-name rule of shipped presets) over a schema-valid preset. */
function checkPreset<T>(preset: T, fileLabel: string, info: KindInfo<T>, expectedId?: string): T {
  const options: DataFileOptions = {hint: formatHint(info)};
  const problems = info.rules.flatMap(rule => rule.check(preset));
  const id = (preset as {id: string}).id;
  if (expectedId !== undefined && id !== expectedId)
    problems.unshift({
      path: ['id'],
      message: `id '${id}' differs from the file name '${expectedId}'; a shipped preset is named <id>.json`,
    });
  if (problems.length > 0) throw problemsError(fileLabel, problems, options);
  return deepFreeze(preset);
}

const idCache = new Map<PresetKind, string[]>();
const presetCache = new Map<string, unknown>();

function listIds(info: KindInfo<unknown>): string[] {
  let ids = idCache.get(info.kind);
  if (ids === undefined) {
    ids = readdirSync(presetsDir(info.kind))
      .filter(name => name.endsWith('.json'))
      .map(name => name.slice(0, -'.json'.length))
      .sort();
    idCache.set(info.kind, ids);
  }
  return [...ids];
}

function didYouMeanAny(candidates: readonly string[]): string {
  const quoted = candidates.map(candidate => `'${candidate}'`);
  if (quoted.length === 0) return '';
  if (quoted.length === 1) return `; did you mean ${quoted[0]}?`;
  return `; did you mean ${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}?`;
}

/** The score nearest() in src/suggest.ts ranks by: edit distance, at most 1 when one name contains the other. */
function score(value: string, candidate: string): number {
  const a = value.toLowerCase();
  const b = candidate.toLowerCase();
  const d = distance(a, b);
  return a.length >= 2 && (b.includes(a) || a.includes(b)) ? Math.min(d, 1) : d;
}

/** The nearest ids, and every id equally near ('h100' -> h100-pcie, h100-sxm, h200). */
function closest(id: string, ids: readonly string[]): string[] {
  const ranked = nearest(id, ids, 3);
  if (ranked.length === 0) return ranked;
  const best = score(id, ranked[0]);
  return ranked.filter(candidate => score(id, candidate) === best);
}

function unknownIdError(id: string, info: KindInfo<unknown>): InvalidInputError {
  const ids = listIds(info);
  return new InvalidInputError(
    `--${info.flag} '${id}' is not a ${info.noun} preset${didYouMeanAny(closest(id, ids)) || '.'} Valid: ${ids.join(', ')}`,
    {
      path: [info.flag],
      hint: `attncap presets ${info.kind} lists them with their figures; --${info.flag}-file FILE loads your own`,
    },
  );
}

const ID_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;

function loadShipped<T>(id: string, info: KindInfo<T>): T {
  const key = `${info.kind}:${id}`;
  const cached = presetCache.get(key);
  if (cached !== undefined) return cached as T;
  if (!ID_PATTERN.test(id)) throw unknownIdError(id, info);
  const file = join(presetsDir(info.kind), `${id}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw unknownIdError(id, info);
    throw new InvalidInputError(
      `cannot read ${info.noun} preset '${relative(packageRoot, file)}': ${reason(error)}`,
      {
        path: [info.flag],
      },
    );
  }
  const label = relative(packageRoot, file);
  const checked = prevalidated(label, text) as T | undefined; // validated by the build
  const preset = checked === undefined ? parsePreset(text, label, info, id) : deepFreeze(checked);
  presetCache.set(key, preset);
  return preset;
}

/** A user's preset file (--hardware-file, --model-file), through the bounded data-file reader. */
function readUserFile(path: string, info: KindInfo<unknown>): string {
  return readDataFile(path, {
    noun: `${info.noun} file`,
    path: [`${info.flag}File`],
    hint: `--${info.flag}-file takes a JSON or YAML file in the ${info.noun} preset format (docs/presets.md)`,
  });
}

function loadUserFile<T>(path: string, info: KindInfo<T>): T {
  const key = `file:${info.kind}:${path}`;
  const cached = presetCache.get(key);
  if (cached !== undefined) return cached as T;
  const preset = parsePreset(readUserFile(path, info), path, info);
  presetCache.set(key, preset);
  return preset;
}

/** What an imported Hugging Face config leaves out, by the preset it became (see modelWarnings). */
const importWarnings = new WeakMap<object, readonly string[]>();

/**
 * A model file's text as a preset: a Hugging Face config.json (it has `model_type` or
 * `architectures`; docs/import.md) is imported, anything else is a model preset. `id` names an
 * imported preset (default: from the config or the file name).
 */
export function parseModelFile(
  text: string,
  fileLabel: string,
  id?: string,
): {preset: ModelPreset; warnings: readonly string[]} {
  const options: DataFileOptions = {hint: formatHint(MODELS)};
  const data = parseDataText(text, fileLabel, options);
  if (!isHfConfig(data))
    return {
      preset: checkPreset(validateData(data, fileLabel, modelPresetSchema(), options), fileLabel, MODELS),
      warnings: [],
    };
  const imported = importHfConfig(data, {label: fileLabel, id});
  const preset = checkPreset(
    validateData(imported.preset, fileLabel, modelPresetSchema(), options),
    fileLabel,
    MODELS,
  );
  importWarnings.set(preset, imported.warnings);
  return {preset, warnings: imported.warnings};
}

/** A model file (a preset or a Hugging Face config.json) and its import warnings, read from disk. */
export function importModelFile(
  path: string,
  id?: string,
): {preset: ModelPreset; warnings: readonly string[]} {
  return parseModelFile(readUserFile(path, MODELS), path, id);
}

/** The import warnings of a model loaded from a Hugging Face config (none for presets). */
export function modelWarnings(model: ModelPreset): readonly string[] {
  return importWarnings.get(model) ?? [];
}

/** `to` is a changed copy of `from` (flag overrides): it keeps `from`'s import warnings. */
export function keepModelWarnings(from: ModelPreset, to: ModelPreset): void {
  const warnings = importWarnings.get(from);
  if (warnings !== undefined) importWarnings.set(to, warnings);
}

/** Ids of the shipped hardware presets, sorted. */
export function listHardwareIds(): string[] {
  return listIds(HARDWARE);
}

/** Ids of the shipped model presets, sorted. */
export function listModelIds(): string[] {
  return listIds(MODELS);
}

/** A shipped hardware preset; unknown ids are an InvalidInputError that suggests the nearest. */
export function loadHardware(id: string): HardwarePreset {
  return loadShipped(id, HARDWARE);
}

/** A shipped model preset; unknown ids are an InvalidInputError that suggests the nearest. */
export function loadModel(id: string): ModelPreset {
  return loadShipped(id, MODELS);
}

/** A hardware file (JSON or YAML, the preset schema), e.g. from --hardware-file. */
export function loadHardwareFile(path: string): HardwarePreset {
  return loadUserFile(path, HARDWARE);
}

/** A model file (JSON or YAML, the preset schema, or a Hugging Face config.json), e.g. from --model-file. */
export function loadModelFile(path: string): ModelPreset {
  const key = `file:${MODELS.kind}:${path}`;
  const cached = presetCache.get(key);
  if (cached !== undefined) return cached as ModelPreset;
  const preset = importModelFile(path).preset;
  presetCache.set(key, preset);
  return preset;
}

/** Every shipped hardware preset, validated, in id order. */
export function listHardware(): HardwarePreset[] {
  return listHardwareIds().map(loadHardware);
}

/** Every shipped model preset, validated, in id order. */
export function listModels(): ModelPreset[] {
  return listModelIds().map(loadModel);
}

/**
 * Validates a model preset given as text (a file's content); `fileLabel` names it in errors. With
 * `expectedId` (the file's base name) the file-name-is-id rule of shipped presets applies too.
 */
export function parseModelPreset(text: string, fileLabel: string, expectedId?: string): ModelPreset {
  return parsePreset(text, fileLabel, MODELS, expectedId);
}

/** As parseModelPreset, for hardware presets. */
export function parseHardwarePreset(text: string, fileLabel: string, expectedId?: string): HardwarePreset {
  return parsePreset(text, fileLabel, HARDWARE, expectedId);
}

/** Applies a kind's cross-field rules to data already parsed (an inline model or device). */
function checkPresetObject<T>(data: unknown, label: string, info: KindInfo<T>): T {
  const options: DataFileOptions = {hint: formatHint(info)};
  const preset = validateData(data, label, info.schema(), options);
  const problems = info.rules.flatMap(rule => rule.check(preset));
  if (problems.length > 0) throw problemsError(label, problems, options);
  return deepFreeze(preset);
}

/** A model given inline (a scenario's `model` object): the preset schema and rules, errors under `label`. */
export function checkModelObject(data: unknown, label: string): ModelPreset {
  return checkPresetObject(data, label, MODELS);
}

/** A device given inline (a scenario's `hardware` object). */
export function checkHardwareObject(data: unknown, label: string): HardwarePreset {
  return checkPresetObject(data, label, HARDWARE);
}
