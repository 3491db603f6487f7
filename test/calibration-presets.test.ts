import {readdirSync, readFileSync} from 'node:fs';
import test from 'ava';
import {KERNEL_FAMILIES} from '../src/model/types.js';
import {listHardwareIds} from '../src/presets/load.js';
import {profileSchema} from '../src/schema/profile.js';

// dist/test/calibration-presets.test.js → repository root
const dir = new URL('../../calibration/', import.meta.url);
const files = readdirSync(dir).filter(f => f.endsWith('.json'));

test('every shipped profile parses with profileSchema, names its hardware and cites a source per family', t => {
  t.true(files.length > 1);
  for (const file of files) {
    const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const parsed = profileSchema().safeParse(data);
    t.true(parsed.success, `${file}: ${parsed.success ? '' : parsed.error.message}`);
    if (!parsed.success) continue;
    t.is(parsed.data.kind, 'preset', file);
    t.is(`${parsed.data.hardware}.json`, file, `${file}: file name = hardware id`);
    for (const family of KERNEL_FAMILIES)
      t.true(parsed.data.families[family].source.trim().length > 0, `${file}: ${family}`);
    for (const [impl, entry] of Object.entries(parsed.data.implementations ?? {}))
      t.true(entry.source.trim().length > 0, `${file}: implementation ${impl}`);
  }
});

test('every hardware preset has its own profile and every profile but default names a preset', t => {
  const ids = new Set(listHardwareIds());
  for (const id of ids) t.true(files.includes(`${id}.json`), id);
  for (const file of files) if (file !== 'default.json') t.true(ids.has(file.replace(/\.json$/, '')), file);
});

test('the A100, A100 PCIe, RTX 4090, H100 SXM and H200 profiles carry implementation entries', t => {
  const impls = (id: string) =>
    Object.keys(
      profileSchema().parse(JSON.parse(readFileSync(new URL(`${id}.json`, dir), 'utf8'))).implementations ??
        {},
    ).sort();
  t.deepEqual(impls('h100-sxm'), ['cudnn', 'eager', 'fa1', 'fa2', 'fa3', 'triton']);
  t.deepEqual(impls('h200'), ['cudnn', 'eager', 'fa1', 'fa2', 'fa3', 'triton']);
  for (const id of ['a100-40gb', 'a100-80gb', 'a100-40gb-pcie', 'a100-80gb-pcie', 'rtx-4090'])
    t.deepEqual(impls(id), ['eager', 'fa1', 'fa2'], id);
});
