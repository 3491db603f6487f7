// The package by its name, as a script that installed attncap imports it.
import * as attncap from 'attncap';
import test from 'ava';
import {runJson} from './helpers/cli.js';

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
