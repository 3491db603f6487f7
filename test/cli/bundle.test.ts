import {spawnSync} from 'node:child_process';
import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {ROOT, runCli, runJson} from '../helpers/cli.js';

const BUNDLE = join(ROOT, 'dist', 'attncap.cjs');

/** Runs an ES-module snippet in a fresh Node that loads the bundle the way bin/run.js does. */
function withBundle(body: string): string {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const {loadBundle} = await import(${JSON.stringify(join(ROOT, 'bin', 'load-bundle.js'))});
       const bundle = loadBundle(${JSON.stringify(BUNDLE)});
       ${body}`,
    ],
    {cwd: ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}},
  );
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

test('the build writes a code cache this Node accepts (else every command re-parses the bundle)', t => {
  t.is(withBundle("console.log(bundle.cacheRejected ? 'rejected' : 'accepted');").trim(), 'accepted');
});

test('the bundle is pure ASCII, so bin/load-bundle.js may read it as latin1', t => {
  const bytes = readFileSync(BUNDLE);
  t.is(
    bytes.findIndex(b => b > 0x7f),
    -1,
  );
});

test('a model command loads neither gpu.js nor write-file-atomic; the bundle is the only attncap module', t => {
  const out = withBundle(`
    const stdout = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    await bundle.exports.main(['cost', '--json']);
    process.stdout.write = stdout;
    const {createRequire} = await import('node:module');
    console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`);
  const loaded = JSON.parse(out) as string[];
  t.deepEqual(
    loaded.filter(path => /gpu\.js|gpu\.cjs|write-file-atomic|xmlbuilder2|@oclif/.test(path)),
    [],
  );
  t.true(loaded.includes(BUNDLE));
  t.false(loaded.some(path => path.includes(`${join('dist', 'src')}`)));
});

test('help: a command, a topic, and the root, each with an example; unknown subjects suggest', t => {
  const maxSeq = runCli(['help', 'max-seq']);
  t.is(maxSeq.code, 0);
  t.regex(maxSeq.stdout, /USAGE\n {2}\$ attncap max-seq/);
  t.regex(maxSeq.stdout, /EXAMPLES\n {2}\$ attncap max-seq/);
  t.regex(runCli(['help', 'tokens']).stdout, /tokens image +Tokens of an image/);
  t.regex(runCli(['help']).stdout, /COMMANDS\n[\s\S]* max-seq +The longest sequence/);

  const typo = runCli(['help', 'max-sq']);
  t.is(typo.code, 2);
  t.is(typo.stdout, '');
  t.regex(typo.stderr, /'max-sq' is not an attncap command or topic; did you mean 'max-seq'\?/);
});

test('help --json: the help text in the envelope; an unknown subject is INVALID_INPUT', t => {
  const ok = runJson<{ok: boolean; results: {subject: string; text: string}[]}>(['help', 'tokens', 'image']);
  t.is(ok.code, 0);
  t.is(ok.json.results[0]!.subject, 'tokens image');
  t.regex(ok.json.results[0]!.text, /USAGE\n {2}\$ attncap tokens image/);

  const bad = runJson<{ok: boolean; error: {code: string; path: string[]}}>(['help', 'nosuch']);
  t.is(bad.code, 2);
  t.deepEqual([bad.json.ok, bad.json.error.code, bad.json.error.path], [false, 'INVALID_INPUT', ['command']]);
});

test('an unbuilt checkout says how to build (exit 3), without a stack trace', t => {
  const dir = mkdtempSync(join(tmpdir(), 'attncap-unbuilt-'));
  try {
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), {recursive: true});
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'run.js'), 'cost'], {encoding: 'utf8'});
    t.is(r.status, 3);
    t.regex(r.stderr, /dist\/attncap\.cjs is missing: this checkout is not built\.\nhint: run npm run build/);
    t.notRegex(r.stderr, /\n\s+at /);
    // --version needs no build.
    t.is(
      spawnSync(process.execPath, [join(dir, 'bin', 'run.js'), '--version'], {encoding: 'utf8'}).status,
      0,
    );
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

/**
 * The query commands start without oclif's Config.load (src/cli/main.ts, docs/startup.md). That
 * path is only sound while attncap has no oclif hook it would skip (init, prerun, preparse,
 * postrun, finally): the one hook is command_not_found, which that path never needs.
 */
test('the direct start path skips no oclif hook: command_not_found is the only one', t => {
  const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    oclif: {hooks?: Record<string, unknown>};
  };
  t.deepEqual(Object.keys(pjson.oclif.hooks ?? {}), ['command_not_found']);
});

/** stdout, stderr and exit code of `argv` run through oclif's own `run` (its Config.load), in-process. */
function viaOclif(argv: readonly string[]): {stdout: string; stderr: string; code: number} {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const {loadBundle} = await import(${JSON.stringify(join(ROOT, 'bin', 'load-bundle.js'))});
       const {pathToFileURL} = await import('node:url');
       const {exports} = loadBundle(${JSON.stringify(BUNDLE)});
       try {
         await exports.run(exports.route(${JSON.stringify(argv)}), pathToFileURL(${JSON.stringify(BUNDLE)}).href);
       } catch (error) {
         process.exitCode = error?.oclif?.exit ?? 70;
       }`,
    ],
    {cwd: ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}},
  );
  return {stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1};
}

test('query commands print and exit exactly as through oclif: results, envelopes, parse errors, bad values', t => {
  const cases = [
    ['cost', '--json'],
    ['latency', '--model', 'llama-3.1-8b', '--seq', '4k'],
    ['max-seq', '--hardware', 'nope', '--json'],
    ['memory', '--bogus'],
    ['memory', '--bogus', '--json'],
    ['report', '--json', '--seq', '-5'],
    ['--model', 'gpt2-small', '--json'],
    ['serve', '--json', 'extra'],
    ['memory', 'extra', '--json'],
    ['compare', '--json'],
    ['crossover', '--hardware', 'h100-sxm'],
    ['complexity', '--variant', 'nope', '--json'],
  ];
  for (const argv of cases) {
    const direct = runCli(argv);
    const oclif = viaOclif(argv);
    t.is(direct.code, oclif.code, argv.join(' '));
    t.is(direct.stdout, oclif.stdout, argv.join(' '));
    t.is(direct.stderr, oclif.stderr, argv.join(' '));
  }
});

test("bin/run.js checks package.json's engines.node, since the bundle leaves oclif's check out", t => {
  const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {engines: {node: string}};
  const minimum = /const MIN_NODE = \[(\d+), (\d+)\];/.exec(
    readFileSync(join(ROOT, 'bin', 'run.js'), 'utf8'),
  );
  t.truthy(minimum, 'bin/run.js declares MIN_NODE');
  t.is(pjson.engines.node, `>=${minimum?.[1]}.${minimum?.[2]}`);
  t.false(readFileSync(BUNDLE, 'latin1').includes('checkNodeVersion()'));
});
