/**
 * The query bundle's entry point (dist/query.cjs, scripts/bundle.ts; docs/startup.md): the query
 * commands — cost, latency, max-seq, memory, report, serve, compare, crossover, complexity — with
 * oclif's parser, flags and errors but none of its configuration, help or plugin machinery. A
 * query's start-up loads and initialises this smaller file instead of the full CLI.
 */
import {z} from 'zod';
import {type DirectCommandClass, directId, runDirect} from './direct.js';
import {exitCodeOf} from './exit.js';
import {QUERY_LOADERS} from './query-commands.js';
import {route} from './route.js';

/**
 * Runs `argv` when it is a query that starts directly and says so; returns false, having done
 * nothing, for anything else (help, topics, other commands), which bin/run.js then hands to the
 * full CLI (src/cli/main.ts). The exit code is set, never forced, as there.
 */
export async function main(argv: readonly string[]): Promise<boolean> {
  const routed = route(argv);
  const id = directId(routed);
  if (id === undefined) return false;
  // As in src/cli/main.ts: zod's JIT costs more than it saves in a one-shot command.
  z.config({jitless: true});
  try {
    // The commands are typed against oclif's Command; in this bundle they extend query-command.ts's.
    await runDirect(QUERY_LOADERS[id]() as unknown as DirectCommandClass, id, routed);
  } catch (error) {
    process.exitCode = exitCodeOf(error);
  }
  return true;
}
