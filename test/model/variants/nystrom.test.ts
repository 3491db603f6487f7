import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import type {NystromParams} from '../../../src/model/variants/nystrom.js';
import {nystromParams, nystromVariant} from '../../../src/model/variants/nystrom.js';
import {get, input, noneShrinks, total} from '../../helpers/variants.js';

// The worked example of docs/variants/nystrom.md: b = 1, n = m = 1024, h = h_kv = 12,
// d_h = d_v = 64, d = 768, s = 2 bytes, ℓ = 64 landmarks, 6 pseudo-inverse iterations.

const defaults = nystromParams().parse({});
const cost = (over: Partial<AttentionInput> = {}, params: Partial<NystromParams> = {}) =>
  nystromVariant.cost(input(over), {...defaults, ...params});

test('params: {} gives ℓ = 64, 6 iterations, no conv; unknown keys are rejected', t => {
  t.deepEqual(defaults, {landmarks: 64, pinv_iters: 6, conv: 0});
  t.false(nystromParams().safeParse({landmark: 32}).success);
  t.false(nystromParams().safeParse({landmarks: 0}).success);
});

test('worked example: prefill components, exact', t => {
  const list = cost();
  t.deepEqual(
    list.map(c => [c.name, c.kernel]),
    [
      ['landmarks', 'elementwise'],
      ['scores', 'attention-materialized'],
      ['softmax', 'attention-materialized'],
      ['pinv', 'gemm'],
      ['weighted-sum', 'attention-materialized'],
    ],
  );
  const lm = get(list, 'landmarks');
  // sums over (12 + 12)·1024·64 = 1,572,864 elements + means (12 + 12)·64·64 = 98,304
  t.is(lm.vectorFlops, 1_671_168);
  t.is(lm.readBytes, 3_145_728);
  t.is(lm.writeBytes, 196_608); // 24·64·64·2
  const scores = get(list, 'scores');
  // per head n·ℓ + ℓ² + ℓ·m = 65,536 + 4,096 + 65,536 = 135,168 (docs/design.md §4.1: 2·n·ℓ + ℓ²); ×12
  t.is(scores.pairs, 1_622_016);
  t.is(scores.macs, 103_809_024); // ×64
  // Q, K 3,145,728 + the landmarks twice 393,216
  t.is(scores.readBytes, 3_538_944);
  t.is(scores.writeBytes, 3_244_032);
  t.is(scores.launches, 3);
  t.is(get(list, 'softmax').vectorFlops, 8_110_080); // 5 · 1,622,016
  const pinv = get(list, 'pinv');
  // 4 products of 64³ per iteration, 6 iterations, 12 heads: 4·6·12·262,144
  t.is(pinv.macs, 75_497_472);
  // (2 + 4·6) · 12·64²
  t.is(pinv.vectorFlops, 1_277_952);
  t.is(pinv.readBytes, 7_274_496); // (2 + 72)·49,152·2
  t.is(pinv.writeBytes, 4_816_896); // (1 + 48)·49,152·2
  t.is(pinv.launches, 70); // 4 + 11·6
  const ws = get(list, 'weighted-sum');
  // 12 · (F·A⁺ 1024·64² + B·V 64·1024·64 + (FA⁺)(BV) 1024·64·64) = 12 · 3 · 4,194,304
  t.is(ws.macs, 150_994_944);
  t.is(ws.readBytes, 6_488_064);
  t.is(ws.writeBytes, 3_244_032);
  t.is(total(list, 'macs'), 330_301_440);
});

test('causal is not defined: costed as the bidirectional computation', t => {
  t.false(nystromVariant.causalReducesWork);
  t.deepEqual(cost({causal: true}), cost());
});

test('training keeps landmarks, kernels, pinv iterates and the products', t => {
  const list = cost({training: true});
  t.is(get(list, 'landmarks').savedBytes, 196_608);
  t.is(get(list, 'softmax').savedBytes, 3_244_032);
  t.is(get(list, 'pinv').savedBytes, 3_538_944); // 6 matrices · 6 iterations · 49,152 · 2
  t.is(get(list, 'weighted-sum').savedBytes, 1_769_472); // 12·(65,536 + 4,096 + 4,096)·2
  t.is(total(list, 'savedBytes'), 8_749_056);
});

test('fewer tokens than landmarks: each token is its own landmark', t => {
  const list = cost({queries: 32, keys: 32});
  // ℓ_eff = 32: per head 32·32·3 = 3,072 pairs
  t.is(get(list, 'scores').pairs, 12 * 3_072);
  t.is(get(list, 'pinv').macs, 4 * 6 * 12 * 32 ** 3);
});

test('decode recomputes every landmark; the cache keeps Q, K and V', t => {
  const list = cost({queries: 1, keys: 1024, queryOffset: 1023, causal: true});
  // query landmarks over all 1024 queries: the same segment sums as prefill
  t.is(get(list, 'landmarks').readBytes, 3_145_728);
  // per head 1·64 + 64² + 64·1024 = 69,696; ×12
  t.is(get(list, 'scores').pairs, 836_352);
  t.is(get(list, 'pinv').macs, 75_497_472);
  // 1024 positions · (12·64 + 12·128) · 2 B
  t.is(nystromVariant.cacheBytes(input({keys: 1024}), defaults), 4_718_592);
});

test('conv: the reference code’s depthwise convolution on V', t => {
  const list = cost({}, {conv: 33});
  const conv = get(list, 'conv');
  t.is(conv.macs, 25_952_256); // 12·1024·64·33
  t.is(conv.vectorFlops, 786_432);
  t.is(conv.readBytes, 4_718_592); // V 1,572,864 + conv output and X 2·1,572,864
  t.is(conv.writeBytes, 3_145_728);
  t.is(total(list, 'macs'), 330_301_440 + 25_952_256);
});

test('GQA: K and its landmarks per K/V head; kernel MACs unchanged', t => {
  const gqa = cost({kvHeads: 4});
  t.is(get(gqa, 'scores').macs, 103_809_024);
  // Q 12·1024·64·2 + K 4·1024·64·2 + landmarks 2·(12 + 4)·64·64·2
  t.is(get(gqa, 'scores').readBytes, 2_359_296);
  t.is(nystromVariant.cacheBytes(input({kvHeads: 4}), defaults), 1024 * (12 * 64 + 4 * 128) * 2);
});

test('leadingOps: n·ℓ·d', t => {
  t.is(nystromVariant.leadingOps(4096, 768, defaults), 4096 * 64 * 768);
});

test('property: every field is monotone non-decreasing in n (prefill) and in m (decode)', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 20_000}),
      fc.integer({min: 1, max: 512}),
      fc.integer({min: 0, max: 10}),
      fc.integer({min: 0, max: 65}),
      fc.boolean(),
      (n, landmarks, pinv_iters, conv, training) => {
        const p = {landmarks, pinv_iters, conv};
        const a = cost({queries: n, keys: n, training}, p);
        const b = cost({queries: n + 1, keys: n + 1, training}, p);
        const da = cost({queries: 1, keys: n, queryOffset: n - 1, causal: true}, p);
        const db = cost({queries: 1, keys: n + 1, queryOffset: n, causal: true}, p);
        return noneShrinks(a, b) && noneShrinks(da, db);
      },
    ),
  );
  t.pass();
});
