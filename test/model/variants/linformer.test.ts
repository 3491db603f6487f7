import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import {DETAILED_ACCOUNTING} from '../../../src/model/types.js';
import {linformerParams, linformerVariant} from '../../../src/model/variants/linformer.js';
import {get, input, noneShrinks, total} from '../../helpers/variants.js';

// The worked example of docs/variants/linformer.md: b = 1, n = m = 1024, h = h_kv = 12,
// d_h = d_v = 64, d = 768, s = 2 bytes, k = 256.

const defaults = linformerParams().parse({});
const cost = (over: Partial<AttentionInput> = {}, k = 256) => linformerVariant.cost(input(over), {k});

test('params: {} gives k = 256; unknown and non-positive values are rejected', t => {
  t.deepEqual(defaults, {k: 256});
  t.false(linformerParams().safeParse({kk: 3}).success);
  t.false(linformerParams().safeParse({k: 0}).success);
  t.false(linformerParams().safeParse({k: 2.5}).success);
});

test('worked example: prefill components, exact', t => {
  const list = cost();
  t.deepEqual(
    list.map(c => [c.name, c.kernel]),
    [
      ['projection-k', 'gemm'],
      ['projection-v', 'gemm'],
      ['scores', 'attention-materialized'],
      ['softmax', 'attention-materialized'],
      ['weighted-sum', 'attention-materialized'],
    ],
  );
  const pk = get(list, 'projection-k');
  // E·K: 12 heads · k 256 · m 1024 · d_h 64 = 201,326,592 MACs
  t.is(pk.macs, 201_326_592);
  // K: 12·1024·64·2 = 1,572,864 B; E: 256·1024·2 = 524,288 B
  t.is(pk.readBytes, 2_097_152);
  // K̄: 12·256·64·2 = 393,216 B
  t.is(pk.writeBytes, 393_216);
  t.is(pk.transientBytes, 393_216);
  t.is(pk.savedBytes, 0);
  const pv = get(list, 'projection-v');
  t.is(pv.macs, 201_326_592);
  t.is(pv.transientBytes, 786_432); // K̄ + V̄
  const scores = get(list, 'scores');
  // 12 · 1024 · 256 pairs = 3,145,728; ·64 = 201,326,592 MACs
  t.is(scores.pairs, 3_145_728);
  t.is(scores.macs, 201_326_592);
  // Q 1,572,864 + K̄ 393,216
  t.is(scores.readBytes, 1_966_080);
  t.is(scores.writeBytes, 6_291_456); // 3,145,728 · 2
  t.is(scores.transientBytes, 6_291_456 + 786_432);
  const softmax = get(list, 'softmax');
  t.is(softmax.vectorFlops, 15_728_640); // 5 · 3,145,728
  t.is(softmax.transientBytes, 12_582_912 + 786_432);
  const ws = get(list, 'weighted-sum');
  t.is(ws.macs, 201_326_592);
  t.is(ws.readBytes, 6_291_456 + 393_216); // P + V̄
  t.is(ws.writeBytes, 1_572_864); // O: 12·1024·64·2
  // docs/design.md §4.1: 2·h·m·k·d_h + 2·h·n·k·d_h = 4 · 201,326,592 — half of standard's 2·12·1024²·64.
  t.is(total(list, 'macs'), 805_306_368);
  t.is(total(list, 'savedBytes'), 0);
});

test('causal prefill costs the bidirectional computation (nothing skipped, no mask possible)', t => {
  t.false(linformerVariant.causalReducesWork);
  t.deepEqual(cost({causal: true}), cost());
  t.deepEqual(cost({causal: true, accounting: {...DETAILED_ACCOUNTING, countMasked: true}}), cost());
});

test('training keeps K̄, V̄ and the probabilities', t => {
  const list = cost({training: true});
  t.is(get(list, 'projection-k').savedBytes, 393_216);
  t.is(get(list, 'projection-v').savedBytes, 393_216);
  t.is(get(list, 'softmax').savedBytes, 6_291_456);
  // 393,216 · 2 + 6,291,456
  t.is(total(list, 'savedBytes'), 7_077_888);
});

test('decode: one key folded into the cached K̄, V̄; the cache is constant in m', t => {
  const list = cost({queries: 1, keys: 1024, queryOffset: 1023, causal: true});
  const pk = get(list, 'projection-k');
  // one outer product per K/V head: 12 · 256 · 64
  t.is(pk.macs, 196_608);
  // new k 12·64·2 = 1,536 + E column 256·2 = 512 + cached K̄ 393,216
  t.is(pk.readBytes, 395_264);
  t.is(pk.writeBytes, 393_216);
  t.is(pk.transientBytes, 0);
  const scores = get(list, 'scores');
  t.is(scores.pairs, 3_072); // 12 heads · 256 rows
  t.is(scores.macs, 196_608);
  // K̄, V̄: 12 · 256 · (64 + 64) · 2 = 786,432 B (standard would keep 2·1024·12·64·2 = 3,145,728)
  t.is(
    linformerVariant.cacheBytes(input({queries: 1, keys: 1024, queryOffset: 1023, causal: true}), defaults),
    786_432,
  );
  t.is(linformerVariant.cacheBytes(input({keys: 1_000_000}), defaults), 786_432);
});

test('GQA: projections and K/V traffic scale with h_kv, query-side MACs do not', t => {
  const mha = cost();
  const gqa = cost({kvHeads: 4});
  // E·K per K/V head: 4 · 256 · 1024 · 64
  t.is(get(gqa, 'projection-k').macs, 67_108_864);
  t.is(get(gqa, 'scores').macs, get(mha, 'scores').macs);
  t.is(get(gqa, 'weighted-sum').macs, get(mha, 'weighted-sum').macs);
  // Q 1,572,864 + K̄ 4·256·64·2 = 131,072
  t.is(get(gqa, 'scores').readBytes, 1_703_936);
  t.is(linformerVariant.cacheBytes(input({kvHeads: 4}), defaults), 262_144);
});

test('leadingOps: n·k·d', t => {
  t.is(linformerVariant.leadingOps(4096, 768, defaults), 4096 * 256 * 768);
});

test('property: every field is monotone non-decreasing in n (prefill) and in m (decode)', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 20_000}),
      fc.integer({min: 1, max: 1024}),
      fc.boolean(),
      fc.boolean(),
      (n, k, causal, training) => {
        const a = cost({queries: n, keys: n, causal, training}, k);
        const b = cost({queries: n + 1, keys: n + 1, causal, training}, k);
        // Decode from a cache of ≥ 1 earlier key (m = 1 has no cache yet: it is a one-token prefill).
        const da = cost({queries: 1, keys: n + 1, queryOffset: n, causal: true}, k);
        const db = cost({queries: 1, keys: n + 2, queryOffset: n + 1, causal: true}, k);
        return noneShrinks(a, b) && noneShrinks(da, db);
      },
    ),
  );
  t.pass();
});

test('property: kvHeads = heads is the MHA cost; fewer K/V heads never add work', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 8}),
      fc.integer({min: 1, max: 4}),
      fc.integer({min: 1, max: 5000}),
      (g, r, n) => {
        const mha = cost({heads: g * r, kvHeads: g * r, queries: n, keys: n});
        const gqa = cost({heads: g * r, kvHeads: g, queries: n, keys: n});
        return (
          total(gqa, 'macs') <= total(mha, 'macs') &&
          get(gqa, 'scores').macs === get(mha, 'scores').macs &&
          total(gqa, 'readBytes') <= total(mha, 'readBytes')
        );
      },
    ),
  );
  t.pass();
});
