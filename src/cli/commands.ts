/**
 * Every attncap command, by oclif id. oclif's "explicit" command discovery reads this map from the
 * bundled CLI (dist/attncap.cjs). Each entry is a getter that loads its command's module on first
 * access, so running one command initialises its own code only (oclif reads the ids from the
 * manifest and touches the one entry it runs). `require` here is the bundler's: this module only
 * runs inside dist/attncap.cjs (scripts/bundle.ts), where esbuild turns each call into a lazy
 * initialiser of the bundled module. The query commands' loaders are shared with the query bundle
 * (src/cli/query-commands.ts).
 */
import {type CommandClass, lazy, QUERY_LOADERS} from './query-commands.js';

const LOADERS: Record<string, () => CommandClass> = {
  ...QUERY_LOADERS,
  bench: lazy(() => require('../commands/bench.js')),
  calibrate: lazy(() => require('../commands/calibrate.js')),
  check: lazy(() => require('../commands/check.js')),
  help: lazy(() => require('../commands/help.js')),
  'presets:hardware': lazy(() => require('../commands/presets/hardware.js')),
  'presets:import': lazy(() => require('../commands/presets/import.js')),
  'presets:models': lazy(() => require('../commands/presets/models.js')),
  'presets:variants': lazy(() => require('../commands/presets/variants.js')),
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
