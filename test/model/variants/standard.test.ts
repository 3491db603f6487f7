import test from 'ava';
import type {AttentionInput} from '../../../src/model/types.js';
import {TEXTBOOK_ACCOUNTING} from '../../../src/model/types.js';
import {standardVariant} from '../../../src/model/variants/standard.js';
import {get, input, total} from '../../helpers/variants.js';

// Worked example of docs/variants/standard.md: b = 1, n = m = 1024, h = 12, d_h = d_v = 64, s = 2.
const decode = (m: number, over: Partial<AttentionInput> = {}) =>
  input({queries: 1, keys: m, queryOffset: m - 1, causal: true, ...over});
const defaults = standardVariant.params().parse({});

test('params: {} gives dropout 0; bad values are rejected', t => {
  t.deepEqual(defaults, {dropout: 0});
  t.false(standardVariant.params().safeParse({dropout: 1}).success);
  t.false(standardVariant.params().safeParse({window: 3}).success);
});

test('prefill worked example: every field of every pass', t => {
  const cs = standardVariant.cost(input(), defaults);
  t.deepEqual(
    cs.map(c => [c.name, c.kernel]),
    [
      ['scores', 'attention-materialized'],
      ['softmax', 'attention-materialized'],
      ['weighted-sum', 'attention-materialized'],
    ],
  );
  // T = b·h·n·m = 12·1024·1024 = 12,582,912 scores.
  const [scores, softmax, av] = cs;
  t.is(scores!.pairs, 12_582_912);
  t.is(scores!.macs, 805_306_368); // T·d_h = 12,582,912·64
  t.is(scores!.readBytes, 3_145_728); // Q + K: (12·1024 + 12·1024)·64·2
  t.is(scores!.writeBytes, 25_165_824); // T·s
  t.is(scores!.transientBytes, 25_165_824);
  t.is(softmax!.vectorFlops, 62_914_560); // 5·T
  t.is(softmax!.readBytes, 25_165_824);
  t.is(softmax!.writeBytes, 25_165_824);
  t.is(softmax!.transientBytes, 50_331_648); // scores and probabilities: 2·T·s
  t.is(av!.macs, 805_306_368); // T·d_v
  t.is(av!.readBytes, 25_165_824 + 1_572_864); // P + V (12·1024·64·2)
  t.is(av!.writeBytes, 1_572_864); // O
  t.is(total(cs, 'savedBytes'), 0); // inference keeps nothing
  t.is(total(cs, 'macs'), 1_610_612_736);
  t.is(total(cs, 'launches'), 3);
});

test('causal prefill still computes every pair, and adds the mask pass over the scores', t => {
  const causal = standardVariant.cost(input({causal: true}), defaults);
  const full = standardVariant.cost(input(), defaults);
  t.deepEqual(
    causal.map(c => c.name),
    ['scores', 'causal-mask', 'softmax', 'weighted-sum'],
  );
  // Every other pass is the non-causal one: eager masks, never skips.
  t.deepEqual([causal[0], causal[2], causal[3]], full);
  t.false(standardVariant.causalReducesWork);
  // masked_fill_ over T = 12,582,912 scores: reads T·s + a 1-byte mask per score, writes T·s.
  const mask = causal[1]!;
  t.is(mask.kernel, 'attention-materialized');
  t.is(mask.readBytes, 25_165_824 + 12_582_912);
  t.is(mask.writeBytes, 25_165_824);
  t.is(mask.macs, 0);
  // Decode (one query row) needs no mask: the single row sees the whole cache.
  const step = standardVariant.cost(
    input({causal: true, queries: 1, keys: 1024, queryOffset: 1023}),
    defaults,
  );
  t.false(step.some(c => c.name === 'causal-mask'));
});

