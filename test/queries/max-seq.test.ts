import test from 'ava';
import fc from 'fast-check';
import {memoryPredicate} from '../../src/queries/max-seq.js';
import {maxSeqQ} from '../helpers/queries.js';

test('textbook max-seq reproduces ⌊√(0.7·GB·1e9 / (h·s·L·b))⌋ on the common devices', async t => {
  const q = await maxSeqQ({
    model: 'gpt2-small',
    assumptions: 'textbook',
    dtype: 'fp16',
    variant: ['standard'],
    hardware: ['rtx-3090', 'a100-40gb', 'a100-80gb', 'h100-sxm'],
  });
  // GPT-2 small: h = 12, L = 12, s = 2. RTX 3090 24 GB: √(16.8e9/288) = 7637.6 → 7637;
  // A100 40 GB: √(28e9/288) = 9860.3 → 9860; 80 GB (A100, H100): √(56e9/288) = 13944.3 → 13944.
  // The answers are then capped at GPT-2's trained context of 1,024 tokens (binding 'context').
  t.deepEqual(
    q.rows.map(r => [r.hardware, r.maxSeqMemory, r.maxSeq, r.binding]),
    [
      ['rtx-3090', 7637, 1024, 'context'],
      ['a100-40gb', 9860, 1024, 'context'],
      ['a100-80gb', 13944, 1024, 'context'],
      ['h100-sxm', 13944, 1024, 'context'],
    ],
  );
});

test('textbook latency budget binds: 2·n²·d·L / peak ≤ budget', async t => {
  // --peak-flops 150T, d = 768, L = 12: n² ≤ 1 ms·150e12 / (2·768·12) = 8,138,020.8 → n = 2852.
  const q = await maxSeqQ({
    model: 'gpt2-small',
    assumptions: 'textbook',
    dtype: 'fp16',
    variant: ['standard'],
    hardware: ['a100-80gb'],
    'peak-flops': '150T',
    'max-latency': '1ms',
    'ignore-context': true,
  });
  t.is(q.rows[0].maxSeq, 2852);
  t.is(q.rows[0].binding, 'latency');
});

test('--min not met gives a CheckFailedError naming the variant and device', async t => {
  const q = await maxSeqQ({model: 'gpt2-small', variant: ['standard'], hardware: ['rtx-3090'], min: '1M'});
  t.truthy(q.failure);
  t.is(q.failure?.exitCode, 1);
  t.regex(q.failure?.message ?? '', /--min 1,048,576 not met: .*standard on rtx-3090: [\d,]+/);
  const ok = await maxSeqQ({model: 'gpt2-small', variant: ['standard'], hardware: ['rtx-3090'], min: '1k'});
  t.is(ok.failure, undefined);
});

test('nothing fits when the weights alone exceed the device', async t => {
  const q = await maxSeqQ({model: 'llama-3.1-70b', variant: ['flash'], hardware: ['rtx-3090']});
  t.is(q.rows[0].binding, 'none fits');
  t.false(q.rows[0].fits);
  t.is(q.rows[0].maxSeq, null);
});

test('property: for every variant, model and device the answer fits and one more token does not', async t => {
  const variants = ['standard', 'flash', 'window', 'performer', 'linear', 'bigbird', 'longformer', 'strided'];
  const models = ['gpt2-small', 'llama-3.1-8b', 'bert-base'];
  const hardware = ['rtx-3090', 'a100-40gb', 'h100-sxm', 'l4'];
  const modes = ['prefill', 'decode', 'train'];
  let checked = 0;
  for (const model of models) {
    for (const mode of modes) {
      const q = await maxSeqQ({model, mode, variant: variants, hardware, 'ignore-context': true});
      for (const r of q.rows) {
        if (r.maxSeq === null) continue;
        const v = q.ctx.variants[variants.findIndex(x => r.variant.startsWith(x))];
        const hw = q.ctx.hardware.find(h => h.id === r.hardware)!;
        const fits = memoryPredicate(q.ctx, v, hw, {solve: 'seq', seq: 0});
        t.true(fits(r.maxSeq), `${model} ${mode} ${r.variant} ${r.hardware} at ${r.maxSeq}`);
        t.false(fits(r.maxSeq + 1), `${model} ${mode} ${r.variant} ${r.hardware} at ${r.maxSeq + 1}`);
        checked++;
      }
    }
  }
  t.true(checked > 100);
});

test('property: --solve batch answer fits and batch + 1 does not', async t => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('standard', 'flash', 'window'),
      fc.constantFrom(1024, 4096, 32768),
      async (variant, seq) => {
        const q = await maxSeqQ({
          model: 'gpt2-small',
          mode: 'decode',
          variant: [variant],
          hardware: ['a100-80gb'],
          solve: 'batch',
          seq: String(seq),
        });
        const r = q.rows[0];
        if (r.maxBatch === null) return r.binding !== 'memory';
        const fits = memoryPredicate(q.ctx, q.ctx.variants[0], q.ctx.hardware[0], {solve: 'batch', seq});
        return fits(r.maxBatch) && !fits(r.maxBatch + 1);
      },
    ),
    {numRuns: 9},
  );
  t.pass();
});
