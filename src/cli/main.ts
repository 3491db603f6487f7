/**
 * The CLI's entry point, bundled into dist/attncap.cjs by scripts/bundle.ts: oclif, the commands
 * and the model in one file, so start-up reads one module instead of ~300 (docs/startup.md).
 * oclif's explicit command discovery reads COMMANDS and the `notFound` hook from this module.
 * bin/run.js sends the query commands to the query bundle (src/cli/query.ts) first; what it
 * declines (help, topics, every other command) runs here, through oclif.
 */
import {run} from '@oclif/core';
import {z} from 'zod';
import {exitCodeOf} from './exit.js';
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
