import test from 'ava';
import {mlaBlock} from '../../../src/model/architectures/mla.js';
import {resolveVariant} from '../../../src/model/variants/index.js';
import type {MlaSpec} from '../../../src/schema/presets.js';
import {workload} from './fixtures.js';

const standard = resolveVariant('standard');
/** A tiny MLA: d 8, 2 heads, query latent 4, kv latent 3, nope 2 + rope 1 q/k channels, v 2. */
const tiny: MlaSpec = {qLoraRank: 4, kvLoraRank: 3, qkNopeHeadDim: 2, qkRopeHeadDim: 1, vHeadDim: 2};
const dims = {dModel: 8, heads: 2, mla: tiny, norm: 'rmsnorm' as const};
const macs = (block: ReturnType<typeof mlaBlock>) =>
  Object.fromEntries(block.components.map(c => [c.cost.name, c.cost.macs]));

test('tiny MLA parameters: q latent + norm + q up, kv latent (with rope key) + norm + kv up, output', t => {
  const block = mlaBlock(
    dims,
    {queries: 5, keys: 5, queryOffset: 0, causal: false},
    workload({seq: 5}),
    standard,
  );
  // 8·4 + 4 + 4·2·3 = 60; 8·(3 + 1) + 3 + 3·2·(2 + 2) = 59; 2·2·8 = 32.
  t.is(block.params, 60 + 59 + 32);
  const plainQ = mlaBlock(
    {...dims, mla: {...tiny, qLoraRank: null}, norm: 'layernorm', bias: true},
    {queries: 5, keys: 5, queryOffset: 0, causal: false},
    workload({seq: 5}),
    standard,
  );
  // Plain Q 8·2·3 = 48; kv 32 + 2·3 (LayerNorm) + 24 = 62; output 32; biases on kv_a (4) and o (8).
  t.is(plainQ.params, 48 + 62 + 32 + 4 + 8);
});

test('tiny MLA prefill (decompressed) MACs by hand; cache = latent + rope key per token', t => {
  const w = workload({seq: 5});
  const block = mlaBlock(dims, {queries: 5, keys: 5, queryOffset: 0, causal: false}, w, standard);
  t.deepEqual(macs(block), {
    'q-down-projection': 5 * 8 * 4,
    'q-up-projection': 5 * 4 * 6,
    'kv-down-projection': 5 * 8 * 4,
    'latent-norms': 0,
    'kv-up-projection': 5 * 3 * 8,
    // h·n·m·(nope + rope) and h·n·m·v.
    scores: 2 * 25 * 3,
    softmax: 0,
    'weighted-sum': 2 * 25 * 2,
    'output-projection': 5 * 4 * 8,
  });
  // b·m·(d_c + d_r)·s_kv.
  t.is(block.cacheBytes, 5 * 4 * 2);
});

test('tiny MLA decode (absorbed) MACs by hand: MQA over d_c + d_r, value = latent', t => {
  const w = workload({mode: 'decode', seq: 5});
  const block = mlaBlock(dims, {queries: 1, keys: 5, queryOffset: 4, causal: true}, w, standard);
  t.deepEqual(macs(block), {
    'q-down-projection': 8 * 4,
    'q-up-projection': 4 * 6,
    'kv-down-projection': 8 * 4,
    'latent-norms': 0,
    // W_UK absorbed into the query: h·nope → d_c per head.
    'q-absorb': 2 * 2 * 3,
    scores: 2 * 5 * (3 + 1),
    softmax: 0,
    'weighted-sum': 2 * 5 * 3,
    // W_UV after the core: d_c → v per head.
    'output-absorb': 3 * 4,
    'output-projection': 4 * 8,
  });
  t.is(block.cacheBytes, 5 * 4 * 2);
  // The absorbed products run per head: h·d_n in, h·d_c out (and back), with W_UK and W_UV read.
  const absorb = block.components.find(c => c.cost.name === 'q-absorb')!.cost;
  t.is(absorb.readBytes, 2 * 2 * 2 + 2 * 2 * 3 * 2);
  t.is(absorb.writeBytes, 2 * 3 * 2);
  const back = block.components.find(c => c.cost.name === 'output-absorb')!.cost;
  t.is(back.readBytes, 2 * 3 * 2 + 2 * 3 * 2 * 2);
  t.is(back.writeBytes, 2 * 2 * 2);
  // The same weights in both forms.
  const prefill = mlaBlock(dims, {queries: 5, keys: 5, queryOffset: 0, causal: false}, workload(), standard);
  t.is(block.params, prefill.params);
  // A sliding window keeps min(m, w) latents; training keeps none.
  const window = resolveVariant('window:w=2');
  t.is(mlaBlock(dims, {queries: 1, keys: 5, queryOffset: 4, causal: true}, w, window).cacheBytes, 2 * 4 * 2);
  t.is(
    mlaBlock(dims, {queries: 5, keys: 5, queryOffset: 0, causal: true}, workload({mode: 'train'}), standard)
      .cacheBytes,
    0,
  );
});

test('worked example of docs/mla.md: one DeepSeek-V3 layer, prefill 4,096 and decode at 4,096', t => {
  const v3 = {
    dModel: 7168,
    heads: 128,
    mla: {qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128},
    norm: 'rmsnorm' as const,
  };
  const flash = resolveVariant('flash');
  const sum = (block: ReturnType<typeof mlaBlock>, core: boolean) =>
    block.components.filter(c => c.core === core).reduce((acc, c) => acc + c.cost.macs, 0);
  const prefill = mlaBlock(
    v3,
    {queries: 4096, keys: 4096, queryOffset: 0, causal: true},
    workload({seq: 4096, causal: true}),
    flash,
  );
  t.is(prefill.params, 187_107_328);
  t.is(sum(prefill, false), 766_383_226_880);
  t.is(sum(prefill, true), 343_681_269_760);
  t.is(prefill.cacheBytes, 4_718_592);
  const decode = mlaBlock(
    v3,
    {queries: 1, keys: 4096, queryOffset: 4095, causal: true},
    workload({mode: 'decode', seq: 4096, causal: true}),
    flash,
  );
  t.is(sum(decode, false), 187_105_280);
  t.is(sum(decode, true), 570_425_344);
  t.is(decode.cacheBytes, 4_718_592);
});

test('a variant without a per-position KV cache is refused on MLA layers, naming the valid ones', t => {
  const error = t.throws(() =>
    mlaBlock(
      dims,
      {queries: 5, keys: 5, queryOffset: 0, causal: true},
      workload({seq: 5}),
      resolveVariant('linear'),
    ),
  );
  t.is(
    error.message,
    "variant 'linear' (kernel) cannot run on MLA layers: they cache one latent per position, and a kernel variant keeps a different state. Valid: standard, flash, window, longformer, bigbird, strided, swin",
  );
});
