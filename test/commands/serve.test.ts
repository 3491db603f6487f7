import test from 'ava';
import {serveRowSchema} from '../../src/schema/output.js';
import {runCli, runJson} from '../helpers/cli.js';

test('serve --json: one envelope whose rows match the schema, with the storage echoed', t => {
  const r = runJson<{ok: boolean; inputs: Record<string, unknown>; results: unknown[]}>([
    'serve',
    '--model',
    'llama-3.1-8b',
    '--hardware',
    'h100-sxm',
    '--kv-dtype',
    'fp8',
    '--kv-block',
    '16',
    '--weights',
    'awq',
    '--input',
    '8k',
    '--output',
    '1k',
  ]);
  t.is(r.code, 0);
  t.true(r.json.ok);
  t.is(r.json.inputs.weightFormat, 'int4 g=128');
  t.is(r.json.inputs.kvDtype, 'fp8');
  t.is(r.json.inputs.kvBlock, 16);
  t.true(serveRowSchema.safeParse(r.json.results[0]).success);
});

test('serve: the table names the limit and the breakdown; --tp 3 on a 64-head model exits 2', t => {
  const ok = runCli([
    'serve',
    '--model',
    'llama-3.1-70b',
    '--hardware',
    'h100-sxm',
    '--gpus',
    '4',
    '--concurrency',
    '4',
  ]);
  t.is(ok.code, 0);
  t.regex(ok.stdout, /weights bf16 · KV bf16/);
  t.regex(ok.stdout, /TP all-reduce/);
  t.regex(ok.stdout, /4 \(tp 4\)/);
  const bad = runCli(['serve', '--model', 'llama-3.1-70b', '--hardware', 'h100-sxm', '--tp', '3']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /--tp 3 does not divide the 64 query heads of llama-3\.1-70b/);
});
