import test from 'ava';
import {runCli, runJson} from '../helpers/cli.js';

test('max-seq --json: textbook GPT-2 small on RTX 3090 = 7637 tokens (exit 0)', t => {
  const r = runJson<{ok: boolean; results: {maxSeq: number; binding: string; fits: boolean}[]}>([
    'max-seq',
    '--model',
    'gpt2-small',
    '--hardware',
    'rtx-3090',
    '--variant',
    'standard',
    '--assumptions',
    'textbook',
    '--dtype',
    'fp16',
    '--ignore-context',
  ]);
  t.is(r.code, 0);
  t.true(r.json.ok);
  t.is(r.json.results[0].maxSeq, 7637);
  t.is(r.json.results[0].binding, 'memory');
});

test('max-seq --min not met: exit 1, results still printed', t => {
  const r = runCli([
    'max-seq',
    '--model',
    'gpt2-small',
    '--hardware',
    'rtx-3090',
    '--variant',
    'standard',
    '--min',
    '1M',
  ]);
  t.is(r.code, 1);
  t.regex(r.stdout, /standard/);
  t.regex(r.stderr, /--min 1,048,576 not met/);
  const j = runJson<{ok: boolean; results: unknown[]; error: {code: string}}>([
    'max-seq',
    '--model',
    'gpt2-small',
    '--hardware',
    'rtx-3090',
    '--variant',
    'standard',
    '--min',
    '1M',
  ]);
  t.is(j.code, 1);
  t.false(j.json.ok);
  t.is(j.json.results.length, 1);
});

test('max-seq: bad input exits 2', t => {
  t.is(runCli(['max-seq', '--max-latency', 'fast']).code, 2);
  t.is(runCli(['max-seq', '--hardware', 'rtx-9090']).code, 2);
  t.is(runCli(['max-seq', '--seq', '8k']).code, 2);
});

test('max-seq: nothing fits and unbounded are plain JSON (null, never NaN)', t => {
  const r = runJson<{results: {maxSeq: number | null; binding: string}[]}>([
    'max-seq',
    '--model',
    'llama-3.1-70b',
    '--hardware',
    'rtx-3090',
    '--variant',
    'flash',
  ]);
  t.is(r.code, 0);
  t.is(r.json.results[0].maxSeq, null);
  t.is(r.json.results[0].binding, 'none fits');
  t.false(/NaN|Infinity/.test(r.stdout));
});
