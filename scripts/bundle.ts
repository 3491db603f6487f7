/**
 * Build step: bundles the CLI into one CommonJS file, dist/attncap.cjs (oclif, the commands, the
 * model, zod), and the query commands into a second, smaller one, dist/query.cjs (no oclif
 * configuration, plugins or help), and writes each one's V8 code cache. Loading one pre-compiled
 * file instead of ~300 modules is what keeps a command's start-up inside its budget
 * (docs/startup.md, `npm run bench`).
 *
 *   node dist/scripts/bundle.js          bundle (after tsc, from the compiled tree)
 *   node dist/scripts/bundle.js cache    run the common queries and save the code caches
 *
 * gpu.js (calibrate, bench) is bundled on its own into dist/gpu.cjs, loaded only by those commands.
 * Vendoring it keeps gpu.js's hard dependency on `webgpu` (an ~84 MB native Dawn binary for four
 * platforms) out of a user's install: attncap lists `webgpu` and `gl` as optional dependencies
 * instead, and calibration skips either back end with its reason when it cannot load.
 *
 * Left out of the bundles and loaded from node_modules when used: the optional GPU back ends
 * (webgpu, gl), xmlbuilder2 (check --junit; a quarter of the bundle otherwise), typescript
 * (oclif's development mode), and the modules our code loads through createRequire on demand
 * (yaml, write-file-atomic).
 */
import {spawnSync} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {type BuildOptions, build, type Plugin} from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outfile = `${root}dist/attncap.cjs`;
const gpuOutfile = `${root}dist/gpu.cjs`;
const queryOutfile = `${root}dist/query.cjs`;

/** In the CLI bundle, `gpu.js` is the vendored dist/gpu.cjs beside it (loaded on first use). */
const vendoredGpuJs: Plugin = {
  name: 'vendored-gpu.js',
  setup(b) {
    b.onResolve({filter: /^gpu\.js$/}, () => ({path: './gpu.cjs', external: true}));
  },
};

/**
 * zod's `locales` namespace (error messages in ~60 languages, 400 kB of the bundle) is replaced by
 * English alone: attncap reports errors in English and never calls `z.config(z.locales.xx())`.
 * Every command's start-up reads, hashes and deserialises less.
 */
