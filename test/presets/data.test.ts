/**
 * The shipped preset files themselves: every one parses, is named after its id, cites sources,
 * and carries the figures the references give (dense peaks, binary GB, decimal bandwidth).
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {
  listHardware,
  listHardwareIds,
  listModelIds,
  listModels,
  loadHardware,
  loadModel,
} from '../../src/presets/load.js';
import {presetsDir} from '../../src/presets/paths.js';
import type {ModelPreset} from '../../src/schema/presets.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

test('every GPU of the reference table has a hardware preset', t => {
  t.deepEqual(listHardwareIds(), [
    'a10',
    'a100-40gb',
    'a100-40gb-pcie',
    'a100-80gb',
    'a100-80gb-pcie',
    'b200',
    'h100-pcie',
    'h100-sxm',
    'h200',
    'l4',
    'l40s',
    'mi300x',
    'rtx-3090',
    'rtx-4090',
    't4',
    'v100-32gb',
  ]);
});

test('every model of the reference has a model preset', t => {
  const ids = listModelIds();
  const missing = [
    'bert-base',
    'deepseek-v3',
    'gemma-2-9b',
    'gemma-3-27b',
    'gpt-oss-120b',
    'gpt-oss-20b',
    'mixtral-8x7b',
    'qwen3-235b-a22b',
    'qwen3-30b-a3b',
    'qwen3-8b',
    'bert-large',
    'gpt2-large',
    'gpt2-medium',
    'gpt2-small',
    'gpt2-xl',
    'hyena-153m',
    'llama-2-13b',
    'llama-2-70b',
    'llama-2-7b',
    'llama-3.1-405b',
    'llama-3.1-70b',
    'llama-3.1-8b',
    'mamba-1.4b',
    'mamba-130m',
    'mamba-2.8b',
    'mistral-7b',
    'paca-vit-base',
    'paca-vit-small',
    'paca-vit-tiny',
    'perceiver-imagenet',
    'perceiver-io-bytes',
    'perceiver-io-imagenet',
    'swin-t',
    'textbook-13b',
    'vit-b-16',
    'vit-h-14',
    'vit-l-16',
  ].filter(id => !ids.includes(id));
  t.deepEqual(missing, []);
});

for (const kind of ['hardware', 'models'] as const) {
  test(`every ${kind} file parses, is named after its id, points at its JSON Schema and cites sources`, t => {
    const files = readdirSync(presetsDir(kind));
    const presets = kind === 'hardware' ? listHardware() : listModels();
    t.deepEqual(
      files.map(file => file.replace(/\.json$/, '')).sort(),
      presets.map(preset => preset.id).sort(),
    );
    const schemaFile = kind === 'hardware' ? 'hardware-preset.json' : 'model-preset.json';
    for (const preset of presets) {
      const raw = JSON.parse(readFileSync(join(presetsDir(kind), `${preset.id}.json`), 'utf8')) as {
        $schema: string;
      };
      t.is(raw.$schema, `../../docs/schema/${schemaFile}`, preset.id);
      t.true(preset.sources.length > 0, preset.id);
      t.true(
        preset.sources.some(source => source.url !== undefined),
        `${preset.id} cites at least one source with an address`,
      );
    }
  });
}

test('dense, not sparse: spot checks against the datasheets', t => {
  // H100 SXM: the datasheet's 1,979 TFLOP/s BF16 is with 2:4 sparsity; dense is half.
  t.is(loadHardware('h100-sxm').matrixPeakFlopsPerSec.bf16, 989.4e12);
  // RTX 3090: FP16 with FP32 accumulate runs at half the 142 TFLOP/s FP16-accumulate rate.
  t.is(loadHardware('rtx-3090').matrixPeakFlopsPerSec.fp16, 71e12);
  t.is(loadHardware('rtx-4090').matrixPeakFlopsPerSec.bf16, 165.2e12);
  // A100 80GB SXM: 2,039 GB/s decimal.
  t.is(loadHardware('a100-80gb').bandwidthBytesPerSec, 2.039e12);
  // 80 GB of HBM is 80 GiB of chips.
  t.is(loadHardware('a100-80gb').memoryBytes, 80 * GiB);
  t.is(loadHardware('a100-80gb').memoryBytes, 85_899_345_920);
  // fp32 is the CUDA-core rate, not TF32.
  t.is(loadHardware('a100-80gb').matrixPeakFlopsPerSec.fp32, 19.5e12);
  t.is(loadHardware('a100-80gb').matrixPeakFlopsPerSec.tf32, 156e12);
});

test('chips without bf16 or tf32 matrix units do not state them', t => {
  for (const id of ['t4', 'v100-32gb']) {
    const peaks = loadHardware(id).matrixPeakFlopsPerSec;
    t.is(peaks.bf16, undefined, id);
    t.is(peaks.tf32, undefined, id);
    t.is(peaks.fp8, undefined, id);
  }
});

test('hardware invariants hold for every preset', t => {
  for (const hw of listHardware()) {
    const peaks = hw.matrixPeakFlopsPerSec;
    t.is(hw.memoryBytes, hw.memoryMarketedGB * GiB, `${hw.id}: memoryBytes = marketed GB x 2^30`);
    t.is(peaks.fp32, hw.vectorFlopsPerSec, `${hw.id}: fp32 matmul peak is the non-tensor FP32 rate`);
    t.true(peaks.fp16 > peaks.fp32, `${hw.id}: tensor fp16 beats CUDA-core fp32`);
    if (peaks.bf16 !== undefined)
      t.is(peaks.bf16, peaks.fp16, `${hw.id}: bf16 and fp16 share the tensor rate`);
    if (peaks.tf32 !== undefined) t.true(peaks.tf32 < peaks.fp16 && peaks.tf32 >= peaks.fp32, hw.id);
    // fp8 runs at twice the 16-bit rate; datasheet rounding puts L4 and L40S a hair above (242.5 vs 2 x 121).
    if (peaks.fp8 !== undefined) t.true(peaks.fp8 >= peaks.fp16 && peaks.fp8 <= 2.05 * peaks.fp16, hw.id);
    t.true(hw.runtimeReserveBytes >= 512 * MiB && hw.runtimeReserveBytes < 0.1 * hw.memoryBytes, hw.id);
    t.is(hw.runtimeReserveBytes % MiB, 0, `${hw.id}: reserve is whole MiB`);
    t.is(hw.l2CacheBytes % (MiB / 2), 0, `${hw.id}: L2 is whole or half MiB`);
    t.is(hw.sharedMemoryPerSmBytes % 1024, 0, `${hw.id}: shared memory is whole KiB`);
  }
});

test('the runtime reserve adds what the driver hides to the 512 MiB context allowance', t => {
  // nvidia-smi totals (modal-labs/modal-client#2797): H100 81,559 MiB of 81,920 -> 361 hidden.
  t.is(loadHardware('h100-sxm').runtimeReserveBytes, (81920 - 81559 + 512) * MiB);
  // A10: 23,028 MiB of 24,576 (GDDR6 in-band ECC) -> 1,548 hidden.
  t.is(loadHardware('a10').runtimeReserveBytes, (24576 - 23028 + 512) * MiB);
  // A100 80GB exposes all 81,920 MiB: only the allowance.
  t.is(loadHardware('a100-80gb').runtimeReserveBytes, 512 * MiB);
});

test('causal flags and FFN kinds follow the model families', t => {
  const causal = (id: string) => loadModel(id).causal;
  for (const id of ['gpt2-small', 'llama-2-7b', 'llama-3.1-8b', 'mistral-7b', 'textbook-13b', 'mamba-130m'])
    t.true(causal(id), id);
  for (const id of [
    'bert-base',
    'vit-b-16',
    'swin-t',
    'perceiver-io-imagenet',
    'perceiver-imagenet',
    'paca-vit-tiny',
  ])
    t.false(causal(id), id);
  t.is(loadModel('llama-2-70b').ffn, 'swiglu');
  t.is(loadModel('gpt2-xl').ffn, 'gelu');
  t.true(loadModel('gpt2-small').tiedEmbeddings);
  t.true(loadModel('bert-large').tiedEmbeddings);
  t.false(loadModel('llama-3.1-8b').tiedEmbeddings);
});

test('models store what they state: GQA heads, head dims, windows, stages', t => {
  const llama = loadModel('llama-3.1-405b');
  t.deepEqual(
    [llama.dModel, llama.heads, llama.kvHeads, llama.headDim, llama.layers],
    [16384, 128, 8, 128, 126],
  );
  t.is(loadModel('vit-h-14').headDim, 80);
  t.is(loadModel('mistral-7b').variant, 'window:w=4096');
  const swin = loadModel('swin-t');
  t.deepEqual(
    swin.stages?.map(stage => [stage.depth, stage.dModel, stage.heads, stage.headDim, stage.variant]),
    [
      [2, 96, 3, 32, 'swin:window=7'],
      [2, 192, 6, 32, 'swin:window=7'],
      [6, 384, 12, 32, 'swin:window=7'],
      [2, 768, 24, 32, 'swin:window=7'],
    ],
  );
  t.deepEqual(swin.vision, {imageSize: [224, 224], patch: 4, channels: 3, classToken: false, classes: 1000});
  const paca = loadModel('paca-vit-small');
  t.deepEqual(
    paca.stages?.map(stage => stage.variant),
    [
      'paca:clusters=100,clustering=conv',
      'paca:clusters=100,clustering=conv',
      'paca:clusters=100,clustering=conv',
      'standard',
    ],
  );
  t.is(paca.layers, 3 + 3 + 10 + 3);
  t.deepEqual(loadModel('mamba-2.8b').ssm, {state: 16, expand: 2, conv: 4});
});

test('perceiver presets carry the paper configurations', t => {
  const io = loadModel('perceiver-io-imagenet').perceiver!;
  t.deepEqual(
    [
      io.inputs,
      io.inputDim,
      io.latents,
      io.latentDim,
      io.reads,
      io.processLayers,
      io.uniqueProcessLayers,
      io.outputs,
    ],
    [224 * 224, 3 + 258, 512, 1024, 1, 8 * 6, 6, 1],
  );
  const original = loadModel('perceiver-imagenet').perceiver!;
  t.is(original.reads, 8);
  t.is(original.outputs, 0);
  const bytes = loadModel('perceiver-io-bytes').perceiver!;
  t.deepEqual(
    [bytes.inputs, bytes.latents, bytes.processLayers, bytes.outputs, bytes.decoderVDim],
    [2048, 256, 26, 2048, 768],
  );
});

test('published parameter counts are stored as published', t => {
  const published = (id: string) => loadModel(id).paramsPublished;
  t.is(published('gpt2-small'), 124e6);
  t.is(published('bert-base'), 110e6);
  t.is(published('bert-large'), 340e6);
  t.is(published('vit-b-16'), 86e6);
  t.is(published('vit-l-16'), 307e6);
  t.is(published('vit-h-14'), 632e6);
  t.is(published('perceiver-io-imagenet'), 48.4e6);
  t.is(published('perceiver-io-bytes'), 201e6);
  t.is(published('perceiver-imagenet'), 44.9e6);
  t.is(published('paca-vit-tiny'), 12.2e6);
  t.is(published('textbook-13b'), undefined);
});

/**
 * Weights of a plain transformer from its preset fields, to check that the stored shape matches
 * the published size (a typo in d_ff, layers or vocab shows up here). Per layer: Q and O are
 * d x (h d_h), K and V are d x (h_kv d_h); FFN 2 d d_ff (3 d d_ff gated); biases and norms where
 * the family has them. Embeddings: V d (twice when untied) plus learned positions.
 */
