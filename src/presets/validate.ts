/**
 * Parsing and validation of attncap's data files (presets, model and hardware files, and later
 * capacity files and calibration profiles): JSON, or YAML for *.yaml / *.yml, checked strictly
 * against a zod schema. Every problem becomes one line `file: path: message` (syntax errors:
 * `file:line:column: message`), and all of them are thrown together as ONE error, so a user fixes
 * a file in one pass instead of one complaint at a time.
 */
import {createRequire} from 'node:module';
import type {z} from 'zod';
import {type AttncapError, type ErrorDetails, InvalidInputError} from '../errors.js';
import {nearest} from '../suggest.js';
import {scanJson} from './json-scan.js';

// The YAML parser is loaded on first use: most runs read JSON presets only, and startup time counts.
const requireModule = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  yamlModule ??= requireModule('yaml') as typeof import('yaml');
  return yamlModule;
}

/** One problem in a data file: where (a path into the parsed data) and what is wrong. */
export interface Problem {
  path: readonly (string | number)[];
  message: string;
}

export interface DataFileOptions {
  /** The way out, shown under the message (e.g. where the format is documented). */
  hint?: string;
  /** The error class to throw: InvalidInputError (exit 2, the default) or EnvironmentError (exit 3, profiles). */
  errorClass?: new (
    message: string,
    details?: ErrorDetails,
  ) => AttncapError;
}

/** YAML for *.yaml and *.yml, JSON for everything else. */
export function isYamlFile(fileLabel: string): boolean {
  return /\.ya?ml$/i.test(fileLabel);
}

/** `matrixPeakFlopsPerSec.fp16`, `stages[2].variant`, `sources[0]`; `(top level)` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** `file: path: message`, the line format of every data-file problem. */
export function formatProblem(fileLabel: string, problem: Problem): string {
  return `${fileLabel}: ${formatPath(problem.path)}: ${problem.message}`;
}

/** One error carrying every problem, one line each. */
export function problemsError(
  fileLabel: string,
  problems: readonly Problem[],
  options: DataFileOptions = {},
): AttncapError {
  const ErrorClass = options.errorClass ?? InvalidInputError;
  return new ErrorClass(problems.map(problem => formatProblem(fileLabel, problem)).join('\n'), {
    path: [...(problems[0]?.path ?? [])],
    hint: options.hint,
  });
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): {line: number; column: number} {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return {line, column: clamped - lineStart + 1};
}

function syntaxError(
  fileLabel: string,
  text: string,
  offset: number,
  message: string,
  options: DataFileOptions,
): AttncapError {
  const {line, column} = lineColumn(text, offset);
  const ErrorClass = options.errorClass ?? InvalidInputError;
  return new ErrorClass(`${fileLabel}:${line}:${column}: ${message}`, {hint: options.hint});
}

/** Aliases yaml may resolve (its own guard; the default, 100, refuses one anchor reused 120 times). */
export const YAML_MAX_ALIAS_COUNT = 10_000;
/** Nodes a YAML file may hold once its aliases are expanded (a "billion laughs" file needs ~10⁹). */
export const YAML_MAX_EXPANDED_NODES = 1_000_000;

/**
 * The data in a JSON or YAML text, syntax checked only. Throws one error naming the line and
 * column of the (first) syntax error; YAML reports all of its errors, one line each. Duplicate
 * keys are errors in both formats, with their path; a file that holds nothing (empty, only
 * comments, or null) is an error that says so. Messages quote at most one character or key of
 * the file, never its text (docs/limits.md).
 */