const englishZodOnly: Plugin = {
  name: 'english-zod-only',
  setup(b) {
    b.onResolve({filter: /\/locales\/index\.js$/}, args =>
      /[\\/]zod[\\/]/.test(args.importer) ? {path: 'zod-locales-en', namespace: 'zod-locales'} : undefined,
    );
    b.onLoad({filter: /.*/, namespace: 'zod-locales'}, () => ({
      contents: `export {default as en} from ${JSON.stringify(zodEnglishLocale())};`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * oclif's index checks, as it loads, that Node satisfies the CLI's `engines.node`: it reads
 * package.json and builds semver's ~40 regular expressions, 2–3 ms of every start. bin/run.js
 * makes the same check with two integer comparisons (test/cli/bundle.test.ts keeps both in step
 * with package.json), so the bundle leaves oclif's out. The build fails if oclif's code changes.
 */
const noOclifEngineCheck: Plugin = {
  name: 'no-oclif-engine-check',
  setup(b) {
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]index\.js$/}, args => {
      const source = readFileSync(args.path, 'utf8');
      const call = /^checkNodeVersion\(\);$/m;
      if (!call.test(source)) throw new Error(`${args.path}: oclif's checkNodeVersion() call was not found`);
      return {
        contents: source.replace(call, '// checkNodeVersion(): bin/run.js checks engines.node'),
        loader: 'js',
      };
    });
  },
};

function zodEnglishLocale(): string {
  return join(
    dirname(createRequire(join(root, 'package.json')).resolve('zod/package.json')),
    'v4/locales/en.js',
  );
}

/** The licence notices of gpu.js and the packages it bundles with it (all MIT). */
function gpuJsNotices(): string {
  const require = createRequire(join(root, 'package.json'));
  const gpuDir = dirname(require.resolve('gpu.js/package.json'));
  const fromGpu = createRequire(join(gpuDir, 'package.json'));
  const notices = ['gpu.js', 'acorn', 'gpu-mock.js'].map(name => {
    const dir = name === 'gpu.js' ? gpuDir : dirname(fromGpu.resolve(`${name}/package.json`));
    const {version} = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {version: string};
    return `${name} ${version}\n\n${readFileSync(join(dir, 'LICENSE'), 'utf8').trim()}`;
  });
  return `/*!\n * Bundled from npm packages under their licences:\n *\n${notices
    .join('\n\n')
    .replaceAll('*/', '* /')
    .split('\n')
    .map(line => ` * ${line}`.trimEnd())
    .join('\n')}\n */`;
}

/**
 * In the query bundle, our code's `@oclif/core` is src/cli/oclif-query.ts: oclif's flags, args,
 * errors and parser with a Command of our own (src/cli/query-command.ts), so oclif's index —
 * config, plugins, help, ux, performance — is not loaded.
 */
const oclifForQueries: Plugin = {
  name: 'oclif-for-queries',
  setup(b) {
    b.onResolve({filter: /^@oclif\/core$/}, args =>
      args.importer.startsWith(join(root, 'dist', 'src'))
        ? {path: join(root, 'dist', 'src', 'cli', 'oclif-query.js')}
        : undefined,
    );
  },
};

/** A module that throws, naming itself, if anything reads from it. */
function absent(name: string): string {
  return `module.exports = new Proxy({}, {get(_, key) {
    if (key === '__esModule') return true;
    if (typeof key === 'symbol' || key === 'then') return undefined;
    throw new Error(${JSON.stringify(name)} + ' ' + String(key) + ' is not in the query bundle (docs/startup.md)');
  }});`;
}

/**
 * Modules the query bundle replaces (paths under node_modules): a query never calls them, but
 * the oclif modules it keeps load them at start-up.
 */
const QUERY_REPLACEMENTS: Readonly<Record<string, string>> = {
  // oclif's help: its flags module loads it for the `--help` flag's parse, its error handler for
  // `showHelp`, its parser for flag usages. Help never reaches the query bundle (src/cli/direct.ts).
  '@oclif/core/lib/help/index.js': absent('@oclif/core/lib/help/index.js'),
  '@oclif/core/lib/parser/help.js': absent('@oclif/core/lib/parser/help.js'),
  // File and directory flags' existence checks (Flags.file, Args.directory…), which no query has;
  // the module loads node:fs/promises.
  '@oclif/core/lib/util/fs.js': absent('@oclif/core/lib/util/fs.js'),
  // `debug`, loaded by oclif's logger: DEBUG sends a query to the full CLI, so its loggers are off.
  'debug/src/index.js':
    'const off = Object.assign(() => {}, {enabled: false}); off.extend = () => off; module.exports = Object.assign(() => off, {enabled: () => false, enable() {}, disable: () => ""});',
  // oclif colours a few words of its parse errors; attncap strips every ANSI escape from them
  // (src/cli/base.ts) and decides its own colour (src/cli/render.ts). Asking would load node:tty
  // and node:net on a command whose output goes to a file.
  '@oclif/core/lib/ux/supports-color.js': 'exports.supportsColor = () => false;',
};
/**
 * oclif's screen.js measures both terminals as it loads, which creates `process.stderr` (~1.5 ms
 * when stderr is a pipe) on a query that may never write to it. The query bundle's copy measures
 * each when first read, with oclif's own rule; the build fails if oclif's module changes.
 */
const LAZY_SCREEN = {
  original:
    'exports.stdtermwidth = columns || termwidth(process.stdout);\nexports.errtermwidth = columns || termwidth(process.stderr);',
  lazy: `let std;
let err;
Object.defineProperty(exports, 'stdtermwidth', {enumerable: true, get: () => (std ??= columns || termwidth(process.stdout))});
Object.defineProperty(exports, 'errtermwidth', {enumerable: true, get: () => (err ??= columns || termwidth(process.stderr))});`,
};

const leftOutOfQueries: Plugin = {
  name: 'left-out-of-queries',
  setup(b) {
    // oclif's parser loads node:readline for flags read from stdin (`allowStdin`), which no query has.
    b.onResolve({filter: /^node:readline$/}, args =>
      /[\\/]@oclif[\\/]core[\\/]lib[\\/]parser[\\/]parse\.js$/.test(args.importer)
        ? {path: 'node:readline', namespace: 'left-out'}
        : undefined,
    );
    b.onLoad({filter: /.*/, namespace: 'left-out'}, args => ({contents: absent(args.path), loader: 'js'}));
    b.onLoad({filter: /[\\/]node_modules[\\/]/}, args => {
      const path = args.path.replaceAll('\\', '/');
      const name = path.slice(path.lastIndexOf('/node_modules/') + '/node_modules/'.length);
      if (name === '@oclif/core/lib/screen.js') {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(LAZY_SCREEN.original))
          throw new Error(
            `${args.path}: oclif's terminal widths are no longer computed as scripts/bundle.ts expects`,
          );
        return {contents: source.replace(LAZY_SCREEN.original, LAZY_SCREEN.lazy), loader: 'js'};
      }
      return Object.hasOwn(QUERY_REPLACEMENTS, name)
        ? {contents: QUERY_REPLACEMENTS[name], loader: 'js'}
        : undefined;
    });
  },
};

/** Options both CLI bundles share. */
const cliOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['webgpu', 'gl', 'typescript', 'xmlbuilder2'],
  // Code loaded from V8's code cache cannot run import() on Node 20 (the callback is lost:
  // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so dynamic imports become require() calls; Node
  // >= 20.19 can require() the one ES module reached this way (webgpu, in calibrate).
  supported: {'dynamic-import': false},
  // CommonJS has no import.meta: give the bundle its own file URL (presets are found from it).
  define: {'import.meta.url': '__attncapBundleUrl'},
  banner: {js: "const __attncapBundleUrl = require('node:url').pathToFileURL(__filename).href;"},
  logLevel: 'warning',
};

