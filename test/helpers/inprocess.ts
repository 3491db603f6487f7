/**
 * Runs attncap commands inside the test process, as bin/run.js does — a query through the query
 * bundle (dist/query.cjs), everything else and what it declines through the full CLI
 * (dist/attncap.cjs, with oclif) — capturing stdout, stderr and the exit code. Thousands of fuzz
 * runs fit in seconds this way; the spawned-binary tests (helpers/cli.ts) keep checking the real
 * process.
 */
import {createRequire} from 'node:module';
import {join} from 'node:path';
import type {Config} from '@oclif/core';
import {QUERY_LOADERS} from '../../src/cli/query-commands.js';
import {ROOT} from './cli.js';

const load = createRequire(import.meta.url);
// The shipped artifacts: each bundle its own oclif (or part of it), commands and routing.
const full = load(join(ROOT, 'dist', 'attncap.cjs')) as typeof import('../../src/cli/main.js');
const query = load(join(ROOT, 'dist', 'query.cjs')) as typeof import('../../src/cli/query.js');
const QUERY_IDS = new Set(Object.keys(QUERY_LOADERS));

let config: Config | undefined;

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one argument vector: `via: 'cli'` as bin/run.js routes it, `via: 'oclif'` through the full
 * CLI alone. Not re-entrant: run these serially (test.serial).
 */
export async function runInProcess(
  argv: string[],
  {via = 'cli'}: {via?: 'cli' | 'oclif'} = {},
): Promise<InProcessResult> {
  config ??= await full.Config.load(ROOT);
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
    // bin/run.js's mayBeQuery: a query command first, or no command at all.
    const mayBeQuery = argv.length === 0 || argv[0]!.startsWith('-') || QUERY_IDS.has(argv[0]!);
    if (via === 'cli' && mayBeQuery && (await query.main(argv))) code = Number(process.exitCode ?? 0);
    else await full.run(full.route(argv), config);
  } catch (error) {
    const exit = (error as {oclif?: {exit?: number}}).oclif?.exit;
    if (error instanceof full.Errors.ExitError || typeof exit === 'number') code = exit ?? 1;
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
