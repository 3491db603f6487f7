import {fileURLToPath} from 'node:url';
import test from 'ava';
import {InvalidInputError} from '../../src/errors.js';
import {evaluate} from '../../src/model/engine.js';
import {
  applyVariantOverrides,
  layerPlan,
  parseVariantOverride,
  planCostGroups,
  planSummary,
  withLayers,
} from '../../src/model/plan.js';
import {resolveVariant} from '../../src/model/variants/index.js';
import {loadModelFile, parseModelPreset} from '../../src/presets/load.js';
import type {ModelPreset} from '../../src/schema/presets.js';
import {runCli} from '../helpers/cli.js';
import {workload} from './architectures/fixtures.js';

const presetFile = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/presets/${name}`, import.meta.url));
/** 34 layers, pattern 5 local (window w=1024) : 1 global, Gemma 3 4B's shape. */
const gemmaLike = (): ModelPreset => loadModelFile(presetFile('gemma-like.yaml'));

const d = 2560;
// One layer: Q and O (d·h·d_h each), K and V (d·h_kv·d_h each), GeGLU (3·d·d_ff), two LayerNorms (2·2d).
const LAYER = d * 8 * 256 * 2 + d * 4 * 256 * 2 + 3 * d * 10240 + 2 * 2 * d;
// Untied embedding and LM head (2·V·d), final LayerNorm (2d).
const ENDS = 2 * 262144 * d + 2 * d;

test('a 34-layer 5:1 pattern is 29 local + 5 global layers, in order, ending in a partial cycle', t => {
  const plan = layerPlan(gemmaLike());
  t.is(
    plan.reduce((sum, g) => sum + g.repeat, 0),
    34,
  );
  t.deepEqual(
    plan.map(g => `${g.repeat} ${g.name}`),
    [
      '5 local',
      '1 global',
      '5 local',
      '1 global',
      '5 local',
      '1 global',
      '5 local',
      '1 global',
      '5 local',
      '1 global',
      '4 local',
    ],
  );
  t.deepEqual(
    planCostGroups(gemmaLike()).map(g => [g.name, g.repeat, g.variant?.label]),
    [
      ['local', 29, 'window w=1024'],
      ['global', 5, 'standard'],
    ],
  );
  t.is(planSummary(gemmaLike()), '34 = 29× local window w=1024 + 5× global standard (pattern 5:1)');
});

test('every layer of the pattern is costed: 34 layers of parameters, not the 6 listed', t => {
  const e = evaluate(gemmaLike(), workload({seq: 4096, causal: true}));
  t.is(e.params, 34 * LAYER + ENDS);
  t.is(e.params, 4_551_173_120);
});

test('KV cache at 128k: window layers keep 1,024 tokens, global layers all of them', t => {
  const e = evaluate(gemmaLike(), workload({seq: 131_072, mode: 'decode', causal: true}));
  // Per token and layer: K and V of 4 kv heads × 256 channels × 2 bytes = 4096 bytes.
  t.is(e.cacheBytes, (29 * 1024 + 5 * 131_072) * 4096);
  t.is(e.cacheBytes, 2_805_989_376);
});

test('a schedule that does not cover layers is refused, naming the file and both counts', t => {
  const path = presetFile('gemma-bad-schedule.yaml');
  const error = t.throws(() => loadModelFile(path), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    `${path}: schedule: the schedule's repeats add up to 6 layers but layers is 34; list every group so that the repeats cover all 34 layers, or give the entries as a pattern (cycled over the layers, e.g. 5 local : 1 global)`,
  );
});

test('CLI: a --model-file whose schedule does not sum exits 2 with the message', t => {
  const r = runCli(['cost', '--model-file', 'test/fixtures/presets/gemma-bad-schedule.yaml']);
  t.is(r.code, 2);
  t.is(
    r.stderr.split('\n')[0],
    "attncap: test/fixtures/presets/gemma-bad-schedule.yaml: schedule: the schedule's repeats add up to 6 layers but layers is 34; list every group so that the repeats cover all 34 layers, or give the entries as a pattern (cycled over the layers, e.g. 5 local : 1 global)",
  );
  t.notRegex(r.stderr, /\n\s+at /);
});

