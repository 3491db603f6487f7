import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {ROOT, runCli, runJson} from '../helpers/cli.js';

/** Model presets shipped (presets/models/*.json). */
const SHIPPED_MODELS = readdirSync(join(ROOT, 'presets', 'models')).filter(f => f.endsWith('.json')).length;

interface Envelope<R> {
  schemaVersion: number;
  command: string;
  ok: boolean;
  inputs: Record<string, unknown>;
  results: R[];
  warnings: string[];
  error?: {code: string; message: string; path: (string | number)[]; hint?: string};
}

interface PresetResult {
  id: string;
  sources: {title: string; url?: string; note?: string}[];
  [key: string]: unknown;
}

interface VariantResult {
  id: string;
  family: string;
  exact: boolean;
  timeComplexity: string;
  params: {name: string; default: unknown; description: string}[];
  tradeoff: string;
  citation: {text: string; url?: string};
}

const HARDWARE_IDS =
  'a10, a100-40gb, a100-40gb-pcie, a100-80gb, a100-80gb-pcie, b200, h100-pcie, h100-sxm, h200, l4, l40s, mi300x, rtx-3090, rtx-4090, t4, v100-32gb';

/** The table line of one row, found by its first cell. */
function row(stdout: string, id: string): string | undefined {
  return stdout.split('\n').find(line => line.startsWith(`│ ${id} `));
}

function presetFile(kind: 'hardware' | 'models', id: string): Record<string, unknown> {
  const {$schema: _pointer, ...data} = JSON.parse(
    readFileSync(join(ROOT, 'presets', kind, `${id}.json`), 'utf8'),
  );
  return data;
}

test('presets hardware: one row per GPU with dense peaks', t => {
  const {code, stdout, stderr} = runCli(['presets', 'hardware']);
  t.is(code, 0, stderr);
  t.is(
    row(stdout, 'h100-sxm'),
    '│ h100-sxm       │ NVIDIA H100 SXM5 80GB       │ 80 GB HBM3   │ 3.35 TB/s │   989 TFLOP/s │ 1.98 PFLOP/s │ 67.0 TFLOP/s │ 132 │',
  );
  // The T4 has no bf16 units: its fp16 rate is shown, marked.
  t.is(
    row(stdout, 't4'),
    '│ t4             │ NVIDIA T4 16GB              │ 16 GB GDDR6  │  320 GB/s │ 65.0 TFLOP/s* │            – │ 8.10 TFLOP/s │  40 │',
  );
  t.true(stdout.includes('* no bf16 matrix units: the fp16 rate is used for bf16.\n'));
  t.is(stdout.split('\n').filter(line => /^│ [a-z0-9]/.test(line) && !line.startsWith('│ id ')).length, 16);
});

test('presets hardware --json: the preset objects with ids and sources', t => {
  const {code, json} = runJson<Envelope<PresetResult>>(['presets', 'hardware']);
  t.is(code, 0);
  t.true(json.ok);
  t.is(json.command, 'presets hardware');
  t.deepEqual(json.inputs, {kind: 'hardware', id: null});
  t.is(json.results.map(r => r.id).join(', '), HARDWARE_IDS);
  for (const result of json.results) {
    t.true(result.sources.length > 0, result.id);
    t.false('$schema' in result, result.id);
  }
  t.deepEqual(
    json.results.find(r => r.id === 'a100-80gb'),
    presetFile('hardware', 'a100-80gb'),
  );
});

test('presets hardware ID: every field and the sources', t => {
  const {code, stdout} = runCli(['presets', 'hardware', 'h100-sxm']);
  t.is(code, 0);
  t.true(stdout.startsWith('h100-sxm · NVIDIA H100 SXM5 80GB\n'));
  t.true(stdout.includes('│ memory               │ 80 GB HBM3 = 80.0 GiB (85,899,345,920 bytes) │'));
  t.true(stdout.includes('│ matrix peak bf16     │ 989 TFLOP/s                                  │'));
  t.true(stdout.includes('│ runtime reserve      │ 873 MiB (before --memory-reserve)            │'));
  t.true(
    stdout.includes(
      '\nSources\n1. NVIDIA H100 Tensor Core GPU datasheet (H100 SXM) <https://www.nvidia.com/en-us/data-center/h100/>\n',
    ),
  );
});

