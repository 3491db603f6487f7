import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import {linearParams, linearVariant} from '../../../src/model/variants/linear.js';
import {get, input, noneShrinks, total} from '../../helpers/variants.js';

// The worked example of docs/variants/linear.md: b = 1, n = m = 1024, h = h_kv = 12,
// d_h = d_v = 64, d = 768, s = 2 bytes; e = d_v + 1 = 65 state columns (S and the normaliser z).

const cost = (over: Partial<AttentionInput> = {}, chunk = 0) => linearVariant.cost(input(over), {chunk});
const decode = (m: number, over: Partial<AttentionInput> = {}) => ({
  queries: 1,
  keys: m,
  queryOffset: m - 1,
  causal: true,
  ...over,
});

test('params: {} gives chunk = 0; unknown keys and negative chunks are rejected', t => {
  t.deepEqual(linearParams().parse({}), {chunk: 0});
  t.false(linearParams().safeParse({chunks: 4}).success);
  t.false(linearParams().safeParse({chunk: -1}).success);
});

test('worked example: non-causal prefill, exact', t => {
  const list = cost();
  t.deepEqual(
    list.map(c => [c.name, c.kernel]),
    [
      ['feature-map', 'elementwise'],
      ['kv-state', 'gemm'],
      ['readout', 'gemm'],
    ],
  );
  const phi = get(list, 'feature-map');
  // φ(Q) and φ(K): (12·1024 + 12·1024)·64 = 1,572,864 elements, 3 FLOPs each
  t.is(phi.vectorFlops, 4_718_592);
  t.is(phi.readBytes, 3_145_728);
  t.is(phi.writeBytes, 3_145_728);
  t.is(phi.macs, 0);
  const state = get(list, 'kv-state');
  // Σ_j φ(k_j)[v_j, 1]ᵀ: 12·1024·64·65 = 51,118,080 MACs
  t.is(state.macs, 51_118_080);
  // φ(K) and V: 12·1024·(64 + 64)·2 = 3,145,728 B; state 12·64·65·2 = 99,840 B
  t.is(state.readBytes, 3_145_728);
  t.is(state.writeBytes, 99_840);
  const readout = get(list, 'readout');
  t.is(readout.macs, 51_118_080);
  t.is(readout.vectorFlops, 786_432); // division 12·1024·64
  t.is(readout.readBytes, 1_572_864 + 99_840); // φ(Q) + state
  t.is(readout.writeBytes, 1_572_864);
  // docs/design.md §4.1 h·m·d_h² + h·n·d_h² = 100,663,296 plus the normaliser h·(m + n)·d_h = 1,572,864
  t.is(total(list, 'macs'), 102_236_160);
  t.is(total(list, 'pairs'), 0);
});

test('causal prefill: same MACs, one prefix state per position (kept in training)', t => {
  t.false(linearVariant.causalReducesWork);
  const list = cost({causal: true, training: true});
  t.is(total(list, 'macs'), total(cost(), 'macs'));
  const state = get(list, 'kv-state');
  t.is(state.kernel, 'scan');
  // 1024 states of 12·64·65 elements: 102,236,160 B
  t.is(state.writeBytes, 102_236_160);
  t.is(state.savedBytes, 102_236_160);
  t.is(state.transientBytes, 2 * 102_236_160);
  t.is(get(list, 'readout').readBytes, 1_572_864 + 102_236_160);
  // features (3,145,728) + states + denominators 12·1024·2 = 24,576
  t.is(total(list, 'savedBytes'), 3_145_728 + 102_236_160 + 24_576);
});

test('causal inference prefill: one scan kernel, the running state only', t => {
  const list = cost({causal: true});
  t.deepEqual(
    list.map(c => c.name),
    ['feature-map', 'state-update'],
  );
  const step = get(list, 'state-update');
  t.is(step.macs, 102_236_160);
  t.is(step.vectorFlops, 786_432);
  // φ(K), V 3,145,728 + φ(Q) 1,572,864; writes O 1,572,864 + the final state 99,840
  t.is(step.readBytes, 4_718_592);
  t.is(step.writeBytes, 1_672_704);
  t.is(step.transientBytes, 99_840);
});

