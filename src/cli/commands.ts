/**
 * Every attncap command, by oclif id. oclif's "explicit" command discovery reads this map from the
 * bundled CLI (dist/attncap.js), so running a command loads one file instead of hundreds.
 */
import Bench from '../commands/bench.js';
import Calibrate from '../commands/calibrate.js';
import Check from '../commands/check.js';
import Compare from '../commands/compare.js';
import Complexity from '../commands/complexity.js';
import Cost from '../commands/cost.js';
import Crossover from '../commands/crossover.js';
import Help from '../commands/help.js';
import Latency from '../commands/latency.js';
import MaxSeq from '../commands/max-seq.js';
import Memory from '../commands/memory.js';
import PresetsHardware from '../commands/presets/hardware.js';
import PresetsModels from '../commands/presets/models.js';
import PresetsVariants from '../commands/presets/variants.js';
import Report from '../commands/report.js';
import Sweep from '../commands/sweep.js';
import TokensAudio from '../commands/tokens/audio.js';
import TokensImage from '../commands/tokens/image.js';
import TokensText from '../commands/tokens/text.js';
import TokensVideo from '../commands/tokens/video.js';

export const COMMANDS = {
  bench: Bench,
  calibrate: Calibrate,
  check: Check,
  compare: Compare,
  complexity: Complexity,
  cost: Cost,
  crossover: Crossover,
  help: Help,
  latency: Latency,
  'max-seq': MaxSeq,
  memory: Memory,
  'presets:hardware': PresetsHardware,
  'presets:models': PresetsModels,
  'presets:variants': PresetsVariants,
  report: Report,
  sweep: Sweep,
  'tokens:audio': TokensAudio,
  'tokens:image': TokensImage,
  'tokens:text': TokensText,
  'tokens:video': TokensVideo,
};
