import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {InvalidInputError} from '../../src/errors.js';
import {
  checkModelObject,
  listHardwareIds,
  listModelIds,
  loadHardware,
  loadHardwareFile,
  loadModel,
  loadModelFile,
  MODEL_RULES,
  parseModelPreset,
} from '../../src/presets/load.js';
import {packageRoot, presetsDir} from '../../src/presets/paths.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/presets/${name}`, import.meta.url));

const HARDWARE_IDS =
  'a10, a100-40gb, a100-40gb-pcie, a100-80gb, a100-80gb-pcie, b200, h100-pcie, h100-sxm, h200, l4, l40s, mi300x, rtx-3090, rtx-4090, t4, v100-32gb';

test('the package root holds package.json and the presets', t => {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {name: string};
  t.is(pkg.name, 'attncap');
  t.true(existsSync(join(presetsDir('hardware'), 'h100-sxm.json')));
  t.true(existsSync(join(presetsDir('models'), 'gpt2-small.json')));
});

test('hardware ids are listed sorted', t => {
  t.is(listHardwareIds().join(', '), HARDWARE_IDS);
});

test('an unknown hardware id suggests the nearest and lists the valid ones', t => {
  const error = t.throws(() => loadHardware('h100'), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    `--hardware 'h100' is not a hardware preset; did you mean 'h100-pcie', 'h100-sxm' or 'h200'? Valid: ${HARDWARE_IDS}`,
  );
  t.deepEqual(error.path, ['hardware']);
  t.is(
    (error as InvalidInputError).hint,
    'attncap presets hardware lists them with their figures; --hardware-file FILE loads your own',
  );
  t.is(error.exitCode, 2);
});

test('a typo in a hardware id gets a single suggestion', t => {
  const error = t.throws(() => loadHardware('rtx-4900'));
  t.true(
    error.message.startsWith(
      "--hardware 'rtx-4900' is not a hardware preset; did you mean 'rtx-4090'? Valid: a10,",
    ),
  );
});

test('an unknown model id suggests the nearest', t => {
  const error = t.throws(() => loadModel('lama-2-7b'), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    `--model 'lama-2-7b' is not a model preset; did you mean 'llama-2-7b'? Valid: ${listModelIds().join(', ')}`,
  );
  t.deepEqual(error.path, ['model']);
});

test('an id that is not an id (a path) is an unknown preset, never a file read', t => {
  const error = t.throws(() => loadModel('../../package'), {instanceOf: InvalidInputError});
  t.true(error.message.startsWith("--model '../../package' is not a model preset"));
});

test('loading twice returns the cached, frozen preset', t => {
  const a = loadHardware('a100-80gb');
  t.is(loadHardware('a100-80gb'), a);
  t.true(Object.isFrozen(a));
  t.true(Object.isFrozen(a.matrixPeakFlopsPerSec));
  t.throws(() => {
    (a as {memoryBytes: number}).memoryBytes = 1;
  });
  // The way to change a preset: copy it.
  t.is({...a, memoryBytes: 1}.memoryBytes, 1);
});

test('a YAML model file with a layer pattern loads with defaults applied', t => {
  const model = loadModelFile(fixture('gemma-like.yaml'));
  t.is(model.id, 'gemma-like');
  t.is(model.kvHeads, 4);
  t.deepEqual(model.pattern, [
    {repeat: 5, name: 'local', variant: 'window:w=1024'},
    {repeat: 1, name: 'global', variant: 'standard'},
  ]);
  t.false(model.tiedEmbeddings); // schema default
});

test('a missing file names its path', t => {
  const path = fixture('no-such-file.json');
  const error = t.throws(() => loadHardwareFile(path), {instanceOf: InvalidInputError});
  t.is(error.message, `cannot read hardware file '${path}': no such file`);
  t.deepEqual(error.path, ['hardwareFile']);
});

test('a directory given as a file says so', t => {
  const path = fixture('');
  const error = t.throws(() => loadModelFile(path), {instanceOf: InvalidInputError});
  t.is(error.message, `model file '${path}' is a directory; attncap reads regular files only`);
});

