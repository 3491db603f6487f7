/**
 * `attncap presets import FILE` and `--model-file config.json` through the built binary: the
 * printed preset, warnings in the envelope and on stderr, exit codes of bad configs, and that
 * nothing is written.
 */
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {ROOT, runCli, runJson} from '../helpers/cli.js';

interface Envelope {
  ok: boolean;
  results: Record<string, unknown>[];
  warnings: {code: string; message: string}[];
  error?: {code: string; message: string; path: (string | number)[]};
}

const CONFIGS = 'test/fixtures/hf-configs';
const BAD = 'test/fixtures/hf-bad';

test('presets import prints a model preset (JSON, $schema first, the file as its source)', t => {
  const {code, stdout, stderr} = runCli([
    'presets',
    'import',
    `${CONFIGS}/llama-3.1-8b.json`,
    '--id',
    'my-llama',
  ]);
  t.is(code, 0);
  t.is(stderr, '');
  const preset = JSON.parse(stdout) as Record<string, unknown>;
  t.is(Object.keys(preset)[0], '$schema');
  t.like(preset, {
    $schema: '../../docs/schema/model-preset.json',
    id: 'my-llama',
    dModel: 4096,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    layers: 32,
    dFf: 14336,
    ffn: 'swiglu',
    vocab: 128256,
    contextLength: 131072,
    norm: 'rmsnorm',
    weightFormat: 'bf16',
  });
  t.deepEqual(preset.sources, [
    {
      title: 'Hugging Face config.json (llama-3.1-8b.json)',
      note: `Imported by attncap from ${CONFIGS}/llama-3.1-8b.json (model_type llama); field mapping: docs/import.md.`,
    },
  ]);
});

