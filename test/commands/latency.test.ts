import test from 'ava';
import {runCli, runJson} from '../helpers/cli.js';

test('latency --json: expected, ideal, tokens/s and per-component bounds', t => {
  const r = runJson<{
    results: {
      seconds: number;
      idealSeconds: number;
      tokensPerSec: number;
      bound: string;
      components: {bound: string}[];
    }[];
  }>(['latency', '--model', 'gpt2-small', '--seq', '8k', '--hardware', 'h100-sxm', '--variant', 'flash']);
  t.is(r.code, 0);
  const row = r.json.results[0];
  t.true(row.seconds >= row.idealSeconds);
  t.true(row.tokensPerSec > 0);
  t.true(row.components.length > 0);
});

test('latency --breakdown prints the per-component table; bad --peak-flops exits 2', t => {
  const r = runCli([
    'latency',
    '--model',
    'gpt2-small',
    '--seq',
    '2k',
    '--hardware',
    'a100-80gb',
    '--breakdown',
  ]);
  t.is(r.code, 0);
  t.regex(r.stdout, /per component/);
  t.regex(r.stdout, /FLOP\/byte/);
  t.is(runCli(['latency', '--peak-flops', 'many']).code, 2);
});

type LatencyJson = {
  inputs: {impl?: string; hardware: {id: string; impls: Record<string, string>}[]};
  results: {seconds: number; bound: string; components: {name: string; bound: string}[]}[];
};
const attention = (over: string[]) =>
  runJson<LatencyJson>([
    'latency',
    ...['--d-model', '2048', '--heads', '16', '--head-dim', '128', '--layers', '1', '--scope', 'attention'],
    ...['--batch', '4', '--seq', '4k', '--dtype', 'fp16', '--hardware', 'h100-sxm'],
    ...over,
  ]);

test('causal eager attention is slower than non-causal (mask pass); causal flash is faster (block skipping)', t => {
  const time = (variant: string, causal: boolean) =>
    attention(['--variant', variant, causal ? '--causal' : '--no-causal']).json.results[0]!.seconds;
  t.true(time('standard', true) > time('standard', false));
  t.true(time('flash', true) < time('flash', false));
});

test('--impl: the default per device, shown in JSON inputs; H100 flash is compute-bound', t => {
  const r = attention(['--variant', 'flash', '--no-causal']);
  t.is(r.code, 0);
  t.deepEqual(r.json.inputs.hardware[0]!.impls, {
    'attention-materialized': 'eager',
    'attention-fused': 'fa3',
  });
  t.is(r.json.results[0]!.bound, 'compute');
  const fa2 = attention(['--variant', 'flash', '--no-causal', '--impl', 'fa2']);
  t.is(fa2.json.inputs.impl, 'fa2');
  // FA3 paper Fig. 5: FA3 runs well ahead of FA2 on the same H100.
  t.true(fa2.json.results[0]!.seconds > 1.2 * r.json.results[0]!.seconds);
});

test('--impl that cannot run on a device exits 2 and says why', t => {
  const r = runCli(['latency', '--impl', 'fa3', '--hardware', 'a100-80gb', '--variant', 'flash']);
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /--impl fa3 cannot run on a100-80gb \(NVIDIA A100 SXM4 80GB\): it needs compute capability 9\.0 \(FlashAttention-3 targets Hopper H100\/H800 only\); this device has 8\.0/,
  );
  t.regex(r.stderr, /eager, sdpa, fa1, fa2, cudnn, triton run on a100-80gb/);
  const v100 = runCli(['latency', '--impl', 'fa2', '--hardware', 'v100-32gb']);
  t.is(v100.code, 2);
  t.regex(v100.stderr, /needs compute capability 8\.0 or newer/);
});
