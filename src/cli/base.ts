/**
 * The one base command that owns attncap's contract (docs/design.md §2.2, STYLE 2): the `--json`
 * envelope, the mapping of errors to exit codes, and colour/TTY decisions. Commands implement
 * `compute()` — parse flags, call one library function, describe how to render — and never
 * print or exit themselves.
 */
import {Command, Errors, Flags} from '@oclif/core';
import {AttncapError, type CheckFailedError, type ErrorCode, InvalidInputError} from '../errors.js';
import type {Warning} from '../scenario/warnings.js';
import {outputStyle} from './render.js';
import {terminalSafe} from './safe-text.js';

/** 2: warnings are {code, message}; rows carry the variant id with variantParams and variantLabel (docs/json.md). */
export const SCHEMA_VERSION = 2;

export interface RenderContext {
  /** ANSI colour allowed: stdout is a TTY, no NO_COLOR, no --no-color. */
  color: boolean;
  /** Charts allowed (no --no-chart). */
  chart: boolean;
  /** Terminal width in columns (COLUMNS, else the terminal's; 80 when unknown). */
  width: number;
  /** Width tables and prose are fitted to; undefined with --wide or when output is not a terminal and COLUMNS is unset. */
  fitWidth?: number;
}

/** What a command computed: the JSON envelope's parts and how to show it to a person. */
export interface Outcome<R = unknown> {
  inputs: Record<string, unknown>;
  results: R[];
  warnings?: Warning[];
  /** Human output; not called under --json. */
  render(ctx: RenderContext): string;
  /** A failed check or capacity assertion: printed after the results, exit 1. */
  failure?: CheckFailedError;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  path: (string | number)[];
  hint?: string;
}

export type Envelope<R = unknown> =
  | {
      schemaVersion: number;
      command: string;
      ok: true;
      inputs: Record<string, unknown>;
      results: R[];
      warnings: Warning[];
    }
  | {
      schemaVersion: number;
      command: string;
      ok: false;
      inputs?: Record<string, unknown>;
      results?: R[];
      warnings?: Warning[];
      error: ErrorBody;
    };

/** Flags every command has. */
export const outputFlags = {
  'no-color': Flags.boolean({
    description: 'Plain output without ANSI colour (also: NO_COLOR, or stdout not a TTY).',
  }),
  'no-chart': Flags.boolean({description: 'Skip charts in human output.'}),
};