test('schedule and pattern together are refused', t => {
  const text = JSON.stringify({
    id: 'x',
    name: 'x',
    architecture: 'transformer',
    dModel: 64,
    heads: 4,
    layers: 2,
    causal: true,
    schedule: [{repeat: 2}],
    pattern: [{repeat: 1}],
    sources: [{title: 't'}],
  });
  const error = t.throws(() => parseModelPreset(text, 'x.json'), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    'x.json: pattern: schedule and pattern are mutually exclusive: a schedule lists every group in order, a pattern is cycled over layers; keep one',
  );
});

test('--layers re-cycles a pattern: 12 layers = 10 local + 2 global, 7 = 6 + 1', t => {
  const m = gemmaLike();
  t.deepEqual(
    planCostGroups(withLayers(m, 12)).map(g => g.repeat),
    [10, 2],
  );
  t.deepEqual(
    layerPlan(withLayers(m, 7)).map(g => `${g.repeat} ${g.name}`),
    ['5 local', '1 global', '1 local'],
  );
  t.is(evaluate(withLayers(m, 12), workload({seq: 512, causal: true})).params, 12 * LAYER + ENDS);
});

test('--layers on a multi-group schedule is refused rather than guessed', t => {
  const m: ModelPreset = {
    ...gemmaLike(),
    pattern: undefined,
    layers: 6,
    schedule: [
      {repeat: 5, name: 'local', variant: 'window:w=1024'},
      {repeat: 1, name: 'global', variant: 'standard'},
    ],
  };
  const error = t.throws(() => withLayers(m, 12), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    "--layers 12: 'gemma-like' lists its 6 layers as an explicit schedule of 2 groups (5× local window w=1024, 1× global standard), which does not say what 12 layers would be",
  );
  // A one-group schedule simply becomes n of that group.
  const one: ModelPreset = {...m, schedule: [{repeat: 6, variant: 'flash'}]};
  t.deepEqual(
    layerPlan(withLayers(one, 9)).map(g => [g.repeat, g.spec]),
    [[9, 'flash']],
  );
});

test('parameters grow monotonically with the layer count of a pattern', t => {
  const m = gemmaLike();
  let previous = 0;
  for (let n = 1; n <= 40; n++) {
    const params = evaluate(withLayers(m, n), workload({seq: 256, causal: true})).params;
    t.true(params > previous, `n = ${n}`);
    previous = params;
  }
});

test('parseVariantOverride: a selector has no ":" before its "="', t => {
  t.deepEqual(parseVariantOverride('global=flash'), {selector: 'global', spec: 'flash'});
  t.deepEqual(parseVariantOverride('local=window:w=1024'), {selector: 'local', spec: 'window:w=1024'});
  t.deepEqual(parseVariantOverride('window:w=1024'), {spec: 'window:w=1024'});
  t.deepEqual(parseVariantOverride('flash'), {spec: 'flash'});
});

test('selectors change only their groups, by name or by variant id', t => {
  const m = gemmaLike();
  const {model, notes} = applyVariantOverrides(m, [
    parseVariantOverride('global=flash'),
    parseVariantOverride('window=window:w=512'),
  ]);
  t.deepEqual(
    planCostGroups(model).map(g => [g.name, g.repeat, g.variant?.label]),
    [
      ['local', 29, 'window w=512'],
      ['global', 5, 'flash'],
    ],
  );
  t.deepEqual(notes, [
    '--variant global=flash replaces the attention of 5 layers (5 global standard) with flash',
    '--variant window=window:w=512 replaces the attention of 29 layers (29 local window w=1024) with window w=512',
  ]);
  // The global layers' cache is unchanged by a local override; the local ones shrink to 512.
  const e = evaluate(model, workload({seq: 131_072, mode: 'decode', causal: true}));
  t.is(e.cacheBytes, (29 * 512 + 5 * 131_072) * 4096);
});