function transformerParams(m: ModelPreset, family: 'gpt2' | 'bert' | 'llama' | 'vit'): number {
  const d = m.dModel;
  const h = m.heads!;
  const dh = m.headDim ?? d / h;
  const kv = m.kvHeads ?? h;
  const ff = m.dFf ?? 4 * d;
  const gated = m.ffn === 'swiglu' || m.ffn === 'geglu';
  const biases = family !== 'llama';
  let layer = 2 * d * h * dh + 2 * d * kv * dh + (gated ? 3 : 2) * d * ff;
  if (biases) layer += h * dh + 2 * kv * dh + d + ff + d; // q, k, v, o, ffn-in, ffn-out biases
  layer += (biases ? 2 : 1) * 2 * d; // two norms: LayerNorm has gain and bias, RMSNorm a gain
  let total = m.layers * layer + (family === 'bert' ? 0 : (biases ? 2 : 1) * d); // final norm (BERT is post-norm: none)
  if (family === 'gpt2') total += m.vocab! * d + m.contextLength! * d;
  if (family === 'bert') total += m.vocab! * d + m.contextLength! * d + 2 * d + 2 * d + d * d + d; // + types, embedding norm, pooler
  if (family === 'llama') total += (m.tiedEmbeddings ? 1 : 2) * m.vocab! * d;
  if (family === 'vit') {
    const v = m.vision!;
    const tokens = (v.imageSize[0] / v.patch) * (v.imageSize[1] / v.patch) + 1;
    total += v.patch * v.patch * v.channels * d + d + d + tokens * d + d * v.classes! + v.classes!;
  }
  return total;
}

