import {fileURLToPath} from 'node:url';
import test from 'ava';
import {runCli, runJson} from '../helpers/cli.js';

const file = fileURLToPath(new URL('../../../test/fixtures/models/moe-mla-small.json', import.meta.url));

test('cost --model-file with moe and mla: params and activeParams (by hand)', t => {
  const r = runJson<{results: {params: number; activeParams: number}[]}>([
    'cost',
    '--model-file',
    file,
    '--seq',
    '64',
  ]);
  t.is(r.code, 0);
  // 3 × (MLA 7,984 + norms 128) + dense FFN 3·64·128 + 2 MoE FFNs (router 512 + 9 experts × 3,072)
  // + embedding and head 2·100·64 + final norm 64; a token skips 6 experts in each MoE layer.
  t.is(r.json.results[0]!.params, 118_096);
  t.is(r.json.results[0]!.activeParams, 118_096 - 2 * 6 * 3072);
  const table = runCli(['cost', '--model-file', file, '--seq', '64']);
  t.regex(table.stdout, /active params/);
});

test('memory --mode decode: the MLA cache is (latent + rope key) per token per layer', t => {
  const r = runJson<{results: {memory: {kvCacheBytes: number}}[]}>([
    'memory',
    '--model-file',
    file,
    '--seq',
    '1000',
    '--mode',
    'decode',
  ]);
  t.is(r.code, 0);
  t.is(r.json.results[0]!.memory.kvCacheBytes, 3 * (16 + 4) * 2 * 1000);
});

test('a variant without a KV cache on MLA layers exits 2 naming the valid ones', t => {
  const r = runCli(['cost', '--model-file', file, '--variant', 'linear']);
  t.is(r.code, 2);
  t.regex(r.stderr, /variant 'linear' \(kernel\) cannot run on MLA layers.*Valid: standard, flash/);
});
