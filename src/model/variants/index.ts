/**
 * The registry of attention variants (docs/design.md §4.1): the id list feeds `--variant`, `presets
 * variants` and the docs; `resolveVariant` turns `window:w=512` into a validated variant. Shared
 * code never branches on a variant's id — every fact comes from the variant's own file.
 *
 * Parameter conventions every variant's zod schema follows (read by this file):
 * - `z.strictObject` whose fields carry `.describe('short text (details)')`; the text before
 *   the first ' (' is the short form used in error messages next to the default.
 * - `.meta({headline: true})` on the parameter(s) that name the variant's operating point; they
 *   always appear in the display label ('window w=512'); `.meta({symbol: 'r'})` prints that
 *   symbol instead of the field name ('performer r=256'). Other parameters appear in the label
 *   only when they differ from their defaults.
 */
import {z} from 'zod';
import {InvalidInputError} from '../../errors.js';
import {didYouMean} from '../../suggest.js';
import {parseVariantSpec} from '../../units.js';
import type {ResolvedVariant, VariantDef} from '../types.js';
import {bigbirdVariant} from './bigbird.js';
import {chunkedVariant} from './chunked.js';
import {flashVariant} from './flash.js';
import {linearVariant} from './linear.js';
import {linformerVariant} from './linformer.js';
import {longformerVariant} from './longformer.js';
import {nystromVariant} from './nystrom.js';
import {pacaVariant} from './paca.js';
import {performerVariant} from './performer.js';
import {standardVariant} from './standard.js';
import {stridedVariant} from './strided.js';
import {swinVariant} from './swin.js';
import {windowVariant} from './window.js';
import {xlVariant} from './xl.js';

export type {ResolvedVariant} from '../types.js';

// Each def is generic in its own params; the registry holds them by the common interface.
const VARIANTS: readonly VariantDef[] = [
  standardVariant,
  flashVariant,
  windowVariant,
  chunkedVariant,
  longformerVariant,
  bigbirdVariant,
  stridedVariant,
  linformerVariant,
  performerVariant,
  linearVariant,
  nystromVariant,
  swinVariant,
  pacaVariant,
  xlVariant,
];

/** Variant ids in their stable display order. */
export const VARIANT_IDS: readonly string[] = VARIANTS.map(v => v.id);

const BY_ID = new Map(VARIANTS.map(v => [v.id, v]));

/** Every variant, in the stable order of VARIANT_IDS. */
export function listVariants(): readonly VariantDef[] {
  return VARIANTS;
}

/** "; did you mean 'x'?" or "." — the end of the first sentence of a not-found message. */
function suggestion(value: string, candidates: readonly string[]): string {
  return didYouMean(value, candidates) || '.';
}

/** The variant with this id, or InvalidInputError naming the nearest id and the valid ones. */
export function getVariant(id: string, flag = 'variant'): VariantDef {
  const def = BY_ID.get(id);
  if (def) return def;
  throw new InvalidInputError(
    `--${flag} '${id}' is not a variant${suggestion(id, VARIANT_IDS)} Valid: ${VARIANT_IDS.join(', ')}`,
    {path: [flag], hint: 'attncap presets variants'},
  );
}

/** One parameter of a variant, as its schema declares it. */
export interface ParamInfo {
  name: string;
  /** The full `.describe()` text. */
  description: string;
  /** The value parsing `{}` gives, or undefined when the variant resolves it from the input. */
  defaultValue: unknown;
  /** Always shown in the display label. */
  headline: boolean;
  /** Name printed in labels ('r' for performer's `features`). */
  symbol: string;
}

function shapeOf(def: VariantDef): Record<string, z.ZodType> {
  const params = def.params();
  return params instanceof z.ZodObject ? (params.shape as Record<string, z.ZodType>) : {};
}

const PARAM_INFO = new Map<string, readonly ParamInfo[]>();

/** The parameters of a variant in schema order, with descriptions, defaults and label metadata. */
export function variantParams(def: VariantDef): readonly ParamInfo[] {
  const cached = PARAM_INFO.get(def.id);
  if (cached) return cached;
  const defaults = def.params().parse({}) as Record<string, unknown>;
  const info = Object.entries(shapeOf(def)).map(([name, field]) => {
    const meta = (field.meta() ?? {}) as {headline?: unknown; symbol?: unknown};
    return {
      name,
      description: field.description ?? '',
      defaultValue: defaults[name],
      headline: meta.headline === true,
      symbol: typeof meta.symbol === 'string' ? meta.symbol : name,
    };
  });
  PARAM_INFO.set(def.id, info);
  return info;
}

/** 'w (window keys per query, default 512)'; a default resolved from the input keeps its full text. */
function describeParam(param: ParamInfo): string {
  if (param.defaultValue === undefined) return `${param.name} (${param.description})`;
  const cut = param.description.indexOf(' (');
  const short = cut > 0 ? param.description.slice(0, cut) : param.description;
  return `${param.name} (${short}, default ${String(param.defaultValue)})`;
}

function validParams(def: VariantDef): string {
  const params = variantParams(def);
  return params.length === 0 ? `none (${def.id} takes no parameters)` : params.map(describeParam).join(', ');
}

/** The rule a zod issue states, in words: 'greater than 0', 'an integer', 'one of fixed, strided'. */
function ruleOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'an integer';
      if (issue.expected === 'boolean') return 'true or false';
      return `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}

function label(def: VariantDef, params: Record<string, unknown>): string {
  const parts = [def.id];
  for (const param of variantParams(def)) {
    const value = params[param.name];
    if (value === undefined) continue;
    if (param.headline || value !== param.defaultValue) parts.push(`${param.symbol}=${String(value)}`);
  }
  return parts.join(' ');
}

/**
 * A variant and its validated parameters from `window:w=512,fused=true` (parsed by
 * parseVariantSpec) or from `{name, params}` (a preset's layer schedule). Unknown names and
 * parameters and bad values throw InvalidInputError naming the value, the rule and the choices.
 */
export function resolveVariant(
  spec: string | {name: string; params: Record<string, unknown>},
  flag = 'variant',
): ResolvedVariant {
  const parsed = typeof spec === 'string' ? parseVariantSpec(spec, flag) : spec;
  const name = parsed.name.trim().toLowerCase();
  const def = getVariant(name, flag);
  const known = variantParams(def).map(p => p.name);
  // A parameter may be given by the symbol its label prints (performer r=256 → features).
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed.params)) {
    const bySymbol = known.includes(key) ? undefined : variantParams(def).find(p => p.symbol === key);
    const name = bySymbol?.name ?? key;
    if (name in given) {
      throw new InvalidInputError(`--${flag} ${def.id}: '${key}' repeats the parameter ${name}`, {
        path: [flag, key],
        hint: 'attncap presets variants',
      });
    }
    given[name] = value;
  }
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new InvalidInputError(
        `--${flag} ${name}: '${key}' is not a parameter of ${name}${suggestion(key, known)} Valid: ${validParams(def)}`,
        {path: [flag, key], hint: 'attncap presets variants'},
      );
    }
  }
  const result = def.params().safeParse(given);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const param = variantParams(def).find(p => p.name === key);
    const value = given[key];
    const shown = typeof value === 'string' ? `'${value}'` : String(value);
    throw new InvalidInputError(
      `--${flag} ${name}: ${key} must be ${ruleOf(issue)}; got ${shown}` +
        (param ? `. ${describeParam(param)}` : ''),
      {path: [flag, key], hint: `attncap presets variants`},
    );
  }
  const params = result.data as Record<string, unknown>;
  return {def, params, label: label(def, params)};
}