test('a hardware file with schema problems reports each, labelled with the path given', t => {
  const path = fixture('wrong-type-and-missing.json');
  const error = t.throws(() => loadHardwareFile(path), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    [
      `${path}: memoryBytes: expected number, received string "80GB"`,
      `${path}: vectorFlopsPerSec: missing required field (expected number)`,
    ].join('\n'),
  );
  t.is(
    (error as InvalidInputError).hint,
    'the hardware preset format is described in docs/presets.md (JSON Schema: docs/schema/hardware-preset.json)',
  );
});

test('the cross-field rules report every violation at once', t => {
  const path = fixture('broken-rules.json');
  const error = t.throws(() => loadModelFile(path), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    [
      // kv-heads-divide-heads: 12 % 5 != 0; the schedule entry's 8 does not divide 12 either.
      `${path}: kvHeads: kvHeads 5 does not divide heads 12; grouped-query attention shares each key/value head among an equal number of query heads`,
      `${path}: schedule[0].kvHeads: kvHeads 8 does not divide heads 12; grouped-query attention shares each key/value head among an equal number of query heads`,
      // head-dim-defined: 100 / 12 is not whole and no headDim is stated.
      `${path}: headDim: headDim is not set and dModel 100 is not divisible by heads 12; state headDim as the model does`,
      `${path}: schedule[0].headDim: headDim is not set and dModel 100 is not divisible by heads 12; state headDim as the model does`,
      // architecture-blocks: swin needs vision and stages, and has no use for ssm or hyena.
      `${path}: vision: architecture 'swin' needs a vision block (imageSize, patch)`,
      `${path}: stages: architecture 'swin' needs stages (depth, dModel, heads of each)`,
      `${path}: ssm: ssm is only used by mamba and a plan's mamba layers, not by architecture 'swin'`,
      `${path}: schedule: schedule is only used by transformer and vit, not by architecture 'swin'`,
      `${path}: hyena: hyena is only used by hyena, not by architecture 'swin'`,
    ].join('\n'),
  );
});

test('kvHeads above heads is its own message', t => {
  const text = JSON.stringify({
    id: 'x',
    name: 'x',
    architecture: 'transformer',
    dModel: 64,
    heads: 4,
    kvHeads: 8,
    layers: 1,
    causal: true,
    sources: [{title: 't'}],
  });
  const error = t.throws(() => parseModelPreset(text, 'x.json'));
  t.is(
    error.message,
    'x.json: kvHeads: kvHeads 8 exceeds heads 4; key/value heads are at most the query heads',
  );
});

test('a stated headDim makes an indivisible width valid (store what the model states)', t => {
  const text = JSON.stringify({
    id: 'x',
    name: 'x',
    architecture: 'transformer',
    dModel: 100,
    heads: 12,
    headDim: 8,
    layers: 1,
    causal: true,
    sources: [{title: 't'}],
  });
  t.is(parseModelPreset(text, 'x.json').headDim, 8);
});