test('presets hardware ID --json: that preset, exactly as the file states it', t => {
  const {code, json} = runJson<Envelope<PresetResult>>(['presets', 'hardware', 't4']);
  t.is(code, 0);
  t.deepEqual(json.inputs, {kind: 'hardware', id: 't4'});
  t.deepEqual(json.results, [presetFile('hardware', 't4')]);
});

test('presets hardware with an unknown id: exit 2, the nearest ids, no stack trace', t => {
  const {code, stdout, stderr} = runCli(['presets', 'hardware', 'h100']);
  t.is(code, 2);
  t.is(stdout, '');
  t.is(
    stderr,
    `attncap: --hardware 'h100' is not a hardware preset; did you mean 'h100-pcie', 'h100-sxm' or 'h200'? Valid: ${HARDWARE_IDS}\n` +
      'hint: attncap presets hardware lists them with their figures; --hardware-file FILE loads your own\n',
  );
});

test('presets hardware with an unknown id --json: one document, ok false, exit 2', t => {
  const {code, json} = runJson<Envelope<PresetResult>>(['presets', 'hardware', 'rtx-4900']);
  t.is(code, 2);
  t.false(json.ok);
  t.deepEqual(json.error, {
    code: 'INVALID_INPUT',
    message: `--hardware 'rtx-4900' is not a hardware preset; did you mean 'rtx-4090'? Valid: ${HARDWARE_IDS}`,
    path: ['hardware'],
    hint: 'attncap presets hardware lists them with their figures; --hardware-file FILE loads your own',
  });
});

test('presets models: one row per model', t => {
  const {code, stdout} = runCli(['presets', 'models']);
  t.is(code, 0);
  // Cells, not padding: the attention column is as wide as the longest layer plan.
  const cells = (id: string) =>
    row(stdout, id)
      ?.split('│')
      .map(cell => cell.trim())
      .filter(Boolean);
  t.deepEqual(cells('llama-3.1-8b'), [
    'llama-3.1-8b',
    'transformer',
    '8.00B',
    '–',
    '4,096',
    '32',
    '8',
    '32',
    '128k',
    'standard',
  ]);
  t.deepEqual(cells('paca-vit-tiny'), [
    'paca-vit-tiny',
    'paca-vit',
    '12.2M',
    '–',
    '96',
    '2',
    '2',
    '10',
    '–',
    'paca:clusters=100,clustering=conv + standard',
  ]);
  t.deepEqual(cells('mamba-130m'), [
    'mamba-130m',
    'mamba',
    '130M',
    '–',
    '768',
    '–',
    '–',
    '24',
    '–',
    '– (state space)',
  ]);
});

test('presets models --format csv: a header with units and one line of raw numbers per model', t => {
  const {code, stdout} = runCli(['presets', 'models', '--format', 'csv']);
  t.is(code, 0);
  const lines = stdout.trimEnd().split('\n');
  t.is(
    lines[0],
    'id,architecture,params,active_params,d_model,heads,kv_heads,layers,context_tokens,attention',
  );
  t.is(lines.length, 1 + SHIPPED_MODELS);
  t.true(lines.includes('mistral-7b,transformer,7300000000,,4096,32,8,32,32768,window:w=4096'));
  // A mixture of experts lists its active parameters beside the total.
  t.true(lines.some(l => l.startsWith('qwen3-30b-a3b,transformer,30500000000,3300000000,')));
});

test('presets models --json: every shipped preset; ID gives the parsed preset', t => {
  const all = runJson<Envelope<PresetResult>>(['presets', 'models']);
  t.is(all.code, 0);
  t.is(all.json.results.length, SHIPPED_MODELS);
  const one = runJson<Envelope<PresetResult>>(['presets', 'models', 'perceiver-io-imagenet']);
  t.is(one.code, 0);
  // Every field the file states, plus the schema's defaults for what it leaves out.
  t.like(one.json.results[0], presetFile('models', 'perceiver-io-imagenet'));
  t.is(one.json.results[0]!.tiedEmbeddings, false);
});

