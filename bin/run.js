#!/usr/bin/env node
// attncap's command (CommonJS, as bin/package.json says: Node starts a CommonJS entry without its
// ES module loader, a few milliseconds of every command; docs/startup.md).
// `attncap --version` (and `--version --json`) is answered before anything else loads; the text
// is oclif's own format. A query goes to the query bundle (dist/query.cjs), everything else, and
// what the query bundle declines, to the full CLI (dist/attncap.cjs); `npm run build` makes both.
// Nothing here calls process.exit(): the exit code is set and the process ends once stdout has
// drained (docs/json.md, "Exit codes"). The JSON form's schemaVersion is the bundle's
// SCHEMA_VERSION (src/cli/base.ts); test/cli/harden.test.ts checks that both agree.
'use strict';
const {existsSync, readFileSync} = require('node:fs');
const {join} = require('node:path');

const argv = process.argv.slice(2);
const VERSION_ARGS = new Set(['--version', '-v', '--json']);
const dist = name => join(__dirname, '..', 'dist', name);

if (argv.some(a => a === '--version' || a === '-v') && argv.every(a => VERSION_ARGS.has(a))) {
  const {version} = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  const row = {
    name: 'attncap',
    version,
    platform: process.platform,
    arch: process.arch,
    node: process.version,
  };
  process.stdout.write(
    argv.includes('--json')
      ? `${JSON.stringify({schemaVersion: 2, command: 'version', ok: true, inputs: {}, results: [row], warnings: []}, null, 2)}\n`
      : `attncap/${version} ${process.platform}-${process.arch} node-${process.version}\n`,
  );
} else {
  // package.json's engines.node (the bundle leaves out oclif's semver check; oclif's wording).
  const MIN_NODE = [20, 19];
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]))
    process.emitWarning(
      `Node version must be >=${MIN_NODE.join('.')} to use this CLI. Current node version: ${process.versions.node}`,
    );
  const bundle = dist('attncap.cjs');
  if (existsSync(bundle)) run();
  else {
    process.stderr.write(
      `attncap: ${bundle} is missing: this checkout is not built.\nhint: run npm run build\n`,
    );
    process.exitCode = 3;
  }
}

/** The query bundle first when `argv` may be a query; the full CLI for the rest. */
async function run() {
  const {loadBundle} = require('./load-bundle.js');
  if (mayBeQuery(argv) && (await loadBundle(dist('query.cjs')).exports.main(argv))) return;
  await loadBundle(dist('attncap.cjs')).exports.main(argv);
}

/**
 * Whether `argv` may be a query, which the query bundle (the query commands without oclif's
 * configuration and help; docs/startup.md) runs or declines: a query command first, or no
 * command at all (the default report). QUERY_IDS are src/cli/query-commands.ts's
 * (test/cli/bundle.test.ts keeps them in step).
 */
function mayBeQuery(args) {
  const QUERY_IDS = [
    'compare',
    'complexity',
    'cost',
    'crossover',
    'latency',
    'max-seq',
    'memory',
    'report',
    'serve',
  ];
  return args.length === 0 || args[0].startsWith('-') || QUERY_IDS.includes(args[0]);
}
