import {spawnSync} from 'node:child_process';
import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {ROOT, runCli, runJson} from '../helpers/cli.js';

const BUNDLE = join(ROOT, 'dist', 'attncap.cjs');
const QUERY_BUNDLE = join(ROOT, 'dist', 'query.cjs');

/** Runs an ES-module snippet in a fresh Node that loads `bundle` the way bin/run.js does. */
function withBundle(body: string, file = BUNDLE): string {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const {loadBundle} = await import(${JSON.stringify(join(ROOT, 'bin', 'load-bundle.js'))});
       const bundle = loadBundle(${JSON.stringify(file)});
       ${body}`,
    ],
    {cwd: ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}},
  );
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

test('the build writes code caches this Node accepts (else every command re-parses its bundle)', t => {
  for (const file of [BUNDLE, QUERY_BUNDLE])
    t.is(
      withBundle("console.log(bundle.cacheRejected ? 'rejected' : 'accepted');", file).trim(),
      'accepted',
      file,
    );
});

test('the bundles are pure ASCII, so bin/load-bundle.js may read them as latin1', t => {
  for (const file of [BUNDLE, QUERY_BUNDLE])
    t.is(
      readFileSync(file).findIndex(b => b > 0x7f),
      -1,
      file,
    );
});

test('a query loads the query bundle alone: not the full CLI, gpu.js, write-file-atomic or YAML', t => {
  const out = withBundle(
    `
    const stdout = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    const ran = await bundle.exports.main(['cost', '--json']);
    process.stdout.write = stdout;
    const {createRequire} = await import('node:module');
    console.log(JSON.stringify({ran, exitCode: process.exitCode ?? 0, loaded: Object.keys(createRequire(import.meta.url).cache)}));`,
    QUERY_BUNDLE,
  );
  const {ran, exitCode, loaded} = JSON.parse(out) as {ran: boolean; exitCode: number; loaded: string[]};
  t.true(ran);
  t.is(exitCode, 0);
  t.deepEqual(
    loaded.filter(path =>
      /gpu\.js|gpu\.cjs|write-file-atomic|xmlbuilder2|yaml|@oclif|attncap\.cjs/.test(path),
    ),
    [],
  );
  t.true(loaded.includes(QUERY_BUNDLE));
  t.false(loaded.some(path => path.includes(`${join('dist', 'src')}`)));
});

test("the query bundle holds none of oclif's configuration, plugin loading or help", t => {
  const text = readFileSync(QUERY_BUNDLE, 'latin1');
  for (const left of [
    '@oclif/core/lib/config/',
    '@oclif/core/lib/help/command.js',
    '@oclif/core/lib/main.js',
    'node_modules/ejs/',
  ])
    t.false(text.includes(`// node_modules/${left.replace(/^node_modules\//, '')}`), left);
  // …while the full CLI still does (the check above would pass vacuously if esbuild's comments changed).
  t.true(readFileSync(BUNDLE, 'latin1').includes('// node_modules/@oclif/core/lib/config/config.js'));
});

test('the query bundle declines what is not a query, printing nothing: help, topics, other commands', t => {
  const out = withBundle(
    `
    const seen = [];
    const stdout = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    for (const argv of ${JSON.stringify([
      ['cost', '--help'],
      ['--help'],
      ['cost', '-h', '--json'],
      ['help', 'cost'],
      ['presets'],
      ['presets', 'models'],
      ['sweep', '--json'],
      ['check', 'x.yaml'],
      ['memory', 'extra'],
      ['--version'],
      ['nosuch'],
    ])}) {
      let printed = '';
      process.stdout.write = process.stderr.write = chunk => { printed += chunk; return true; };
      const ran = await bundle.exports.main(argv);
      process.stdout.write = stdout;
      process.stderr.write = stderr;
      seen.push({argv, ran, printed, exitCode: process.exitCode ?? 0});
    }
    console.log(JSON.stringify(seen));`,
    QUERY_BUNDLE,
  );
  for (const {argv, ran, printed, exitCode} of JSON.parse(out) as {
    argv: string[];
    ran: boolean;
    printed: string;
    exitCode: number;
  }[])
    t.deepEqual({ran, printed, exitCode}, {ran: false, printed: '', exitCode: 0}, argv.join(' '));
});

