/**
 * Hugging Face config.json import (src/presets/hf-import.ts, docs/import.md): each fixture in
 * test/fixtures/hf-configs is a publisher's config (key fields); importing it gives the published
 * totals and KV bytes per token, and bad configs give the errors docs/import.md describes.
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {InvalidInputError} from '../../src/errors.js';
import {evaluate} from '../../src/model/engine.js';
import {HF_MODEL_TYPES, importHfConfig, isHfConfig} from '../../src/presets/hf-import.js';
import {checkModelObject, importModelFile, loadModelFile, modelWarnings} from '../../src/presets/load.js';
import type {ModelPreset} from '../../src/schema/presets.js';
import {costQ} from '../helpers/queries.js';
import {workload} from '../model/architectures/fixtures.js';

const config = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/hf-configs/${name}`, import.meta.url));
const bad = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/hf-bad/${name}`, import.meta.url));
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

const params = (model: ModelPreset) => evaluate(model, workload({mode: 'decode', seq: 1}), undefined).params;
/** KV cache of one sequence of n tokens, bf16 (decode keeps the cache of all layers). */
const kvBytes = (model: ModelPreset, n: number) =>
  evaluate(model, workload({mode: 'decode', seq: n}), undefined).cacheBytes;
const within = (actual: number, published: number, tolerance = 0.01) =>
  Math.abs(actual / published - 1) <= tolerance;

/** Dense configs: the count attncap makes and the publisher's, with the KV bytes per token in bf16. */
const DENSE: {file: string; params: number; published: string; kvPerToken: number}[] = [
  {file: 'llama-3.1-8b.json', params: 8.03e9, published: 'Llama 3.1 8B: 8.03B', kvPerToken: 131_072},
  {file: 'qwen3-8b.json', params: 8.2e9, published: 'Qwen3-8B model card: 8.2B', kvPerToken: 147_456},
  {file: 'gpt2.json', params: 124_439_808, published: 'GPT-2 checkpoint: 124,439,808', kvPerToken: 36_864},
  // The Hub's parameter counts (safetensors) of each checkpoint; the names say 7B, 3B and 8B.
  // OLMo 2: MHA, 32 layers × 2 × 32 × 128 × 2 B; SmolLM3: 36 × 2 × 4 × 128 × 2 B; Granite: 40 × 2 × 8 × 128 × 2 B.
  {file: 'olmo-2-1124-7b.json', params: 7.3e9, published: 'OLMo 2 7B: 7.3B', kvPerToken: 524_288},
  {file: 'smollm3-3b.json', params: 3.08e9, published: 'SmolLM3-3B: 3.08B', kvPerToken: 73_728},
  {file: 'granite-3.3-8b.json', params: 8.17e9, published: 'Granite 3.3 8B: 8.17B', kvPerToken: 163_840},
  // Google's Gemma report: 8.54B for Gemma 7B (embeddings counted once: tied). MHA, head_dim 256.
  {file: 'gemma-7b.json', params: 8.54e9, published: 'Gemma 7B: 8.54B', kvPerToken: 28 * 2 * 16 * 256 * 2},
  // The Hub's counts (safetensors); Phi-2 MHA of 80-channel heads, StarCoder2 GQA of 2 kv heads
  // (below its 4,096-token window every token is kept).
  {file: 'phi-2.json', params: 2.78e9, published: 'Phi-2: 2.78B', kvPerToken: 32 * 2 * 32 * 80 * 2},
  {
    file: 'starcoder2-3b.json',
    params: 3.03e9,
    published: 'StarCoder2-3B: 3.03B',
    kvPerToken: 30 * 2 * 2 * 128 * 2,
  },
  {file: 'pythia-6.9b.json', params: 6.857e9, published: 'Pythia 6.9B: 6,857,302,016', kvPerToken: 524_288},
];

for (const c of DENSE) {
  test(`${c.file}: ${c.published} within 1%, ${c.kvPerToken} B of KV cache per token`, t => {
    const model = loadModelFile(config(c.file));
    t.true(within(params(model), c.params), `${params(model)} vs ${c.params}`);
    t.is(kvBytes(model, 1000), 1000 * c.kvPerToken);
  });
}

/**
 * MoE configs: total and active against the publisher's figures. attncap's active count keeps
 * every parameter but the routed experts a token does not select (the input embedding included);
 * `inputEmbedding` marks the publishers (gpt-oss, DeepSeek) whose figure leaves the input embedding
 * out, and the comparison then does too (docs/import.md "Active parameters").
 */
const MOE: {
  file: string;
  total: number;
  /** Relative tolerance of the total: 1 %, or the published figure's rounding. */
  totalTolerance?: number;
  active: number;
  /** Relative tolerance of the active count: 1 %, or the published figure's rounding. */
  activeTolerance?: number;
  /** What the publisher's active figure leaves out. */
  excludes?: 'input embedding' | 'embeddings';
  /** KV bytes added per token between 128 and 1,128 tokens (windows of 128 full, chunks not yet). */
  kvPerToken: number;
}[] = [
  // DeepSeek-V3 README: 671B total without the 14B MTP module, 37B activated; KV: (512 + 64) × 2 B × 61.
  {
    file: 'deepseek-v3.json',
    total: 671e9,
    active: 37e9,
    activeTolerance: 0.0136,
    excludes: 'input embedding',
    kvPerToken: 70_272,
  },
  // Qwen3-30B-A3B model card: 30.5B total, 3.3B activated (attncap: 3.353B, inside "3.3B" truncated).
  {file: 'qwen3-30b-a3b.json', total: 30.5e9, active: 3.3e9, activeTolerance: 0.0161, kvPerToken: 98_304},
  {file: 'qwen3-235b-a22b.json', total: 235e9, active: 22e9, kvPerToken: 2 * 4 * 128 * 2 * 94},
  // Mixtral of Experts (arXiv:2401.04088) §2: 47B total (46.7B), 13B active (12.9B).
  {file: 'mixtral-8x7b.json', total: 46.7e9, active: 12.9e9, kvPerToken: 131_072},
  // gpt-oss model card Table 1: total / active parameters, the active figure without the embedding.
  // Beyond 128 tokens only the full layers grow: 12 (20b) or 18 (120b) × 2 × 8 × 64 × 2 B.
  {file: 'gpt-oss-20b.json', total: 20.9e9, active: 3.6e9, excludes: 'input embedding', kvPerToken: 24_576},
  {file: 'gpt-oss-120b.json', total: 116.8e9, active: 5.1e9, excludes: 'input embedding', kvPerToken: 36_864},
  // Qwen3-Next blog: 80B total, "3B" activated without the embeddings (attncap: 3.15B; 3.77B with
  // them). The cache grows in the 12 attention layers only: 12 × 2 × 2 × 256 × 2 B.
  {
    file: 'qwen3-next-80b-a3b.json',
    total: 80e9,
    active: 3e9,
    activeTolerance: 0.1, // "3B": the rounding allows 2.5–3.5B
    excludes: 'embeddings',
    kvPerToken: 24_576,
  },
  // GLM-4.5 model card (huggingface.co/zai-org/GLM-4.5-Air): 106B total, 12B active. attncap:
  // 106.85B without the MTP layer (the checkpoint's 47th layer, ~110B with it); the active figure
  // matches without the embeddings (12.18B; 13.42B with them), "12B" rounding 11.5–12.5B.
  // The cache: 46 layers × 2 × 8 kv heads × 128 × 2 B.
  {
    file: 'glm-4.5-air.json',
    total: 106e9,
    active: 12e9,
    activeTolerance: 0.042,
    excludes: 'embeddings',
    kvPerToken: 188_416,
  },
  // ERNIE 4.5 model card (huggingface.co/baidu/ERNIE-4.5-21B-A3B-PT): 21B total, 3B activated;
  // the Hub counts 21.8B (attncap 21.83B; "21B" in the name is rounded down). The 3B matches
  // without the (tied) embedding: 3.09B, 3.35B with it. The cache: 28 × 2 × 4 × 128 × 2 B.
  {
    file: 'ernie-4.5-21b-a3b.json',
    total: 21.8e9,
    active: 3e9,
    activeTolerance: 0.03,
    excludes: 'input embedding',
    kvPerToken: 57_344,
  },
  // Meta: 109B total with the vision encoder (attncap models the 107.8B text decoder), 17B active;
  // below a chunk every layer grows: 48 × 2 × 8 × 128 × 2 B.
  {
    file: 'llama-4-scout.json',
    total: 109e9,
    totalTolerance: 0.012,
    active: 17e9,
    activeTolerance: 0.03, // attncap 17.17B; "17B" rounds 16.5–17.5B
    kvPerToken: 196_608,
  },
];

