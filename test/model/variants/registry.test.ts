import {readFileSync} from 'node:fs';
import test from 'ava';
import {InvalidInputError} from '../../../src/errors.js';
import {
  getVariant,
  listVariants,
  resolveVariant,
  VARIANT_IDS,
  variantParams,
} from '../../../src/model/variants/index.js';

const ORDER = [
  'standard',
  'flash',
  'window',
  'chunked',
  'longformer',
  'bigbird',
  'strided',
  'linformer',
  'performer',
  'linear',
  'nystrom',
  'swin',
  'paca',
  'xl',
];

test('all 14 variants in the stable order, each declaring its facts', t => {
  t.deepEqual([...VARIANT_IDS], ORDER);
  t.deepEqual(
    listVariants().map(v => v.id),
    ORDER,
  );
  for (const def of listVariants()) {
    t.is(getVariant(def.id), def);
    t.truthy(def.title, def.id);
    t.regex(def.citation.url ?? '', /^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/, def.id);
    t.true(def.tradeoff.length > 20, def.id);
    t.regex(def.timeComplexity, /^O\(/, def.id);
    t.regex(def.memoryComplexity, /^O\(/, def.id);
    t.true(def.backwardFactor >= 2, def.id);
    // Parsing {} gives every default, and every parameter is described.
    t.notThrows(() => def.params().parse({}), def.id);
    for (const p of variantParams(def))
      t.true(p.description.length > 0, `${def.id}.${p.name} has no description`);
  }
});

test('an unknown id names the nearest one and every valid id', t => {
  const error = t.throws(() => getVariant('windw'), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    "--variant 'windw' is not a variant; did you mean 'window'? Valid: standard, flash, window, chunked, longformer, bigbird, strided, linformer, performer, linear, nystrom, swin, paca, xl",
  );
  t.deepEqual(error.path, ['variant']);
  t.is(error.hint, 'attncap presets variants');
  t.is(error.exitCode, 2);
  const far = t.throws(() => resolveVariant('quux', 'compare'), {instanceOf: InvalidInputError});
  t.is(
    far.message,
    "--compare 'quux' is not a variant. Valid: standard, flash, window, chunked, longformer, bigbird, strided, linformer, performer, linear, nystrom, swin, paca, xl",
  );
  t.deepEqual(far.path, ['compare']);
});

test('resolve: defaults, parameters, labels', t => {
  const window = resolveVariant('window');
  t.is(window.def.id, 'window');
  t.deepEqual(window.params, {w: 512, fused: false});
  t.is(window.label, 'window w=512');
  t.is(resolveVariant('window:w=4k,fused=true').label, 'window w=4096 fused=true');
  t.deepEqual(resolveVariant('Window:w=4k').params, {w: 4096, fused: false});
  t.is(resolveVariant('standard').label, 'standard');
  t.is(resolveVariant('standard:dropout=0.1').label, 'standard dropout=0.1');
  t.is(resolveVariant('flash').label, 'flash');
  t.is(resolveVariant('longformer:g=4').label, 'longformer w=512 g=4');
  t.is(resolveVariant('strided').label, 'strided');
  t.is(resolveVariant('strided:stride=64').label, 'strided stride=64');
  t.is(resolveVariant('xl:mem=1600,segment=150').label, 'xl mem=1600 segment=150');
  // A preset's layer schedule passes an object.
  const fromPreset = resolveVariant({name: 'window', params: {w: 1024}});
  t.deepEqual(fromPreset.params, {w: 1024, fused: false});
  t.is(fromPreset.label, 'window w=1024');
});

test('an unknown parameter names the nearest one and every valid parameter with its default', t => {
  const error = t.throws(() => resolveVariant('window:ww=3'), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    "--variant window: 'ww' is not a parameter of window; did you mean 'w'? Valid: w (window keys per query, default 512), fused (one fused kernel, default false)",
  );
  t.deepEqual(error.path, ['variant', 'ww']);
  const strided = t.throws(() => resolveVariant('strided:l=3', 'compare'), {instanceOf: InvalidInputError});
  t.is(
    strided.message,
    "--compare strided: 'l' is not a parameter of strided. Valid: stride (stride / block length l; default ⌈√m⌉ for m keys), pattern (Sparse Transformer pattern, fixed or strided, default fixed), summary (summary positions c per block, default 1)",
  );
});

test('a bad value names the parameter, the rule and the value', t => {
  const cases: [string, string][] = [
    [
      'window:w=0',
      '--variant window: w must be greater than 0; got 0. w (window keys per query, default 512)',
    ],
    [
      'window:w=1.5',
      '--variant window: w must be an integer; got 1.5. w (window keys per query, default 512)',
    ],
    [
      'window:fused=3',
      '--variant window: fused must be true or false; got 3. fused (one fused kernel, default false)',
    ],
    [
      'window:w=wide',
      "--variant window: w must be a number; got 'wide'. w (window keys per query, default 512)",
    ],
    [
      'standard:dropout=1',
      '--variant standard: dropout must be less than 1; got 1. dropout (attention dropout probability, default 0)',
    ],
    [
      'strided:pattern=diagonal',
      "--variant strided: pattern must be one of fixed, strided; got 'diagonal'. pattern (Sparse Transformer pattern, fixed or strided, default fixed)",
    ],
  ];
  for (const [spec, message] of cases) {
    const error = t.throws(() => resolveVariant(spec), {instanceOf: InvalidInputError});
    t.is(error.message, message, spec);
    t.is(error.path[0], 'variant');
  }
});

test('docs/variants/README.md lists every variant with its declared facts', t => {
  // dist/test/model/variants/registry.test.js → package root.
  const readme = readFileSync(new URL('../../../../docs/variants/README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('<!-- variants-table:start -->');
  const end = readme.indexOf('<!-- variants-table:end -->');
  t.true(start >= 0 && end > start, 'README.md has lost its table markers');
  const documented = readme
    .slice(start, end)
    .split('\n')
    .filter(line => line.startsWith('| ['));
  const expected = listVariants().map(
    d =>
      `| [\`${d.id}\`](${d.id}.md) | ${d.family} | ${d.exact ? 'exact' : 'approximate'} | ${d.timeComplexity} | ` +
      `${d.memoryComplexity} | ${d.causalReducesWork ? 'yes' : 'no'} | ${d.tradeoff} |`,
  );
  t.deepEqual(documented, expected, `paste into docs/variants/README.md:\n${expected.join('\n')}`);
  // Every variant has its own page.
  for (const def of listVariants()) {
    t.notThrows(
      () => readFileSync(new URL(`../../../../docs/variants/${def.id}.md`, import.meta.url)),
      def.id,
    );
  }
});

test('a parameter may be given by the symbol its label prints', t => {
  const v = resolveVariant('performer:r=128');
  t.is(v.params.features, 128);
  t.is(v.label, 'performer r=128');
  t.is(resolveVariant(v.label.replace(' ', ':')).params.features, 128);
  const err = t.throws(() => resolveVariant('performer:features=64,r=3'));
  t.is(err?.message, "--variant performer: 'r' repeats the parameter features");
});
