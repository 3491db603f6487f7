#!/usr/bin/env node
// Development entry: runs the TypeScript sources directly, without tsc or the bundle step.
// esbuild (a dev dependency) compiles src/cli/main.ts and everything it imports in memory, with
// the options of scripts/bundle.ts, and the result is registered as dist/attncap.cjs — the module
// oclif's explicit command discovery loads — so a change under src/ runs on the next call.
// Every command runs through oclif here; the query bundle (dist/query.cjs) is a build artefact,
// held to the same output by test/cli/bundle.test.ts.
// Usage: node bin/dev.js COMMAND [FLAGS]   (the same arguments as attncap)
'use strict';
const {existsSync, mkdirSync, writeFileSync} = require('node:fs');
const Module = require('node:module');
const {dirname, join} = require('node:path');

const root = join(__dirname, '..');
main();

async function main() {
  const {build} = require('esbuild');
  const result = await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['gpu.js', 'webgpu', 'gl', 'typescript', 'xmlbuilder2'],
    supported: {'dynamic-import': false},
    define: {'import.meta.url': '__attncapBundleUrl'},
    banner: {js: "const __attncapBundleUrl = require('node:url').pathToFileURL(__filename).href;"},
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const file = join(root, 'dist', 'attncap.cjs');
  const code = result.outputFiles[0].text;
  // oclif resolves its command target on disk before asking require's cache: an unbuilt checkout
  // gets this compilation written there (npm run build replaces it with the cached bundle).
  if (!existsSync(file)) {
    mkdirSync(dirname(file), {recursive: true});
    writeFileSync(file, code);
  }
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  Module._cache[file] = mod;
  mod._compile(code, file);
  mod.loaded = true;
  await mod.exports.main(process.argv.slice(2));
}
