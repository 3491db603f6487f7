// Loads a bundle of the CLI (dist/attncap.cjs: oclif, the commands and the model in one CommonJS
// file; dist/query.cjs: the query commands) with V8's code cache, so a command starts without
// re-parsing a megabyte of JavaScript. The cache (`<bundle>.cache`) is written by the build
// (`scripts/bundle.ts cache`). A cache
// made by another Node or V8 is rejected by V8 and the file is compiled as usual: slower, same
// result. The module is registered in require's cache, so oclif's own `require` of the bundle (its
// command target) returns this instance.
// CommonJS (bin/package.json): an ES import of a built-in builds its ES facade by reading every
// export, and reading `fs.ReadStream` alone loads Node's file streams (~2 ms of every start).
'use strict';
const {readFileSync, renameSync, writeFileSync} = require('node:fs');
const Module = require('node:module');
const {dirname} = require('node:path');
const {Script} = require('node:vm');
const {createRequire} = Module;

/** Loads `file` (CommonJS) with its code cache; `writeCache` saves the cache when the process exits. */
function loadBundle(file, {writeCache = false} = {}) {
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // no cache yet: compile from source
  }
  // The build makes the bundle pure ASCII (scripts/bundle.ts), so latin1 is a plain copy into a
  // one-byte string; UTF-8 decoding of 1.6 MB costs milliseconds on every start.
  const script = new Script(Module.wrap(readFileSync(file, 'latin1')), {
    filename: file,
    cachedData,
    importModuleDynamically: specifier => import(specifier),
  });
  const require = createRequire(file);
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  module.loaded = true;
  if (writeCache) {
    // After the run, so the functions it compiled are in the cache too.
    process.once('exit', () => {
      writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.tmp`, cacheFile);
    });
  }
  return {
    exports: module.exports,
    cacheRejected: cachedData === undefined || script.cachedDataRejected === true,
  };
}

module.exports = {loadBundle};
