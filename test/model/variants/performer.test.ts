import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import {linearVariant} from '../../../src/model/variants/linear.js';
import {performerParams, performerVariant} from '../../../src/model/variants/performer.js';
import {get, input, noneShrinks, total} from '../../helpers/variants.js';

// The worked example of docs/variants/performer.md: b = 1, n = m = 1024, h = h_kv = 12,
// d_h = d_v = 64, d = 768, s = 2 bytes, r = 256 features; e = d_v + 1 = 65.

const cost = (over: Partial<AttentionInput> = {}, features = 256, chunk = 0) =>
  performerVariant.cost(input(over), {features, chunk});
const decode = (m: number) => ({queries: 1, keys: m, queryOffset: m - 1, causal: true});

test('params: {} gives r = 256, chunk = 0; unknown and invalid values are rejected', t => {
  t.deepEqual(performerParams().parse({}), {features: 256, chunk: 0});
  t.false(performerParams().safeParse({r: 64}).success);
  t.false(performerParams().safeParse({features: 0}).success);
});

test('worked example: non-causal prefill, exact', t => {
  const list = cost();
  t.deepEqual(
    list.map(c => [c.name, c.kernel]),
    [
      ['feature-map', 'gemm'],
      ['kv-state', 'gemm'],
      ['readout', 'gemm'],
    ],
  );
  const phi = get(list, 'feature-map');
  // rows: 12·1024 queries + 12·1024 keys = 24,576; projections 24,576·256·64
  t.is(phi.macs, 402_653_184);
  // 24,576 · (6·256 + 3·64) = 24,576 · 1,728
  t.is(phi.vectorFlops, 42_467_328);
  // Q, K 24,576·64·2 = 3,145,728 + the random matrix 256·64·2 = 32,768
  t.is(phi.readBytes, 3_178_496);
  t.is(phi.writeBytes, 12_582_912); // 24,576·256·2
  const state = get(list, 'kv-state');
  t.is(state.macs, 204_472_320); // 12·1024·256·65
  t.is(state.readBytes, 7_864_320); // φ(K), V: 12·1024·(256 + 64)·2
  t.is(state.writeBytes, 399_360); // 12·256·65·2
  const readout = get(list, 'readout');
  t.is(readout.macs, 204_472_320);
  t.is(readout.readBytes, 6_291_456 + 399_360);
  t.is(readout.vectorFlops, 786_432);
  // docs/design.md §4.1: h·(n + m)·r·d_h + h·m·r·d_h + h·n·r·d_h (d_v = d_h) = 805,306,368, plus the
  // normaliser h·(m + n)·r = 6,291,456
  t.is(total(list, 'macs'), 811_597_824);
  t.is(total(list, 'pairs'), 0);
});

test('performer with r = d_h shares linear attention’s state passes', t => {
  const p = cost({causal: true, training: true}, 64);
  const l = linearVariant.cost(input({causal: true, training: true}), {chunk: 0});
  t.deepEqual(p.slice(1), l.slice(1));
});

test('causal: same MACs; per-position states unless chunked', t => {
  t.false(performerVariant.causalReducesWork);
  const causal = cost({causal: true, training: true});
  t.is(total(causal, 'macs'), total(cost(), 'macs'));
  // 1024 prefix states of 12·256·65 elements at 2 B = 408,944,640 B (≈ 0.4 GB per layer)
  t.is(get(causal, 'kv-state').savedBytes, 408_944_640);
  const chunked = cost({causal: true, training: true}, 256, 128);
  // 8 boundary states: 12·8·256·65·2 = 3,194,880 B
  t.is(get(chunked, 'kv-state').savedBytes, 3_194_880);
  // blocks: 12·8·128² = 1,572,864 scores, r + e = 321 MACs each
  t.is(get(chunked, 'intra-chunk').macs, 504_889_344);
});

test('training saves features, the state and the denominators (non-causal)', t => {
  const list = cost({training: true});
  t.is(get(list, 'feature-map').savedBytes, 12_582_912);
  t.is(get(list, 'kv-state').savedBytes, 399_360);
  t.is(get(list, 'readout').savedBytes, 24_576); // 12·1024·2
  t.is(total(cost(), 'savedBytes'), 0);
});

test('decode: one key folded into the cached r × (d_v + 1) state', t => {
  const list = cost(decode(8192));
  const phi = get(list, 'feature-map');
  t.is(phi.macs, 393_216); // 24 rows · 256 · 64
  const step = get(list, 'state-update');
  t.is(step.macs, 399_360); // fold 12·256·65 = 199,680 + read out 199,680
  // new φ(k), v 12·(256 + 64)·2 = 7,680 B + cached state 399,360 B + φ(q) 12·256·2 = 6,144 B
  t.is(step.readBytes, 413_184);
  t.deepEqual(list, cost(decode(100)));
  t.is(performerVariant.cacheBytes(input({keys: 8192}), {features: 256, chunk: 0}), 399_360);
  t.is(performerVariant.cacheBytes(input({keys: 8192, kvHeads: 1}), {features: 256, chunk: 0}), 33_280);
});

test('GQA: key features and the state per K/V head; query-side MACs unchanged', t => {
  const gqa = cost({kvHeads: 4});
  // (12·1024 + 4·1024)·256·64
  t.is(get(gqa, 'feature-map').macs, 268_435_456);
  t.is(get(gqa, 'kv-state').macs, 68_157_440); // 4·1024·256·65
  t.is(get(gqa, 'readout').macs, 204_472_320);
});

test('leadingOps: n·r·d', t => {
  t.is(performerVariant.leadingOps(4096, 768, {features: 128, chunk: 0}), 4096 * 128 * 768);
});

test('property: every field is monotone non-decreasing in n (prefill) and in m (decode)', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 20_000}),
      fc.integer({min: 1, max: 512}),
      fc.integer({min: 0, max: 300}),
      fc.boolean(),
      fc.boolean(),
      (n, r, chunk, causal, training) => {
        const a = cost({queries: n, keys: n, causal, training}, r, chunk);
        const b = cost({queries: n + 1, keys: n + 1, causal, training}, r, chunk);
        const da = cost(decode(n + 1), r, chunk);
        const db = cost(decode(n + 2), r, chunk);
        return noneShrinks(a, b) && noneShrinks(da, db);
      },
    ),
  );
  t.pass();
});

test('property: MACs and vector FLOPs exactly linear in n (unchunked)', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 100_000}),
      fc.integer({min: 2, max: 9}),
      fc.integer({min: 1, max: 512}),
      fc.boolean(),
      (n, k, r, causal) => {
        const one = cost({queries: n, keys: n, causal}, r);
        const many = cost({queries: k * n, keys: k * n, causal}, r);
        return (
          total(many, 'macs') === k * total(one, 'macs') &&
          total(many, 'vectorFlops') === k * total(one, 'vectorFlops')
        );
      },
    ),
  );
  t.pass();
});
