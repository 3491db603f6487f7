import test from 'ava';
import {sweepRows} from '../../src/queries/sweep.js';
import {costQ, crossoverQ, latencyQ, maxSeqQ, memoryQ, reportQ, sweepQ} from '../helpers/queries.js';

test('textbook memory: L·s·(3nd + h·n² + nd) per sample against 70% of the marketed GB', async t => {
  const q = await memoryQ({
    model: 'gpt2-small',
    seq: '1k',
    assumptions: 'textbook',
    dtype: 'fp16',
    variant: ['standard'],
    hardware: ['rtx-3090'],
  });
  const m = q.rows[0].memory;
  // 12·2·(3·1024·768 + 12·1024² + 1024·768) = 24·(2,359,296 + 12,582,912 + 786,432) = 24·15,728,640 = 377,487,360 B.
  t.is(m.activationBytes, 377_487_360);
  // 24 GB marketed: capacity 24e9, reserve 30% = 7.2e9.
  t.is(m.capacityBytes, 24e9);
  t.true(Math.abs(m.reserveBytes - 7.2e9) < 1e-3);
  t.true(m.fits);
});

test('detailed memory: the peak is the sum of its terms, and train adds gradients and Adam states', async t => {
  const q = await memoryQ({
    model: 'gpt2-small',
    seq: '2k',
    variant: ['standard'],
    hardware: ['a100-80gb'],
    mode: 'train',
  });
  const m = q.rows[0].memory;
  const sum =
    m.weightsBytes +
    m.gradientBytes +
    m.optimizerBytes +
    m.activationBytes +
    m.kvCacheBytes +
    m.transientBytes +
    m.reserveBytes;
  t.is(m.totalBytes, sum);
  // bf16 weights and gradients (2 B each), Adam mixed precision 12 B per parameter.
  t.is(m.gradientBytes, m.weightsBytes);
  t.is(m.optimizerBytes, (m.weightsBytes / 2) * 12);
  t.true(m.activationBytes > 0);
  t.is(m.fraction, m.totalBytes / m.capacityBytes);
});

test('textbook latency: 2·n²·d·L / peak, tokens/s = n / t', async t => {
  const q = await latencyQ({
    model: 'gpt2-small',
    seq: '1k',
    assumptions: 'textbook',
    variant: ['standard'],
    hardware: ['a100-80gb'],
    'peak-flops': '150T',
  });
  const r = q.rows[0];
  // 2·1024²·768·12 = 19,327,352,832 FLOP; / 150e12 = 1.2884901888e-4 s.
  t.true(Math.abs(r.seconds - 1.2884901888e-4) < 1e-16);
  t.is(r.idealSeconds, r.seconds);
  t.true(Math.abs(r.tokensPerSec - 1024 / 1.2884901888e-4) < 1e-3);
  t.is(r.bound, 'compute');
});

test('detailed latency: expected ≥ ideal, components sum to the total, every bound named', async t => {
  const q = await latencyQ({
    model: 'gpt2-small',
    seq: '4k',
    variant: ['standard', 'flash'],
    hardware: ['h100-sxm'],
  });
  for (const r of q.rows) {
    t.true(r.seconds >= r.idealSeconds && r.idealSeconds > 0);
    const sum = r.components.reduce((a, c) => a + c.seconds, 0);
    t.true(Math.abs(sum - r.seconds) <= 1e-12 * r.seconds);
    for (const c of r.components) t.true(['compute', 'vector', 'memory', 'launch'].includes(c.bound));
    t.is(r.tokensPerSec, 4096 / r.seconds);
  }
  // Flash never writes the score matrix: it is faster than materialised attention at 4k.
  t.true(q.rows[1].seconds < q.rows[0].seconds);
});

test('crossover: textbook attention vs RNN by flops crosses at n = d = 512', async t => {
  const q = await crossoverQ({
    a: 'standard',
    b: 'rnn',
    metric: 'flops',
    assumptions: 'textbook',
    'd-model': '512',
  });
  t.deepEqual(q.rows[0].crossings, [512]);
  t.is(q.rows[0].cheaperAtStart, 'standard');
  t.is(q.rows[0].points[0].cheaperAfter, 'rnn');
});