test('bin/run.js offers the query bundle exactly the query commands (src/cli/query-commands.ts)', async t => {
  const {QUERY_LOADERS} = await import('../../src/cli/query-commands.js');
  const listed = /const QUERY_IDS = (\[[^\]]*\]);/.exec(readFileSync(join(ROOT, 'bin', 'run.js'), 'utf8'));
  t.truthy(listed, 'bin/run.js declares QUERY_IDS');
  t.deepEqual(
    [...(listed?.[1] ?? '').matchAll(/'([a-z-]+)'/g)].map(m => m[1]),
    Object.keys(QUERY_LOADERS).sort(),
  );
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

/**
 * Runs each case through `file`'s `main` in one process, as bin/run.js would (the query bundle
 * first, the full CLI for what it declines), capturing what each prints and its exit code.
 */
function runEach(
  file: string,
  cases: readonly {argv: readonly string[]; env?: Record<string, string>}[],
): {stdout: string; stderr: string; code: number}[] {
  return JSON.parse(
    withBundle(
      `
    const out = [];
    const stdout = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    for (const {argv, env = {}} of ${JSON.stringify(cases)}) {
      const saved = {...process.env};
      Object.assign(process.env, env);
      const one = {stdout: '', stderr: '', code: 0};
      process.stdout.write = chunk => { one.stdout += chunk; return true; };
      process.stderr.write = chunk => { one.stderr += chunk; return true; };
      try {
        const ran = await bundle.exports.main(argv);
        if (ran === false) one.stderr += '(declined)';
      } finally {
        process.stdout.write = stdout;
        process.stderr.write = stderr;
        for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key]; else process.env[key] = saved[key];
      }
      one.code = process.exitCode ?? 0;
      process.exitCode = undefined;
      out.push(one);
    }
    stdout(JSON.stringify(out));`,
      file,
    ),
  ) as {stdout: string; stderr: string; code: number}[];
}

test('the query bundle answers as the full CLI through oclif: flag forms, repeats, relations, errors', t => {
  const cases: {argv: string[]; env?: Record<string, string>}[] = [
    {argv: ['cost', '--seq=4k', '--variant', 'flash', '--variant', 'window:w=128', '--json']},
    // oclif's multiple flags are greedy: a bare word after --variant is one more value.
    {argv: ['cost', '--variant', 'flash', 'standard', '--json']},
    {argv: ['cost', '--seq', '4k', '--seq', '8k']},
    {argv: ['cost', '--seq']},
    {argv: ['cost', '--seq', '--json']},
    {argv: ['cost', '--dtype', 'fp64']},
    {argv: ['cost', '--dtype']},
    {argv: ['cost', '--dtype=fp16', '--format', 'csv']},
    {argv: ['cost', '--model', 'gpt2-small', '--model-file', 'x.json', '--json']},
    {argv: ['cost', '--breakdown', '--no-color', '--no-chart', '--wide']},
    {argv: ['cost', '--json', '--', '--seq', '4k']},
    {argv: ['cost', '--', '--json']},
    {argv: ['cost', '-x']},
    {argv: ['cost'], env: {ATTNCAP_CONTENT_TYPE: 'json'}},
    {argv: ['latency', '--model', 'llama-3.1-70b', '--hardware', 'h100-sxm', '--mode', 'decode', '--json']},
    {argv: ['latency', '--mode', 'sideways']},
    {argv: ['max-seq', '--model', 'llama-3.1-8b', '--variant', 'flash', '--min', '64k', '--json']},
    {argv: ['max-seq', '--max-points', '0']},
    {argv: ['max-seq', '--max-points', 'many', '--json']},
    {argv: ['memory', '--scope', 'attention', '--variant', 'standard', '--seq', '2k']},
    {argv: ['report']},
    {argv: ['--seq', '4k', '--json']},
    {argv: []},
    {argv: ['serve', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--json']},
    {argv: ['serve', '--model', 'llama-3.1-70b', '--tp', '3']},
    {argv: ['compare', '--model', 'gpt2-small', '--model', 'llama-3.1-8b', '--json']},
    {argv: ['crossover', '--a', 'flash', '--b', 'standard', '--metric', 'memory', '--json']},
    {argv: ['crossover', '--a', 'flash']},
    {argv: ['complexity', '--d-model', '512']},
  ];
  const query = runEach(QUERY_BUNDLE, cases);
  const full = runEach(BUNDLE, cases);
  for (const [i, {argv, env}] of cases.entries()) {
    const label = `${
      env
        ? `${Object.entries(env)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')} `
        : ''
    }${argv.join(' ')}`;
    t.notRegex(query[i]!.stderr, /\(declined\)|internal error|not in the query bundle/, label);
    t.deepEqual(query[i], full[i], label);
  }
  // The corpus reaches results, JSON envelopes and parse errors alike.
  t.true(query.some(r => r.code === 0 && r.stdout.startsWith('{')));
  t.true(
    query.some(
      r => r.code === 2 && /Nonexistent flag|expects a value|Expected --dtype/.test(r.stdout + r.stderr),
    ),
  );
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