for (const c of MOE) {
  test(`${c.file}: total and active parameters as published, KV bytes per token`, t => {
    const model = loadModelFile(config(c.file));
    const e = evaluate(model, workload({mode: 'decode', seq: 1}), undefined);
    t.true(within(e.params, c.total, c.totalTolerance ?? 0.01), `total ${e.params} vs ${c.total}`);
    const embedding = (model.vocab ?? 0) * model.dModel;
    const left =
      c.excludes === 'embeddings' ? 2 * embedding : c.excludes === 'input embedding' ? embedding : 0;
    const active = e.activeParams - left;
    t.true(within(active, c.active, c.activeTolerance ?? 0.01), `active ${active} vs ${c.active}`);
    t.is(kvBytes(model, 1128) - kvBytes(model, 128), 1000 * c.kvPerToken);
  });
}

test('DeepSeek-V3 caches exactly 70,272 B per token in bf16: the 512 latent and the 64 rope key, 61 layers', t => {
  const model = loadModelFile(config('deepseek-v3.json'));
  t.is(kvBytes(model, 100_000), 100_000 * (512 + 64) * 2 * 61);
  t.is((512 + 64) * 2 * 61, 70_272);
});

/** The preset's fields but those naming it (id, name, sources) and the published counts. */
function shape(model: ModelPreset): Partial<ModelPreset> {
  const {id: _i, name: _n, sources: _s, paramsPublished: _p, $schema: _d, weightFormat: _w, ...rest} = model;
  return rest;
}
const shipped = (id: string) =>
  loadModelFile(fileURLToPath(new URL(`../../../presets/models/${id}.json`, import.meta.url)));

for (const [file, id] of [
  ['gpt2.json', 'gpt2-small'],
  ['mistral-7b.json', 'mistral-7b'],
  ['bert-base-uncased.json', 'bert-base'],
] as const) {
  test(`${file}: the imported config is the hand-written ${id} preset, field for field`, t => {
    const {preset, warnings} = importModelFile(config(file));
    t.deepEqual(shape(preset), shape(shipped(id)));
    t.deepEqual(warnings, []);
  });
}

test('Phi-3 mini 4k: MHA, SwiGLU, the 2,047-token window on every layer, 3.82B', t => {
  const {preset} = importModelFile(config('phi-3-mini-4k.json'));
  t.like(preset, {
    heads: 32,
    kvHeads: 32,
    headDim: 96,
    variant: 'window:w=2047',
    ffn: 'swiglu',
    tiedEmbeddings: false,
  });
  // Phi-3 technical report (arXiv:2404.14219) §2: 3.8B parameters.
  t.true(within(params(preset), 3.82e9), `${params(preset)}`);
});

test('Gemma 3 27B: text_config read, 52 local layers of w = 1,024 and 10 global, 27.0B text parameters', t => {
  const {preset, warnings} = importModelFile(config('gemma-3-27b.json'));
  // Layers 5, 11, …: every sixth is global (configuration_gemma3.py sliding_window_pattern 6),
  // cycled over 62 layers: 10 whole cycles and 2 more local layers, 52 local + 10 global.
  t.deepEqual(preset.pattern, [
    {repeat: 5, name: 'local', variant: 'window:w=1024'},
    {repeat: 1, name: 'global'},
  ]);
  t.is(preset.schedule, undefined);
  t.like(preset, {
    dModel: 5376,
    heads: 32,
    kvHeads: 16,
    headDim: 128,
    layers: 62,
    ffn: 'geglu',
    tiedEmbeddings: true,
  });
  t.true(within(params(preset), 27.0e9), `${params(preset)}`);
  t.deepEqual(warnings, [
    `${config('gemma-3-27b.json')}: vision_config: the vision tower is not counted; attncap models the text decoder`,
  ]);
});

test('Gemma 3 27B at 128k tokens: KV = 52 layers × 1,024 tokens + 10 layers × every token', t => {
  const model = loadModelFile(config('gemma-3-27b.json'));
  const n = 131_072;
  const perLayerToken = 2 * 16 * 128 * 2; // K and V, 16 kv heads × 128, bf16
  t.is(kvBytes(model, n), (52 * 1024 + 10 * n) * perLayerToken);
  const allGlobal = {...model, pattern: undefined, variant: 'standard'};
  t.is(kvBytes(allGlobal, n), 62 * n * perLayerToken); // the README's 507,904 B per token
  t.is(62 * perLayerToken, 507_904);
});

test('Gemma 2 9B: alternate layers slide (layer 0 first), window 4,096; 9.24B; softcapping warned about', t => {
  const {preset, warnings} = importModelFile(config('gemma-2-9b.json'));
  t.deepEqual(preset.pattern, [
    {repeat: 1, name: 'local', variant: 'window:w=4096'},
    {repeat: 1, name: 'global'},
  ]);
  t.true(within(params(preset), 9.24e9), `${params(preset)}`);
  t.is(preset.weightFormat, 'fp32');
  t.deepEqual(warnings, [
    `${config('gemma-2-9b.json')}: attn_logit_softcapping: caps every attention score with a tanh; attncap does not count it`,
  ]);
});