/** Maps oclif's own parse errors (unknown flag, missing value, bad option) to invalid input. */
function toErrorBody(err: unknown): {body: ErrorBody; exitCode: number; internal: boolean} {
  if (err instanceof AttncapError) {
    return {
      body: {code: err.code, message: err.message, path: err.path, hint: err.hint},
      exitCode: err.exitCode,
      internal: false,
    };
  }
  if (err instanceof Errors.CLIError || isOclifParseError(err)) {
    const message = stripAnsi((err as Error).message).replace(/\n\s*See more help with --help$/m, '');
    return {
      body: {
        code: 'INVALID_INPUT',
        message,
        path: [],
        hint: 'Run the command with --help for its flags and examples.',
      },
      exitCode: 2,
      internal: false,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    body: {
      code: 'INTERNAL',
      message: `internal error (this is a bug in attncap): ${message}`,
      path: [],
      hint: 'Rerun with DEBUG=attncap* for a stack trace and report it.',
    },
    exitCode: 70,
    internal: true,
  };
}

function isOclifParseError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'parse' in err && 'oclif' in err;
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** The first number in `value` that is NaN or ±Infinity, with its path (`results[0].latency.seconds`). */
export function firstNonFinite(value: unknown, path = 'results'): {path: string; value: number} | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : {path, value};
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = firstNonFinite(value[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const bad = firstNonFinite(item, `${path}.${key}`);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * The last guard of "no non-finite number leaves attncap" (docs/limits.md): inputs that pass
 * every check at resolution can still overflow double precision together (a tiny peak FLOP/s
 * with a huge model). That is the inputs' fault, not a bug: exit 2 naming them.
 */
export function nonFiniteError(
  bad: {path: string; value: number},
  argv: readonly string[],
): InvalidInputError {
  const typed = argv.join(' ');
  const inputs = typed.length > 300 ? `${typed.slice(0, 300)}…` : typed;
  return new InvalidInputError(
    `these inputs give ${bad.path} = ${bad.value}, beyond double precision: ${inputs === '' ? '(defaults)' : inputs}`,
    {
      path: [],
      hint: 'Bring extreme values (--peak-flops, --bandwidth, --memory, sizes, profile figures) back to a physical range; the limits are in docs/limits.md.',
    },
  );
}

function debugEnabled(): boolean {
  const debug = process.env.DEBUG ?? '';
  return debug.split(',').some(pattern => pattern === '*' || pattern.startsWith('attncap'));
}

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = outputFlags;

  private outcome?: Outcome;

  /** The command as users type it: 'tokens image', not oclif's 'tokens:image'. */
  protected commandName(): string {
    return (this.id ?? 'attncap').replaceAll(':', ' ');
  }

  /** Parse flags, call the library, say how to render. Throw AttncapError subclasses for user errors. */
  protected abstract compute(): Promise<Outcome>;

  protected renderContext(flags: {
    'no-color'?: boolean;
    'no-chart'?: boolean;
    wide?: boolean;
  }): RenderContext {
    return {
      ...outputStyle({
        isTTY: Boolean(process.stdout.isTTY),
        columns: process.stdout.columns,
        env: process.env,
        noColor: Boolean(flags['no-color']),
        wide: Boolean(flags.wide),
      }),
      chart: !flags['no-chart'],
    };
  }

  async run(): Promise<void> {
    const outcome = await this.compute();
    this.outcome = outcome;
    const bad = firstNonFinite(outcome.results);
    if (bad) throw nonFiniteError(bad, this.argv);
    const failure = outcome.failure;
    if (this.jsonEnabled()) {
      const envelope: Envelope = failure
        ? {
            schemaVersion: SCHEMA_VERSION,
            command: this.commandName(),
            ok: false,
            inputs: outcome.inputs,
            results: outcome.results,
            warnings: outcome.warnings ?? [],
            error: toErrorBody(failure).body,
          }
        : {
            schemaVersion: SCHEMA_VERSION,
            command: this.commandName(),
            ok: true,
            inputs: outcome.inputs,
            results: outcome.results,
            warnings: outcome.warnings ?? [],
          };
      process.stdout.write(`${JSON.stringify(envelope, null, 2)}\n`);
    } else {
      const flags = {
        'no-color': this.argv.includes('--no-color'),
        'no-chart': this.argv.includes('--no-chart'),
        wide: this.argv.includes('--wide'),
      };
      const ctx = this.renderContext(flags);
      // Names from users' files reach the table: no control characters or escapes but our colours.
      const text = terminalSafe(outcome.render(ctx), ctx.color);
      if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      for (const w of outcome.warnings ?? []) process.stderr.write(`warning: ${terminalSafe(w.message)}\n`);
      if (failure) process.stderr.write(`attncap: ${terminalSafe(failure.message)}\n`);
    }
    if (failure) throw new Errors.ExitError(failure.exitCode);
  }

  override async catch(err: Error & {exitCode?: number}): Promise<never> {
    if (err instanceof Errors.ExitError) throw err;
    const {body, exitCode, internal} = toErrorBody(err);
    if (this.jsonEnabled()) {
      const envelope: Envelope = {
        schemaVersion: SCHEMA_VERSION,
        command: this.commandName(),
        ok: false,
        ...(this.outcome ? {inputs: this.outcome.inputs} : {}),
        error: body,
      };
      process.stdout.write(`${JSON.stringify(envelope, null, 2)}\n`);
    } else {
      process.stderr.write(`attncap: ${terminalSafe(body.message)}\n`);
      if (body.hint) process.stderr.write(`hint: ${terminalSafe(body.hint)}\n`);
    }
    if (debugEnabled() || (internal && process.env.ATTNCAP_STACK))
      process.stderr.write(`${err.stack ?? ''}\n`);
    throw new Errors.ExitError(exitCode);
  }
}
