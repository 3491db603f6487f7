import test from 'ava';
import {runCli, runJson} from '../helpers/cli.js';

const base = ['--model', 'llama-3.1-70b', '--hardware', 'h100-sxm', '--mode', 'decode'];

test('memory, max-seq and latency: --tp 3 on a 64-head model exits 2 naming the rule, as serve does', t => {
  for (const command of ['memory', 'max-seq', 'latency', 'serve']) {
    const r = runCli([command, '--model', 'llama-3.1-70b', '--hardware', 'h100-sxm', '--tp', '3']);
    t.is(r.code, 2, command);
    t.regex(
      r.stderr,
      /--tp 3 does not divide the 64 query heads of llama-3\.1-70b: each tensor-parallel rank holds whole heads/,
      command,
    );
  }
});

test('--mode train with --tp 2 exits 2: training parallelism is not modelled', t => {
  const r = runJson<{ok: boolean; error: {code: string; message: string}}>([
    'memory',
    '--model',
    'gpt2-small',
    '--mode',
    'train',
    '--tp',
    '2',
  ]);
  t.is(r.code, 2);
  t.false(r.json.ok);
  t.is(
    r.json.error.message,
    '--mode train with --tp 2: training parallelism — ZeRO, sequence parallelism, recomputation per rank — is not modelled; docs/parallelism.md',
  );
});

test('latency --tp 8 decode: per-GPU header, the all-reduce in --breakdown and in JSON', t => {
  const r = runCli(['latency', ...base, '--seq', '8k', '--variant', 'flash', '--tp', '8', '--breakdown']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /per GPU: 8 GPUs \(tp 8\); memory and fit are one GPU's/);
  t.regex(r.stdout, /tensor-parallel all-reduce +│ all-reduce +│ +[\d.]+ ms │ .*│ communication/);
  const j = runJson<{
    inputs: {gpus: number; parallelism: {tp: number}};
    results: {gpus: number; seconds: number; step: {tensorParallelSeconds: number; seconds: number}}[];
  }>(['latency', ...base, '--seq', '8k', '--variant', 'flash', '--tp', '8']);
  t.is(j.json.inputs.gpus, 8);
  t.is(j.json.inputs.parallelism.tp, 8);
  const row = j.json.results[0];
  t.is(row.gpus, 8);
  t.is(row.step.seconds, row.seconds);
  t.true(row.step.tensorParallelSeconds > 0);
});

test('max-seq --tp 8: the table says per GPU; check gates a capacity file with parallel: {tp: 8}', t => {
  const r = runCli(['max-seq', ...base, '--tp', '8']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /per GPU: 8 GPUs \(tp 8\)/);
  t.regex(r.stdout, /131,072 +│ +1,433,342 │ context/);
  const c = runJson<{ok: boolean; results: {name: string; pass: boolean}[]}>([
    'check',
    'test/fixtures/check/parallel.yaml',
  ]);
  t.is(c.code, 1);
  t.deepEqual(
    c.json.results.map(x => x.pass),
    [true, false, false, true],
  );
});