test('training saves the probabilities; with dropout 5 bytes per score at s = 2 (Korthikanti)', t => {
  const plain = standardVariant.cost(input({training: true}), defaults);
  t.is(total(plain, 'savedBytes'), 25_165_824); // T·s
  const dropped = standardVariant.cost(input({training: true}), {dropout: 0.1});
  t.deepEqual(
    dropped.map(c => c.name),
    ['scores', 'softmax', 'dropout', 'weighted-sum'],
  );
  // T·(2 + 1 + 2) = 12,582,912·5 = 62,914,560.
  t.is(total(dropped, 'savedBytes'), 62_914_560);
  t.is(dropped[2]!.vectorFlops, 25_165_824); // 2 FLOPs per score
  // Dropout is off in inference.
  t.deepEqual(standardVariant.cost(input(), {dropout: 0.1}), standardVariant.cost(input(), defaults));
});

test('decode: one row sees the n cached keys', t => {
  const cs = standardVariant.cost(decode(1024), defaults);
  t.is(total(cs, 'pairs'), 12_288); // h·m = 12·1024
  t.is(total(cs, 'macs'), 1_572_864); // 12,288·(64 + 64)
  t.is(cs[0]!.readBytes, (12 * 1 + 12 * 1024) * 64 * 2); // Q row + K = 1,574,400
});

test('GQA: kvHeads changes K/V bytes and cache, never query-side work', t => {
  const mha = standardVariant.cost(input(), defaults);
  const gqa = standardVariant.cost(input({kvHeads: 4}), defaults);
  t.is(total(gqa, 'macs'), total(mha, 'macs'));
  t.is(total(gqa, 'pairs'), total(mha, 'pairs'));
  t.is(gqa[0]!.readBytes, 2_097_152); // (12·1024 + 4·1024)·64·2
  t.is(standardVariant.cacheBytes(input(), defaults), 3_145_728); // 1024·12·128·2
  t.is(standardVariant.cacheBytes(input({kvHeads: 4}), defaults), 1_048_576); // 1024·4·128·2
  t.is(standardVariant.cacheBytes(input({kvBytes: 1, valueDim: 128}), defaults), 1024 * 12 * 192);
});

test('batch scales every field linearly; textbook softmax ops are 3 per score', t => {
  const one = standardVariant.cost(input(), defaults);
  const four = standardVariant.cost(input({batch: 4}), defaults);
  for (const [i, c] of four.entries()) {
    t.is(c.macs, 4 * one[i]!.macs);
    t.is(c.readBytes, 4 * one[i]!.readBytes);
  }
  const textbook = standardVariant.cost(input({accounting: TEXTBOOK_ACCOUNTING}), defaults);
  t.is(textbook[1]!.vectorFlops, 37_748_736); // 3·T
  t.is(standardVariant.leadingOps(1024, 768, defaults), 1024 * 1024 * 768);
});

test('--dropout p puts the dropout pass in a forward-only run too: mask and dropped P transient, nothing saved', t => {
  const inference = standardVariant.cost(input({dropout: 0.1}), defaults);
  t.deepEqual(
    inference.map(c => c.name),
    ['scores', 'softmax', 'dropout', 'weighted-sum'],
  );
  const dropout = get(inference, 'dropout');
  // T = 12,582,912 scores: reads P (T·2), writes the dropped P (T·2) and the mask (T·1).
  t.is(dropout.readBytes, 25_165_824);
  t.is(dropout.writeBytes, 25_165_824 + 12_582_912);
  t.is(dropout.transientBytes, 2 * 25_165_824 + 12_582_912);
  t.is(dropout.savedBytes, 0);
  // The variant's own parameter stays a training-only switch (eval mode in inference).
  t.false(standardVariant.cost(input(), {dropout: 0.1}).some(c => c.name === 'dropout'));
  // In training the same pass keeps its mask and output for backward.
  t.is(
    get(standardVariant.cost(input({dropout: 0.1, training: true}), defaults), 'dropout').savedBytes,
    37_748_736,
  );
});