export function parseDataText(text: string, fileLabel: string, options: DataFileOptions = {}): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const format = isYamlFile(fileLabel) ? 'YAML' : 'JSON';
  const ErrorClass = options.errorClass ?? InvalidInputError;
  const empty = (what: string) =>
    syntaxError(fileLabel, body, 0, `the file ${what}; expected a ${format} object`, options);
  if (body.trim() === '') throw empty('is empty');
  if (format === 'JSON') {
    const problem = scanJson(body);
    if (problem?.kind === 'syntax')
      throw syntaxError(fileLabel, body, problem.offset, `invalid JSON: ${problem.message}`, options);
    if (problem?.kind === 'duplicate') {
      const {line, column} = lineColumn(body, problem.offset);
      throw problemsError(
        fileLabel,
        [
          {
            path: problem.path,
            message: `duplicate key '${problem.key}' (again at line ${line}, column ${column}): keep one`,
          },
        ],
        options,
      );
    }
    const data: unknown = JSON.parse(body);
    if (data === null) throw empty('holds null');
    return data;
  }
  const document = yaml().parseDocument(body, {prettyErrors: false, uniqueKeys: true, merge: true});
  if (document.errors.length > 0) {
    const duplicates = yamlDuplicateKeys(document, body);
    const others = document.errors.filter(error => error.code !== 'DUPLICATE_KEY');
    const lines = duplicates.map(problem => formatProblem(fileLabel, problem));
    lines.push(
      ...others.map(error => {
        const {line, column} = lineColumn(body, error.pos[0]);
        return `${fileLabel}:${line}:${column}: invalid YAML: ${error.message}`;
      }),
    );
    throw new ErrorClass(lines.join('\n'), {path: [...(duplicates[0]?.path ?? [])], hint: options.hint});
  }
  const aliasProblem = yamlAliasProblem(document);
  if (aliasProblem) throw syntaxError(fileLabel, body, aliasProblem.offset, aliasProblem.message, options);
  const data: unknown = document.toJS({maxAliasCount: YAML_MAX_ALIAS_COUNT});
  if (data === null || data === undefined)
    throw empty(document.contents === null ? 'holds no data (only comments)' : 'holds null');
  return data;
}

type YamlNode = import('yaml').Node;

/** Every key that a YAML mapping repeats, with its path: `defaults.batch: duplicate key 'batch' …`. */
function yamlDuplicateKeys(document: import('yaml').Document, body: string): Problem[] {
  const {isMap, isScalar, isSeq} = yaml();
  const problems: Problem[] = [];
  const walk = (node: unknown, path: (string | number)[], depth: number): void => {
    if (depth > 256) return;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && seen.has(key)) {
          const {line, column} = lineColumn(body, (pair.key as YamlNode).range?.[0] ?? 0);
          problems.push({
            path: [...path, key],
            message: `duplicate key '${key}' (again at line ${line}, column ${column}): keep one`,
          });
        }
        if (key !== undefined) seen.add(key);
        walk(pair.value, key === undefined ? path : [...path, key], depth + 1);
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) walk(item, [...path, index], depth + 1);
    }
  };
  walk(document.contents, [], 0);
  return problems;
}

/**
 * An alias that names no anchor before it, or aliases that expand the file beyond
 * YAML_MAX_EXPANDED_NODES — found on the parsed tree (memoised: each node is sized once), so
 * toJS neither throws a bare ReferenceError nor builds a huge value.
 */
function yamlAliasProblem(document: import('yaml').Document): {offset: number; message: string} | undefined {
  const {isAlias, isMap, isPair, isScalar, isSeq} = yaml();
  const sizes = new Map<YamlNode, number>();
  const anchors = new Set<string>();
  let problem: {offset: number; message: string} | undefined;
  const size = (node: unknown, depth: number): number => {
    if (problem || node === null || node === undefined) return 0;
    if (isScalar(node)) {
      if (node.anchor) anchors.add(node.anchor);
      return 1;
    }
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      if (!anchors.has(node.source)) {
        problem = {
          offset,
          message: `invalid YAML: alias *${node.source} names no anchor (&${node.source}) set before it`,
        };
        return 0;
      }
      const target = node.resolve(document);
      if (!target || isScalar(target)) return 1;
      const sized = sizes.get(target);
      if (sized === undefined)
        problem = {offset, message: `invalid YAML: alias *${node.source} is inside its own anchor (a cycle)`};
      return sized ?? 0;
    }
    if (depth > 256) {
      problem = {
        offset: (node as YamlNode).range?.[0] ?? 0,
        message: 'invalid YAML: nesting deeper than 256 levels',
      };
      return 0;
    }
    let total = 1;
    if (isMap(node) || isSeq(node)) {
      if (node.anchor) anchors.add(node.anchor);
      for (const item of node.items as unknown[]) {
        total += isPair(item)
          ? size(item.key, depth + 1) + size(item.value, depth + 1)
          : size(item, depth + 1);
        if (total > YAML_MAX_EXPANDED_NODES && !problem) {
          problem = {
            offset: node.range?.[0] ?? 0,
            message: `invalid YAML: its aliases expand to more than ${YAML_MAX_EXPANDED_NODES} nodes (the limit; docs/limits.md)`,
          };
        }
      }
      sizes.set(node, total);
    }
    return total;
  };
  size(document.contents, 0);
  return problem;
}

// ---- zod issues -> problems ------------------------------------------------------------------

