import test from 'ava';
import {hyenaDefaults, hyenaOperatorParams, rfftFlops} from '../../../src/model/architectures/hyena.js';
import {getArchitecture} from '../../../src/model/architectures/index.js';
import {evaluate} from '../../../src/model/engine.js';
import {type ModelPreset, modelPresetSchema} from '../../../src/schema/presets.js';
import {preset, relativeError, workload} from './fixtures.js';

const hyena = getArchitecture('hyena');
const small = preset('hyena-153m');

/**
 * Weights of one order-N Hyena block by hand: in_proj (N+1)·d², short conv 3·(N+1)·d, filter FFN
 * 33·64 + 2·64² + 64·N·d, skip terms N·d, out_proj d², MLP 2·d·d_ff, two LayerNorms 4·d.
 */
function blockParams(d: number, dFf: number, N: number): number {
  return (
    (N + 1) * d * d +
    3 * (N + 1) * d +
    33 * 64 +
    2 * 64 * 64 +
    64 * N * d +
    N * d +
    d * d +
    2 * d * dFf +
    4 * d
  );
}

test('the Hyena-153M preset (safari pile config) has 153M parameters', t => {
  const e = evaluate(small, workload({seq: 2048, causal: true}));
  // 18 blocks (d 864, d_ff 1728, order 2) + tied embedding 50,264·864 + final LayerNorm.
  t.is(e.params, 18 * blockParams(864, 1728, 2) + 50_264 * 864 + 2 * 864);
  t.is(e.params, 153_334_656);
  t.true(relativeError(e.params, 153e6) < 0.01);
});

test('long convolutions by FFT: O(n log n) per channel and order', t => {
  const n = 1024;
  const e = evaluate(small, workload({seq: n, causal: true, scope: 'attention'}));
  const conv = e.components.find(c => c.name === 'long-conv')!;
  // FFT size L = 2n = 2048; a real FFT 2.5·L·log₂L = 56,320 FLOPs. Per order and channel: rfft,
  // 6 FLOPs per each of 1025 bins, irfft (118,790), and the filter's rfft (56,320); then the
  // gate multiply and skip term per element: 2 orders · 864 · (118,790 + 56,320) + 2·2·1024·864.
  t.is(rfftFlops(2048), 56_320);
  t.is(conv.vectorFlops, 2 * 864 * (118_790 + 56_320) + 2 * 2 * 1024 * 864);
  t.is(conv.kernel, 'scan');
  // The core scales as n·log n: doubling n a bit more than doubles it.
  const at = (seq: number) =>
    evaluate(small, workload({seq, causal: true, scope: 'attention'})).totals.vectorFlops;
  const ratio = at(2 * 65_536) / at(65_536);
  t.true(ratio > 2 && ratio < 2.2, `${ratio}`);
});

test('the order sets the projections and the number of long convolutions', t => {
  const order3 = {...small, hyena: {...hyenaDefaults(), order: 3}} as ModelPreset;
  const e2 = evaluate(small, workload({seq: 1024, causal: true, scope: 'layer'}));
  const e3 = evaluate(order3, workload({seq: 1024, causal: true, scope: 'layer'}));
  const macs = (e: typeof e2, name: string) => e.components.find(c => c.name === name)!.macs;
  t.is(macs(e2, 'in-projection'), 1024 * 864 * 3 * 864);
  t.is(macs(e3, 'in-projection'), 1024 * 864 * 4 * 864);
  t.is(
    hyenaOperatorParams(864, {...hyenaDefaults(), order: 3}) - hyenaOperatorParams(864, hyenaDefaults()),
    864 * 864 + 3 * 864 + 64 * 864 + 864,
  );
  const conv = (e: typeof e2) => e.components.find(c => c.name === 'long-conv')!.vectorFlops;
  t.is(conv(e3) * 2, conv(e2) * 3);
});

test('a model file states the operator in its hyena block; omitted fields take the defaults', t => {
  const {$schema: _, ...fields} = small as ModelPreset & {$schema?: string};
  const parsed = modelPresetSchema().parse({...fields, hyena: {order: 3}});
  t.deepEqual(parsed.hyena, {...hyenaDefaults(), order: 3});
  const bad = modelPresetSchema().safeParse({...fields, hyena: {orders: 3}});
  t.false(bad.success);
  t.deepEqual(bad.error?.issues[0]?.path, ['hyena']);
});

test('decode convolves the new token with the cached history: linear in n', t => {
  const n = 4096;
  const e = evaluate(small, workload({seq: n, causal: true, mode: 'decode', batch: 2, scope: 'layer'}));
  const conv = e.components.find(c => c.name === 'long-conv')!;
  t.is(conv.macs, 2 * 2 * 864 * n); // b·N·d·n
  // Cache per layer: each order's input history b·N·d·n, the short-conv windows b·(N+1)·d·2,
  // and the materialised filters N·d·n (shared by the batch), s = 2.
  t.is(e.cacheBytes, 18 * 2 * (2 * 2 * 864 * n + 2 * 3 * 864 * 2 + 2 * 864 * n));
});

test('works from a model file with --d-model/--layers overrides', t => {
  const model = {...small, dModel: 512, dFf: 1024, layers: 4};
  const e = evaluate(model, workload({seq: 2048, causal: true}));
  t.is(e.params, 4 * blockParams(512, 1024, 2) + 50_264 * 512 + 2 * 512);
  t.is(e.cost.groups[0]!.repeat, 4);
});

test('train keeps projections, conv inputs and outputs of every order', t => {
  const n = 1024;
  const e = evaluate(small, workload({seq: n, causal: true, mode: 'train'}));
  // Per token and layer, s = 2: mixer d·(2 + 2·(N+1) + 2·N) = 12·d; MLP s·(d + 2·d_ff) + d;
  // LayerNorm inputs 2·s·d.
  const perToken = 2 * 864 * 12 + (2 * (864 + 2 * 1728) + 864) + 2 * 2 * 864;
  t.is(e.savedBytes, 18 * n * perToken);
});

test('complexity view: n·log₂n·d; any two tokens meet within one layer', t => {
  t.is(hyena.leadingOps(4096, small), 4096 * 12 * 864);
  t.deepEqual(hyena.pathLength(4096, small), {max: 1, mean: 1});
});