test('gpt-oss-20b: layer_types give 12 windows of 128 and 12 full layers; biases; mxfp4 weights', t => {
  const {preset} = importModelFile(config('gpt-oss-20b.json'));
  t.deepEqual(preset.pattern, [
    {repeat: 1, name: 'local', variant: 'window:w=128', sinks: true},
    {repeat: 1, name: 'global', sinks: true},
  ]);
  t.like(preset, {headDim: 64, kvHeads: 8, linearBias: true, weightFormat: 'mxfp4'});
  t.like(preset.moe, {experts: 32, active: 4, expertDim: 2880, routerBias: true});
});

test('DeepSeek-V3: MLA and MoE blocks from the config; fp8 weights; the MTP module warned about', t => {
  const {preset, warnings} = importModelFile(config('deepseek-v3.json'));
  t.deepEqual(preset.mla, {
    qLoraRank: 1536,
    kvLoraRank: 512,
    qkNopeHeadDim: 128,
    qkRopeHeadDim: 64,
    vHeadDim: 128,
  });
  t.deepEqual(preset.moe, {
    experts: 256,
    active: 8,
    shared: 1,
    expertDim: 2048,
    denseLayers: 3,
    router: 'sigmoid',
    routerBias: true,
  });
  t.like(preset, {dModel: 7168, heads: 128, layers: 61, dFf: 18432, weightFormat: 'fp8', kvHeads: undefined});
  t.deepEqual(warnings, [
    `${config('deepseek-v3.json')}: num_nextn_predict_layers: the multi-token-prediction module (1 extra layer) is not counted, as in the published totals`,
  ]);
});

test('Qwen3-30B-A3B: 128 experts of 768, 8 per token, no shared experts, every layer MoE', t => {
  const {preset, warnings} = importModelFile(config('qwen3-30b-a3b.json'));
  t.deepEqual(preset.moe, {
    experts: 128,
    active: 8,
    expertDim: 768,
    shared: 0,
    denseLayers: 0,
    router: 'softmax',
    routerBias: false,
  });
  t.like(preset, {
    heads: 32,
    kvHeads: 4,
    headDim: 128,
    variant: 'standard',
    schedule: undefined,
    pattern: undefined,
  });
  t.deepEqual(warnings, []);
});

test('a config nested in text_config and one known by its architectures only are both read', t => {
  const gemma = json(config('gemma-3-27b.json'));
  t.true(isHfConfig(gemma));
  const {model_type: _type, ...llama} = json(config('llama-3.1-8b.json'));
  const {preset} = importHfConfig(llama, {label: 'llama/config.json'});
  t.is(preset.id, 'llama');
  t.is(preset.dModel, 4096);
  t.false(isHfConfig({id: 'gpt2-small', dModel: 768}));
});

test('the id: --id, else _name_or_path, else the folder of a config.json, else the file name', t => {
  const llama = json(config('llama-3.1-8b.json'));
  t.is(importHfConfig(llama, {label: 'x/config.json', id: 'mine'}).preset.id, 'mine');
  t.is(
    importHfConfig({...llama, _name_or_path: 'meta-llama/Llama-3.1-8B'}, {label: 'config.json'}).preset.id,
    'llama-3.1-8b',
  );
  t.is(importHfConfig(llama, {label: 'models/Llama-3.1-8B/config.json'}).preset.id, 'llama-3.1-8b');
  t.is(importHfConfig(llama, {label: 'My_Model.json'}).preset.id, 'my-model');
});

test('Qwen2: q/k/v biases, no output bias; the window from max_window_layers on, only with use_sliding_window', t => {
  const base = {
    model_type: 'qwen2',
    hidden_size: 896,
    intermediate_size: 4864,
    num_hidden_layers: 24,
    num_attention_heads: 14,
    num_key_value_heads: 2,
    max_position_embeddings: 32768,
    vocab_size: 151936,
    tie_word_embeddings: true,
    sliding_window: 4096,
    max_window_layers: 21,
  };
  const off = importHfConfig({...base, use_sliding_window: false}, {label: 'c.json'}).preset;
  t.is(off.variant, 'standard');
  t.is(off.attentionBias, 'qkv');
  const on = importHfConfig({...base, use_sliding_window: true}, {label: 'c.json'}).preset;
  t.deepEqual(on.schedule, [
    {repeat: 21, name: 'global'},
    {repeat: 3, name: 'local', variant: 'window:w=4096'},
  ]);
});

test('Qwen2 biases add h·d_h + 2·h_kv·d_h per layer, the output projection none', t => {
  const model = loadModelFile(config('llama-3.1-8b.json'));
  const withQkv = {...model, attentionBias: 'qkv' as const};
  const withAll = {...model, attentionBias: 'qkvo' as const};
  t.is(params(withQkv) - params(model), 32 * (32 * 128 + 2 * 8 * 128));
  t.is(params(withAll) - params(withQkv), 32 * 4096);
});

test('an unsupported model_type: exit-2 error naming it and listing the supported ones', t => {
  const error = t.throws(() => importModelFile(bad('unsupported-type.json')), {
    instanceOf: InvalidInputError,
  });
  t.is(
    error.message,
    `${bad('unsupported-type.json')}: model_type: "rwkv" is not a model type attncap imports; supported: ${HF_MODEL_TYPES.join(', ')}`,
  );
  t.is(error.exitCode, 2);
  t.true(HF_MODEL_TYPES.includes('deepseek_v3') && HF_MODEL_TYPES.includes('gemma3_text'));
});

test('a missing required field: exit-2 error naming it (every missing field at once)', t => {
  const error = t.throws(() => importModelFile(bad('missing-hidden-size.json')), {
    instanceOf: InvalidInputError,
  });
  t.is(
    error.message,
    `${bad('missing-hidden-size.json')}: hidden_size: missing required field of a llama config (the model width)`,
  );
  const both = t.throws(() => importHfConfig({model_type: 'gpt2', n_embd: 'wide'}, {label: 'c.json'}));
  t.is(
    both.message,
    [
      'c.json: n_embd: expected a positive integer, received a string',
      'c.json: n_head: missing required field of a gpt2 config (query heads)',
      'c.json: n_positions: missing required field of a gpt2 config (learned positions)',
      'c.json: n_layer: missing required field of a gpt2 config (the number of layers)',
      'c.json: vocab_size: missing required field of a gpt2 config (the vocabulary size)',
    ].join('\n'),
  );
});

test('a cost-relevant field attncap ignores is a warning naming it, carried with the model', t => {
  const model = loadModelFile(bad('ignored-field.json'));
  t.deepEqual(modelWarnings(model), [
    `${bad('ignored-field.json')}: mlp_bias: true puts biases on the FFN matrices only; attncap does not count them`,
  ]);
  t.deepEqual(modelWarnings(loadModelFile(config('llama-3.1-8b.json'))), []);
});

