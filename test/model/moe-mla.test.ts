/**
 * Mixture of experts and MLA through the whole model, on an inline preset with DeepSeek-V3's
 * numbers (config.json of deepseek-ai/DeepSeek-V3; arXiv:2412.19437): 671B total (without the
 * multi-token-prediction module), 37B active, 70,272 B of KV cache per token in bf16.
 */
import test from 'ava';
import {evaluate} from '../../src/model/engine.js';
import {layerPlan, planSummary} from '../../src/model/plan.js';
import {idealRates, totalSeconds} from '../../src/model/roofline.js';
import {parseModelPreset} from '../../src/presets/load.js';
import {modelPresetSchema} from '../../src/schema/presets.js';
import {workload} from './architectures/fixtures.js';

const deepseekV3 = modelPresetSchema().parse({
  id: 'deepseek-v3-inline',
  name: 'DeepSeek-V3 (test)',
  architecture: 'transformer',
  dModel: 7168,
  heads: 128,
  layers: 61,
  dFf: 18432,
  ffn: 'swiglu',
  vocab: 129280,
  contextLength: 163840,
  causal: true,
  norm: 'rmsnorm',
  moe: {
    experts: 256,
    active: 8,
    shared: 1,
    expertDim: 2048,
    denseLayers: 3,
    router: 'sigmoid',
    routerBias: true,
  },
  mla: {qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128},
  sources: [{title: 'deepseek-ai/DeepSeek-V3 config.json'}],
});

test('DeepSeek-V3 parameters: 671B total, ~37B active, by hand', t => {
  const e = evaluate(deepseekV3, workload({seq: 16}));
  // Per layer: MLA 187,107,328 (q latent 7168·1536 + 1536 + 1536·128·192; kv 7168·576 + 512 +
  // 512·128·256; output 128·128·7168) and two RMSNorms 14,336. FFN: 3 dense 3·7168·18432; 58 MoE
  // layers of router 256·7168 + 256 bias, 256 routed + 1 shared experts of 3·7168·2048.
  const expert = 3 * 7168 * 2048;
  const total =
    61 * (187_107_328 + 14_336) +
    3 * 3 * 7168 * 18432 +
    58 * (256 * 7168 + 256 + 257 * expert) +
    2 * 129280 * 7168 +
    7168;
  t.is(e.params, total);
  t.is(e.params, 671_026_419_200);
  t.true(Math.abs(e.params / 671e9 - 1) < 0.01);
  // Active: less 248 unselected experts in each of the 58 MoE layers.
  t.is(e.activeParams, total - 58 * 248 * expert);
  t.is(e.activeParams, 37_552_297_472);
  // The published 37B excludes the input embedding (a lookup of one row per token): 36.6B → 37B.
  t.is(Math.round((e.activeParams - 129280 * 7168) / 1e9), 37);
});

test('DeepSeek-V3 KV cache: 61 layers × (512 + 64) × 2 = 70,272 bytes per token in bf16', t => {
  for (const mode of ['decode', 'prefill'] as const) {
    const e = evaluate(deepseekV3, workload({mode, seq: 1000, causal: true}), undefined, {scoped: false});
    t.is(e.cacheBytes, 70_272 * 1000, mode);
  }
  t.is(evaluate(deepseekV3, workload({mode: 'decode', seq: 1000, batch: 3})).cacheBytes, 3 * 70_272 * 1000);
});

test('MoE decode: batch 1 reads about the active weights, batch 256 about all of them', t => {
  const h100 = idealRates({
    matrixFlopsPerSec: 989e12,
    vectorFlopsPerSec: 67e12,
    bandwidthBytesPerSec: 3.35e12,
  });
  const step = (batch: number) => {
    const w = workload({mode: 'decode', seq: 1024, batch, causal: true});
    const e = evaluate(deepseekV3, w);
    return {e, seconds: totalSeconds(e.components, h100, h100, 2).seconds};
  };
  const one = step(1);
  const active = one.e.activeParams * 2;
  const all = one.e.params * 2;
  // Batch 1: the active weights less the embedding table (one row is looked up), plus a small cache.
  t.true(
    one.e.totals.readBytes > 0.95 * active && one.e.totals.readBytes < 1.02 * active,
    `${one.e.totals.readBytes}`,
  );
  t.true(one.seconds < 1.05 * (active / 3.35e12), `${one.seconds}`);
  t.true(one.seconds > 0.9 * (active / 3.35e12));
  // Batch 256: 1 − (1 − 8/256)^256 = 99.97% of the experts are touched.
  const many = step(256);
  const weightsRead = many.e.totals.readBytes - many.e.cacheBytes;
  t.true(weightsRead > 0.97 * all && weightsRead < 1.05 * all, `${weightsRead / all}`);
  t.true(many.seconds > 0.97 * (all / 3.35e12));
  // Every token does the work of the active experts, whatever the batch.
  t.true(Math.abs(many.e.totals.macs / (256 * one.e.totals.macs) - 1) < 0.2);
});