test('causal prefill chunked by C = 64: boundary states and masked 64×64 blocks', t => {
  const list = cost({causal: true, training: true}, 64);
  t.deepEqual(
    list.map(c => c.name),
    ['feature-map', 'kv-state', 'intra-chunk', 'readout'],
  );
  const state = get(list, 'kv-state');
  // 16 chunk states: 12·16·64·65·2 = 1,597,440 B
  t.is(state.writeBytes, 1_597_440);
  t.is(state.savedBytes, 1_597_440);
  t.is(state.vectorFlops, 798_720); // prefix over chunks: 12·16·64·65
  const intra = get(list, 'intra-chunk');
  // 16 blocks of 64² per head: 12·16·4096 = 786,432 scores, each 64 + 65 MACs
  t.is(intra.pairs, 786_432);
  t.is(intra.macs, 101_449_728);
  t.is(intra.savedBytes, 1_572_864);
  // kv-state and readout MACs are unchanged; the blocks add 101,449,728
  t.is(total(list, 'macs'), 102_236_160 + 101_449_728);
  // a partial last chunk: n = 100, C = 64 → 64² + 36² = 5,392 pairs per head
  t.is(get(cost({queries: 100, keys: 100, causal: true}, 64), 'intra-chunk').pairs, 12 * 5_392);
});

test('decode: one key folded into the cached state; the cache is the state', t => {
  const list = cost(decode(4096));
  // φ on one query and one key: 24·64 elements
  t.is(get(list, 'feature-map').vectorFlops, 3 * 1_536);
  t.deepEqual(
    list.map(c => c.name),
    ['feature-map', 'state-update'],
  );
  const step = get(list, 'state-update');
  t.is(step.kernel, 'scan');
  // fold the key 12·64·65 = 49,920 + read out 49,920
  t.is(step.macs, 99_840);
  // new φ(k), v 12·128·2 = 3,072 B + cached state 99,840 B + φ(q) 12·64·2 = 1,536 B
  t.is(step.readBytes, 104_448);
  // O 1,536 B + the updated state 99,840 B
  t.is(step.writeBytes, 101_376);
  t.deepEqual(cost(decode(4096)), cost(decode(100)));
  // [S, z] per K/V head: 12·64·65·2 = 99,840 B, constant in m
  t.is(linearVariant.cacheBytes(input({keys: 4096}), {chunk: 0}), 99_840);
  t.is(linearVariant.cacheBytes(input({keys: 4096, kvHeads: 4}), {chunk: 0}), 33_280);
});

test('GQA: the state is per K/V head; query-side MACs do not change', t => {
  const gqa = cost({kvHeads: 4});
  t.is(get(gqa, 'kv-state').macs, 17_039_360); // 4·1024·64·65
  t.is(get(gqa, 'readout').macs, 51_118_080);
  // φ(Q) 12·1024·64 + φ(K) 4·1024·64 elements
  t.is(get(gqa, 'feature-map').vectorFlops, 3 * 1_048_576);
});

test('leadingOps: n·d²', t => {
  t.is(linearVariant.leadingOps(4096, 768, {chunk: 0}), 4096 * 768 * 768);
});

test('property: every field is monotone non-decreasing in n (prefill) and in m (decode)', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 20_000}),
      fc.integer({min: 0, max: 300}),
      fc.boolean(),
      fc.boolean(),
      (n, chunk, causal, training) => {
        const a = cost({queries: n, keys: n, causal, training}, chunk);
        const b = cost({queries: n + 1, keys: n + 1, causal, training}, chunk);
        const da = cost(decode(n + 1), chunk);
        const db = cost(decode(n + 2), chunk);
        return noneShrinks(a, b) && noneShrinks(da, db);
      },
    ),
  );
  t.pass();
});

test('property: exactly linear in n (unchunked): work always, bytes too when causal', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 100_000}),
      fc.integer({min: 2, max: 9}),
      fc.boolean(),
      (n, k, causal) => {
        const one = cost({queries: n, keys: n, causal, training: true});
        const many = cost({queries: k * n, keys: k * n, causal, training: true});
        const linear = (f: 'macs' | 'vectorFlops' | 'readBytes' | 'writeBytes' | 'savedBytes') =>
          total(many, f) === k * total(one, f);
        // Non-causal bytes carry the one d_h × (d_v + 1) state, a constant: affine, not linear.
        return (
          linear('macs') &&
          linear('vectorFlops') &&
          (!causal || (linear('readBytes') && linear('writeBytes') && linear('savedBytes')))
        );
      },
    ),
  );
  t.pass();
});
