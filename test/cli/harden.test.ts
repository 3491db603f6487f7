/**
 * The CI contract under hostile conditions (issue 16, docs/limits.md), on the built binary: the
 * whole output drains through a slow pipe on a failing exit; output files replace regular files
 * only; data files are bounded; YAML aliases and duplicate keys; budgets; non-finite what-ifs;
 * --json for help, version and topics.
 */
import {spawn, spawnSync} from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {create} from 'xmlbuilder2';
import {BIN, ROOT, runCli, runJson} from '../helpers/cli.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'attncap-harden-'));

/** A capacity file of `count` checks, every one failing (a latency bound of 1 µs). */
function failingCapacityFile(dir: string, count: number, name = (i: number) => `check-${i}`): string {
  const lines = ['schemaVersion: 1', 'defaults: {model: gpt2-small, hardware: h100-sxm}', 'checks:'];
  for (let i = 0; i < count; i++)
    lines.push(`  - {name: ${JSON.stringify(name(i))}, seq: ${1024 + i}, expect: {maxLatency: 1us}}`);
  const file = join(dir, 'failing.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Runs the binary with a reader that starts only after `delayMs`: the pipe fills while it waits. */
function runSlowReader(args: string[], delayMs: number): Promise<{code: number; stdout: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: ROOT, env: {...process.env, NO_COLOR: '1'}});
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('data', chunk => chunks.push(chunk));
      child.stdout.resume();
    }, delayMs);
    child.on('error', reject);
    child.on('close', code => resolve({code: code ?? -1, stdout: Buffer.concat(chunks).toString('utf8')}));
  });
}

test('a failing check piped to a slow reader: all of its 1 MB+ of JSON arrives and parses, exit 1', async t => {
  const file = failingCapacityFile(tempDir(), 1000);
  const r = await runSlowReader(['check', file, '--json'], 1500);
  t.is(r.code, 1);
  t.true(r.stdout.length > 1_000_000, `${r.stdout.length} bytes`);
  const doc = JSON.parse(r.stdout) as {ok: boolean; results: unknown[]; error: {code: string}};
  t.false(doc.ok);
  t.is(doc.results.length, 1000);
  t.is(doc.error.code, 'CHECK_FAILED');
});

/** A FIFO made with mkfifo(1), or undefined where there is none (Windows). */
function fifo(dir: string): string | undefined {
  const path = join(dir, 'fifo');
  return spawnSync('mkfifo', [path]).status === 0 ? path : undefined;
}

const PASSING = 'test/fixtures/check/passing.yaml';

test('--junit to /dev/null, a FIFO or a symbolic link is refused (exit 2) and replaces nothing', t => {
  const dir = tempDir();
  const devnull = runCli(['check', PASSING, '--junit', '/dev/null']);
  t.is(devnull.code, 2);
  t.is(
    devnull.stderr.split('\n')[0],
    "attncap: --junit '/dev/null' is a character device; attncap replaces only regular files (--force writes into it)",
  );
  t.true(lstatSync('/dev/null').isCharacterDevice(), '/dev/null is still a character device');

  const pipe = fifo(dir);
  if (pipe) {
    const r = runCli(['check', PASSING, '--junit', pipe]);
    t.is(r.code, 2);
    t.regex(r.stderr, /is a FIFO \(named pipe\); attncap replaces only regular files/);
    t.true(lstatSync(pipe).isFIFO(), 'the FIFO is still a FIFO');
  }

  const target = join(dir, 'target.xml');
  writeFileSync(target, 'previous report');
  const link = join(dir, 'link.xml');
  symlinkSync(target, link);
  const r = runCli(['check', PASSING, '--junit', link]);
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /is a symbolic link; attncap replaces only regular files \(--force writes to the link's target\)/,
  );
  t.true(lstatSync(link).isSymbolicLink());
  t.is(readlinkSync(link), target);
  t.is(readFileSync(target, 'utf8'), 'previous report');

  const dirTarget = runCli(['check', PASSING, '--junit', dir, '--force']);
  t.is(dirTarget.code, 2, 'a directory is refused even with --force');
  t.regex(dirTarget.stderr, /is a directory; give a file path/);
});

test('--force writes through a symbolic link (its target replaced, the link kept) and into /dev/null', t => {
  const dir = tempDir();
  const target = join(dir, 'target.xml');
  writeFileSync(target, 'previous report');
  const link = join(dir, 'link.xml');
  symlinkSync(target, link);
  const r = runCli(['check', PASSING, '--junit', link, '--force']);
  t.is(r.code, 0, r.stderr);
  t.true(lstatSync(link).isSymbolicLink());
  t.regex(readFileSync(target, 'utf8'), /<testsuites name="attncap check"/);
  const devnull = runCli(['check', PASSING, '--junit', '/dev/null', '--force']);
  t.is(devnull.code, 0, devnull.stderr);
  t.true(statSync('/dev/null').isCharacterDevice());
});

