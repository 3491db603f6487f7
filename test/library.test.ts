// The package by its name, as a script that installed attncap imports it.

import {spawnSync} from 'node:child_process';
import * as attncap from 'attncap';
import test from 'ava';
import {ROOT, runJson} from './helpers/cli.js';

test('the library answers the README questions with the numbers the CLI prints', async t => {
  const r = await attncap.resolve({model: 'llama-3.1-8b', hardware: 'h100-sxm', variant: 'flash'});
  const lib = await attncap.maxSeq(r);
  const cli = runJson<{results: unknown[]; warnings: unknown[]}>([
    'max-seq',
    '--model',
    'llama-3.1-8b',
    '--hardware',
    'h100-sxm',
    '--variant',
    'flash',
  ]);
  t.deepEqual(JSON.parse(JSON.stringify(lib.rows)), cli.json.results);
  t.deepEqual(lib.warnings, cli.json.warnings);

  const cost = await attncap.cost({model: 'gpt2-small', seq: '4k', variant: ['standard', 'flash']});
  const cliCost = runJson<{results: unknown[]}>([
    'cost',
    '--model',
    'gpt2-small',
    '--seq',
    '4k',
    '--variant',
    'standard',
    '--variant',
    'flash',
  ]);
  t.deepEqual(JSON.parse(JSON.stringify(cost.rows)), cliCost.json.results);
});

test('library errors name the scenario field, never a flag', async t => {
  await t.throwsAsync(attncap.cost({model: 'gpt2-small', seq: '4x'}), {
    instanceOf: attncap.InvalidInputError,
    message: /^seq '4x'/,
  });
  await t.throwsAsync(attncap.resolve({model: 'gpt2-small', sequence: 4096} as never), {
    message: /sequence/,
  });
  const e = await t.throwsAsync(attncap.resolve({overrides: {dModel: 'x'}, model: 'gpt2-small'}));
  t.regex(e?.message ?? '', /^overrides\.dModel 'x' is not an integer/);
});

test('examples/library.mjs runs as a plain Node script', t => {
  const r = spawnSync(process.execPath, ['examples/library.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /llama-3\.1-8b \+ flash on h100-sxm: 131072 tokens \(binding: context/);
});

test('serve through the library: the numbers attncap serve --json prints', async t => {
  const lib = await attncap.serve(
    {model: 'llama-3.1-8b', hardware: 'h100-sxm', kvBlock: 16, memoryUtilization: 0.9},
    {input: '8k', output: '1k'},
  );
  const cli = runJson<{results: unknown[]}>([
    'serve',
    '--model',
    'llama-3.1-8b',
    '--hardware',
    'h100-sxm',
    '--kv-block',
    '16',
    '--memory-utilization',
    '0.9',
    '--input',
    '8k',
    '--output',
    '1k',
  ]);
  t.deepEqual(JSON.parse(JSON.stringify(lib.rows)), cli.json.results);
  t.is(lib.rows[0].kv.blocks, 28_433);
});

test('a split model through the library: maxSeq({parallel: {tp: 8}}) is what max-seq --tp 8 --json prints', async t => {
  const lib = await attncap.maxSeq({
    model: 'llama-3.1-70b',
    hardware: 'h100-sxm',
    mode: 'decode',
    parallel: {tp: 8},
  });
  const cli = runJson<{results: unknown[]; warnings: unknown[]; inputs: {parallelism: unknown}}>([
    'max-seq',
    '--model',
    'llama-3.1-70b',
    '--hardware',
    'h100-sxm',
    '--mode',
    'decode',
    '--tp',
    '8',
  ]);
  t.deepEqual(JSON.parse(JSON.stringify(lib.rows)), cli.json.results);
  t.deepEqual(JSON.parse(JSON.stringify(lib.warnings)), cli.json.warnings);
  t.deepEqual(lib.inputs.parallelism, cli.json.inputs.parallelism);
  t.is(lib.rows[0].maxSeq, 131_072);
  t.is(lib.rows[0].gpus, 8);
  // serve's layout options of old are folded into the scenario's parallel.
  const old = await attncap.serve({model: 'llama-3.1-70b', hardware: 'h100-sxm'}, {tp: '4', input: '2k'});
  const now = await attncap.serve(
    {model: 'llama-3.1-70b', hardware: 'h100-sxm', parallel: {tp: 4}},
    {input: '2k'},
  );
  t.deepEqual(old.rows, now.rows);
  t.is(now.rows[0].gpus, 4);
});
