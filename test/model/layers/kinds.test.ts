import test from 'ava';
import {evaluate} from '../../../src/model/engine.js';
import {gatedDeltaNetMixer, gatedDeltaNetParams} from '../../../src/model/layers/gated-deltanet.js';
import {mamba2Mixer, mamba2Params} from '../../../src/model/layers/mamba2.js';
import {type ModelPreset, modelPresetSchema} from '../../../src/schema/presets.js';
import {workload} from '../architectures/fixtures.js';

/** A Mamba-2 stack shaped like state-spaces/mamba2-130m: d 768, 24 mixer-only layers, N 128, P 64. */
const mamba2Stack: ModelPreset = modelPresetSchema().parse({
  id: 'mamba2-like',
  name: 'mamba2-like',
  architecture: 'transformer',
  dModel: 768,
  heads: 12,
  layers: 24,
  vocab: 50280,
  tiedEmbeddings: true,
  norm: 'rmsnorm',
  causal: true,
  pattern: [{kind: 'mamba2', mlp: 'none'}],
  mamba2: {state: 128, headDim: 64},
  sources: [{title: 'test'}],
});

/** Qwen3-Next-80B's Gated DeltaNet shape: d 2048, 16 key heads, 32 value heads, 128 channels each. */
const gdnModel: ModelPreset = modelPresetSchema().parse({
  id: 'gdn-like',
  name: 'gdn-like',
  architecture: 'transformer',
  dModel: 2048,
  heads: 16,
  kvHeads: 2,
  headDim: 256,
  layers: 4,
  dFf: 512,
  ffn: 'swiglu',
  norm: 'rmsnorm',
  causal: true,
  pattern: [
    {repeat: 3, kind: 'gated-deltanet'},
    {repeat: 1, name: 'global'},
  ],
  gatedDeltaNet: {heads: 16, keyHeadDim: 128, valueHeadDim: 128, valueHeads: 32},
  sources: [{title: 'test'}],
});

test('mamba2 parameters by hand: in_proj, conv with bias, per-head Δ bias / A / D, gated norm, out_proj', t => {
  // d_inner 1536, H 24, conv channels 1536 + 2·128 = 1792, in_proj width 2·1536 + 256 + 24 = 3352.
  t.is(mamba2Params(mamba2Stack), 768 * 3352 + 1792 * 5 + 3 * 24 + 1536 + 1536 * 768);
  t.is(mamba2Params(mamba2Stack), 3_764_552);
  // 24 layers (+ one RMSNorm each) + tied embedding + final RMSNorm.
  const e = evaluate(mamba2Stack, workload({seq: 512, causal: true}));
  t.is(e.params, 24 * (3_764_552 + 768) + 50280 * 768 + 768);
  t.is(e.params, 128_983_488);
});

test('mamba2 SSD scan MACs and the fixed decode state', t => {
  const prefill = mamba2Mixer(mamba2Stack, workload({seq: 512, causal: true}));
  const scan = prefill.components.find(c => c.cost.name === 'ssd-scan')!.cost;
  // n·(G·Q·N + H·Q·P + 2·H·N·P) = 512·(256·128 + 24·256·64 + 2·24·128·64).
  t.is(scan.macs, 512 * (32_768 + 393_216 + 393_216));
  // State H·P·N + conv window (d_inner + 2GN)·(K − 1), bf16, whatever the context.
  for (const seq of [1024, 131_072]) {
    const decode = mamba2Mixer(mamba2Stack, workload({seq, mode: 'decode', causal: true}));
    t.is(decode.cacheBytes, (24 * 64 * 128 + 1792 * 3) * 2);
  }
  const e = evaluate(mamba2Stack, workload({seq: 131_072, mode: 'decode', causal: true}));
  t.is(e.cacheBytes, 24 * 403_968);
});

test('gated deltanet parameters, chunked-rule MACs and state by hand (Qwen3-Next shape)', t => {
  // in_proj_qkvz + in_proj_ba: 2048·(2·2048 + 2·4096 + 2·32); conv 8192·4; Δ bias, A; norm d_v; out_proj.
  t.is(gatedDeltaNetParams(gdnModel), 2048 * 12_352 + 8192 * 4 + 64 + 128 + 4096 * 2048);
  t.is(gatedDeltaNetParams(gdnModel), 33_718_464);
  const prefill = gatedDeltaNetMixer(gdnModel, workload({seq: 64, causal: true}));
  const rule = prefill.components.find(c => c.cost.name === 'delta-rule')!.cost;
  // One chunk of 64: per value head 64·(3·64·128 + 2·64·128 + 3·128²) + 64·63·62/6; 32 heads.
  t.is(rule.macs, 32 * (64 * 90_112 + 41_664));
  const decode = gatedDeltaNetMixer(gdnModel, workload({seq: 131_072, mode: 'decode', causal: true}));
  t.is(decode.cacheBytes, (32 * 128 * 128 + 8192 * 3) * 2);
});

test('a 3 : 1 hybrid: the recurrent layers keep a fixed state, only the global layer grows with n', t => {
  const at = (seq: number) => evaluate(gdnModel, workload({seq, mode: 'decode', causal: true})).cacheBytes;
  const state = 3 * (32 * 128 * 128 + 8192 * 3) * 2;
  // The global layer: K and V of 2 kv heads × 256 channels × 2 bytes per token.
  t.is(at(1024), state + 1024 * 2 * 2 * 256 * 2);
  t.is(at(131_072), state + 131_072 * 2 * 2 * 256 * 2);
});

test('sinks: h parameters per attention layer and 2 vector FLOPs per row and head', t => {
  const base = {...gdnModel, pattern: undefined, gatedDeltaNet: undefined, layers: 2};
  const withSinks: ModelPreset = {...base, schedule: [{repeat: 2, sinks: true}]};
  const w = workload({seq: 128, causal: true});
  const plain = evaluate(base, w);
  const sinks = evaluate(withSinks, w);
  t.is(sinks.params - plain.params, 2 * 16);
  t.is(sinks.totals.vectorFlops - plain.totals.vectorFlops, 2 * 2 * 16 * 128);
  t.is(sinks.totals.launches, plain.totals.launches);
});

test("an mlp layer (Nemotron-H's '-') is one norm and the feed-forward, with no mixer and no cache", t => {
  // Nemotron-H's pattern in small: a Mamba-2 mixer layer, then a feed-forward layer.
  const m: ModelPreset = modelPresetSchema().parse({
    ...mamba2Stack,
    dFf: 3072,
    ffn: 'relu',
    layers: 4,
    pattern: [{kind: 'mamba2', mlp: 'none'}, {kind: 'mlp'}],
  });
  const e = evaluate(m, workload({seq: 1024, mode: 'decode', causal: true}));
  t.deepEqual(
    e.cost.groups.map(g => [g.label, g.repeat]),
    [
      ['mamba2', 2],
      ['mlp', 2],
    ],
  );
  // Plain (2-matrix) FFN 2·768·3072 plus one RMSNorm.
  t.is(e.cost.groups[1]!.params, 2 * 768 * 3072 + 768);
  t.is(e.cacheBytes, 2 * (24 * 64 * 128 + 1792 * 3) * 2);
});
