import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import type {SwinParams} from '../../../src/model/variants/swin.js';
import {paddedTokens, swinParams, swinVariant} from '../../../src/model/variants/swin.js';
import {get, input, noneShrinks, total} from '../../helpers/variants.js';

// The worked example of docs/variants/swin.md: b = 1, n = m = 1024, h = h_kv = 12,
// d_h = d_v = 64, d = 768, s = 2 bytes, M = 7 (a 32 × 32 grid padded to 35 × 35).

const defaults = swinParams().parse({});
const cost = (over: Partial<AttentionInput> = {}, params: Partial<SwinParams> = {}) =>
  swinVariant.cost(input(over), {...defaults, ...params});
// Swin-T stage 1: 56 × 56 tokens, C = 96, 3 heads of 32.
const swinT1 = {queries: 3136, keys: 3136, heads: 3, kvHeads: 3, headDim: 32, valueDim: 32, dModel: 96};

test('params: {} gives M = 7, no shift, width from n; unknown keys are rejected', t => {
  t.deepEqual(defaults, {window: 7, shift: false});
  t.false(swinParams().safeParse({M: 7}).success);
  t.false(swinParams().safeParse({window: 0}).success);
  t.deepEqual(swinParams().parse({width: 64}), {window: 7, shift: false, width: 64});
});

test('grid padding: ⌈√n⌉ wide, padded to whole windows', t => {
  t.is(paddedTokens(3136, 7), 3136); // 56 × 56, 8 × 8 windows
  t.is(paddedTokens(1024, 7), 1225); // 32 × 32 → 35 × 35
  t.is(paddedTokens(1000, 7), 1225); // 32 wide, 32 high (last row partial) → 35 × 35
  t.is(paddedTokens(1024, 7, 64), 1470); // 64 × 16 → 70 × 21
  t.is(paddedTokens(49, 7), 49);
  t.is(paddedTokens(50, 7), 98); // 8 wide, 7 high → 14 × 7
});

test('worked example: prefill components, exact', t => {
  const list = cost();
  t.deepEqual(
    list.map(c => [c.name, c.kernel]),
    [
      ['partition', 'elementwise'],
      ['scores', 'attention-materialized'],
      ['position-bias', 'elementwise'],
      ['softmax', 'attention-materialized'],
      ['weighted-sum', 'attention-materialized'],
    ],
  );
  const part = get(list, 'partition');
  // two copies (partition, reverse) of 1225·768·2 = 1,881,600 B
  t.is(part.readBytes, 3_763_200);
  t.is(part.writeBytes, 3_763_200);
  t.is(part.launches, 2);
  const scores = get(list, 'scores');
  // 1225 slots · 49 keys = 60,025 pairs per head; ×12 = 720,300
  t.is(scores.pairs, 720_300);
  t.is(scores.macs, 46_099_200); // ×64
  t.is(scores.readBytes, 3_763_200); // Q and K of 1225 slots: 2 · 12·1225·64·2
  t.is(scores.writeBytes, 1_440_600);
  const bias = get(list, 'position-bias');
  t.is(bias.vectorFlops, 720_300);
  // scores in and out, plus the gathered bias 12·49·49·2 = 57,624 B
  t.is(bias.readBytes, 1_498_224);
  t.is(bias.writeBytes, 1_498_224);
  t.is(bias.launches, 2);
  t.is(get(list, 'softmax').vectorFlops, 3_601_500);
  const ws = get(list, 'weighted-sum');
  t.is(ws.macs, 46_099_200);
  t.is(ws.readBytes, 1_440_600 + 1_881_600);
  t.is(ws.writeBytes, 1_881_600);
});

test('Swin-T stage 1 reproduces the paper’s Eq. 2 core term 2·M²·hw·C', t => {
  const list = cost(swinT1);
  // 2 · 49 · 3136 · 96 = 29,503,488 MACs (scores + weighted sum)
  t.is(total(list, 'macs'), 29_503_488);
  t.is(get(list, 'scores').pairs, 3 * 3136 * 49);
});