test("--junit '' is invalid input, not silently ignored", t => {
  const r = runCli(['check', PASSING, '--junit', '']);
  t.is(r.code, 2);
  t.is(r.stderr.split('\n')[0], 'attncap: --junit is empty: give a file path');
});

test('the JUnit report is written on exit 2 too, with one testcase carrying the error', t => {
  const dir = tempDir();
  const junit = join(dir, 'report.xml');
  const r = runCli(['check', 'test/fixtures/check/typo.yaml', '--junit', junit]);
  t.is(r.code, 2);
  const doc = create(readFileSync(junit, 'utf8')).root().node as unknown as {
    getElementsByTagName(name: string): ArrayLike<{getAttribute(name: string): string | null}>;
  };
  const error = doc.getElementsByTagName('error')[0];
  t.is(error.getAttribute('type'), 'INVALID_INPUT');
  t.regex(
    error.getAttribute('message') ?? '',
    /maxLatncy: unknown key 'maxLatncy'; did you mean 'maxLatency'\?/,
  );
  t.is(doc.getElementsByTagName('testcase').length, 1);
});

test('control characters in check names: well-formed JUnit, no escape sequence reaches the terminal', t => {
  const dir = tempDir();
  const file = failingCapacityFile(dir, 2, i => `evil\u001b[31m\u0007 name ${i}\nsecond line\u0000`);
  const junit = join(dir, 'report.xml');
  const r = runCli(['check', file, '--junit', junit]);
  t.is(r.code, 1);
  t.false(r.stdout.includes('\u001b'), 'no ESC in the table');
  t.false(r.stdout.includes('\u0007'), 'no BEL in the table');
  t.true(r.stdout.includes('evil\\u001b[31m\\u0007 name 0 second line\\u0000'));
  t.false(r.stderr.includes('\u001b'), 'no ESC in the failure message');
  const xml = readFileSync(junit, 'utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what XML 1.0 forbids
  t.notRegex(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  const doc = create(xml).root().node as unknown as {
    getElementsByTagName(name: string): ArrayLike<{getAttribute(name: string): string | null}>;
  };
  t.is(
    doc.getElementsByTagName('testcase')[0].getAttribute('name'),
    'evil\\u001b[31m\\u0007 name 0 second line\\u0000',
  );
});

test('data files: devices, FIFOs, directories and files over 1 MiB are refused with exit 2, never read', t => {
  const dir = tempDir();
  const zero = runCli(['latency', '--model-file', '/dev/zero']);
  t.is(zero.code, 2);
  t.is(
    zero.stderr.split('\n')[0],
    "attncap: model file '/dev/zero' is a character device; attncap reads regular files only",
  );
  const big = join(dir, 'big.json');
  writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 0x20));
  const large = runCli(['check', big]);
  t.is(large.code, 2);
  t.is(
    large.stderr.split('\n')[0],
    `attncap: capacity file '${big}' is 1048577 bytes; data files are limited to 1 MiB (1048576 bytes)`,
  );
  const pipe = fifo(dir);
  if (pipe) {
    const r = runCli(['check', pipe]);
    t.is(r.code, 2);
    t.regex(r.stderr, /is a FIFO \(named pipe\); attncap reads regular files only/);
  }
  const folder = runJson(['latency', '--hardware-file', dir]);
  t.is(folder.code, 2);
  t.is(
    (folder.json as {error: {message: string}}).error.message,
    `hardware file '${dir}' is a directory; attncap reads regular files only`,
  );
});

test("a file that is not a data file: the error quotes one character, never the file's text", t => {
  const dir = tempDir();
  const file = join(dir, 'secret.json');
  writeFileSync(file, 'password=hunter2-very-secret\n');
  const r = runCli(['latency', '--model-file', file]);
  t.is(r.code, 2);
  t.is(r.stderr.split('\n')[0], `attncap: ${file}:1:1: invalid JSON: expected a value, found 'p'`);
  t.false(r.stderr.includes('hunter2'));
});

test('YAML: one anchor reused 120 times works; unresolved aliases, null and duplicate keys are exit 2 with where', t => {
  const dir = tempDir();
  const many = join(dir, 'many.yaml');
  const lines = [
    'schemaVersion: 1',
    'checks:',
    '  - {name: c0, model: gpt2-small, hardware: &h h100-sxm, seq: 1k, expect: &e {fits: true}}',
  ];
  for (let i = 1; i <= 120; i++)
    lines.push(`  - {name: c${i}, model: gpt2-small, hardware: *h, seq: 1k, expect: *e}`);
  writeFileSync(many, `${lines.join('\n')}\n`);
  const ok = runCli(['check', many]);
  t.is(ok.code, 0, ok.stderr);
  t.true(ok.stdout.includes('121 of 121 checks passed'));

  const cases: [string, string, string][] = [
    [
      'alias.yaml',
      'schemaVersion: 1\nchecks: *nowhere\n',
      'alias.yaml:2:9: invalid YAML: alias *nowhere names no anchor (&nowhere) set before it',
    ],
    ['null.yaml', '~\n', 'null.yaml:1:1: the file holds null; expected a YAML object'],
    [
      'comments.yaml',
      '# nothing here\n',
      'comments.yaml:1:1: the file holds no data (only comments); expected a YAML object',
    ],
    [
      'dup.yaml',
      'schemaVersion: 1\ndefaults:\n  batch: 1\n  batch: 2\n',
      "dup.yaml: defaults.batch: duplicate key 'batch' (again at line 4, column 3): keep one",
    ],
    [
      'dup.json',
      '{"schemaVersion": 1, "defaults": {"seq": "1k", "seq": "2k"}}',
      "dup.json: defaults.seq: duplicate key 'seq' (again at line 1, column 48): keep one",
    ],
  ];
  for (const [name, text, message] of cases) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const r = runJson(['check', file]);
    t.is(r.code, 2, name);
    t.is((r.json as {error: {message: string}}).error.message, join(dir, message), name);
  }
});