test('presets models ID: stages, vision and sources of a hierarchical model', t => {
  const {code, stdout} = runCli(['presets', 'models', 'swin-t']);
  t.is(code, 0);
  t.true(stdout.includes('│ stage 3            │ 6 blocks, d 384, 12 heads × 32, swin:window=7          │'));
  t.true(stdout.includes('│ vision             │ 224 × 224 × 3, patch 4 → 56 × 56 tokens, 1,000 classes │'));
  t.true(stdout.includes('\nSources\n1. Liu et al. 2021'));
});

test('presets models ID: the weight conventions and the count attncap makes, next to the published one', t => {
  const gpt2 = runCli(['presets', 'models', 'gpt2-small']).stdout;
  t.truthy(row(gpt2, 'norm')?.includes('LayerNorm (2·d weights)'));
  t.truthy(row(gpt2, 'linear biases')?.includes('yes'));
  t.truthy(row(gpt2, 'positions')?.includes('1,024 learned'));
  t.truthy(row(gpt2, 'params (published)')?.includes('124M'));
  t.truthy(row(gpt2, 'params (counted)')?.includes('124,439,808'));
  const llama = runCli(['presets', 'models', 'llama-3.1-8b']).stdout;
  t.truthy(row(llama, 'norm')?.includes('RMSNorm (d weights)'));
  t.truthy(row(llama, 'linear biases')?.includes('no'));
  t.is(row(llama, 'positions'), undefined);
  t.truthy(row(llama, 'params (counted)')?.includes('8,030,261,248'));
});

test('presets models with an unknown id: exit 2 with a suggestion', t => {
  const {code, json} = runJson<Envelope<PresetResult>>(['presets', 'models', 'lama-2-7b']);
  t.is(code, 2);
  t.false(json.ok);
  t.is(json.error?.code, 'INVALID_INPUT');
  t.true(
    json.error?.message.startsWith(
      "--model 'lama-2-7b' is not a model preset; did you mean 'llama-2-7b'? Valid: bert-base,",
    ),
  );
  t.deepEqual(json.error?.path, ['model']);
});

test('presets variants --json: every variant with its facts, parameters and trade-off', t => {
  const {code, json} = runJson<Envelope<VariantResult>>(['presets', 'variants']);
  t.is(code, 0);
  const ids = json.results.map(v => v.id);
  for (const id of ['standard', 'flash', 'window', 'linformer', 'performer', 'swin', 'paca'])
    t.true(ids.includes(id), id);
  for (const v of json.results) {
    t.true(v.tradeoff.length > 0, v.id);
    t.true(v.citation.text.length > 0, v.id);
    t.regex(v.timeComplexity, /^O\(/, v.id);
  }
  const window = json.results.find(v => v.id === 'window')!;
  t.deepEqual(
    window.params.map(p => [p.name, p.default]),
    [
      ['w', 512],
      ['fused', false],
    ],
  );
  t.false(window.exact);
  t.true(json.results.find(v => v.id === 'flash')!.exact);
});

test('presets variants: the table, then what each variant gives up', t => {
  const {code, stdout} = runCli(['presets', 'variants']);
  t.is(code, 0);
  t.true(stdout.includes('\nWhat each gives up for its efficiency\n'));
  t.regex(stdout, /\n {2}flash +nothing semantic/);
});

test('presets variants ID: facts, parameters and how to set them', t => {
  const {code, stdout} = runCli(['presets', 'variants', 'window']);
  t.is(code, 0);
  t.true(stdout.startsWith('window · '));
  t.true(stdout.includes('│ w         │     512 │'));
  t.true(stdout.trimEnd().endsWith('Set with --variant window:w=…,fused=…'));
});

test('presets variants with an unknown id: exit 2 and the nearest variant', t => {
  const {code, stderr} = runCli(['presets', 'variants', 'windw']);
  t.is(code, 2);
  t.true(
    stderr.startsWith(
      "attncap: --variant 'windw' is not a variant; did you mean 'window'? Valid: standard, flash, window,",
    ),
  );
});
