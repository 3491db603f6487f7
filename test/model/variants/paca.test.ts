import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import type {PacaParams} from '../../../src/model/variants/paca.js';
import {pacaParams, pacaVariant} from '../../../src/model/variants/paca.js';
import {get, input, noneShrinks, total} from '../../helpers/variants.js';

// The worked example of docs/variants/paca.md: b = 1, n = m = 1024, h = h_kv = 12,
// d_h = d_v = 64, d = 768, s = 2 bytes, c = 64 clusters, linear assignment.

const defaults = pacaParams().parse({});
const cost = (over: Partial<AttentionInput> = {}, params: Partial<PacaParams> = {}) =>
  pacaVariant.cost(input(over), {...defaults, ...params});
// PaCa-ViT-tiny stage 1: 56 × 56 tokens, C = 96, 2 heads of 48, 100 clusters, conv clustering.
const tiny1 = {queries: 3136, keys: 3136, heads: 2, kvHeads: 2, headDim: 48, valueDim: 48, dModel: 96};

test('params: {} gives c = 64, linear clustering, K = 7, assign; bad values are rejected', t => {
  t.deepEqual(defaults, {clusters: 64, clustering: 'linear', kernel: 7, assign: true});
  t.false(pacaParams().safeParse({clustering: 'kmeans'}).success);
  t.is(pacaParams().parse({clustering: 'mlp'}).clustering, 'mlp');
  t.false(pacaParams().safeParse({cluster: 64}).success);
  t.false(pacaParams().safeParse({clusters: 0}).success);
});

test('worked example: prefill with the linear assignment, exact', t => {
  const list = cost();
  t.deepEqual(
    list.map(c => [c.name, c.kernel]),
    [
      ['cluster-assign', 'gemm'],
      ['cluster-softmax', 'elementwise'],
      ['cluster-tokens', 'gemm'],
      ['scores', 'attention-materialized'],
      ['softmax', 'attention-materialized'],
      ['weighted-sum', 'attention-materialized'],
    ],
  );
  const assign = get(list, 'cluster-assign');
  t.is(assign.macs, 50_331_648); // n·d·c = 1024·768·64
  t.is(assign.readBytes, 1_671_168); // X 1024·768·2 + W 768·64·2
  t.is(assign.writeBytes, 131_072); // logits 1024·64·2
  t.is(get(list, 'cluster-softmax').vectorFlops, 327_680); // 5 · 65,536
  const tokens = get(list, 'cluster-tokens');
  t.is(tokens.macs, 50_331_648); // c·n·d
  t.is(tokens.vectorFlops, 245_760); // LayerNorm 5 · 64·768
  t.is(tokens.readBytes, 1_802_240); // A 131,072 + X 1,572,864 + Z 98,304
  t.is(tokens.writeBytes, 196_608); // Z and norm(Z)
  const scores = get(list, 'scores');
  t.is(scores.pairs, 786_432); // 12 · 1024 · 64
  t.is(scores.macs, 50_331_648);
  t.is(scores.readBytes, 1_671_168); // Q 1,572,864 + cluster K 12·64·64·2
  t.is(get(list, 'weighted-sum').macs, 50_331_648);
  // docs/design.md §4.1: n·d·c + n·c·d + 2·h·n·c·d_h = 4 · 50,331,648
  t.is(total(list, 'macs'), 201_326_592);
});

test('stage-wise reuse: a later block forms Z from the stage’s assignment', t => {
  const list = cost({}, {assign: false});
  t.deepEqual(
    list.map(c => c.name),
    ['cluster-tokens', 'scores', 'softmax', 'weighted-sum'],
  );
  t.is(total(list, 'macs'), 150_994_944);
});

test('PaCa-ViT-tiny stage 1 with the conv clustering module, exact', t => {
  const list = cost(tiny1, {clusters: 100, clustering: 'conv'});
  const dw = get(list, 'cluster-dwconv');
  t.is(dw.macs, 14_751_744); // 3136·96·49
  t.is(dw.vectorFlops, 2_709_504); // bias + GELU: 9 · 3136·96
  // conv and GELU each read and write 3136·96·2 = 602,112 B; weights and bias 96·50·2 = 9,600 B
  t.is(dw.readBytes, 1_213_824);
  t.is(dw.writeBytes, 1_204_224);
  const assign = get(list, 'cluster-assign');
  t.is(assign.macs, 59_006_976); // 3136·96·(96 + 100)
  // 1×1 conv, GELU, 1×1 conv read 3·602,112 + weights (96² + 96 + 9,600)·2 = 37,824
  t.is(assign.readBytes, 1_844_160);
  t.is(assign.writeBytes, 1_831_424); // two hidden 1,204,224 + logits 3136·100·2 = 627,200
  t.is(get(list, 'cluster-tokens').macs, 30_105_600); // 100·3136·96
  t.is(get(list, 'scores').macs, 30_105_600); // 2·3136·100·48
  t.is(total(list, 'macs'), 164_075_520);
});