test('stage depths must add up to layers', t => {
  const swin = JSON.parse(readFileSync(join(presetsDir('models'), 'swin-t.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const error = t.throws(() => parseModelPreset(JSON.stringify({...swin, layers: 13}), 'swin.json'));
  t.is(error.message, 'swin.json: layers: layers is 13 but the stage depths add up to 12');
});

test('a perceiver block must agree with the top-level fields', t => {
  const pio = JSON.parse(readFileSync(join(presetsDir('models'), 'perceiver-io-imagenet.json'), 'utf8')) as {
    perceiver: Record<string, unknown>;
  };
  const broken = {...pio, layers: 8, perceiver: {...pio.perceiver, uniqueProcessLayers: 5, outputs: 0}};
  const error = t.throws(() => parseModelPreset(JSON.stringify(broken), 'pio.json'));
  t.is(
    error.message,
    [
      'pio.json: layers: layers 8 differs from perceiver.processLayers 48',
      'pio.json: perceiver.uniqueProcessLayers: uniqueProcessLayers 5 does not divide processLayers 48; shared blocks repeat whole',
      'pio.json: perceiver.outputs: perceiver-io decodes with output queries: outputs must be at least 1',
    ].join('\n'),
  );
});

test('moe and mla blocks: defaults filled, cross-field rules reported together', t => {
  const base = {
    id: 'x',
    name: 'x',
    architecture: 'transformer',
    dModel: 64,
    heads: 4,
    layers: 2,
    causal: true,
    sources: [{title: 't'}],
  };
  const ok = parseModelPreset(
    JSON.stringify({
      ...base,
      moe: {experts: 8, active: 2, expertDim: 32},
      mla: {kvLoraRank: 16, qkNopeHeadDim: 8, qkRopeHeadDim: 4, vHeadDim: 8},
    }),
    'x.json',
  );
  t.deepEqual(ok.moe, {
    experts: 8,
    active: 2,
    shared: 0,
    expertDim: 32,
    denseLayers: 0,
    router: 'softmax',
    routerBias: false,
  });
  t.is(ok.mla?.qLoraRank, null);
  const error = t.throws(() =>
    parseModelPreset(
      JSON.stringify({
        ...base,
        kvHeads: 2,
        moe: {experts: 8, active: 9, expertDim: 32, denseLayers: 3},
        mla: {kvLoraRank: 16, qkNopeHeadDim: 8, qkRopeHeadDim: 4, vHeadDim: 8},
      }),
      'x.json',
    ),
  );
  t.is(
    error.message,
    [
      'x.json: moe.active: moe.active 9 exceeds moe.experts 8; a token picks at most every expert',
      'x.json: moe.denseLayers: moe.denseLayers 3 exceeds layers 2',
      'x.json: dFf: moe.denseLayers 3 needs dFf, the width of the dense FFN of those layers',
      'x.json: kvHeads: kvHeads 2 differs from heads 4; MLA expands keys and values for every query head (omit kvHeads or set it to heads)',
    ].join('\n'),
  );
  const mamba = t.throws(() =>
    parseModelPreset(
      JSON.stringify({
        ...base,
        architecture: 'mamba',
        heads: undefined,
        ssm: {},
        moe: {experts: 2, active: 1, expertDim: 8},
      }),
      'x.json',
    ),
  );
  t.is(mamba.message, "x.json: moe: moe is only used by transformer, not by architecture 'mamba'");
});

test('a shipped preset whose id differs from its file name is rejected', t => {
  const error = t.throws(() =>
    parseModelPreset(readFileSync(fixture('misnamed.json'), 'utf8'), 'misnamed.json', 'misnamed'),
  );
  t.is(
    error.message,
    "misnamed.json: id: id 'other-name' differs from the file name 'misnamed'; a shipped preset is named <id>.json",
  );
  // A user's own file may use any name.
  t.is(loadModelFile(fixture('misnamed.json')).id, 'other-name');
});

test('every model rule is named and described', t => {
  t.deepEqual(
    MODEL_RULES.map(rule => rule.name),
    [
      'kv-heads-divide-heads',
      'head-dim-defined',
      'architecture-blocks',
      'layer-plan',
      'stage-depths-sum-to-layers',
      'perceiver-consistent',
      'moe-mla-consistent',
    ],
  );
  for (const rule of MODEL_RULES) t.true(rule.description.length > 10, rule.name);
});

test('architecture-blocks: a transformer whose plan has no attention layer needs no heads; one attention layer does', t => {
  const ssmOnly = {
    id: 'ssm-only',
    name: 'ssm only',
    architecture: 'transformer',
    dModel: 256,
    layers: 4,
    causal: true,
    sources: [{title: 't'}],
    pattern: [{kind: 'mamba2', mlp: 'none'}],
    mamba2: {state: 16, headDim: 32},
  };
  t.is(checkModelObject(ssmOnly, 'm.json').heads, undefined);
  const error = t.throws(() =>
    checkModelObject({...ssmOnly, pattern: [{kind: 'mamba2', mlp: 'none'}, {mlp: 'none'}]}, 'm.json'),
  );
  t.is(error.message, "m.json: heads: architecture 'transformer' needs heads (query heads per layer)");
});