test('weightFormat: quant_method, else torch_dtype; an unknown method is warned about', t => {
  const llama = json(config('llama-3.1-8b.json'));
  const format = (extra: Record<string, unknown>) => importHfConfig({...llama, ...extra}, {label: 'c.json'});
  t.is(format({}).preset.weightFormat, 'bf16');
  t.is(format({quantization_config: {quant_method: 'awq', bits: 4}}).preset.weightFormat, 'int4');
  const unknown = format({quantization_config: {quant_method: 'hqq'}});
  t.is(unknown.preset.weightFormat, 'bf16');
  t.deepEqual(unknown.warnings, [
    'c.json: quantization_config.quant_method: is not a method attncap recognises (fp8, mxfp4, gptq, awq, bitsandbytes); weightFormat records torch_dtype instead',
  ]);
});

/** Each preset made from a publisher's config, and the config: the same answers (cost rows equal). */
const PRESET_CONFIGS: [string, string][] = [
  ['qwen3-next-80b-a3b', 'qwen3-next-80b-a3b.json'],
  ['llama-4-scout', 'llama-4-scout.json'],
  ['nemotron-h-8b', 'nemotron-h-8b.json'],
  ['deepseek-v3', 'deepseek-v3.json'],
  ['glm-4.5-air', 'glm-4.5-air.json'],
  ['qwen3-8b', 'qwen3-8b.json'],
  ['qwen3-30b-a3b', 'qwen3-30b-a3b.json'],
  ['qwen3-235b-a22b', 'qwen3-235b-a22b.json'],
  ['mixtral-8x7b', 'mixtral-8x7b.json'],
  ['gpt-oss-20b', 'gpt-oss-20b.json'],
  ['gpt-oss-120b', 'gpt-oss-120b.json'],
  ['gemma-3-27b', 'gemma-3-27b.json'],
  ['gemma-2-9b', 'gemma-2-9b.json'],
  ['llama-3.1-8b', 'llama-3.1-8b.json'],
  ['mamba-130m', 'mamba-130m.json'],
  ['mamba-1.4b', 'mamba-1.4b.json'],
  ['mamba-2.8b', 'mamba-2.8b.json'],
];

for (const [id, file] of PRESET_CONFIGS) {
  test(`the ${id} preset and ${file} give the same cost rows (prefill, decode, train)`, async t => {
    for (const mode of ['prefill', 'decode', 'train']) {
      const flags = {seq: '1000,40000', mode, batch: '3'};
      const preset = (await costQ({...flags, model: id}, {breakdown: true})).rows;
      const imported = (await costQ({...flags, 'model-file': config(file)}, {breakdown: true})).rows;
      t.deepEqual(imported, preset, mode);
    }
  });
}

test('Qwen3-Next: 3 Gated DeltaNet layers : 1 attention layer, the linear heads, 512 experts + 1 shared', t => {
  const {preset, warnings} = importModelFile(config('qwen3-next-80b-a3b.json'));
  t.deepEqual(preset.pattern, [{repeat: 3, kind: 'gated-deltanet'}, {repeat: 1}]);
  t.deepEqual(preset.gatedDeltaNet, {
    heads: 16,
    keyHeadDim: 128,
    valueHeadDim: 128,
    valueHeads: 32,
    conv: 4,
    chunk: 64,
  });
  t.like(preset.moe, {experts: 512, active: 10, expertDim: 512, shared: 1, sharedDim: 512});
  t.like(preset, {heads: 16, kvHeads: 2, headDim: 256, layers: 48});
  t.deepEqual(warnings, [
    `${config('qwen3-next-80b-a3b.json')}: attn_output_gate: gates each attention output with a sigmoid of a second query-sized projection; attncap does not count it`,
  ]);
});

test('Llama 4 Scout: 3 chunked (8,192) : 1 global NoPE layer from no_rope_layers, every layer MoE with a shared expert', t => {
  const {preset} = importModelFile(config('llama-4-scout.json'));
  t.deepEqual(preset.pattern, [
    {repeat: 3, name: 'local', variant: 'chunked:chunk=8192'},
    {repeat: 1, name: 'global'},
  ]);
  t.like(preset.moe, {
    experts: 16,
    active: 1,
    expertDim: 8192,
    shared: 1,
    sharedDim: 8192,
    router: 'sigmoid',
  });
  t.is(preset.dFf, 16384);
  // At 64k tokens the 36 chunked layers hold at most one chunk (8,192), the 12 global ones all.
  const model = loadModelFile(config('llama-4-scout.json'));
  const perLayerToken = 2 * 8 * 128 * 2;
  t.is(kvBytes(model, 65_536), (36 * 8192 + 12 * 65_536) * perLayerToken);
});

test('Nemotron-H 8B: each mixer takes the MLP block after it (52 blocks → 28 layers: 24 Mamba-2, 4 attention), 8.1B', t => {
  const {preset} = importModelFile(config('nemotron-h-8b.json'));
  t.is(preset.layers, 28);
  const groups = preset.schedule ?? [];
  const count = (kind: string | undefined, mlp: string) =>
    groups.filter(g => g.kind === kind && g.mlp === mlp).reduce((n, g) => n + (g.repeat ?? 1), 0);
  t.is(count('mamba2', 'dense'), 20);
  t.is(count('mamba2', 'none'), 4);
  t.is(count(undefined, 'dense'), 4);
  t.deepEqual(groups.slice(0, 3), [
    {repeat: 3, kind: 'mamba2', mlp: 'dense'},
    {repeat: 1, kind: 'mamba2', mlp: 'none'},
    {repeat: 1, mlp: 'dense'},
  ]);
  t.deepEqual(preset.mamba2, {
    state: 128,
    headDim: 64,
    heads: 128,
    expand: 2,
    conv: 4,
    groups: 8,
    chunk: 128,
  });
  const model = loadModelFile(config('nemotron-h-8b.json'));
  // NVIDIA: 8B; attncap 8.10B. Only the 4 attention layers grow: 4 × 2 × 8 × 128 × 2 B per token.
  t.true(within(params(model), 8.1e9), `${params(model)}`);
  t.is(kvBytes(model, 1128) - kvBytes(model, 128), 1000 * 16_384);
});

test('a Nemotron-H pattern with a block attncap cannot pair is refused naming the field', t => {
  const nemotron = json(config('nemotron-h-8b.json'));
  const error = t.throws(() =>
    importHfConfig({...nemotron, hybrid_override_pattern: '--M*'.padEnd(52, 'M')}, {label: 'c.json'}),
  );
  t.is(
    error.message,
    'c.json: hybrid_override_pattern: expected one of M (Mamba-2), * (attention) and - (an MLP after a mixer) per block, num_hidden_layers (52) in all',
  );
});