test('mlp clustering (P2CMlp): Linear d→4d, GELU, Linear 4d→c', t => {
  const assign = get(cost({}, {clustering: 'mlp'}), 'cluster-assign');
  // 1024·3072·(768 + 64): d→4d then 4d→c
  t.is(assign.macs, 2_617_245_696);
  // 1024 · (3072·9 + 64): bias + GELU on the hidden layer, bias on the logits
  t.is(assign.vectorFlops, 28_377_088);
  // X 1,572,864 + hidden twice 2·6,291,456 + weights (3072·(768 + 1 + 64) + 64)·2 = 5,118,080
  t.is(assign.readBytes, 19_273_856);
  t.is(assign.writeBytes, 12_713_984); // hidden twice + logits 131,072
  t.is(get(cost({training: true}, {clustering: 'mlp'}), 'cluster-assign').savedBytes, 12_582_912);
});

test('training keeps the assignment, Z, norm(Z) and the probabilities', t => {
  const list = cost({training: true});
  t.is(get(list, 'cluster-softmax').savedBytes, 131_072);
  t.is(get(list, 'cluster-tokens').savedBytes, 196_608);
  t.is(get(list, 'softmax').savedBytes, 1_572_864);
  t.is(total(list, 'savedBytes'), 1_900_544);
  // the conv module also keeps its four pre/post-GELU activations: 4 · 602,112
  const conv = cost({...tiny1, training: true}, {clusters: 100, clustering: 'conv'});
  t.is(get(conv, 'cluster-dwconv').savedBytes + get(conv, 'cluster-assign').savedBytes, 2_408_448);
});

test('causal is not defined (each cluster mixes all tokens): costed bidirectionally', t => {
  t.false(pacaVariant.causalReducesWork);
  t.deepEqual(cost({causal: true}), cost());
});

test('decode: the new token’s logits and an update of the running cluster sums', t => {
  const list = cost({queries: 1, keys: 1024, queryOffset: 1023, causal: true});
  t.is(get(list, 'cluster-assign').macs, 49_152); // 768·64
  const tokens = get(list, 'cluster-tokens');
  t.is(tokens.macs, 49_152);
  // logits 128 + x 1,536 + running sums 64·770·2 = 98,560 + Z 98,304
  t.is(tokens.readBytes, 198_528);
  t.is(get(list, 'scores').pairs, 768); // 12 · 64
  t.is(pacaVariant.cacheBytes(input({keys: 1024}), defaults), 98_560);
  t.is(pacaVariant.cacheBytes(input({keys: 100_000}), defaults), 98_560);
});

test('GQA: cluster K/V traffic per K/V head; MACs unchanged', t => {
  const gqa = cost({kvHeads: 4});
  t.is(total(gqa, 'macs'), 201_326_592);
  t.is(get(gqa, 'scores').readBytes, 1_605_632); // Q 1,572,864 + K 4·64·64·2
});

test('leadingOps: n·c·d', t => {
  t.is(pacaVariant.leadingOps(3136, 96, {...defaults, clusters: 100}), 3136 * 100 * 96);
});

test('property: every field is monotone non-decreasing in n (prefill) and in m (decode)', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 20_000}),
      fc.integer({min: 1, max: 400}),
      fc.constantFrom<'linear' | 'conv' | 'mlp'>('linear', 'conv', 'mlp'),
      fc.boolean(),
      fc.boolean(),
      (n, clusters, clustering, assign, training) => {
        const p = {clusters, clustering, assign};
        const a = cost({queries: n, keys: n, training}, p);
        const b = cost({queries: n + 1, keys: n + 1, training}, p);
        const da = cost({queries: 1, keys: n + 1, queryOffset: n, causal: true}, p);
        const db = cost({queries: 1, keys: n + 2, queryOffset: n + 1, causal: true}, p);
        return noneShrinks(a, b) && noneShrinks(da, db);
      },
    ),
  );
  t.pass();
});
