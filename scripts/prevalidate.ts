/**
 * Build step: validates every shipped preset (presets/hardware, presets/models) and calibration
 * profile (calibration/) with the same code a command uses, and writes each result with the
 * file's text to dist/prevalidated/<the file's path> (src/presets/prevalidated.ts). Commands then
 * skip the zod parse of shipped files whose text is unchanged (docs/startup.md).
 *
 * A file that fails validation is not stored (a command reports its problems as usual), nor is
 * one whose parsed form JSON cannot carry exactly (the stored value must equal the parse).
 */
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import {parseHardwarePreset, parseModelPreset} from '../src/presets/load.js';
import {packageRoot} from '../src/presets/paths.js';
import {PREVALIDATED_DIR, type PrevalidatedEntry} from '../src/presets/prevalidated.js';
import {parseDataFile} from '../src/presets/validate.js';
import {profileSchema} from '../src/schema/profile.js';

const PARSERS: Record<string, (text: string, label: string, id: string) => unknown> = {
  'presets/hardware': (text, label, id) => parseHardwarePreset(text, label, id),
  'presets/models': (text, label, id) => parseModelPreset(text, label, id),
  calibration: (text, label) => parseDataFile(text, label, profileSchema()),
};

const outDir = join(packageRoot, PREVALIDATED_DIR);
rmSync(outDir, {recursive: true, force: true});
let stored = 0;
const skipped: string[] = [];
for (const [dir, parse] of Object.entries(PARSERS)) {
  for (const name of readdirSync(join(packageRoot, dir)).filter(n => n.endsWith('.json'))) {
    const label = join(dir, name);
    const text = readFileSync(join(packageRoot, label), 'utf8');
    let value: unknown;
    try {
      value = parse(text, label, name.slice(0, -'.json'.length));
    } catch {
      skipped.push(`${label} (invalid: a command reports why)`);
      continue;
    }
    const entry: PrevalidatedEntry = {text, value};
    const json = JSON.stringify(entry);
    if (!isDeepStrictEqual((JSON.parse(json) as PrevalidatedEntry).value, value)) {
      skipped.push(`${label} (its parsed form does not survive JSON)`);
      continue;
    }
    mkdirSync(dirname(join(outDir, label)), {recursive: true});
    writeFileSync(join(outDir, label), json);
    stored++;
  }
}
if (skipped.length > 0)
  process.stderr.write(`prevalidate: parsed at run time instead: ${skipped.join(', ')}\n`);
process.stdout.write(`prevalidate: ${stored} shipped files validated into ${PREVALIDATED_DIR}\n`);