test('GLM-4.5-Air: 1 dense layer then 45 MoE layers of 128 experts + 1 shared, sigmoid router with bias, q/k/v biases', t => {
  const {preset, warnings} = importModelFile(config('glm-4.5-air.json'));
  t.deepEqual(preset.moe, {
    experts: 128,
    active: 8,
    shared: 1,
    expertDim: 1408,
    denseLayers: 1,
    router: 'sigmoid',
    routerBias: true,
  });
  // modeling_glm4_moe.py: q/k/v with bias=attention_bias, o_proj bias=False; head_dim 128 (not 4096 / 96).
  t.like(preset, {
    heads: 96,
    kvHeads: 8,
    headDim: 128,
    dFf: 10944,
    attentionBias: 'qkv',
    variant: 'standard',
  });
  t.deepEqual(warnings, [
    `${config('glm-4.5-air.json')}: num_nextn_predict_layers: the multi-token-prediction module (1 extra layer) is not counted, as in the published totals`,
  ]);
  const noBias = importHfConfig(
    {...json(config('glm-4.5-air.json')), attention_bias: false},
    {label: 'c.json'},
  );
  t.is(noBias.preset.attentionBias, undefined);
});

test('Mistral Small 3.2 (mistral3): the text_config decoder with head_dim 128, not 5120 / 32; 23.57B text', t => {
  const {preset, warnings} = importModelFile(config('mistral-small-3.2-24b.json'));
  t.like(preset, {
    dModel: 5120,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    layers: 40,
    dFf: 32768,
    variant: 'standard',
  });
  // "24B" (model card) includes the Pixtral vision tower and projector, ~0.44B: 24 layers of
  // 4·1024² + 3·1024·4096 weights and a 5120-wide projector. The text decoder alone is 23.57B.
  t.true(within(params(preset), 24e9 - 0.44e9), `${params(preset)}`);
  t.true(within(params(preset), 24e9, 0.025));
  t.is(kvBytes(preset, 1000), 1000 * 40 * 2 * 8 * 128 * 2);
  t.deepEqual(warnings, [
    `${config('mistral-small-3.2-24b.json')}: vision_config: the vision tower is not counted; attncap models the text decoder`,
  ]);
});

test('mistral3 wrappers: the text family from text_config.model_type (mistral by default, ministral3), else an error naming it', t => {
  const wrapper = json(config('mistral-small-3.2-24b.json'));
  const text = wrapper.text_config as Record<string, unknown>;
  const {head_dim: _h, sliding_window: _w, model_type: _m, ...bare} = text;
  // Ministral3Config: head_dim defaults to 128 and sliding_window to None.
  const ministral3 = importHfConfig(
    {...wrapper, text_config: {...bare, model_type: 'ministral3'}},
    {label: 'c.json'},
  );
  t.like(ministral3.preset, {headDim: 128, variant: 'standard'});
  // Mistral3Config's text_config defaults to a MistralConfig: head_dim hidden / heads, a 4,096 window.
  const mistral = importHfConfig({...wrapper, text_config: bare}, {label: 'c.json'});
  t.like(mistral.preset, {headDim: 160, variant: 'window:w=4096'});
  const error = t.throws(() =>
    importHfConfig({...wrapper, text_config: {...text, model_type: 'mistral4'}}, {label: 'c.json'}),
  );
  t.is(
    error.message,
    `c.json: text_config.model_type: "mistral4" is not a model type attncap imports; supported: ${HF_MODEL_TYPES.join(', ')}`,
  );
  t.true(HF_MODEL_TYPES.includes('mistral3'));
});

test('ministral: layer_types give the sliding and full layers; the window defaults to 4,096', t => {
  const llama = json(config('llama-3.1-8b.json'));
  const types = Array.from({length: 32}, (_, i) => (i % 4 === 3 ? 'full_attention' : 'sliding_attention'));
  const {preset} = importHfConfig({...llama, model_type: 'ministral', layer_types: types}, {label: 'c.json'});
  t.deepEqual(preset.pattern, [
    {repeat: 3, name: 'local', variant: 'window:w=4096'},
    {repeat: 1, name: 'global'},
  ]);
  const all = importHfConfig({...llama, model_type: 'ministral', sliding_window: 32768}, {label: 'c.json'});
  t.is(all.preset.variant, 'window:w=32768');
});

test('Granite 3.3 8B: the multipliers change nothing; the count is the checkpoint tensors, tied head', t => {
  const {preset, warnings} = importModelFile(config('granite-3.3-8b.json'));
  t.like(preset, {headDim: 128, tiedEmbeddings: true, variant: 'standard', dFf: 12800});
  t.deepEqual(warnings, []);
  // embed_tokens (49159, 4096); per layer q/o (4096, 4096), k/v (1024, 4096), gate/up/down 12800 × 4096, 2 norms; the final norm.
  const perLayer = 2 * 4096 * 4096 + 2 * 1024 * 4096 + 3 * 12800 * 4096 + 2 * 4096;
  t.is(params(preset), 49159 * 4096 + 40 * perLayer + 4096);
  t.is(params(preset), 8_170_864_640);
});

test('OLMo 2 and 3: Llama projections; OLMo 3 slides 3 layers of 4 (window 4,096 by default) unless layer_types says', t => {
  const olmo2 = json(config('olmo-2-1124-7b.json'));
  const {preset} = importHfConfig(olmo2, {label: 'c.json'});
  t.like(preset, {variant: 'standard', kvHeads: 32, headDim: 128});
  const olmo3 = {...olmo2, model_type: 'olmo3', max_position_embeddings: 65536};
  t.deepEqual(importHfConfig(olmo3, {label: 'c.json'}).preset.pattern, [
    {repeat: 3, name: 'local', variant: 'window:w=4096'},
    {repeat: 1, name: 'global'},
  ]);
  const types = Array.from({length: 32}, (_, i) => (i < 16 ? 'full_attention' : 'sliding_attention'));
  const listed = importHfConfig({...olmo3, layer_types: types, sliding_window: 1024}, {label: 'c.json'});
  t.deepEqual(listed.preset.schedule, [
    {repeat: 16, name: 'global'},
    {repeat: 16, name: 'local', variant: 'window:w=1024'},
  ]);
  t.is(importHfConfig({...olmo3, sliding_window: null}, {label: 'c.json'}).preset.variant, 'standard');
});

test('SmolLM3: NoPE layers cost as RoPE ones; with use_sliding_window the NoPE layers (every 4th) slide', t => {
  const smol = json(config('smollm3-3b.json'));
  const {preset, warnings} = importHfConfig(smol, {label: 'c.json'});
  t.like(preset, {variant: 'standard', tiedEmbeddings: true, kvHeads: 4, headDim: 128});
  t.deepEqual(warnings, []);
  const sliding = importHfConfig(
    {...smol, use_sliding_window: true, sliding_window: 4096},
    {label: 'c.json'},
  );
  t.deepEqual(sliding.preset.pattern, [
    {repeat: 3, name: 'global'},
    {repeat: 1, name: 'local', variant: 'window:w=4096'},
  ]);
});