test('a plain --variant replaces every attention layer and says so; an unknown selector names the groups', t => {
  const {notes} = applyVariantOverrides(gemmaLike(), [{spec: 'flash'}]);
  t.deepEqual(notes, [
    '--variant flash replaces the attention of all 34 attention layers (29 local window w=1024, 5 global standard)',
  ]);
  const error = t.throws(() => applyVariantOverrides(gemmaLike(), [{selector: 'glob', spec: 'flash'}]), {
    instanceOf: InvalidInputError,
  });
  t.is(
    error.message,
    "--variant glob=flash: 'glob' names no attention layers of 'gemma-like'. Valid: local, window, global, standard",
  );
});

test('CLI: selectors through cost; --layers re-cycles', t => {
  const file = 'test/fixtures/presets/gemma-like.yaml';
  const r = runCli(['cost', '--model-file', file, '--seq', '4096', '--variant', 'global=flash', '--json']);
  t.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as {results: {variantLabel: string}[]; warnings: unknown[]};
  t.is(json.results[0]!.variantLabel, '34 = 29× local window w=1024 + 5× global flash (pattern 5:1)');
  t.is(json.warnings.length, 1);
  const layers = runCli(['cost', '--model-file', file, '--layers', '12', '--seq', '512', '--json']);
  t.is(layers.code, 0, layers.stderr);
  const rows = (JSON.parse(layers.stdout) as {results: {variantLabel: string; params: number}[]}).results;
  t.is(rows[0]!.variantLabel, '12 = 10× local window w=1024 + 2× global standard (pattern 5:1)');
  t.is(rows[0]!.params, 12 * LAYER + ENDS);
});

test('a plain --variant on a hybrid leaves the Mamba layers alone', t => {
  const hybrid: ModelPreset = {
    ...gemmaLike(),
    ssm: {state: 16, expand: 2, conv: 4},
    pattern: [
      {repeat: 3, kind: 'mamba'},
      {repeat: 1, name: 'global', variant: 'standard'},
    ],
    layers: 8,
  };
  const w = workload({seq: 2048, mode: 'decode', causal: true});
  const own = evaluate(hybrid, w);
  const flash = evaluate(hybrid, w, resolveVariant('flash'));
  t.deepEqual(
    flash.cost.groups.map(g => [g.label, g.repeat]),
    [
      ['mamba', 6],
      ['global flash', 2],
    ],
  );
  t.deepEqual(flash.cost.groups[0]!.components, own.cost.groups[0]!.components);
  t.is(flash.params, own.params);
  const {notes} = applyVariantOverrides(hybrid, [{spec: 'flash'}]);
  t.deepEqual(notes, [
    '--variant flash replaces the attention of all 2 attention layers (2 global standard); the 6 mamba layers keep their own mixers',
  ]);
});

test('CLI max-seq: the 5:1 plan fits far longer contexts than the same model with every layer global', t => {
  // --ignore-context: the comparison is about memory, not the model's trained context.
  const args = [
    'max-seq',
    '--model-file',
    'test/fixtures/presets/gemma-like.yaml',
    '--hardware',
    'h100-sxm',
    '--ignore-context',
  ];
  const solve = (extra: string[]) => {
    const r = runCli([...args, '--mode', 'decode', ...extra, '--json']);
    t.is(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as {results: {maxSeq: number}[]}).results[0]!.maxSeq;
  };
  const plan = solve([]);
  const global = solve(['--variant', 'local=standard']);
  // KV bytes per token: 5 global layers × 4096 once past the window, against 34 × 4096.
  t.true(plan > 6 * global, `${plan} vs ${global}`);
});