async function bundle(): Promise<void> {
  rmSync(`${outfile}.cache`, {force: true});
  rmSync(`${queryOutfile}.cache`, {force: true});
  await build({
    entryPoints: [createRequire(join(root, 'package.json')).resolve('gpu.js')],
    outfile: gpuOutfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['gl', 'webgpu'],
    banner: {js: gpuJsNotices()},
    logLevel: 'warning',
  });
  await build({
    ...cliOptions,
    entryPoints: [`${root}dist/src/cli/main.js`],
    outfile,
    plugins: [vendoredGpuJs, englishZodOnly, noOclifEngineCheck],
  });
  asciiOnly(outfile);
  await build({
    ...cliOptions,
    entryPoints: [`${root}dist/src/cli/query.js`],
    outfile: queryOutfile,
    plugins: [oclifForQueries, leftOutOfQueries, englishZodOnly],
  });
  asciiOnly(queryOutfile);
}

/**
 * Escapes every non-ASCII character of the bundle as \uXXXX. esbuild leaves them in comments and
 * regular expression literals (where the escape means the same character), and one of them makes
 * Node decode the whole file as UTF-8 into a two-byte string: 4 ms and 3 MB on every start.
 * bin/load-bundle.js reads the ASCII file as latin1, a plain copy.
 */
function asciiOnly(file: string): void {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(
    /[\u0080-\uffff]/g,
    c => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
  writeFileSync(file, ascii);
}

/**
 * The runs whose code each bundle's cache holds: V8 saves, after these ran in one process, every
 * function they compiled, so each of them starts without compiling any of its own code. A command
 * not listed still loads the cache (zod, the model and, in the full CLI, oclif are shared) and
 * compiles the rest. The query bundle runs the queries; the full CLI what reaches it — help,
 * topics, the CI gate and the other commands (bin/run.js sends it no query).
 */
export const CACHED_QUERIES: readonly (readonly string[])[] = [
  ['cost', '--json'],
  ['latency', '--json'],
  ['max-seq', '--json'],
  ['memory', '--json'],
  ['report', '--json'],
  ['cost'],
  ['report'],
];
export const CACHED_FULL: readonly (readonly string[])[] = [
  ['check', 'examples/capacity.yaml', '--json'],
  ['check', 'examples/capacity.yaml'],
  ['sweep', '--json'],
  ['presets', 'models'],
  ['cost', '--help'],
];

function cache(): void {
  cacheAfter(outfile, CACHED_FULL, 'await exports.main(argv)');
  cacheAfter(
    queryOutfile,
    CACHED_QUERIES,
    "if (!(await exports.main(argv))) throw new Error('the query bundle declined ' + argv.join(' '))",
  );
}

/** Runs `runs` through `file`'s `main` in one process, then saves its code cache. */
function cacheAfter(file: string, runs: readonly (readonly string[])[], runOne: string): void {
  const script = `
    const {loadBundle} = await import(${JSON.stringify(`${root}bin/load-bundle.js`)});
    const {exports} = loadBundle(${JSON.stringify(file)}, {writeCache: true});
    for (const argv of ${JSON.stringify(runs)}) {
      ${runOne};
      if (process.exitCode) throw new Error('attncap ' + argv.join(' ') + ' exited ' + process.exitCode);
    }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: {...process.env, NO_COLOR: '1'},
    // The runs' own output and warnings (a context length exceeded…) are expected: shown only on failure.
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`writing the code cache of ${file}: the cached queries exited ${r.status}\n${r.stderr}`);
}

if (process.argv[2] === 'cache') cache();
else await bundle();
