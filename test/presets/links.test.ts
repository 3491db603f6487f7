/** The numeric interconnect of every hardware preset (docs/parallelism.md), each with its source. */
import test from 'ava';
import {listHardware} from '../../src/presets/load.js';

const PCIE_X16 = {3: 15.75e9, 4: 31.5e9, 5: 63e9} as Record<number, number>;

test('every hardware preset states its links, and a source that explains them', t => {
  for (const hw of listHardware()) {
    const l = hw.links;
    if (!l) {
      t.fail(`${hw.id} has no links`);
      continue;
    }
    // PCIe x16 per direction: GT/s per lane × 16 lanes × 128/130 / 8 bits.
    t.is(l.pcieBytesPerSec, PCIE_X16[l.pcieGeneration], hw.id);
    const note = hw.sources.find(s => s.title.startsWith('Interconnect (links)'))?.note ?? '';
    t.regex(note, new RegExp(`generation ${l.pcieGeneration} runs`), hw.id);
    if (l.nvlinkBytesPerSec !== undefined) {
      t.truthy(l.nvlinkGpus, hw.id);
      // The datasheets quote both directions; the preset keeps one.
      t.regex(note, /both directions\) -> [\d.]+e9 B\/s per direction/, hw.id);
    }
  }
});

test('the SXM parts: NVLink 4 at 450 GB/s per direction among 8 GPUs, 400 Gb/s NICs per GPU', t => {
  const h100 = listHardware().find(h => h.id === 'h100-sxm');
  t.deepEqual(h100?.links, {
    pcieGeneration: 5,
    pcieBytesPerSec: 63e9,
    nvlinkBytesPerSec: 450e9,
    nvlinkGpus: 8,
    networkBytesPerSec: 50e9,
  });
});
