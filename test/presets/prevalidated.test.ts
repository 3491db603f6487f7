/**
 * Shipped files validated at build time (src/presets/prevalidated.ts, scripts/prevalidate.ts): the
 * stored result of every shipped preset and profile equals a fresh parse of the file, and a text
 * that differs from the one validated is never answered from the store.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {parseHardwarePreset, parseModelPreset} from '../../src/presets/load.js';
import {packageRoot} from '../../src/presets/paths.js';
import {PREVALIDATED_DIR, prevalidated} from '../../src/presets/prevalidated.js';
import {parseDataFile} from '../../src/presets/validate.js';
import {profileSchema} from '../../src/schema/profile.js';

const PARSERS: Record<string, (text: string, label: string, id: string) => unknown> = {
  'presets/hardware': (text, label, id) => parseHardwarePreset(text, label, id),
  'presets/models': (text, label, id) => parseModelPreset(text, label, id),
  calibration: (text, label) => parseDataFile(text, label, profileSchema()),
};

test('every shipped preset and profile is stored by the build, equal to a fresh parse of its file', t => {
  let files = 0;
  for (const [dir, parse] of Object.entries(PARSERS)) {
    for (const name of readdirSync(join(packageRoot, dir)).filter(n => n.endsWith('.json'))) {
      const label = join(dir, name);
      const text = readFileSync(join(packageRoot, label), 'utf8');
      const stored = prevalidated(label, text);
      t.not(stored, undefined, `${label} is in ${PREVALIDATED_DIR}`);
      t.deepEqual(stored, parse(text, label, name.slice(0, -'.json'.length)), label);
      files++;
    }
  }
  t.true(files > 40);
});

test('a shipped file whose text changed since the build is parsed again, not taken from the store', t => {
  const label = join('presets', 'models', 'gpt2-small.json');
  const text = readFileSync(join(packageRoot, label), 'utf8');
  t.not(prevalidated(label, text), undefined);
  t.is(prevalidated(label, text.replace('"layers": 12', '"layers": 13')), undefined);
  t.is(prevalidated(label, `${text} `), undefined);
  t.is(prevalidated(join('presets', 'models', 'no-such-model.json'), text), undefined);
});
