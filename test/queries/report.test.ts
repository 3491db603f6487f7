import test from 'ava';
import {reportQ} from '../helpers/queries.js';

test("the report's memory chart spans what memory allows, past a short context, to where the curves cross capacity", async t => {
  // gpt2-small's context is 1,024 tokens; memory allows flash ~1.5M tokens on an H100.
  const q = await reportQ({});
  const flashH100 = q.rows.find(r => r.variant === 'flash' && r.hardware === 'h100-sxm');
  t.is(flashH100?.maxSeq, 1024);
  const reach = flashH100?.maxSeqMemory ?? 0;
  t.true(reach > 1_000_000);
  const xs = q.curve.xs;
  t.true(xs[xs.length - 1]! >= reach, `chart ends at ${xs[xs.length - 1]}, memory reaches ${reach}`);
  // …and at its right edge flash's demand exceeds the H100's usable memory: the crossing is on the chart.
  const flash = q.curve.series.find(s => s.variant.startsWith('flash'));
  const h100 = q.curve.capacities.find(c => c.hardware === 'h100-sxm');
  t.true(flash!.values[flash!.values.length - 1]! > h100!.usableBytes);
});
