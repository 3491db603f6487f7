/**
 * The guardrails of docs/warnings.md, each with the exact case that once answered silently wrong.
 */
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {runCli, runJson} from '../helpers/cli.js';
import {compareQ, costQ, crossoverQ, latencyQ, maxSeqQ, reportQ, sweepQ} from '../helpers/queries.js';

const codes = (q: {warnings: {code: string}[]}) => q.warnings.map(w => w.code);

test('Llama-2-70B decode on one H100 does not fit: the row says so and a warning names it', async t => {
  const q = await latencyQ({model: 'llama-2-70b', mode: 'decode', seq: '4k', hardware: ['h100-sxm']});
  const r = q.rows[0];
  t.false(r.fits);
  // bf16 weights alone are 2 bytes × ~69B parameters ≈ 128 GiB, over the 80 GiB card.
  t.true(r.memoryBytes > 128 * 2 ** 30);
  t.true(r.usableBytes < 80 * 2 ** 30);
  t.true(r.tokensPerSec > 0);
  t.true(codes(q).includes('does-not-fit'));
  t.regex(
    q.warnings.find(w => w.code === 'does-not-fit')!.message,
    /1 of 1 result does not fit in device memory/,
  );
});

test('every speed-bearing row carries fits: sweep, compare, cost --hardware and report', async t => {
  const sweep = await sweepQ({
    model: 'llama-2-70b',
    metric: 'latency',
    seq: '1k,4k',
    hardware: ['h100-sxm'],
    variant: ['flash'],
  });
  t.deepEqual(sweep.series[0].fits && [...sweep.series[0].fits], [0, 0]);
  t.true(codes(sweep).includes('does-not-fit'));
  const compare = await compareQ(
    {model: 'gpt2-small', seq: '64k', hardware: ['rtx-3090'], variant: ['flash']},
    {baseline: 'standard', breakdown: false},
  );
  const std = compare.rows.find(r => r.variant === 'standard')!;
  const flash = compare.rows.find(r => r.variant === 'flash')!;
  t.false(std.fits);
  t.true(flash.fits);
  const cost = await costQ({model: 'gpt2-small', seq: '4k', hardware: ['a100-80gb']});
  t.true(cost.rows[0].fits);
  t.is(cost.rows[0].hardware, 'a100-80gb');
  const plain = await costQ({model: 'gpt2-small', seq: '4k'});
  t.is(plain.rows[0].fits, undefined);
  const report = await reportQ({model: 'llama-2-70b'});
  t.true(report.rows.every(r => r.fits === false));
});

test('max-seq caps at the context length: Llama-3.1-8B answers 131,072 and reports the memory limit', async t => {
  const q = await maxSeqQ({model: 'llama-3.1-8b', hardware: ['h100-sxm'], variant: ['flash']});
  const r = q.rows[0];
  t.is(r.maxSeq, 131_072);
  t.is(r.binding, 'context');
  t.true((r.maxSeqMemory ?? 0) > 131_072);
  t.true(codes(q).includes('context-capped'));
  const lifted = await maxSeqQ({
    model: 'llama-3.1-8b',
    hardware: ['h100-sxm'],
    variant: ['flash'],
    'ignore-context': true,
  });
  t.is(lifted.rows[0].maxSeq, r.maxSeqMemory);
  t.is(lifted.rows[0].binding, 'memory');
});

test('GPT-2 caps at 1,024 and --min tests the capped answer', async t => {
  const q = await maxSeqQ({model: 'gpt2-small', hardware: ['h100-sxm'], variant: ['flash'], min: '2k'});
  t.is(q.rows[0].maxSeq, 1024);
  t.truthy(q.failure);
  const lifted = await maxSeqQ({
    model: 'gpt2-small',
    hardware: ['h100-sxm'],
    variant: ['flash'],
    min: '2k',
    'ignore-context': true,
  });
  t.is(lifted.failure, undefined);
});

