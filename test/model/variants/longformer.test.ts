import test from 'ava';
import type {AttentionInput} from '../../../src/model/types.js';
import {longformerPairs, longformerVariant} from '../../../src/model/variants/longformer.js';
import {input, total} from '../../helpers/variants.js';

// Worked example of docs/variants/longformer.md: b = 1, n = m = 1024, h = 12, d_h = 64, d = 768, s = 2.
const decode = (m: number, over: Partial<AttentionInput> = {}) =>
  input({queries: 1, keys: m, queryOffset: m - 1, causal: true, ...over});
const defaults = longformerVariant.params().parse({});

test('params: {} gives w 512, g 1', t => {
  t.deepEqual(defaults, {w: 512, g: 1});
  t.true(longformerVariant.params().safeParse({g: 0}).success);
  t.false(longformerVariant.params().safeParse({g: -1}).success);
});

test('non-causal pairs: window + 2·g·m − g² (docs/design.md §4.1)', t => {
  // 1024·512 + 2·1·1024 − 1 = 524,288 + 2047 = 526,335 per head.
  t.is(longformerPairs(input(), defaults), 526_335);
  // g = 8: 524,288 + 2·8·1024 − 64 = 540,608.
  t.is(longformerPairs(input(), {w: 512, g: 8}), 540_608);
  t.is(longformerPairs(input(), {w: 512, g: 0}), 524_288);
});

test('prefill worked example: global projections plus the materialised pattern', t => {
  const cs = longformerVariant.cost(input(), defaults);
  t.deepEqual(
    cs.map(c => c.name),
    ['projection-global', 'scores', 'softmax', 'weighted-sum'],
  );
  const [global] = cs;
  // K_g, V_g over 1024 keys: 1024·768·12·128 = 1,207,959,552; Q_g for 1 row: 768·12·64 = 589,824.
  t.is(global!.macs, 1_208_549_376);
  t.is(global!.kernel, 'gemm');
  t.is(total(cs, 'pairs'), 6_316_020); // 12·526,335
  t.is(total(cs.slice(1), 'macs'), 808_450_560); // 6,316,020·128
  t.is(global!.savedBytes, 0);
  // Training keeps K_g, V_g, Q_g: (1024·1536 + 768)·2 = 3,147,264.
  t.is(longformerVariant.cost(input({training: true}), defaults)[0]!.savedBytes, 3_147_264);
});

test('causal prefill: causal band, global row sees its past, others see the global key', t => {
  // Band Σ min(x, 512) for x = 1..1024 = 131,328 + 262,144 = 393,472; global row 0 sees 1 key;
  // 1023 other rows see key 0 → 393,472 + 1 + 1023 = 394,496.
  t.is(longformerPairs(input({causal: true}), defaults), 394_496);
});

test('decode: window + global keys, no global projection; cache min(m, w + g)', t => {
  const cs = longformerVariant.cost(decode(1024), defaults);
  t.deepEqual(
    cs.map(c => c.name),
    ['scores', 'softmax', 'weighted-sum'],
  );
  t.is(total(cs, 'pairs'), 12 * 513); // 512 window + 1 global
  t.is(longformerVariant.cacheBytes(input(), defaults), 513 * 12 * 128 * 2);
  t.is(longformerVariant.cacheBytes(input({keys: 300}), defaults), 300 * 12 * 128 * 2);
  t.is(longformerVariant.leadingOps(1024, 768, defaults), 1024 * 514 * 768);
});
