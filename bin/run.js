#!/usr/bin/env node
// `attncap --version` is answered before anything else loads; the output is oclif's own format.
// Everything else runs the bundled CLI (dist/attncap.cjs, built by `npm run build`).
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {readFileSync} = await import('node:fs');
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`attncap/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const [{existsSync}, {fileURLToPath}, {loadBundle}] = await Promise.all([
    import('node:fs'),
    import('node:url'),
    import('./load-bundle.js'),
  ]);
  const bundle = fileURLToPath(new URL('../dist/attncap.cjs', import.meta.url));
  if (!existsSync(bundle)) {
    process.stderr.write(
      `attncap: ${bundle} is missing: this checkout is not built.\nhint: run npm run build\n`,
    );
    process.exit(3);
  }
  const {exports} = loadBundle(bundle, {writeCache: process.env.ATTNCAP_WRITE_CODE_CACHE === '1'});
  await exports.main(argv);
}
