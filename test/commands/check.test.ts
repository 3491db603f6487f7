import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {create} from 'xmlbuilder2';
import {runCli, runJson} from '../helpers/cli.js';

interface CheckEnvelope {
  ok: boolean;
  command: string;
  inputs: {file: string; junit: string | null; checks: {name: string; seq: number; seqSpec: string}[]};
  results: {
    name: string;
    pass: boolean;
    expectations: {kind: string; measured: number; bound: number; margin: number; pass: boolean}[];
  }[];
  error?: {code: string; message: string; path: (string | number)[]};
}

/** The slice of the DOM that xmlbuilder2's parsed nodes implement and these tests read. */
interface XmlElement {
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement> & Iterable<XmlElement>;
}

const F = 'test/fixtures/check';

test('all checks pass: exit 0, PASS rows and the summary', t => {
  const {code, stdout, stderr} = runCli(['check', `${F}/passing.yaml`]);
  t.is(code, 0, stderr);
  t.regex(stdout, /PASS +│ gpt2-small flash 8k fits/);
  t.regex(stdout, /PASS +│ gpt2-small standard keeps 8k +│ minMaxSeq +│ +[\d,]+ +│ +≥ 8,192/);
  t.notRegex(stdout, /FAIL/);
  t.true(stdout.includes(`2 of 2 checks passed (${F}/passing.yaml)`));
  // 8k tokens is past GPT-2's trained context: the check passes and says so.
  t.is(
    stderr,
    "warning: n = 8,192 is beyond gpt2-small's context length of 1,024 tokens (contextLength): the model was not trained for it, so its cost is computable but its answers are not to be trusted there\n",
  );
});

test('mixed file: exit 1, prints PASS and FAIL, the failure on stderr, and a JUnit report that parses', t => {
  const dir = mkdtempSync(join(tmpdir(), 'attncap-check-'));
  const junit = join(dir, 'reports', 'capacity.xml'); // the folder does not exist yet
  const {code, stdout, stderr} = runCli(['check', `${F}/mixed.yaml`, '--junit', junit]);
  t.is(code, 1);
  t.regex(stdout, /PASS +│ flash at 8k passes +│ fits/);
  t.regex(
    stdout,
    /FAIL +│ standard at 128k <fails> & "escapes" +│ fits +│ +does not fit: [\d.]+ GiB with reserve +│ +≤ 40\.0 GiB +│ +-\d+%/,
  );
  t.regex(stdout, /FAIL +│ standard at 128k <fails> & "escapes" +│ minMaxSeq +│ +[\d,]+ +│ +≥ 131,072/);
  t.true(stdout.includes('1 of 2 checks passed, 1 failed'));
  t.true(stderr.startsWith('warning: n = 8,192 is beyond'));
  t.true(
    stderr.endsWith(
      `attncap: 1 of 2 checks failed: 'standard at 128k <fails> & "escapes"' (fits, minMaxSeq)\n`,
    ),
  );
  // Parse it back (the DOM gives attribute values unescaped).
  const root = create(readFileSync(junit, 'utf8')).root().node as unknown as XmlElement;
  t.is(root.getAttribute('tests'), '2');
  t.is(root.getAttribute('failures'), '1');
  const [pass, fail] = [...root.getElementsByTagName('testcase')];
  t.is(pass!.getAttribute('name'), 'flash at 8k passes');
  t.is(pass!.getElementsByTagName('failure').length, 0);
  t.is(fail!.getAttribute('name'), 'standard at 128k <fails> & "escapes"');
  t.regex(
    fail!.getElementsByTagName('failure')[0]!.getAttribute('message')!,
    /^fits does not fit: [\d.]+ GiB with reserve vs ≤ 40\.0 GiB; minMaxSeq [\d,]+ vs ≥ 131,072$/,
  );
});

test('mixed file --json: one document, ok false, results still carried, CHECK_FAILED', t => {
  const {code, json} = runJson<CheckEnvelope>(['check', `${F}/mixed.yaml`]);
  t.is(code, 1);
  t.false(json.ok);
  t.is(json.command, 'check');
  t.is(json.error?.code, 'CHECK_FAILED');
  t.deepEqual(json.error?.path, ['checks', 1]);
  t.deepEqual(
    json.results.map(r => [r.name, r.pass, r.expectations.map(e => [e.kind, e.pass])]),
    [
      ['flash at 8k passes', true, [['fits', true]]],
      [
        'standard at 128k <fails> & "escapes"',
        false,
        [
          ['fits', false],
          ['minMaxSeq', false],
        ],
      ],
    ],
  );
  t.is(json.inputs.junit, null);
});

test('typo in a field name: exit 2 naming the path, nothing on stdout', t => {
  const {code, stdout, stderr} = runCli(['check', `${F}/typo.yaml`]);
  t.is(code, 2);
  t.is(stdout, '');
  t.is(
    stderr,
    `attncap: ${F}/typo.yaml: checks[1].expect.maxLatncy: unknown key 'maxLatncy'; did you mean 'maxLatency'?\n` +
      'hint: The capacity file format is in docs/ci.md; its JSON Schema is docs/schema/capacity-file.json.\n',
  );
});

test('unknown preset --json: exit 2, INVALID_INPUT naming the check', t => {
  const {code, json} = runJson<CheckEnvelope>(['check', `${F}/unknown.yaml`]);
  t.is(code, 2);
  t.false(json.ok);
  t.is(json.error?.code, 'INVALID_INPUT');
  t.deepEqual(json.error?.path, ['checks', 0, 'model']);
  t.true(
    json.error!.message.includes(
      "checks[0].model: check 'misspelt preset': 'gpt2-smal' is not a model preset",
    ),
  );
});

test('seq image:1024x1024/16 behaves like seq 4097 (ViT-B/16 adds its class token)', t => {
  const {code, json} = runJson<CheckEnvelope>(['check', `${F}/image.json`]);
  t.is(code, 0);
  t.deepEqual(
    json.inputs.checks.map(c => [c.seq, c.seqSpec]),
    [
      [4097, 'image:1024x1024/16'],
      [4097, '4097'],
    ],
  );
  t.deepEqual(json.results[0]!.expectations, json.results[1]!.expectations);
});

test('unwritable --junit path: exit 3', t => {
  const {code, stderr} = runCli(['check', `${F}/passing.yaml`, '--junit', '/dev/null/capacity.xml']);
  t.is(code, 3);
  t.true(stderr.startsWith("attncap: cannot write --junit report '/dev/null/capacity.xml': "));
});

test('missing file: exit 2', t => {
  const {code, stderr} = runCli(['check', `${F}/absent.yaml`]);
  t.is(code, 2);
  t.true(stderr.startsWith(`attncap: cannot read capacity file '${F}/absent.yaml': no such file\n`));
});

test('examples/capacity.yaml passes and examples/capacity-failing.yaml fails', t => {
  const ok = runCli(['check', 'examples/capacity.yaml']);
  t.is(ok.code, 0, ok.stderr);
  t.true(ok.stdout.includes('3 of 3 checks passed'));
  const bad = runCli(['check', 'examples/capacity-failing.yaml']);
  t.is(bad.code, 1);
  t.regex(bad.stdout, /PASS/);
  t.regex(bad.stdout, /FAIL/);
});
