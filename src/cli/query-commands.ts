/**
 * The query commands' modules (src/cli/direct.ts), each loaded on first use. Both bundles list
 * them: the query bundle (src/cli/query.ts) and, with every other command, src/cli/commands.ts.
 * `require` is the bundler's (scripts/bundle.ts): each call becomes a lazy initialiser of the
 * bundled module.
 */
import type {Command} from '@oclif/core';

export type CommandClass = typeof Command;

/** A command class, loaded when first read. */
export function lazy(load: () => {default: CommandClass}): () => CommandClass {
  let loaded: CommandClass | undefined;
  return () => {
    loaded ??= load().default;
    return loaded;
  };
}

export const QUERY_LOADERS: Record<string, () => CommandClass> = {
  compare: lazy(() => require('../commands/compare.js')),
  complexity: lazy(() => require('../commands/complexity.js')),
  cost: lazy(() => require('../commands/cost.js')),
  crossover: lazy(() => require('../commands/crossover.js')),
  latency: lazy(() => require('../commands/latency.js')),
  'max-seq': lazy(() => require('../commands/max-seq.js')),
  memory: lazy(() => require('../commands/memory.js')),
  report: lazy(() => require('../commands/report.js')),
  serve: lazy(() => require('../commands/serve.js')),
};