test('work budgets: a sweep over its point budget and a bench at 1M tokens are exit 2 naming the product', t => {
  const hw = ['--hardware', 'h100-sxm', '--hardware', 'a100-80gb', '--hardware', 't4'];
  const sweep = runCli(['sweep', '--seq', '1..90k:+1', '--metric', 'latency', ...hw]);
  t.is(sweep.code, 2);
  t.is(
    sweep.stderr.split('\n')[0],
    'attncap: sweep would evaluate 92,160 lengths × 5 variants × 3 hardware = 1,382,400 points, over the budget of 1,000,000: use fewer values (larger steps), variants or hardware, or raise the budget with --max-points 1382400',
  );
  const raised = runCli([
    'sweep',
    '--seq',
    '1..90k:+1',
    '--metric',
    'latency',
    ...hw,
    '--max-points',
    '9000000',
  ]);
  t.is(raised.code, 2);
  t.is(
    raised.stderr.split('\n')[0],
    'attncap: --max-points 9000000 is out of range for sweep: 1 to 2,000,000',
  );
  const bench = runCli(['bench', '--seq', '1M', '--variant', 'linear']);
  t.is(bench.code, 2);
  t.is(
    bench.stderr.split('\n')[0],
    'attncap: bench would evaluate 1 case (the largest linear at n 1,048,576: 4 heads × 1,048,576 queries × 1,048,576 keys) = 4,398,046,511,104 score elements, over the budget of 134,217,728: use shorter sequences (the default is 256..2048)',
  );
});

test('what-ifs that would overflow a double are exit 2 naming the input, in text and --json', t => {
  const flops = runJson(['latency', '--peak-flops', '1e-308']);
  t.is(flops.code, 2);
  t.is(
    (flops.json as {error: {message: string}}).error.message,
    "--peak-flops '1e-308' is 1.000e-308 FLOP/s, outside the physical range 1M to 1000E (1000000–1e+21 FLOP/s)",
  );
  const text = runCli(['latency', '--bandwidth', '1e300']);
  t.is(text.code, 2);
  t.regex(text.stderr, /^attncap: --bandwidth '1e300' is 1\.000e\+300 B\/s, outside the physical range/);
  const tokens = runCli(['tokens', 'text', '--chars', '1000', '--bytes-per-char', '1e308']);
  t.is(tokens.code, 2);
  t.regex(tokens.stderr, /^attncap: 1000 characters at 1e\+308 bytes each exceed 2\^53 bytes/);
});

test('--json is honoured by --version, --help, -h and topics: one JSON document each', t => {
  const version = runJson(['--version']);
  t.is(version.code, 0);
  t.like(version.json, {command: 'version', ok: true, results: [{name: 'attncap'}]});
  const viaOclif = runJson(['--json', '-v']);
  t.deepEqual(viaOclif.json, version.json, 'the bundle and the fast path print the same document');
  for (const argv of [['--help'], ['-h'], ['latency', '--help'], ['presets'], ['tokens']]) {
    const r = runJson(argv);
    t.is(r.code, 0, argv.join(' '));
    t.is((r.json as {command: string}).command, 'help');
  }
  const topic = runJson(['presets']).json as {results: {subject: string; commands: {command: string}[]}[]};
  t.is(topic.results[0].subject, 'presets');
  t.deepEqual(
    topic.results[0].commands.map(c => c.command),
    ['presets hardware', 'presets import', 'presets models', 'presets variants'],
  );
  const help = runCli(['-h']);
  t.is(help.code, 0);
  t.regex(help.stdout, /^USAGE|COMMANDS/m);
});

test('nothing is left beside a written report but the report itself', t => {
  const dir = tempDir();
  const junit = join(dir, 'report.xml');
  t.is(runCli(['check', PASSING, '--junit', junit]).code, 0);
  t.true(existsSync(junit));
  t.deepEqual(spawnSync('ls', ['-A', dir], {encoding: 'utf8'}).stdout.trim().split('\n'), ['report.xml']);
});