test('a MoE layer count splits at denseLayers; flops use the active experts', t => {
  const e = evaluate(deepseekV3, workload({seq: 16}));
  t.deepEqual(
    e.cost.groups.map(g => [g.label, g.repeat]),
    [
      ['standard', 3],
      ['standard · moe', 58],
    ],
  );
  // Routed experts: 16 tokens × 8 experts × 3·7168·2048 MACs per MoE layer.
  const experts = e.components.filter(c => c.name === 'experts');
  t.is(experts.length, 1);
  t.is(experts[0]!.macs, 58 * 16 * 8 * 3 * 7168 * 2048);
});

test('Mixtral-8x7B (no shared experts, softmax router): 46.7B total, 12.9B active', t => {
  const mixtral = modelPresetSchema().parse({
    id: 'mixtral-inline',
    name: 'Mixtral-8x7B (test)',
    architecture: 'transformer',
    dModel: 4096,
    heads: 32,
    kvHeads: 8,
    layers: 32,
    dFf: 14336,
    ffn: 'swiglu',
    vocab: 32000,
    causal: true,
    norm: 'rmsnorm',
    moe: {experts: 8, active: 2, expertDim: 14336},
    sources: [{title: 'mistralai/Mixtral-8x7B-v0.1 config.json'}],
  });
  const e = evaluate(mixtral, workload({seq: 16}));
  // Per layer: attention 2·4096² + 2·4096·1024, router 8·4096, 8 experts of 3·4096·14336, 2 norms.
  const expert = 3 * 4096 * 14336;
  t.is(
    e.params,
    32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 8 * 4096 + 8 * expert + 2 * 4096) + 2 * 32000 * 4096 + 4096,
  );
  t.is(e.params, 46_702_792_704);
  t.is(e.activeParams, e.params - 32 * 6 * expert);
  t.is(Math.round(e.activeParams / 1e8) / 10, 12.9);
  t.deepEqual(
    e.cost.groups.map(g => [g.label, g.repeat]),
    [['standard · moe', 32]],
  );
});

test('layer plans: MoE by default, the first denseLayers split off across entries, mlp dense/none kept', t => {
  const base = {
    id: 'plan-moe',
    name: 'plan-moe',
    architecture: 'transformer',
    dModel: 64,
    heads: 4,
    layers: 8,
    dFf: 128,
    ffn: 'swiglu',
    causal: true,
    moe: {experts: 4, active: 1, expertDim: 16, denseLayers: 3},
    sources: [{title: 't'}],
  };
  // Pattern 1 local : 1 global over 8 layers; the first 3 layers (local, global, local) are dense.
  const pattern = modelPresetSchema().parse({
    ...base,
    pattern: [
      {name: 'local', variant: 'window:w=16'},
      {name: 'global', variant: 'standard'},
    ],
  });
  t.deepEqual(
    layerPlan(pattern).map(g => `${g.repeat} ${g.name} ${g.mlp}`),
    [
      '1 local dense',
      '1 global dense',
      '1 local dense',
      '1 global moe',
      '1 local moe',
      '1 global moe',
      '1 local moe',
      '1 global moe',
    ],
  );
  t.is(
    planSummary(pattern),
    '8 = 2× local window w=16 + 1× global standard + 3× global standard · moe + 2× local window w=16 · moe (pattern 1:1)',
  );
  // A schedule: 2 layers say mlp 'none' (counted among the first three), then MoE.
  const schedule = modelPresetSchema().parse({
    ...base,
    schedule: [{repeat: 2, mlp: 'none'}, {repeat: 4}, {repeat: 2, mlp: 'dense'}],
  });
  t.deepEqual(
    layerPlan(schedule).map(g => `${g.repeat} ${g.mlp}`),
    ['2 none', '1 dense', '3 moe', '2 dense'],
  );
  // Expert weights: 3 MoE layers × (router 4·64 + 4 experts × 3·64·16); a token skips 3 experts.
  const e = evaluate(schedule, workload({seq: 8}));
  t.is(e.params - e.activeParams, 3 * 3 * 3 * 64 * 16);
});

test("mlp 'moe' without a moe block is a problem of the file", t => {
  const error = t.throws(() =>
    parseModelPreset(
      JSON.stringify({
        id: 'x',
        name: 'x',
        architecture: 'transformer',
        dModel: 64,
        heads: 4,
        layers: 2,
        causal: true,
        schedule: [{repeat: 2, mlp: 'moe'}],
        sources: [{title: 't'}],
      }),
      'x.json',
    ),
  );
  t.is(
    error.message,
    "x.json: schedule[0].mlp: mlp 'moe' needs the model's moe block (experts, active, expertDim)",
  );
});