// No Hub config.json of Command R7B or EXAONE 4.0 was at hand: these check the config classes'
// rules (configuration_cohere2.py, configuration_exaone4.py) on the Llama 3.1 8B dimensions.
test('cohere2: head_dim is hidden / heads whatever the key says; every 4th layer global, window 4,096 by default', t => {
  const {tie_word_embeddings: _tied, ...llama} = json(config('llama-3.1-8b.json'));
  const cohere = {...llama, model_type: 'cohere2', head_dim: 64};
  const {preset} = importHfConfig(cohere, {label: 'c.json'});
  t.like(preset, {headDim: 128, tiedEmbeddings: true});
  t.deepEqual(preset.pattern, [
    {repeat: 3, name: 'local', variant: 'window:w=4096'},
    {repeat: 1, name: 'global'},
  ]);
  const every2 = importHfConfig({...cohere, sliding_window_pattern: 2}, {label: 'c.json'}).preset;
  t.deepEqual(every2.pattern, [
    {repeat: 1, name: 'local', variant: 'window:w=4096'},
    {repeat: 1, name: 'global'},
  ]);
  t.is(importHfConfig({...cohere, sliding_window: null}, {label: 'c.json'}).preset.variant, 'standard');
});

test('exaone4: layer_types, else the "LLLG" pattern string (or an integer) cycled; no window when sliding_window is null', t => {
  const llama = json(config('llama-3.1-8b.json'));
  const exaone = {...llama, model_type: 'exaone4', sliding_window: 4096};
  const lllg = [
    {repeat: 3, name: 'local', variant: 'window:w=4096'},
    {repeat: 1, name: 'global'},
  ];
  t.deepEqual(
    importHfConfig({...exaone, sliding_window_pattern: 'LLLG'}, {label: 'c.json'}).preset.pattern,
    lllg,
  );
  t.deepEqual(importHfConfig(exaone, {label: 'c.json'}).preset.pattern, lllg);
  const lg = importHfConfig({...exaone, sliding_window_pattern: 'LG'}, {label: 'c.json'}).preset;
  t.deepEqual(lg.pattern, [
    {repeat: 1, name: 'local', variant: 'window:w=4096'},
    {repeat: 1, name: 'global'},
  ]);
  const types = Array.from({length: 32}, () => 'full_attention');
  t.is(importHfConfig({...exaone, layer_types: types}, {label: 'c.json'}).preset.variant, 'standard');
  t.is(importHfConfig({...exaone, sliding_window: null}, {label: 'c.json'}).preset.variant, 'standard');
});

test('ERNIE 4.5: MoE from moe_layer_start_index, every moe_layer_interval-th layer; 2 shared experts; use_bias', t => {
  const ernie = json(config('ernie-4.5-21b-a3b.json'));
  const {preset} = importHfConfig(ernie, {label: 'c.json'});
  t.deepEqual(preset.moe, {
    experts: 64,
    active: 6,
    shared: 2,
    expertDim: 1536,
    denseLayers: 1,
    router: 'softmax',
    routerBias: true,
  });
  t.like(preset, {headDim: 128, tiedEmbeddings: true, linearBias: false, variant: 'standard'});
  // Every second layer from layer 1 on (i + 1) % 2 == 0: layers 1, 3, …, 27 are MoE.
  const interleaved = importHfConfig({...ernie, moe_layer_interval: 2}, {label: 'c.json'}).preset;
  t.deepEqual(interleaved.pattern, [
    {repeat: 1, mlp: 'dense'},
    {repeat: 1, mlp: 'moe'},
  ]);
  t.is(interleaved.moe?.denseLayers, 0);
  const upTo = importHfConfig({...ernie, moe_layer_end_index: 13}, {label: 'c.json'}).preset;
  t.deepEqual(upTo.schedule, [
    {repeat: 1, mlp: 'dense'},
    {repeat: 13, mlp: 'moe'},
    {repeat: 14, mlp: 'dense'},
  ]);
  const dense = importHfConfig({...ernie, model_type: 'ernie4_5', use_bias: true}, {label: 'c.json'}).preset;
  t.is(dense.moe, undefined);
  t.is(dense.linearBias, true);
});

// ---- state-space and hybrid families -------------------------------------------------------------

test("Mamba (state-spaces/mamba-*-hf): the shipped presets' checkpoint-exact counts, d_inner from intermediate_size, dt rank from time_step_rank", t => {
  // The presets are checkpoint-exact (test/model/published.test.ts); mamba-370m has no preset:
  // its name's 370M, within 1 % (371,516,416).
  for (const [file, count] of [
    ['mamba-130m.json', 129_135_360],
    ['mamba-1.4b.json', 1_372_178_432],
    ['mamba-2.8b.json', 2_768_345_600],
  ] as const)
    t.is(params(loadModelFile(config(file))), count, file);
  t.true(within(params(loadModelFile(config('mamba-370m.json'))), 370e6));
  const {preset, warnings} = importModelFile(config('mamba-2.8b.json'));
  t.like(preset, {architecture: 'mamba', dModel: 2560, layers: 64, vocab: 50280, tiedEmbeddings: true});
  t.deepEqual(preset.ssm, {state: 16, expand: 2, conv: 4, dtRank: 160});
  t.deepEqual(warnings, []);
});

test('Falcon Mamba 7B: d_inner 8,192 from intermediate_size (not expand 16 × 4,096), untied; 7.27B as the Hub counts', t => {
  const {preset} = importModelFile(config('falcon-mamba-7b.json'));
  t.deepEqual(preset.ssm, {state: 16, expand: 2, conv: 4, dtRank: 256});
  t.false(preset.tiedEmbeddings);
  // 64 × 105,312,256 (in 4,096 × 16,384, conv 8,192 × 5, x_proj 8,192 × 288, dt_proj 256 × 8,192
  // + 8,192, A 8,192 × 16, D, out 8,192 × 4,096, norm 4,096) + 2 × 65,024 × 4,096 + 4,096.
  t.is(params(loadModelFile(config('falcon-mamba-7b.json'))), 7_272_665_088);
});

test("Mamba biases attncap does not count are warned about (MambaConfig's use_bias defaults to true)", t => {
  const mamba = json(config('mamba-130m.json'));
  const {use_bias: _, ...noBias} = mamba;
  t.deepEqual(importHfConfig({...noBias, use_conv_bias: false}, {label: 'c.json'}).warnings, [
    'c.json: use_bias: puts biases on the Mamba in/out projections; attncap does not count them',
    'c.json: use_conv_bias: false drops the Mamba conv1d bias; attncap counts it (d_inner weights a layer)',
  ]);
  t.deepEqual(importHfConfig({...noBias, model_type: 'falcon_mamba'}, {label: 'c.json'}).warnings, []);
  const error = t.throws(() => importHfConfig({...mamba, intermediate_size: 1000}, {label: 'c.json'}));
  t.is(
    error.message,
    "c.json: intermediate_size: expected a whole multiple of hidden_size (768): attncap's Mamba block is expand × hidden_size wide",
  );
});