/** The slice of zod 4's internal schema definition that key suggestions walk. */
interface SchemaDef {
  type: string;
  shape?: Record<string, ZodLike>;
  element?: ZodLike;
  items?: ZodLike[];
  innerType?: ZodLike;
  in?: ZodLike;
  valueType?: ZodLike;
  getter?: () => ZodLike;
}
interface ZodLike {
  _zod: {def: SchemaDef};
}

function unwrap(schema: ZodLike): ZodLike {
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = current._zod.def;
    const next =
      def.innerType ??
      (def.type === 'pipe' ? def.in : undefined) ??
      (def.type === 'lazy' ? def.getter?.() : undefined);
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

/** The schema at a data path, or undefined where the path leaves what can be followed (unions). */
function schemaAt(schema: ZodLike, path: readonly PropertyKey[]): ZodLike | undefined {
  let current: ZodLike | undefined = schema;
  for (const key of path) {
    if (current === undefined) return undefined;
    const def: SchemaDef = unwrap(current)._zod.def;
    if (def.type === 'object') current = def.shape?.[String(key)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'tuple') current = def.items?.[Number(key)];
    else if (def.type === 'record') current = def.valueType;
    else return undefined;
  }
  return current === undefined ? undefined : unwrap(current);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function hasKey(data: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return true;
  const parent = valueAt(data, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && Object.hasOwn(parent, path[path.length - 1]);
}

/** Longer strings are described, not quoted: a whole file read as one YAML string must not be echoed. */
const MAX_QUOTED = 40;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length > MAX_QUOTED
      ? `a string of ${value.length} characters`
      : `string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Turns zod issues into problems with messages that name the bad value and the way out. */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  schema: z.ZodType,
): Problem[] {
  const root = schema as unknown as ZodLike;
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.map(key => (typeof key === 'symbol' ? String(key) : key));
    const value = valueAt(data, issue.path);
    switch (issue.code) {
      case 'invalid_type':
        problems.push({
          path,
          message:
            value === undefined && !hasKey(data, issue.path)
              ? `missing required field (expected ${issue.expected})`
              : `expected ${issue.expected}, received ${describe(value)}`,
        });
        break;
      case 'unrecognized_keys': {
        const shape = schemaAt(root, issue.path)?._zod.def.shape;
        const known = shape ? Object.keys(shape) : [];
        const present = value !== null && typeof value === 'object' ? Object.keys(value) : [];
        const absent = known.filter(key => !present.includes(key));
        for (const key of issue.keys) {
          const best = nearest(key, absent.length > 0 ? absent : known, 1)[0];
          // The nearest key when there is one, else the list to choose from.
          const way =
            best !== undefined
              ? `; did you mean '${best}'?`
              : known.length > 0
                ? `; valid keys: ${known.join(', ')}`
                : '';
          problems.push({path: [...path, key], message: `unknown key '${key}'${way}`});
        }
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map(v => String(v));
        const best = typeof value === 'string' ? nearest(value, values, 1)[0] : undefined;
        const suggestion = best === undefined ? '' : `; did you mean '${best}'?`;
        problems.push({
          path,
          message:
            values.length === 1
              ? `expected ${JSON.stringify(issue.values[0])}, received ${describe(value)}`
              : value === undefined && !hasKey(data, issue.path)
                ? `missing required field (one of ${values.join(', ')})`
                : `${describe(value)} is not one of ${values.join(', ')}${suggestion}`,
        });
        break;
      }
      default: {
        const shown =
          typeof value === 'number' || typeof value === 'string' ? ` (received ${describe(value)})` : '';
        problems.push({path, message: `${lowerFirst(issue.message)}${shown}`});
      }
    }
  }
  return problems;
}

/** Validates parsed data against a schema; every issue goes into one thrown error. */
export function validateData<S extends z.ZodType>(
  data: unknown,
  fileLabel: string,
  schema: S,
  options: DataFileOptions = {},
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw problemsError(fileLabel, issuesToProblems(result.error.issues, data, schema), options);
}

/**
 * Parses a JSON or YAML text (YAML when `fileLabel` ends in .yaml/.yml) and validates it against
 * `schema`. Throws one error (InvalidInputError unless `options.errorClass` says otherwise) whose
 * message has one line per problem: `file: path: message`, or `file:line:column: message` for
 * syntax errors.
 */
export function parseDataFile<S extends z.ZodType>(
  text: string,
  fileLabel: string,
  schema: S,
  options: DataFileOptions = {},
): z.output<S> {
  return validateData(parseDataText(text, fileLabel, options), fileLabel, schema, options);
}