test('the printed preset, saved as a model file, gives the same cost as the config it came from', t => {
  const dir = mkdtempSync(join(tmpdir(), 'attncap-import-'));
  try {
    for (const name of ['gemma-3-27b', 'deepseek-v3', 'gpt-oss-20b']) {
      const printed = runCli(['presets', 'import', `${CONFIGS}/${name}.json`]);
      t.is(printed.code, 0);
      const file = join(dir, `${name}.json`);
      writeFileSync(file, printed.stdout);
      const args = ['cost', '--seq', '512,32768', '--mode', 'decode', '--batch', '4'];
      const viaConfig = runJson<Envelope>([...args, '--model-file', `${CONFIGS}/${name}.json`]);
      const viaPreset = runJson<Envelope>([...args, '--model-file', file]);
      t.true(viaConfig.json.ok);
      t.deepEqual(viaPreset.json.results, viaConfig.json.results, name);
    }
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

test('--model-file config.json: the warnings reach the JSON envelope and stderr', t => {
  const file = `${BAD}/ignored-field.json`;
  const message = `${file}: mlp_bias: true puts biases on the FFN matrices only; attncap does not count them`;
  const warning = {code: 'model-import', message};
  const commands = [
    ['cost', '--seq', '1024'],
    ['memory', '--hardware', 'h100-sxm', '--seq', '1024'],
    ['max-seq', '--hardware', 'h100-sxm'],
    ['crossover', '--b', 'flash', '--metric', 'memory'],
  ];
  for (const command of commands) {
    const {code, json} = runJson<Envelope>([...command, '--model-file', file]);
    t.is(code, 0, command[0]);
    t.deepEqual(json.warnings, [warning], command[0]);
  }
  const human = runCli(['cost', '--model-file', file, '--seq', '1024']);
  t.is(human.code, 0);
  t.true(human.stderr.includes(`warning: ${message}\n`));
  const printed = runCli(['presets', 'import', file]);
  t.is(printed.stderr, `warning: ${message}\n`);
  t.deepEqual(runJson<Envelope>(['presets', 'import', file]).json.warnings, [warning]);
});

test('bad configs exit 2 with the message naming the field, and write nothing', t => {
  const dir = mkdtempSync(join(tmpdir(), 'attncap-import-'));
  try {
    const cases: [string, string][] = [
      [
        'unsupported-type.json',
        'model_type: "rwkv" is not a model type attncap imports; supported: bamba, bert, cohere2, deepseek_v2,',
      ],
      ['missing-hidden-size.json', 'hidden_size: missing required field of a llama config (the model width)'],
    ];
    for (const [name, message] of cases) {
      const path = join(ROOT, BAD, name);
      const human = runCli(['presets', 'import', path], {cwd: dir});
      t.is(human.code, 2, name);
      t.is(human.stdout, '');
      t.true(human.stderr.startsWith(`attncap: ${path}: ${message}`), human.stderr);
      t.false(human.stderr.includes('    at '), 'no stack trace');
      const viaModel = runJson<Envelope>(['cost', '--model-file', path], {cwd: dir});
      t.is(viaModel.code, 2);
      t.is(viaModel.json.error?.code, 'INVALID_INPUT');
      t.true(viaModel.json.error?.message.startsWith(`${path}: ${message}`));
    }
    t.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

test('Gemma 3 27B decodes to a longer context on an 80 GB GPU than the same model with every layer global', t => {
  const args = [
    'max-seq',
    '--model-file',
    `${CONFIGS}/gemma-3-27b.json`,
    '--hardware',
    'a100-80gb',
    '--mode',
    'decode',
    // Past the model's 128k context: the comparison is about memory, not the trained length.
    '--ignore-context',
  ];
  const mixed = runJson<Envelope>(args);
  const global = runJson<Envelope>([...args, '--variant', 'standard']);
  t.is(mixed.code, 0);
  const maxSeq = (e: {json: Envelope}) => e.json.results[0]!.maxSeq as number;
  // KV bytes per token: 10 global layers × 8,192 B beyond the windows, against 62 × 8,192 B.
  t.true(maxSeq(mixed) > 5 * maxSeq(global), `${maxSeq(mixed)} vs ${maxSeq(global)}`);
});

test('presets models ID shows the checkpoint weight format of an imported preset', t => {
  const {code, stdout} = runCli(['presets', 'models', 'gpt-oss-20b']);
  t.is(code, 0);
  t.true(/│ weights \(checkpoint\) +│ mxfp4 +│/.test(stdout), stdout);
});

test('cost and max-seq --model-file for the 2025 families: GLM-4.5-Air counted by hand, Mistral Small 3.2 on an H100', t => {
  const glm = runJson<Envelope>([
    'cost',
    '--model-file',
    `${CONFIGS}/glm-4.5-air.json`,
    '--seq',
    '1000',
    '--mode',
    'decode',
  ]);
  t.is(glm.code, 0);
  // Embeddings 2·151552·4096; per layer q/k/v/o 4096·(2·12288 + 2·1024) with q/k/v biases (14,336)
  // and two norms; one dense SwiGLU 3·4096·10944; 45 MoE layers of 129 experts 3·4096·1408 (128
  // routed + 1 shared) with a 128 × 4096 router and its bias; the final norm.
  const layer = 4096 * (2 * 12288 + 2 * 1024) + 14_336 + 2 * 4096;
  const moeLayer = 129 * 3 * 4096 * 1408 + 128 * 4096 + 128;
  const total = 2 * 151552 * 4096 + 46 * layer + 3 * 4096 * 10944 + 45 * moeLayer + 4096;
  t.like(glm.json.results[0], {params: total});
  t.is(total, 106_852_251_264);

  const mistral = runJson<Envelope>([
    'max-seq',
    '--model-file',
    `${CONFIGS}/mistral-small-3.2-24b.json`,
    '--hardware',
    'h100-sxm',
    '--mode',
    'decode',
  ]);
  t.is(mistral.code, 0);
  // The 131,072-token context fits; the cache is 40 layers × 2 × 8 kv heads × 128 (head_dim, not 160) × 2 B a token.
  t.like(mistral.json.results[0], {
    maxSeq: 131_072,
    binding: 'context',
    memory: {kvCacheBytes: 131_072 * 40 * 2 * 8 * 128 * 2},
  });
  t.deepEqual(
    mistral.json.warnings.map(w => w.code),
    ['model-import', 'context-capped'],
  );
});

test('max-seq --model-file for OLMo 2, SmolLM3, Granite 3.3, Gemma 7B, Phi-2 and Pythia 6.9B: the cache at the answer is the answer × the hand-computed bytes per token', t => {
  for (const [file, perToken] of [
    ['olmo-2-1124-7b.json', 32 * 2 * 32 * 128 * 2],
    ['smollm3-3b.json', 36 * 2 * 4 * 128 * 2],
    ['granite-3.3-8b.json', 40 * 2 * 8 * 128 * 2],
    ['gemma-7b.json', 28 * 2 * 16 * 256 * 2],
    ['phi-2.json', 32 * 2 * 32 * 80 * 2],
    ['pythia-6.9b.json', 32 * 2 * 32 * 128 * 2],
  ] as const) {
    const run = runJson<Envelope>([
      'max-seq',
      '--model-file',
      `${CONFIGS}/${file}`,
      '--hardware',
      'h100-sxm',
      '--mode',
      'decode',
      '--ignore-context',
    ]);
    t.is(run.code, 0, file);
    const row = run.json.results[0] as {maxSeq: number; memory: {kvCacheBytes: number}};
    t.true(row.maxSeq > 50_000, file);
    t.is(row.memory.kvCacheBytes, row.maxSeq * perToken, file);
  }
});

test('cost and max-seq --model-file for the state-space families: Mamba-Codestral keeps a fixed state; Jamba 1.5 Mini (bf16, 103 GB) on an H200 grows in its 4 attention layers only', t => {
  const args = [
    '--model-file',
    `${CONFIGS}/mamba-codestral-7b.json`,
    '--seq',
    '1000,100000',
    '--mode',
    'decode',
  ];
  const cost = runJson<Envelope>(['cost', ...args]);
  t.is(cost.code, 0);
  t.deepEqual(cost.json.warnings, []);
  t.is((cost.json.results[0] as {params: number}).params, 7_285_403_648);
  const memory = runJson<Envelope>(['memory', ...args, '--hardware', 'h100-sxm']);
  t.is(memory.code, 0);
  // 64 layers × (128 × 64 × 128 + 10,240 × 3) elements × 2 B, whatever n.
  t.deepEqual(
    (memory.json.results as {memory: {kvCacheBytes: number}}[]).map(r => r.memory.kvCacheBytes),
    [1, 2].map(() => 64 * (128 * 64 * 128 + 10_240 * 3) * 2),
  );
  const jamba = runJson<Envelope>([
    'max-seq',
    '--model-file',
    `${CONFIGS}/jamba-1.5-mini.json`,
    '--hardware',
    'h200',
    '--mode',
    'decode',
    '--ignore-context',
  ]);
  t.is(jamba.code, 0);
  const row = jamba.json.results[0] as {maxSeq: number; memory: {kvCacheBytes: number}};
  // The 28 Mamba layers' state: 8,192 × (16 + 3) elements × 2 B each; the 4 attention layers
  // 2 × 8 × 128 × 2 B per token.
  const state = 28 * 8192 * (16 + 3) * 2;
  t.true(row.maxSeq > 100_000);
  t.is(row.memory.kvCacheBytes, row.maxSeq * 16_384 + state);
});
