/**
 * Every attncap command, by oclif id. oclif's "explicit" command discovery reads this map from the
 * bundled CLI (dist/attncap.cjs). Each entry is a getter that loads its command's module on first
 * access, so running one command initialises its own code only (oclif reads the ids from the
 * manifest and touches the one entry it runs). `require` here is the bundler's: this module only
 * runs inside dist/attncap.cjs (scripts/bundle.ts), where esbuild turns each call into a lazy
 * initialiser of the bundled module.
 */
import type {Command} from '@oclif/core';

type CommandClass = typeof Command;

/** A command class, loaded when first read. */
function lazy(load: () => {default: CommandClass}): () => CommandClass {
  let loaded: CommandClass | undefined;
  return () => {
    loaded ??= load().default;
    return loaded;
  };
}

const LOADERS: Record<string, () => CommandClass> = {
  bench: lazy(() => require('../commands/bench.js')),
  calibrate: lazy(() => require('../commands/calibrate.js')),
  check: lazy(() => require('../commands/check.js')),
  compare: lazy(() => require('../commands/compare.js')),
  complexity: lazy(() => require('../commands/complexity.js')),
  cost: lazy(() => require('../commands/cost.js')),
  crossover: lazy(() => require('../commands/crossover.js')),
  help: lazy(() => require('../commands/help.js')),
  latency: lazy(() => require('../commands/latency.js')),
  'max-seq': lazy(() => require('../commands/max-seq.js')),
  memory: lazy(() => require('../commands/memory.js')),
  'presets:hardware': lazy(() => require('../commands/presets/hardware.js')),
  'presets:import': lazy(() => require('../commands/presets/import.js')),
  'presets:models': lazy(() => require('../commands/presets/models.js')),
  'presets:variants': lazy(() => require('../commands/presets/variants.js')),
  report: lazy(() => require('../commands/report.js')),
  serve: lazy(() => require('../commands/serve.js')),
  sweep: lazy(() => require('../commands/sweep.js')),
  'tokens:audio': lazy(() => require('../commands/tokens/audio.js')),
  'tokens:image': lazy(() => require('../commands/tokens/image.js')),
  'tokens:text': lazy(() => require('../commands/tokens/text.js')),
  'tokens:video': lazy(() => require('../commands/tokens/video.js')),
  version: lazy(() => require('../commands/version.js')),
};

export const COMMANDS: Record<string, CommandClass> = Object.defineProperties(
  {},
  Object.fromEntries(Object.entries(LOADERS).map(([id, load]) => [id, {get: load, enumerable: true}])),
);
