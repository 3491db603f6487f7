import test from 'ava';
import {getArchitecture} from '../../../src/model/architectures/index.js';
import {evaluate} from '../../../src/model/engine.js';
import {resolveVariant} from '../../../src/model/variants/index.js';
import {parseSeq} from '../../../src/units.js';
import {preset, relativeError, workload} from './fixtures.js';

const vit = getArchitecture('vit');

/** Forward MACs of a ViT: L standard layers on n tokens, patch embedding of n − 1 patches, head. */
function vitMacs(
  L: number,
  d: number,
  h: number,
  dFf: number,
  n: number,
  patchInputs: number,
  classes: number,
): number {
  const layer = n * d * 3 * d + 2 * h * n * n * (d / h) + n * d * d + 2 * n * d * dFf;
  return L * layer + (n - 1) * patchInputs * d + d * classes;
}

test('ViT-B/16 at 224²: 197 tokens, 17.56 GMACs and 86M parameters', t => {
  const model = preset('vit-b-16');
  t.is(vit.defaultSeq(model), 197); // 14·14 patches + class token
  const e = evaluate(model, workload({seq: 197}));
  // Per layer 197·768·2304 + 2·12·197²·64 + 197·768² + 2·197·768·3072
  //   = 348,585,984 + 59,610,624 + 116,195,328 + 929,562,624 = 1,453,954,560;
  // ×12 + 196·768·768 (patch embedding) + 768·1000 (head) = 17,563,828,224.
  t.is(e.totals.macs, vitMacs(12, 768, 12, 3072, 197, 16 * 16 * 3, 1000));
  t.is(e.totals.macs, 17_563_828_224);
  // torchvision reports 17.56 "GFLOPS", which are multiply-adds (fvcore convention).
  t.true(relativeError(e.totals.macs, 17.56e9) < 0.001);
  // 12·(4·768² + 2·768·3072 + 4·768 + 6,912 biases) + 768·768 + 768 (patch) + 768 (class token)
  // + 197·768 (positions) + 2·768 (final norm) + 768·1000 + 1000 (head) = torchvision's count.
  t.is(
    e.params,
    12 * (4 * 768 ** 2 + 2 * 768 * 3072 + 4 * 768 + 6912) + 769 * 768 + 768 + 197 * 768 + 1536 + 769_000,
  );
  t.is(e.params, 86_567_656);
  t.true(relativeError(e.params, 86e6) < 0.01);
});

test('ViT-L/16 at 224²: 61.6 GMACs and 304M parameters', t => {
  const e = evaluate(preset('vit-l-16'), workload({seq: 197}));
  t.is(e.totals.macs, vitMacs(24, 1024, 16, 4096, 197, 16 * 16 * 3, 1000));
  // torchvision: 61.55 GFLOPS (MACs), 304,326,632 parameters with biases.
  t.true(relativeError(e.totals.macs, 61.55e9) < 0.001);
  // 24·(4·1024² + 2·1024·4096 + 4·1024 + 9,216 biases) + (768 + 1)·1024 + 1024 + 197·1024
  // + 2·1024 + 1024·1000 + 1000.
  t.is(e.params, 304_326_632);
});

test('ViT-H/14: 257 tokens and 632M parameters', t => {
  const model = preset('vit-h-14');
  t.is(vit.defaultSeq(model), 16 * 16 + 1);
  const e = evaluate(model, workload({seq: 257}));
  t.is(e.totals.macs, vitMacs(32, 1280, 16, 5120, 257, 14 * 14 * 3, 1000));
  t.true(relativeError(e.params, 632e6) < 0.01);
});

test('--seq sets the token count: image:1024x1024/16 is 4,096 tokens', t => {
  const model = preset('vit-b-16');
  const seq = parseSeq('image:1024x1024/16');
  t.is(seq, 4096);
  const e = evaluate(model, workload({seq, scope: 'model'}));
  t.is(e.cost.groups[0]!.tokens, 4096);
  // The class token is one of the 4,096; the other 4,095 are embedded patches.
  const patch = e.components.find(c => c.name === 'patch-embedding')!;
  t.is(patch.macs, 4095 * 768 * 768);
  // Positions stay learned for the trained 197 tokens: parameters do not change with n.
  t.is(e.params, 86_567_656);
});

test('--variant replaces the attention of every layer', t => {
  const model = preset('vit-b-16');
  const flash = evaluate(model, workload({seq: 197, scope: 'attention'}), resolveVariant('flash'));
  t.deepEqual(
    flash.components.map(c => c.name),
    ['attention'],
  );
  // Bidirectional: all 197² pairs, (d_h + d_v) MACs each, 12 heads.
  t.is(flash.totals.macs, 12 * 197 * 197 * 128);
});

test('train keeps the Korthikanti activations of every layer', t => {
  const e = evaluate(preset('vit-b-16'), workload({seq: 197, mode: 'train'}));
  // Per layer 34·n·d + 2·h·n² (saved probabilities, no dropout), n = 197, d = 768, h = 12.
  t.is(e.savedBytes, 12 * (34 * 197 * 768 + 2 * 12 * 197 * 197));
});

test('decode is costed as the transformer does (a what-if: ViT is an encoder)', t => {
  const e = evaluate(preset('vit-b-16'), workload({seq: 197, mode: 'decode'}));
  // KV cache 2·L·n·h·d_h·s = 2·12·197·12·64·2.
  t.is(e.cacheBytes, 2 * 12 * 197 * 768 * 2);
  t.is(e.cost.groups[0]!.tokens, 1);
});

test('complexity view: n²·d, path length 1', t => {
  const model = preset('vit-b-16');
  t.is(vit.leadingOps(4096, model), 4096 * 4096 * 768);
  t.deepEqual(vit.pathLength(4096, model), {max: 1, mean: 1});
});
