/**
 * The CLI's entry point, bundled into dist/attncap.cjs by scripts/bundle.ts: oclif, the commands
 * and the model in one file, so start-up reads one module instead of ~300 (docs/startup.md).
 * oclif's explicit command discovery reads COMMANDS and the `notFound` hook from this module.
 */
import {Errors, run} from '@oclif/core';
import {z} from 'zod';
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
    await run(route(argv), import.meta.url);
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
