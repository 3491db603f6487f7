/**
 * The CLI's entry point, bundled into dist/attncap.cjs by scripts/bundle.ts: oclif, the commands
 * and the model in one file, so start-up reads one module instead of ~300 (SPEC §10 budgets).
 * oclif's explicit command discovery reads COMMANDS and the `notFound` hook from this module.
 */
import {execute} from '@oclif/core';
import {route} from './route.js';

export {Config, Errors, run} from '@oclif/core';
export {COMMANDS} from './commands.js';
export {default as notFound} from './hooks/not-found.js';
export {route} from './route.js';

/** Runs attncap with the user's arguments (`attncap` alone runs the default report). */
export async function main(argv: readonly string[]): Promise<void> {
  await execute({args: route(argv), dir: import.meta.url});
}
