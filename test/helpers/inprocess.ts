/**
 * Runs attncap commands inside the test process (same bundle, routing, config and error handling
 * as bin/run.js), capturing stdout, stderr and the exit code. Thousands of fuzz runs fit in
 * seconds this way; the spawned-binary tests (helpers/cli.ts) keep checking the real process.
 */
import {createRequire} from 'node:module';
import {join} from 'node:path';
import type {Config} from '@oclif/core';
import {ROOT} from './cli.js';

// The shipped artifact, dist/attncap.cjs: its own oclif, commands and routing (one instance).
const {
  Config: BundledConfig,
  Errors,
  route,
  run,
} = createRequire(import.meta.url)(
  join(ROOT, 'dist', 'attncap.cjs'),
) as typeof import('../../src/cli/main.js');

let config: Config | undefined;

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one argument vector. Not re-entrant: run these serially (test.serial). */
export async function runInProcess(argv: string[]): Promise<InProcessResult> {
  config ??= await BundledConfig.load(ROOT);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  let code = 0;
  try {
    await run(route(argv), config);
  } catch (error) {
    const exit = (error as {oclif?: {exit?: number}}).oclif?.exit;
    if (error instanceof Errors.ExitError || typeof exit === 'number') code = exit ?? 1;
    else {
      code = -1;
      stderr += `UNCAUGHT: ${(error as Error).stack ?? String(error)}`;
    }
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
  return {code, stdout, stderr};
}
