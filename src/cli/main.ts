/**
 * The CLI's entry point, bundled into dist/attncap.cjs by scripts/bundle.ts: oclif, the commands
 * and the model in one file, so start-up reads one module instead of ~300 (docs/startup.md).
 * oclif's explicit command discovery reads COMMANDS and the `notFound` hook from this module.
 */
import {readFileSync} from 'node:fs';
import {Errors, run} from '@oclif/core';
import {z} from 'zod';
import {COMMANDS} from './commands.js';
import {route} from './route.js';

export {Config, Errors, run} from '@oclif/core';
export {COMMANDS} from './commands.js';
export {default as notFound} from './hooks/not-found.js';
export {route} from './route.js';

/**
 * Runs attncap with the user's arguments (`attncap` alone runs the default report). The exit code
 * is set, never forced: oclif's own `execute` ends with `process.exit()`, which cuts a pipe off at
 * 64 KiB when the reader is slower than attncap (docs/json.md, "Exit codes"). Here the process
 * ends by itself once stdout and stderr have drained.
 */
export async function main(argv: readonly string[]): Promise<void> {
  // A command parses a few small files once: zod's JIT (a parser generated with `new Function`
  // per object schema, which V8's code cache cannot hold) costs more than it saves. Set before
  // any schema is built: command modules load inside run().
  z.config({jitless: true});
  try {
    const routed = route(argv);
    const direct = directCommand(routed);
    if (direct) await direct.run();
    else await run(routed, import.meta.url);
  } catch (error) {
    process.exitCode = exitCodeOf(error);
  }
}

/** The exit code of what escaped oclif; commands have already printed their own errors. */
function exitCodeOf(error: unknown): number {
  if (error instanceof Errors.ExitError) return error.oclif.exit ?? 1;
  const exit = (error as {oclif?: {exit?: number}} | null)?.oclif?.exit;
  if (error instanceof Errors.CLIError && typeof exit === 'number') {
    // oclif's own errors outside a command (its config or hooks): message only, no stack.
    process.stderr.write(`attncap: ${error.message}\n`);
    return exit;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`attncap: internal error (this is a bug in attncap): ${message}\n`);
  if (process.env.ATTNCAP_STACK && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 70;
}

/**
 * The query commands that start without oclif's configuration (docs/startup.md, "How a command
 * starts"): they use nothing of it but the parser, the `--json` flag and the environment prefix.
 * oclif's `Config.load` (package.json, manifest, theme, plugins) is a sixth of a query's start-up.
 */
const DIRECT = new Set([
  'compare',
  'complexity',
  'cost',
  'crossover',
  'latency',
  'max-seq',
  'memory',
  'report',
  'serve',
]);
/** Arguments that oclif's `run` answers itself (help) or that need its full configuration. */
const HELP_ARGS = new Set(['--help', '-h', 'help']);

/**
 * A query command run the way oclif's `run` → `Config.runCommand` → `Command.run` would run it
 * (same class, same parser, same `_run`: init, run, catch, finally), with the few members of
 * oclif's Config that a query command reads. Anything else — help, topics, unknown commands,
 * `DEBUG` logging — returns undefined and goes through oclif.
 */
function directCommand(argv: readonly string[]): {run(): Promise<unknown>} | undefined {
  const [id, ...rest] = argv;
  if (id === undefined || !DIRECT.has(id) || process.env.DEBUG) return undefined;
  // oclif reads the words before the first flag as one command id (`memory extra`): its own path.
  if (rest.length > 0 && !rest[0].startsWith('-')) return undefined;
  for (const arg of rest) {
    if (arg === '--') break;
    if (HELP_ARGS.has(arg)) return undefined;
  }
  const Cmd = COMMANDS[id];
  Cmd.id = id; // as oclif's explicit command discovery does
  // oclif's Command.run(argv, config) without its Config.load: construct, then `_run`.
  const Concrete = Cmd as unknown as new (argv: string[], config: unknown) => {_run(): Promise<unknown>};
  const command = new Concrete(rest, directConfig());
  return {run: () => command._run()};
}

/** oclif's Config members read on a query command's path (src/commands/*, oclif's Command and parser). */
function directConfig() {
  const bin = 'attncap';
  const scopedEnvVarKeys = (k: string): string[] => [`${bin}_${k}`.toUpperCase()];
  const scopedEnvVar = (k: string): string | undefined =>
    process.env[scopedEnvVarKeys(k).find(key => process.env[key]) ?? ''];
  return {
    bin,
    binAliases: undefined,
    topicSeparator: ' ',
    theme: undefined,
    commandIDs: Object.keys(COMMANDS),
    findCommand: (id: string) => (Object.hasOwn(COMMANDS, id) ? COMMANDS[id] : undefined),
    /** oclif's `attncap/0.1.0 linux-x64 node-v20.19.0`; the bundle's package.json is one folder up. */
    get userAgent(): string {
      let version = '';
      try {
        ({version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')));
      } catch {
        version = 'unknown';
      }
      return `${bin}/${version} ${process.platform}-${process.arch} node-${process.version}`;
    },
    scopedEnvVar,
    scopedEnvVarKey: (k: string): string => scopedEnvVarKeys(k)[0],
    scopedEnvVarKeys,
    scopedEnvVarTrue: (k: string): boolean => ['1', 'true'].includes(scopedEnvVar(k) ?? ''),
    runHook: async () => ({successes: [], failures: []}),
  };
}
