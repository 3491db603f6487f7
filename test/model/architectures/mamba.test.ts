import test from 'ava';
import fc from 'fast-check';
import {getArchitecture} from '../../../src/model/architectures/index.js';
import {mambaLayerParams} from '../../../src/model/architectures/mamba.js';
import {evaluate} from '../../../src/model/engine.js';
import {preset, relativeError, workload} from './fixtures.js';

const mamba = getArchitecture('mamba');

/**
 * Weights by hand, d_inner = 2d, N = 16, K = 4, R = ⌈d/16⌉: in_proj 2·d·d_inner, conv K·d_inner
 * and its bias d_inner, x_proj d_inner·(R + 2N), dt_proj R·d_inner and its bias d_inner,
 * A d_inner·N, D d_inner, out_proj d_inner·d, RMSNorm d; plus the tied embedding V·d and the
 * final RMSNorm d.
 */
function mambaParams(d: number, layers: number, vocab = 50280): number {
  const inner = 2 * d;
  const R = Math.ceil(d / 16);
  const layer =
    2 * d * inner +
    4 * inner +
    inner +
    inner * (R + 32) +
    R * inner +
    inner +
    16 * inner +
    inner +
    inner * d +
    d;
  return layers * layer + vocab * d + d;
}

const SIZES = [
  {id: 'mamba-130m', d: 768, layers: 24, named: 130e6, exact: 129_135_360},
  {id: 'mamba-1.4b', d: 2048, layers: 48, named: 1.4e9, exact: 1_372_178_432},
  {id: 'mamba-2.8b', d: 2560, layers: 64, named: 2.8e9, exact: 2_768_345_600},
];

test('parameter counts match the model names within 3%', t => {
  for (const s of SIZES) {
    const e = evaluate(preset(s.id), workload({seq: 2048, causal: true}));
    t.is(e.params, mambaParams(s.d, s.layers), s.id);
    t.is(e.params, s.exact, s.id);
    // The names round up: 129.1M, 1.372B, 2.768B (the checkpoints' exact counts).
    t.true(relativeError(e.params, s.named) < 0.03, s.id);
  }
});

test('mamba-130m forward at n = 2048 by component', t => {
  const n = 2048;
  const e = evaluate(preset('mamba-130m'), workload({seq: n, causal: true, scope: 'layer'}));
  const macs = Object.fromEntries(e.components.map(c => [c.name, c.macs]));
  t.is(macs['in-projection'], n * 768 * 3072);
  t.is(macs['conv1d'], n * 1536 * 4);
  t.is(macs['x-projection'], n * 1536 * (48 + 32));
  t.is(macs['dt-projection'], n * 48 * 1536);
  t.is(macs['out-projection'], n * 1536 * 768);
  // Selective scan: 9·n·d_inner·N, plus the D skip (1), the gate multiply (1) and SiLU(z) (4).
  const scan = e.components.find(c => c.name === 'selective-scan')!;
  t.is(scan.vectorFlops, n * 1536 * (9 * 16 + 6));
  t.is(scan.macs, 0);
  t.is(scan.kernel, 'scan');
  // The model adds the tied LM head over the last position (inference: next-token logits).
  const model = evaluate(preset('mamba-130m'), workload({seq: n, causal: true}));
  const layerMacs = n * (768 * 3072 + 1536 * 4 + 1536 * 80 + 48 * 1536 + 1536 * 768);
  t.is(model.totals.macs, 24 * layerMacs + 768 * 50280);
});

test('decode: one step, a state of d_inner·(N + K − 1) per layer, constant in n', t => {
  const model = preset('mamba-130m');
  const a = evaluate(model, workload({seq: 2048, causal: true, mode: 'decode', batch: 8}));
  // 24 layers · 8 sequences · 1536·(16 + 3) · 2 bytes.
  t.is(a.cacheBytes, 24 * 8 * 1536 * 19 * 2);
  fc.assert(
    fc.property(fc.integer({min: 1, max: 1 << 24}), n => {
      const b = evaluate(model, workload({seq: n, causal: true, mode: 'decode', batch: 8}));
      return b.cacheBytes === a.cacheBytes && b.totals.flops === a.totals.flops;
    }),
  );
  t.is(a.totals.macs, 8 * (24 * (768 * 3072 + 1536 * 4 + 1536 * 80 + 48 * 1536 + 1536 * 768) + 768 * 50280));
});

test('train: the fused scan replays its forward (1 + 3 passes), matrix products ×3', t => {
  const n = 2048;
  const e = evaluate(preset('mamba-130m'), workload({seq: n, causal: true, mode: 'train', scope: 'layer'}));
  t.is(e.components.find(c => c.name === 'selective-scan')!.passes, 4);
  t.is(e.components.find(c => c.name === 'in-projection')!.passes, 3);
  // Saved per token and layer: 2d + 6·d_inner + R + 2N elements, s = 2; no n·d_inner·N states.
  const model = evaluate(preset('mamba-130m'), workload({seq: n, causal: true, mode: 'train'}));
  t.is(model.savedBytes, 24 * n * 2 * (2 * 768 + 6 * 1536 + 48 + 32));
  t.is(model.cacheBytes, 0);
});

test('--d-model/--layers and the ssm block reshape the layer', t => {
  const model = {...preset('mamba-130m'), dModel: 1024, layers: 4, ssm: {state: 64, expand: 2, conv: 4}};
  // d_inner 2048, N 64, R 64; conv and dt_proj biases 2·2048.
  t.is(
    mambaLayerParams(model),
    2 * 1024 * 2048 +
      4 * 2048 +
      2048 * (64 + 128) +
      64 * 2048 +
      64 * 2048 +
      2048 +
      2048 * 1024 +
      1024 +
      2 * 2048,
  );
  const e = evaluate(model, workload({seq: 1, causal: true, mode: 'decode'}));
  t.is(e.cacheBytes, 4 * 2048 * (64 + 3) * 2);
});

test('complexity view: n·d·N; path length n − 1', t => {
  const model = preset('mamba-130m');
  t.is(mamba.leadingOps(4096, model), 4096 * 768 * 16);
  t.deepEqual(mamba.pathLength(4096, model), {max: 4095, mean: 2047.5});
});