test('GPT-2 small reproduces its 124,439,808 weights exactly', t => {
  // 50257·768 + 1024·768 + 12·(4·768² + 4·768 + 2·768·3072 + 3072 + 768 + 4·768) + 2·768
  // = 38,597,376 + 786,432 + 12·7,087,872 + 1,536 = 124,439,808
  t.is(transformerParams(loadModel('gpt2-small'), 'gpt2'), 124_439_808);
});

test('Llama 2 7B reproduces its 6,738,415,616 weights exactly', t => {
  // 2·32000·4096 + 32·(4·4096² + 3·4096·11008 + 2·4096) + 4096 = 262,144,000 + 6,476,267,520 + 4,096
  t.is(transformerParams(loadModel('llama-2-7b'), 'llama'), 6_738_415_616);
});

test('the shapes of the transformer and ViT presets match their published sizes within 5%', t => {
  const families: Record<string, 'gpt2' | 'bert' | 'llama' | 'vit'> = {
    gpt2: 'gpt2',
    bert: 'bert',
    llama: 'llama',
    mistral: 'llama',
    vit: 'vit',
  };
  let checked = 0;
  for (const m of listModels()) {
    const family = families[m.id.split('-')[0]];
    // Dense formulas: MoE presets (Llama 4) are checked against their configs (hf-import.test.ts).
    if (family === undefined || m.paramsPublished === undefined || m.moe !== undefined) continue;
    const ratio = transformerParams(m, family) / m.paramsPublished;
    t.true(ratio > 0.95 && ratio < 1.05, `${m.id}: computed / published = ${ratio.toFixed(4)}`);
    checked++;
  }
  t.is(checked, 4 + 2 + 6 + 1 + 3);
});

test('the Mamba presets match their published sizes within 5%', t => {
  for (const id of ['mamba-130m', 'mamba-1.4b', 'mamba-2.8b']) {
    const m = loadModel(id);
    const d = m.dModel;
    const {state, expand, conv} = m.ssm!;
    const inner = expand * d;
    const dtRank = Math.ceil(d / 16);
    // in_proj d·2E d, conv1d (weights + bias), x_proj to (dt_rank + 2N), dt_proj (+ bias), A_log, D, out_proj, RMSNorm
    const layer =
      d * 2 * inner +
      inner * (conv + 1) +
      inner * (dtRank + 2 * state) +
      dtRank * inner +
      inner +
      inner * state +
      inner +
      inner * d +
      d;
    // mamba-130m: 24·3,771,648 + 50280·768 + 768 = 129,135,360
    const total = m.layers * layer + m.vocab! * d + d;
    if (id === 'mamba-130m') t.is(total, 129_135_360);
    const ratio = total / m.paramsPublished!;
    t.true(ratio > 0.95 && ratio < 1.05, `${id}: ${ratio.toFixed(4)}`);
  }
});
