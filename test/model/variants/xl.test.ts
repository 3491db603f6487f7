import test from 'ava';
import type {AttentionInput} from '../../../src/model/types.js';
import {xlPairs, xlVariant} from '../../../src/model/variants/xl.js';
import {input as baseInput, total} from '../../helpers/variants.js';

// Worked example of docs/variants/xl.md: b = 1, n = 512, h = 8, d_h = 64, d = 512, s = 2.
const input = (over: Partial<AttentionInput> = {}) =>
  baseInput({queries: 512, keys: 512, heads: 8, kvHeads: 8, dModel: 512, causal: true, ...over});
const defaults = xlVariant.params().parse({});

test('params: {} leaves mem and segment to the input; relative positions on', t => {
  t.deepEqual(defaults, {relative: true, dropout: 0});
});

test('prefill worked example: one segment of 512 with 512 memory positions', t => {
  t.is(xlPairs(input(), defaults), 524_288); // 512·(512 + 512)
  const cs = xlVariant.cost(input(), defaults);
  t.deepEqual(
    cs.map(c => c.name),
    ['memory-kv', 'position-projection', 'scores', 'position-scores', 'rel-shift', 'softmax', 'weighted-sum'],
  );
  const by = Object.fromEntries(cs.map(c => [c.name, c]));
  // T = 8·524,288 = 4,194,304 scores; each of the three score-sized products is T·64 = 268,435,456.
  t.is(by['scores']!.macs, 268_435_456);
  t.is(by['position-scores']!.macs, 268_435_456);
  t.is(by['weighted-sum']!.macs, 268_435_456);
  // Memory K, V: 512 rows · 512 · 8·128 = 268,435,456; W_R·R: 1024 distances · 512 · 8·64 = 268,435,456.
  t.is(by['memory-kv']!.macs, 268_435_456);
  t.is(by['position-projection']!.macs, 268_435_456);
  t.is(total(cs, 'macs'), 1_342_177_280);
  t.is(total(cs, 'pairs'), 4_194_304);
  t.is(by['rel-shift']!.vectorFlops, 4_194_304);
  t.is(by['softmax']!.vectorFlops, 20_971_520);
  // Scores read Q and the 1024 keys: (8·512 + 8·1024)·64·2 = 1,572,864.
  t.is(by['scores']!.readBytes, 1_572_864);
});

test('segments and memory: full segments plus a remainder', t => {
  // 4 segments of 128 with 128 memory: 4·128·256 = 131,072.
  t.is(xlPairs(input(), {...defaults, segment: 128, mem: 128}), 131_072);
  // n = 300, seg 128, mem 64: 2·128·192 + 44·108 = 49,152 + 4,752 = 53,904.
  t.is(xlPairs(input({queries: 300, keys: 300}), {...defaults, segment: 128, mem: 64}), 53_904);
  // Causal masking does not reduce the materialised work.
  t.is(xlPairs(input({causal: false}), defaults), xlPairs(input(), defaults));
});

test('absolute positions: no position terms', t => {
  const cs = xlVariant.cost(input(), {...defaults, relative: false});
  t.deepEqual(
    cs.map(c => c.name),
    ['memory-kv', 'scores', 'softmax', 'weighted-sum'],
  );
  t.is(total(cs, 'macs'), 3 * 268_435_456);
});

test('decode: a one-token segment over the whole previous context; cache of hidden states', t => {
  const decode = input({queries: 1, keys: 1024, queryOffset: 1023});
  t.is(xlPairs(decode, defaults), 1024); // mem 1023 + itself = standard's m
  t.is(xlVariant.cacheBytes(decode, defaults), 1023 * 512 * 2); // mem·d·s_kv
  t.is(xlVariant.cacheBytes(input(), {...defaults, mem: 1600}), 1600 * 512 * 2);
  t.is(xlVariant.leadingOps(512, 512, defaults), 512 * 1024 * 512);
});

test('training keeps probabilities, memory K/V and the projected positions', t => {
  const cs = xlVariant.cost(input({training: true}), defaults);
  const by = Object.fromEntries(cs.map(c => [c.name, c]));
  t.is(by['softmax']!.savedBytes, 8_388_608); // T·s
  t.is(by['memory-kv']!.savedBytes, 512 * 8 * 128 * 2);
  t.is(by['position-projection']!.savedBytes, 1024 * 8 * 64 * 2);
});