test('crossover: detailed standard vs linformer by flops crosses once, exact to the token', async t => {
  const q = await crossoverQ({a: 'standard', b: 'linformer', metric: 'flops', model: 'gpt2-small'});
  t.is(q.rows[0].crossings.length, 1);
  const n = q.rows[0].crossings[0];
  t.is(q.rows[0].cheaperAtStart, 'standard');
  // Refined to the token: a range of the two tokens either side still finds exactly n.
  const narrow = await crossoverQ({
    a: 'standard',
    b: 'linformer',
    metric: 'flops',
    model: 'gpt2-small',
    range: `${n - 1}..${n}`,
  });
  t.deepEqual(narrow.rows[0].crossings, [n]);
});

test('crossover: a transformer never matches a same-size RNN by detailed flops (projections and FFN dominate)', async t => {
  const q = await crossoverQ({a: 'standard', b: 'rnn', metric: 'flops', model: 'gpt2-small'});
  t.deepEqual(q.rows[0].crossings, []);
  t.is(q.rows[0].cheaperAtStart, 'rnn');
});

test('crossover: unknown sides are invalid input with a suggestion', async t => {
  await t.throwsAsync(crossoverQ({a: 'standard', b: 'rnnn'}), {
    message: /--b 'rnnn' is neither an attention variant nor an architecture; did you mean 'rnn'/,
  });
});

test('sweep: one value per point and series, rows carry the metric field', async t => {
  const q = await sweepQ({
    model: 'gpt2-small',
    metric: 'flops',
    seq: '512..4k',
    variant: ['standard', 'flash'],
  });
  t.deepEqual(q.xs, [512, 1024, 2048, 4096]);
  t.is(q.series.length, 2);
  const rows = sweepRows(q);
  t.is(rows.length, 8);
  t.true(rows.every(r => typeof r.flops === 'number' && r.flops > 0));
  // FLOPs grow with n.
  const s = q.series[0].values;
  for (let i = 1; i < s.length; i++) t.true(s[i] > s[i - 1]);
});

test('report: one row per variant × device with plain finite numbers', async t => {
  const q = await reportQ({});
  t.is(q.rows.length, 5 * 4);
  t.is(q.referenceSeq, 8192);
  const json = JSON.stringify(q.rows);
  t.false(/NaN|Infinity/.test(json));
  for (const r of q.rows) t.true(r.maxSeq === null || Number.isInteger(r.maxSeq));
  // Flash fits longer sequences than standard on every device.
  for (const hw of ['rtx-3090', 'a100-40gb', 'a100-80gb', 'h100-sxm']) {
    const std = q.rows.find(r => r.variant === 'standard' && r.hardware === hw)!;
    const flash = q.rows.find(r => r.variant.startsWith('flash') && r.hardware === hw)!;
    t.true((flash.maxSeqMemory ?? 0) > (std.maxSeqMemory ?? 0));
  }
});

test('textbook: a layer plan counts each attention group with its own variant (Gemma 3: 52 local + 10 global)', async t => {
  const flags = {
    model: 'gemma-3-27b',
    hardware: ['h100-sxm'],
    assumptions: 'textbook',
    'ignore-context': true,
  };
  const planned = (await maxSeqQ(flags)).rows[0]!.maxSeq!;
  const global = (await maxSeqQ({...flags, variant: ['standard']})).rows[0]!.maxSeq!;
  // Only the h score matrices count: s·b·h·(10·n² + 52·1024·n) ≤ 0.7 · 80 GB (docs/assumptions.md).
  const usable = 0.7 * 80e9;
  const matrices = (n: number) => 2 * 32 * (10 * n * n + 52 * 1024 * n);
  t.true(matrices(planned) <= usable);
  t.true(matrices(planned + 1) > usable);
  // All 62 global: ⌊√(usable / (h·s·L))⌋, the textbook's closed form.
  t.is(global, Math.floor(Math.sqrt(usable / (32 * 2 * 62))));
  t.true(planned > 1.8 * global);
  // cost: the 52 window layers' attention is 2·(n·1024)·d + 3·(n·1024) multiplications each.
  const n = 32_768;
  const d = 5376;
  const cost = (await costQ({...flags, seq: String(n)}, {breakdown: true})).rows[0]!;
  const attention = cost.components!.find(c => c.name === 'attention')!;
  t.is(attention.macs, 52 * 2 * n * 1024 * d + 10 * 2 * n * n * d);
  t.is(attention.vectorFlops, 52 * 3 * n * 1024 + 10 * 3 * n * n);
});