test('a sequence beyond the context warns in cost, latency and check', async t => {
  const q = await costQ({model: 'gpt2-small', seq: '4k'});
  t.deepEqual(codes(q), ['beyond-context']);
  t.regex(q.warnings[0].message, /n = 4,096 is beyond gpt2-small's context length of 1,024 tokens/);
  const within = await costQ({model: 'gpt2-small', seq: '1k'});
  t.deepEqual(codes(within), []);
});

test('a non-causal variant on a causal model warns; on an encoder it does not', async t => {
  for (const v of ['linformer', 'nystrom']) {
    const q = await costQ({model: 'llama-3.1-8b', seq: '4k', variant: [v]});
    t.true(codes(q).includes('non-causal-variant'), v);
  }
  const encoder = await costQ({model: 'bert-base', seq: '512', variant: ['linformer']});
  t.false(codes(encoder).includes('non-causal-variant'));
  const causalOk = await costQ({model: 'llama-3.1-8b', seq: '4k', variant: ['performer']});
  t.false(codes(causalOk).includes('non-causal-variant'));
});

test('crossover: a tie is not a win; flash is cheaper in memory once they differ (Llama-3.1-8B)', async t => {
  const q = await crossoverQ({a: 'flash', b: 'standard', metric: 'memory', model: 'llama-3.1-8b'});
  const r = q.rows[0];
  t.is(r.cheaperAtStart, 'tie');
  t.is(r.crossings.length, 1);
  t.is(r.points[0].cheaperAfter, r.a);
  const n = r.crossings[0];
  // Tied just before the crossing, flash strictly cheaper at it.
  t.true(r.points[0].a < r.points[0].b);
  t.true(n > 16);
});

test('JSON: variant is the id with params and label beside it, in every command', async t => {
  const cost = runJson<{results: {variant: string; variantParams: unknown; variantLabel: string}[]}>([
    'cost',
    '--model',
    'gpt2-small',
    '--seq',
    '1k',
    '--variant',
    'window:w=256',
  ]);
  t.deepEqual(cost.json.results[0].variant, 'window');
  t.deepEqual(cost.json.results[0].variantParams, {w: 256, fused: false});
  t.is(cost.json.results[0].variantLabel, 'window w=256');
  const cx = runJson<{results: {variant: string; variantLabel: string}[]}>([
    'complexity',
    '--seq',
    '1k',
    '--variant',
    'window:w=256',
  ]);
  t.is(cx.json.results[0].variant, 'window');
  t.is(cx.json.results[0].variantLabel, 'window w=256');
});

test('complexity --d-model 512 picks 64-wide heads instead of failing', t => {
  const r = runJson<{ok: boolean; inputs: {model: {heads: number; dModel: number}}}>([
    'complexity',
    '--d-model',
    '512',
  ]);
  t.is(r.code, 0);
  t.is(r.json.inputs.model.dModel, 512);
  t.is(r.json.inputs.model.heads, 8);
});

test('--hardware with --hardware-file is a conflict (exit 2); an overridden preset is labelled', t => {
  const both = runJson<{ok: boolean; error: {message: string}}>([
    'latency',
    '--hardware',
    'h100-sxm',
    '--hardware-file',
    'test/fixtures/presets/hardware-valid.json',
  ]);
  t.is(both.code, 2);
  t.regex(both.json.error.message, /--hardware and --hardware-file both name devices/);
  const label = runJson<{inputs: {model: {label: string}}}>([
    'cost',
    '--model',
    'llama-3.1-8b',
    '--layers',
    '16',
    '--seq',
    '1k',
  ]);
  t.is(label.json.inputs.model.label, 'llama-3.1-8b (layers=16)');
});

test('compare takes several models: one block of rows each, every row naming its model', t => {
  const r = runJson<{ok: boolean; results: {model: string; variant: string}[]; inputs: {models: unknown[]}}>([
    'compare',
    '--model',
    'llama-3.1-8b',
    '--model',
    'mistral-7b',
    '--seq',
    '4k',
    '--variant',
    'flash',
  ]);
  t.is(r.code, 0);
  t.deepEqual(
    r.json.results.map(x => [x.model, x.variant]),
    [
      ['llama-3.1-8b', 'standard'],
      ['llama-3.1-8b', 'flash'],
      ['mistral-7b', 'standard'],
      ['mistral-7b', 'flash'],
    ],
  );
  t.is(r.json.inputs.models.length, 2);
});

test('the report still shows the wall past the context: cells marked *, binding context, a footnote', t => {
  const r = runCli(['report', '--hardware', 'a100-80gb', '--variant', 'standard']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /standard +│ +39\.5k\* +│ context \(1,024\)/);
  t.regex(r.stdout, /\* beyond gpt2-small's trained context of 1,024 tokens/);
  const json = runJson<{results: {maxSeq: number; maxSeqMemory: number; binding: string}[]}>([
    'report',
    '--hardware',
    'a100-80gb',
    '--variant',
    'standard',
  ]);
  t.is(json.json.results[0].maxSeq, 1024);
  t.is(json.json.results[0].binding, 'context');
  t.true(json.json.results[0].maxSeqMemory > 30_000);
});

test('report on an MLA model leaves out the default variants it cannot run, saying so; no scope note where only the FFN differs', async t => {
  const q = await reportQ({model: 'deepseek-v3', hardware: ['h200']});
  t.deepEqual(
    q.facts.map(f => f.label),
    ['standard', 'flash', 'window w=512'],
  );
  const ignored = q.warnings.filter(w => w.code === 'variant-ignored');
  t.is(ignored.length, 1);
  t.regex(ignored[0]!.message, /linformer k=256, performer r=256 cannot run on it/);
  // DeepSeek's dense first layers and MoE layers share one attention: nothing to say about scope.
  t.false(q.warnings.some(w => w.code === 'variant-scope'));
  // An explicit --variant the model cannot run is still an error naming it.
  await t.throwsAsync(reportQ({model: 'deepseek-v3', hardware: ['h200'], variant: ['linformer']}), {
    message: /cannot run on MLA layers/,
  });
});

test("report of a model split across GPUs: per-GPU rows, the model's own parameter count in the headline", async t => {
  const one = await reportQ({model: 'llama-3.1-70b', mode: 'decode', hardware: ['h100-sxm']});
  const tp8 = await reportQ({model: 'llama-3.1-70b', mode: 'decode', hardware: ['h100-sxm'], tp: '8'});
  t.is(tp8.params, one.params);
  t.true(one.params > 70e9 && one.params < 71e9);
  const flash = (q: typeof one) => q.rows.find(r => r.variant === 'flash')!;
  t.is(flash(one).maxSeq, null);
  t.is(flash(tp8).maxSeq, 131_072);
  t.true(flash(tp8).memory.weightsBytes < flash(one).memory.weightsBytes / 7);
});

test('a model without attention layers has one row, its own layers, wherever variants would multiply rows', async t => {
  const report = await reportQ({model: 'mamba-130m'});
  t.deepEqual(
    report.facts.map(f => f.label),
    ['mamba'],
  );
  t.is(report.rows.length, 4); // one per default device
  const compare = await compareQ({model: 'mamba-130m'}, {baseline: 'standard', breakdown: false});
  t.is(compare.rows.length, 1);
  t.is(compare.rows[0]!.flopsRatio, 1);
  t.regex(compare.rows[0]!.tradeoff, /no attention layers/);
  // A Mamba-2 plan in a transformer preset (an imported mamba2 config) likewise, and --variant says it is ignored.
  const cost = await costQ({
    'model-file': fileURLToPath(
      new URL('../../../test/fixtures/hf-configs/mamba-codestral-7b.json', import.meta.url),
    ),
    variant: ['standard', 'flash'],
  });
  t.is(cost.rows.length, 1);
  t.true(
    cost.warnings.some(
      w => w.code === 'variant-ignored' && /has no attention layers \(mamba2\)/.test(w.message),
    ),
  );
});
