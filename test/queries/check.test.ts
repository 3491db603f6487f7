import {fileURLToPath} from 'node:url';
import test from 'ava';
import fc from 'fast-check';
import {create} from 'xmlbuilder2';
import {junitXml} from '../../src/cli/renderers/check.js';
import {InvalidInputError} from '../../src/errors.js';
import {pointAt} from '../../src/queries/capacity.js';
import {type CheckQuery, evaluateCheck, loadCapacityFile, runCheck} from '../../src/queries/check.js';
import {maxSeqQ} from '../helpers/queries.js';

/** dist/test/queries/check.test.js → test/fixtures/check/NAME */
/** The slice of the DOM that xmlbuilder2's parsed nodes implement and these tests read. */
interface XmlElement {
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement> & Iterable<XmlElement>;
}

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/check/${name}`, import.meta.url));

const A100_80GB = 85_899_345_920; // 80 · 2^30 (presets/hardware/a100-80gb.json)

test('passing file: every expectation measured, all pass, no failure', async t => {
  const q = await runCheck(fixture('passing.yaml'));
  t.is(q.failure, undefined);
  t.deepEqual(
    q.rows.map(r => [r.name, r.pass, r.expectations.map(e => e.kind)]),
    [
      ['gpt2-small flash 8k fits', true, ['fits', 'maxMemoryFraction', 'maxLatency']],
      ['gpt2-small standard keeps 8k', true, ['minMaxSeq']],
    ],
  );
  // defaults.hardware and defaults.dtype reach both checks.
  t.deepEqual(
    q.rows.map(r => [r.hardware, r.dtype, r.batch, r.mode]),
    [
      ['a100-80gb', 'bf16', 1, 'prefill'],
      ['a100-80gb', 'bf16', 1, 'prefill'],
    ],
  );
});

test('fits and memory expectations agree with the memory model (pointAt)', async t => {
  const [c] = await loadCapacityFile(fixture('passing.yaml'));
  const p = pointAt(c!.model, c!.workload.base, {seq: 8192}, c!.variant, c!.hardware);
  const [fits, fraction] = evaluateCheck(c!).expectations;
  t.is(fits!.measured, p.memory.totalBytes);
  t.is(fits!.bound, A100_80GB);
  t.is(fits!.margin, (A100_80GB - p.memory.totalBytes) / A100_80GB);
  // Memory used = peak − the 10% kept free (the runtime reserve of 512 MiB stays counted).
  t.is(fraction!.measured, (p.memory.totalBytes - 0.1 * A100_80GB) / A100_80GB);
  t.is(fraction!.bound, 0.5);
  t.true(fraction!.measured * A100_80GB >= 536_870_912);
});

test('minMaxSeq is the max-seq answer for the same configuration', async t => {
  const [, c] = await loadCapacityFile(fixture('passing.yaml'));
  const [e] = evaluateCheck(c!).expectations;
  const ms = await maxSeqQ({
    model: 'gpt2-small',
    hardware: ['a100-80gb'],
    variant: ['standard'],
    'ignore-context': true,
  });
  t.is(e!.measured, ms.rows[0]!.maxSeq!);
  t.is(e!.bound, 8192);
  t.is(e!.margin, (e!.measured - 8192) / 8192);
});

test('mixed file: the failing check is the failure, with exit code 1 and its path', async t => {
  const q = await runCheck(fixture('mixed.yaml'));
  t.deepEqual(
    q.rows.map(r => r.pass),
    [true, false],
  );
  t.is(q.failure?.exitCode, 1);
  t.deepEqual(q.failure?.path, ['checks', 1]);
  t.is(q.failure?.message, `1 of 2 checks failed: 'standard at 128k <fails> & "escapes"' (fits, minMaxSeq)`);
});

test('margin is non-negative exactly when an expectation passes (fixtures)', async t => {
  for (const name of ['passing.yaml', 'mixed.yaml', 'image.json']) {
    const q = await runCheck(fixture(name));
    for (const e of q.rows.flatMap(r => r.expectations)) t.is(e.margin >= 0, e.pass, `${name}: ${e.kind}`);
  }
});

test('seq image:1024x1024/16 evaluates exactly like seq 4097 (ViT-B/16 adds its class token)', async t => {
  const checks = await loadCapacityFile(fixture('image.json'));
  t.is(checks[0]!.seq, 4097); // ⌊1024/16⌋² = 64² = 4096 patches + [CLS]
  t.is(checks[0]!.seqFormula, '⌊1024/16⌋·⌊1024/16⌋ + 1 = 64·64 + 1 = 4097 (vit-b-16 has a class token)');
  const [image, plain] = checks.map(evaluateCheck);
  t.deepEqual(image!.expectations, plain!.expectations);
  t.is(image!.expectations.length, 3); // fits, maxLatency, minTokensPerSec from defaults.expect
});

test('typo in a field name: one problem line naming the path and the nearest key', async t => {
  const file = fixture('typo.yaml');
  const err = await t.throwsAsync(loadCapacityFile(file), {instanceOf: InvalidInputError});
  t.is(
    err!.message,
    `${file}: checks[1].expect.maxLatncy: unknown key 'maxLatncy'; did you mean 'maxLatency'?`,
  );
  t.deepEqual(err!.path, ['checks', 1, 'expect', 'maxLatncy']);
});

test('unknown preset and variant: every problem listed, each naming its check', async t => {
  const file = fixture('unknown.yaml');
  const err = await t.throwsAsync(loadCapacityFile(file), {instanceOf: InvalidInputError});
  const lines = err!.message.split('\n');
  t.is(lines.length, 2);
  t.true(
    lines[0]!.startsWith(
      `${file}: checks[0].model: check 'misspelt preset': 'gpt2-smal' is not a model preset; did you mean 'gpt2-small'? Valid: `,
    ),
  );
  t.true(
    lines[1]!.startsWith(
      `${file}: checks[1].variant: check 'misspelt variant': 'windw' is not a variant; did you mean 'window'? Valid: standard, flash, window,`,
    ),
  );
});

const row = (name: string, pass: boolean) => ({
  name,
  pass,
  model: 'gpt2-small',
  hardware: 'a100-40gb',
  variant: 'flash',
  variantParams: {},
  variantLabel: 'flash',
  seq: 8192,
  batch: 1,
  dtype: 'bf16',
  mode: 'prefill',
  expectations: [
    // (2 − 3.1)/2 = −0.55
    {kind: 'maxLatency' as const, unit: 'seconds' as const, measured: 3.1, bound: 2, margin: -0.55, pass},
  ],
});

test('junitXml: one testcase per check, failure message puts measured next to bound, names escaped', async t => {
  const q: CheckQuery = {
    file: 'ci/capacity.yaml',
    rows: [row('ok <a&b>', true), row('slow "prefill"', false)],
    inputs: {},
    warnings: [],
  };
  const xml = await junitXml(q);
  // Parse it back (the DOM gives attribute values unescaped).
  const root = create(xml).root().node as unknown as XmlElement;
  t.is(root.getAttribute('tests'), '2');
  t.is(root.getAttribute('failures'), '1');
  t.is(root.getElementsByTagName('testsuite')[0]!.getAttribute('name'), 'ci/capacity.yaml');
  const cases = [...root.getElementsByTagName('testcase')];
  t.deepEqual(
    cases.map(c => [
      c.getAttribute('name'),
      c.getAttribute('classname'),
      c.getElementsByTagName('failure')[0]?.getAttribute('message'),
    ]),
    [
      ['ok <a&b>', 'attncap.check.capacity', undefined],
      ['slow "prefill"', 'attncap.check.capacity', 'maxLatency 3.10 s vs ≤ 2.00 s'],
    ],
  );
});

test('junitXml: testcase count equals the number of checks (property)', async t => {
  await t.notThrowsAsync(() =>
    fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string({unit: 'grapheme-ascii', minLength: 1}), fc.boolean()), {maxLength: 12}),
        async entries => {
          const q: CheckQuery = {
            file: 'x.json',
            rows: entries.map(([n, p]) => row(n, p)),
            inputs: {},
            warnings: [],
          };
          const xml = await junitXml(q);
          const cases = xml.match(/<testcase /g)?.length ?? 0;
          const failures = xml.match(/<failure /g)?.length ?? 0;
          return cases === entries.length && failures === entries.filter(([, p]) => !p).length;
        },
      ),
    ),
  );
});
