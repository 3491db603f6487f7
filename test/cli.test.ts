/**
 * The contract of docs/design.md §2.2 as a user meets it: the JSON envelope, exit codes, no stack traces,
 * the default command. Runs the built binary.
 */
import test from 'ava';
import {runCli, runJson} from './helpers/cli.js';

test('--version prints the version and exits 0', t => {
  const r = runCli(['--version']);
  t.is(r.code, 0);
  t.regex(r.stdout, /^attncap\/\d+\.\d+\.\d+/);
});

test('--help lists the commands', t => {
  const r = runCli(['--help']);
  t.is(r.code, 0);
  for (const command of ['cost', 'compare', 'complexity', 'presets'])
    t.true(r.stdout.includes(command), command);
});

test('a successful --json run prints one envelope with resolved inputs', t => {
  const r = runJson(['cost', '--model', 'gpt2-small', '--seq', '1k', '--variant', 'standard']);
  t.is(r.code, 0, r.stderr);
  const env = r.json as {
    schemaVersion: number;
    command: string;
    ok: boolean;
    inputs: {batch: number; assumptions: {profile: string}};
    results: {flops: number}[];
    warnings: string[];
  };
  t.is(env.schemaVersion, 2);
  t.is(env.command, 'cost');
  t.true(env.ok);
  t.is(env.inputs.batch, 1);
  t.is(env.inputs.assumptions.profile, 'detailed');
  t.is(env.results.length, 1);
  t.deepEqual(env.warnings, []);
});

test('invalid input: exit 2, a message naming the value, no stack trace', t => {
  const r = runCli(['cost', '--seq', '12q']);
  t.is(r.code, 2);
  t.regex(r.stderr, /--seq '12q'/);
  t.notRegex(r.stderr, /\n\s+at /);
});

test('invalid input under --json: exactly one JSON document with ok false, still exit 2', t => {
  const r = runJson(['cost', '--variant', 'windw']);
  t.is(r.code, 2);
  const env = r.json as {ok: boolean; error: {code: string; message: string; path: string[]}};
  t.false(env.ok);
  t.is(env.error.code, 'INVALID_INPUT');
  t.regex(env.error.message, /did you mean 'window'/);
  t.deepEqual(env.error.path, ['variant']);
  t.is(r.stderr, '');
});

test('an unknown flag is invalid input (exit 2), also under --json', t => {
  t.is(runCli(['cost', '--nosuch']).code, 2);
  const r = runJson(['cost', '--nosuch']);
  t.is(r.code, 2);
  t.is((r.json as {error: {code: string}}).error.code, 'INVALID_INPUT');
});

test('a bad option value is invalid input (exit 2)', t => {
  const r = runCli(['cost', '--dtype', 'fp33']);
  t.is(r.code, 2);
  t.regex(r.stderr, /fp33/);
});

test('no ANSI colour when stdout is not a TTY', t => {
  const r = runCli(['cost', '--seq', '1k'], {env: {NO_COLOR: ''}});
  t.is(r.code, 0);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
  t.notRegex(r.stdout, /\u001b\[/);
});

test('an unknown command is invalid input with the nearest command suggested', t => {
  const r = runCli(['cots']);
  t.is(r.code, 2);
  t.is(
    r.stderr,
    "attncap: 'cots' is not an attncap command; did you mean 'cost'?\nhint: Run attncap --help for the list of commands.\n",
  );
  const j = runJson(['cost', 'bytes:']);
  t.is(j.code, 2);
  t.is((j.json as {error: {code: string}}).error.code, 'INVALID_INPUT');
});

test('attncap with no command, or only flags, runs the default report', t => {
  const r = runJson(['--seq', '1k', '--hardware', 'h100-sxm']);
  t.is(r.code, 0, r.stderr);
  t.is((r.json as {command: string}).command, 'report');
});

test('the --version fast path prints exactly what oclif prints', async t => {
  const {runInProcess} = await import('./helpers/inprocess.js');
  const viaOclif = await runInProcess(['--version']);
  const fast = runCli(['--version']);
  t.is(fast.code, 0);
  t.is(fast.stdout, viaOclif.stdout);
});
