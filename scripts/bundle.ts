/**
 * Build step: bundles the CLI into one CommonJS file, dist/attncap.cjs (oclif, the commands, the
 * model, zod), and writes its V8 code cache. Loading one pre-compiled file instead of ~300 modules
 * is what keeps a command's start-up inside the SPEC §10 budget (`npm run bench`).
 *
 *   node dist/scripts/bundle.js          bundle (after tsc, from the compiled tree)
 *   node dist/scripts/bundle.js cache    run one representative command and save the code cache
 *
 * Left out of the bundle and loaded from node_modules when used: gpu.js and its optional GPU
 * back ends (calibrate, bench), xmlbuilder2 (check --junit; a quarter of the bundle otherwise),
 * typescript (oclif's development mode), and the modules our code loads through createRequire on
 * demand (yaml, write-file-atomic).
 */
import {spawnSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outfile = `${root}dist/attncap.cjs`;

async function bundle(): Promise<void> {
  rmSync(`${outfile}.cache`, {force: true});
  await build({
    entryPoints: [`${root}dist/src/cli/main.js`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['gpu.js', 'webgpu', 'gl', 'typescript', 'xmlbuilder2'],
    // Code loaded from V8's code cache cannot run import() on Node 20 (the callback is lost:
    // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so dynamic imports become require() calls; Node
    // >= 20.19 can require() the one ES module reached this way (webgpu, in calibrate).
    supported: {'dynamic-import': false},
    // CommonJS has no import.meta: give the bundle its own file URL (presets are found from it).
    define: {'import.meta.url': '__attncapBundleUrl'},
    banner: {js: "const __attncapBundleUrl = require('node:url').pathToFileURL(__filename).href;"},
    logLevel: 'warning',
  });
}

function cache(): void {
  const r = spawnSync(process.execPath, [`${root}bin/run.js`, 'cost', '--json'], {
    cwd: root,
    env: {...process.env, ATTNCAP_WRITE_CODE_CACHE: '1'},
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`writing the code cache: attncap cost --json exited ${r.status}`);
}

if (process.argv[2] === 'cache') cache();
else await bundle();