test('Mamba-Codestral 7B (mamba2): 64 Mamba-2 layers without an FFN or attention; 7,285,403,648 parameters exactly', t => {
  const {preset} = importModelFile(config('mamba-codestral-7b.json'));
  t.deepEqual(preset.pattern, [{repeat: 1, kind: 'mamba2', mlp: 'none'}]);
  t.is(preset.heads, undefined);
  t.deepEqual(preset.mamba2, {
    state: 128,
    headDim: 64,
    heads: 128,
    expand: 2,
    conv: 4,
    groups: 8,
    chunk: 256,
  });
  const model = loadModelFile(config('mamba-codestral-7b.json'));
  // The model card's count: 64 × (4,096 × 18,560 + 10,240 × 5 + 3 × 128 + 8,192 + 8,192 × 4,096 +
  // 4,096) + 2 × 32,768 × 4,096 + 4,096.
  t.is(params(model), 7_285_403_648);
  // A fixed state per layer and sequence: 128 heads × 64 × 128 (SSM) + 10,240 × 3 (conv), bf16.
  const perLayer = (128 * 64 * 128 + 10_240 * 3) * 2;
  t.is(kvBytes(model, 1000), 64 * perLayer);
  t.is(kvBytes(model, 100_000), 64 * perLayer);
});

test('Jamba 1.5 Mini: attention at layers 4, 12, 20, 28, Mamba elsewhere, MoE on odd layers; 52B / 12B', t => {
  const {preset, warnings} = importModelFile(config('jamba-1.5-mini.json'));
  t.deepEqual(preset.pattern, [
    {repeat: 1, kind: 'mamba', mlp: 'dense'},
    {repeat: 1, kind: 'mamba', mlp: 'moe'},
    {repeat: 1, kind: 'mamba', mlp: 'dense'},
    {repeat: 1, kind: 'mamba', mlp: 'moe'},
    {repeat: 1, mlp: 'dense'},
    {repeat: 1, kind: 'mamba', mlp: 'moe'},
    {repeat: 1, kind: 'mamba', mlp: 'dense'},
    {repeat: 1, kind: 'mamba', mlp: 'moe'},
  ]);
  t.deepEqual(preset.ssm, {state: 16, expand: 2, conv: 4, dtRank: 256});
  t.like(preset.moe, {experts: 16, active: 2, expertDim: 14336});
  t.like(preset, {heads: 32, kvHeads: 8, headDim: 128, layers: 32, dFf: 14336, tiedEmbeddings: false});
  t.deepEqual(warnings, []);
  // AI21 (Jamba paper §3, model card): 52B total, 12B active, every weight counted (embeddings
  // included); attncap 51.57B / 12.11B, inside the rounding of "52B" and "12B" (1 %).
  const model = loadModelFile(config('jamba-1.5-mini.json'));
  const e = evaluate(model, workload({mode: 'decode', seq: 1}), undefined);
  t.true(within(e.params, 52e9), `${e.params}`);
  t.true(within(e.activeParams, 12e9), `${e.activeParams}`);
  // Only the 4 attention layers grow: 4 × 2 × 8 × 128 × 2 B per token.
  t.is(kvBytes(model, 1128) - kvBytes(model, 128), 1000 * 16_384);
});

test('Jamba: the periods and offsets place the layers; one expert means no MoE; mamba_proj_bias is warned about', t => {
  const jamba = json(config('jamba-1.5-mini.json'));
  const small = {
    ...jamba,
    num_hidden_layers: 4,
    attn_layer_period: 2,
    attn_layer_offset: 0,
    expert_layer_offset: 0,
  };
  t.deepEqual(importHfConfig(small, {label: 'c.json'}).preset.pattern, [
    {repeat: 1, mlp: 'moe'},
    {repeat: 1, kind: 'mamba', mlp: 'dense'},
  ]);
  const dense = importHfConfig({...small, num_experts: 1, mamba_proj_bias: true}, {label: 'c.json'});
  t.deepEqual(dense.preset.pattern, [{repeat: 1}, {repeat: 1, kind: 'mamba'}]);
  t.is(dense.preset.moe, undefined);
  t.deepEqual(dense.warnings, [
    'c.json: mamba_proj_bias: puts biases on the Mamba in/out projections; attncap does not count them',
  ]);
  const error = t.throws(() => importHfConfig({...jamba, attn_layer_offset: 8}, {label: 'c.json'}));
  t.is(error.message, 'c.json: attn_layer_offset: expected a value below attn_layer_period (8)');
});

test('Bamba 9B: attention at attn_layer_indices 9, 18, 27, Mamba-2 elsewhere, an MLP after every mixer; 9.78B as the Hub counts', t => {
  const {preset, warnings} = importModelFile(config('bamba-9b.json'));
  t.deepEqual(preset.schedule, [
    {repeat: 9, kind: 'mamba2'},
    {repeat: 1},
    {repeat: 8, kind: 'mamba2'},
    {repeat: 1},
    {repeat: 8, kind: 'mamba2'},
    {repeat: 1},
    {repeat: 4, kind: 'mamba2'},
  ]);
  // BambaConfig's defaults: 128 heads, mamba_d_head "auto" = 2 × 4,096 / 128, one group.
  t.deepEqual(preset.mamba2, {
    state: 128,
    headDim: 64,
    heads: 128,
    expand: 2,
    conv: 4,
    groups: 1,
    chunk: 256,
  });
  t.deepEqual(warnings, []);
  const model = loadModelFile(config('bamba-9b.json'));
  // 29 × (68,681,728 in_proj + 42,240 conv + 384 + 8,192 + 33,554,432 out_proj + 176,160,768 MLP +
  // 8,192 norms) + 3 × (41,943,040 + 176,160,768 + 8,192) + 2 × 128,256 × 4,096 + 4,096.
  t.is(params(model), 9_780_235_392);
  t.is(kvBytes(model, 1128) - kvBytes(model, 128), 1000 * 3 * 2 * 8 * 128 * 2);
  const error = t.throws(() =>
    importHfConfig({...json(config('bamba-9b.json')), attn_layer_indices: [9, 32]}, {label: 'c.json'}),
  );
  t.is(
    error.message,
    'c.json: attn_layer_indices: expected a list of layer indices below num_hidden_layers (32)',
  );
});

