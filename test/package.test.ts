/**
 * The package people install: `npm pack` of this checkout stays small, carries the licence and
 * every docs page the CLI points to, and the tarball, installed into an empty folder, answers
 * `attncap --version` and a query. The install is offline and reproducible: the folder gets a lock
 * made from this repository's own lock (the production packages, at the versions CI installed),
 * so npm takes every package from its cache, as `npm ci` left it.
 */
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {ROOT} from './helpers/cli.js';

const MAX_TARBALL_BYTES = 5 * 1024 * 1024;

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

interface Manifest {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function npm(args: string[], cwd: string): {status: number | null; stdout: string; stderr: string} {
  return spawnSync('npm', args, {cwd, encoding: 'utf8', timeout: 120_000});
}

/**
 * A lock for a folder whose one dependency is the tarball: the tarball's entry, then every package
 * of this repository's lock that is not a development-only one. Packages that are there for
 * development or as optional ones (webgpu, gl) are marked optional, so --omit=optional skips them.
 */
function installLock(tarball: string, tarballBytes: Buffer): object {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const dependencies = {attncap: `file:${tarball}`};
  const packages: Record<string, object> = {
    '': {name: 'attncap-install-test', dependencies},
    'node_modules/attncap': {
      version: manifest.version,
      resolved: `file:${tarball}`,
      integrity: `sha512-${createHash('sha512').update(tarballBytes).digest('base64')}`,
      dependencies: manifest.dependencies,
      optionalDependencies: manifest.optionalDependencies,
      bin: manifest.bin,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev) continue;
    const {devOptional, ...rest} = entry;
    packages[path] = devOptional ? {...rest, optional: true} : rest;
  }
  return {name: 'attncap-install-test', lockfileVersion: 3, requires: true, packages};
}

test('npm pack: ≤ 5 MB, with LICENSE, the docs pages the CLI names, and no test files', t => {
  const dir = mkdtempSync(join(tmpdir(), 'attncap-pack-'));
  try {
    // --ignore-scripts: this checkout is already built (npm test builds first); no rebuild here.
    const r = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
    t.is(r.status, 0, r.stderr);
    const [packed] = JSON.parse(r.stdout) as {size: number; files: {path: string}[]}[];
    t.true(packed.size <= MAX_TARBALL_BYTES, `tarball is ${packed.size} bytes`);
    const files = new Set(packed.files.map(f => f.path));
    for (const required of ['LICENSE', 'README.md', 'bin/run.js', 'dist/attncap.cjs', 'dist/gpu.cjs'])
      t.true(files.has(required), `${required} is not packed`);
    t.false([...files].some(f => f.startsWith('dist/test/') || f.startsWith('test/')));
    // Every docs/ page the CLI's help and messages mention is in the package.
    const text = ['dist/attncap.cjs', 'oclif.manifest.json']
      .map(f => readFileSync(join(ROOT, f), 'utf8'))
      .join('\n');
    const named = new Set([...text.matchAll(/docs\/[\w./-]*\w\.(?:md|json)/g)].map(m => m[0]));
    t.true(named.size > 0);
    t.deepEqual(
      [...named].filter(path => !files.has(path)),
      [],
    );
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

test('the packed tarball installs offline without the optional GPU packages and answers a query', t => {
  const dir = mkdtempSync(join(tmpdir(), 'attncap-install-'));
  try {
    const r = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
    t.is(r.status, 0, r.stderr);
    const [{filename}] = JSON.parse(r.stdout) as {filename: string}[];
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'attncap-install-test',
        private: true,
        dependencies: {attncap: `file:${filename}`},
      }),
    );
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify(installLock(filename, readFileSync(join(dir, filename)))),
    );
    const install = npm(
      ['ci', '--offline', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund'],
      dir,
    );
    t.is(install.status, 0, install.stderr);
    t.throws(() => statSync(join(dir, 'node_modules', 'webgpu')), {code: 'ENOENT'});
    t.throws(() => statSync(join(dir, 'node_modules', 'gpu.js')), {code: 'ENOENT'});

    const bin = join(dir, 'node_modules', '.bin', 'attncap');
    const version = spawnSync(bin, ['--version'], {cwd: dir, encoding: 'utf8'});
    t.is(version.status, 0, version.stderr);
    t.regex(version.stdout, /^attncap\/\d+\.\d+\.\d+ /);

    const query = spawnSync(bin, ['cost', '--model', 'llama-3.1-8b', '--seq', '4k', '--json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    t.is(query.status, 0, query.stderr);
    const json = JSON.parse(query.stdout) as {ok: boolean; command: string; results: unknown[]};
    t.deepEqual([json.ok, json.command], [true, 'cost']);
    t.true(json.results.length > 0);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