test('shifted windows: same pairs, two more copies and the mask add', t => {
  const plain = cost(swinT1);
  const shifted = cost(swinT1, {shift: true});
  t.is(get(shifted, 'scores').pairs, get(plain, 'scores').pairs);
  t.is(total(shifted, 'macs'), total(plain, 'macs'));
  // four copies of 3136·96·2 = 602,112 B
  t.is(get(shifted, 'partition').readBytes, 2_408_448);
  const bias = get(shifted, 'position-bias');
  // two adds over 3·153,664 = 460,992 scores
  t.is(bias.vectorFlops, 921_984);
  // 2 · 921,984 + bias 3·2401·2 = 14,406 + mask 64 windows · 2401 · 2 = 307,328
  t.is(bias.readBytes, 2_165_702);
  t.is(bias.writeBytes, 1_858_374);
  t.is(bias.launches, 3);
});

test('causal is not defined on 2-D windows: costed bidirectionally', t => {
  t.false(swinVariant.causalReducesWork);
  t.deepEqual(cost({causal: true}), cost());
});

test('training keeps the probabilities', t => {
  t.is(total(cost({training: true}), 'savedBytes'), 1_440_600);
});

test('decode: one window of min(M², m) keys; the cache holds a band of M grid rows', t => {
  const list = cost({queries: 1, keys: 1024, queryOffset: 1023, causal: true});
  t.deepEqual(
    list.map(c => c.name),
    ['scores', 'position-bias', 'softmax', 'weighted-sum'],
  );
  t.is(get(list, 'scores').pairs, 588); // 12 · 49
  t.is(get(list, 'scores').macs, 37_632);
  t.is(get(cost({queries: 1, keys: 20, queryOffset: 19, causal: true}), 'scores').pairs, 240); // 12 · 20
  // band: 7 rows of ⌈√1024⌉ = 32 tokens → 224 positions · 12 · 128 · 2 B
  t.is(swinVariant.cacheBytes(input({keys: 1024}), defaults), 688_128);
  // ⌈√30⌉ = 6, band 42 > 30: all 30 positions
  t.is(swinVariant.cacheBytes(input({keys: 30}), defaults), 30 * 12 * 128 * 2);
});

test('GQA: K/V traffic per K/V head; MACs unchanged', t => {
  const gqa = cost({kvHeads: 4});
  t.is(get(gqa, 'scores').macs, 46_099_200);
  // Q 1,881,600 + K 4·1225·64·2 = 627,200
  t.is(get(gqa, 'scores').readBytes, 2_508_800);
});

test('leadingOps: n·M²·d', t => {
  t.is(swinVariant.leadingOps(3136, 96, defaults), 3136 * 49 * 96);
});

test('property: every field is monotone non-decreasing in n (prefill) and in m (decode)', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 20_000}),
      fc.integer({min: 1, max: 16}),
      fc.boolean(),
      fc.option(fc.integer({min: 1, max: 300}), {nil: undefined}),
      fc.boolean(),
      (n, window, shift, width, training) => {
        const p = width === undefined ? {window, shift} : {window, shift, width};
        const a = cost({queries: n, keys: n, training}, p);
        const b = cost({queries: n + 1, keys: n + 1, training}, p);
        const da = cost({queries: 1, keys: n + 1, queryOffset: n, causal: true}, p);
        const db = cost({queries: 1, keys: n + 2, queryOffset: n + 1, causal: true}, p);
        const ca = swinVariant.cacheBytes(input({keys: n}), {...defaults, ...p});
        const cb = swinVariant.cacheBytes(input({keys: n + 1}), {...defaults, ...p});
        return noneShrinks(a, b) && noneShrinks(da, db) && cb >= ca;
      },
    ),
  );
  t.pass();
});