test('Granite 4.0-H Small: layer_types pick Mamba-2 or attention; every layer 72 experts + the shared MLP; 32B / 9B', t => {
  const {preset} = importModelFile(config('granite-4.0-h-small.json'));
  t.deepEqual(preset.pattern, [{repeat: 5, kind: 'mamba2'}, {repeat: 1}, {repeat: 4, kind: 'mamba2'}]);
  t.like(preset.moe, {experts: 72, active: 10, expertDim: 768, shared: 1, sharedDim: 1536});
  t.like(preset.mamba2, {heads: 128, headDim: 64, groups: 1, state: 128});
  const model = loadModelFile(config('granite-4.0-h-small.json'));
  const e = evaluate(model, workload({mode: 'decode', seq: 1}), undefined);
  // IBM: 32B total, 9B active, all weights (the tied embedding once). attncap 32.21B / 8.80B:
  // "9B" rounds 8.5–9.5B.
  t.true(within(e.params, 32e9), `${e.params}`);
  t.true(within(e.activeParams, 9e9, 0.056), `${e.activeParams}`);
  t.is(kvBytes(model, 1128) - kvBytes(model, 128), 1000 * 4 * 2 * 8 * 128 * 2);
  // No experts (Granite 4.0-H Micro's shape): the shared MLP is the dense FFN; all attention: no mamba2 block.
  const dense = importHfConfig(
    {
      ...json(config('granite-4.0-h-small.json')),
      num_local_experts: 0,
      layer_types: new Array(40).fill('attention'),
    },
    {label: 'c.json'},
  ).preset;
  t.like(dense, {dFf: 1536, moe: undefined, mamba2: undefined, variant: 'standard'});
});

test('falcon_h1 (attention and Mamba-2 in parallel in every layer) still exits 2 naming the type', t => {
  const error = t.throws(() =>
    importHfConfig({model_type: 'falcon_h1', hidden_size: 1024}, {label: 'c.json'}),
  );
  t.true(error instanceof InvalidInputError);
  t.true(
    error.message.startsWith(
      'c.json: model_type: "falcon_h1" is not a model type attncap imports; supported: bamba,',
    ),
  );
});

test('Pythia 6.9B (gpt_neox): the checkpoint count exactly; parallel residual and rotary_pct change nothing; attention_bias false warned', t => {
  const {preset, warnings} = importModelFile(config('pythia-6.9b.json'));
  t.like(preset, {
    norm: 'layernorm',
    ffn: 'gelu',
    linearBias: true,
    tiedEmbeddings: false,
    dFf: 16384,
    variant: 'standard',
  });
  t.deepEqual(warnings, []);
  // The Pythia suite's table: 6,857,302,016 total (6,444,163,072 without the two embeddings).
  t.is(params(loadModelFile(config('pythia-6.9b.json'))), 6_857_302_016);
  const unbiased = importHfConfig(
    {...json(config('pythia-6.9b.json')), attention_bias: false},
    {label: 'c.json'},
  );
  t.false(unbiased.preset.linearBias);
  t.deepEqual(unbiased.warnings, [
    'c.json: attention_bias: false drops the attention biases but keeps the MLP biases; attncap counts neither',
  ]);
});

test('Phi-2 (phi): LayerNorm, biases, GELU MLP, untied; 112,640 weights from the checkpoint (one LayerNorm a layer counted as two, the LM head bias left out)', t => {
  const {preset, warnings} = importModelFile(config('phi-2.json'));
  t.like(preset, {norm: 'layernorm', ffn: 'gelu', linearBias: true, tiedEmbeddings: false, headDim: 80});
  t.deepEqual(warnings, []);
  // The checkpoint: 2,779,683,840; attncap + 32 × 2 × 2,560 (a second LayerNorm) − 51,200 (head bias).
  t.is(params(loadModelFile(config('phi-2.json'))), 2_779_683_840 + 32 * 2 * 2560 - 51_200);
  t.deepEqual(
    importHfConfig({...json(config('phi-2.json')), qk_layernorm: true}, {label: 'c.json'}).warnings,
    ['c.json: qk_layernorm: adds LayerNorms over each query and key head; attncap does not count them'],
  );
});

test('StarCoder2 3B: the 4,096-token window on every layer, LayerNorm, biases, tied; Gemma 7B: every layer global', t => {
  const sc = importModelFile(config('starcoder2-3b.json')).preset;
  t.like(sc, {
    variant: 'window:w=4096',
    norm: 'layernorm',
    ffn: 'gelu',
    linearBias: true,
    tiedEmbeddings: true,
  });
  const model = loadModelFile(config('starcoder2-3b.json'));
  t.is(kvBytes(model, 100_000), 4096 * 30 * 2 * 2 * 128 * 2);
  const gemma = importModelFile(config('gemma-7b.json')).preset;
  t.like(gemma, {variant: 'standard', ffn: 'geglu', headDim: 256, kvHeads: 16, tiedEmbeddings: true});
});

test('Qwen2-VL / Qwen2.5-VL: the text decoder at the top level as Qwen2 (7.6B, the vision tower warned about)', t => {
  // Qwen2-VL-7B-Instruct's text fields; the Qwen2-VL report counts a 675M ViT and a 7.6B LLM.
  const qwen2vl = {
    model_type: 'qwen2_vl',
    hidden_size: 3584,
    intermediate_size: 18944,
    num_attention_heads: 28,
    num_hidden_layers: 28,
    num_key_value_heads: 4,
    vocab_size: 152064,
    max_position_embeddings: 32768,
    sliding_window: 32768,
    use_sliding_window: false,
    tie_word_embeddings: false,
    vision_config: {depth: 32, embed_dim: 1280},
  };
  for (const model_type of ['qwen2_vl', 'qwen2_5_vl']) {
    const {preset, warnings} = importHfConfig({...qwen2vl, model_type}, {label: 'c.json'});
    t.like(preset, {attentionBias: 'qkv', variant: 'standard', kvHeads: 4});
    t.deepEqual(warnings, [
      'c.json: vision_config: the vision tower is not counted; attncap models the text decoder',
    ]);
    const model = checkModelObject(preset, 'c.json');
    t.true(within(params(model), 7.6e9), `${params(model)}`);
  }
});

test("Jamba 1.5 Large: the Mini config with the Large dimensions counts 398.6B / 94.1B against AI21's 398B / 94B", t => {
  // The Jamba-1.5 report (arXiv:2408.12570) §2: 72 layers in 9 blocks of 8 (1 attention : 7 Mamba),
  // d 8,192, 64 query and 8 key-value heads, 16 experts (2 per token) every other layer; the FFN
  // width 24,576 and dt rank 512 (= ⌈8,192 / 16⌉) as the Hub config states them. All weights counted.
  const large = {
    ...json(config('jamba-1.5-mini.json')),
    hidden_size: 8192,
    intermediate_size: 24576,
    num_hidden_layers: 72,
    num_attention_heads: 64,
    num_key_value_heads: 8,
    mamba_dt_rank: 512,
  };
  const model = checkModelObject(importHfConfig(large, {label: 'c.json'}).preset, 'c.json');
  const e = evaluate(model, workload({mode: 'decode', seq: 1}), undefined);
  t.true(within(e.params, 398e9, 0.002), `${e.params}`);
  t.true(within(e.activeParams, 94e9, 0.002), `${e.activeParams}`);
});
