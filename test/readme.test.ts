/**
 * The newcomer's path (issue 7): the README's Quick start holds exactly two commands — install
 * and run the default report, then the whole test suite — and CI runs exactly that test
 * command after a clean install. scripts/newcomer.sh runs both on a fresh clone.
 */
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import test from 'ava';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

function quickStartCommands(readme: string): string[] {
  const section = readme.split(/^## /m).find(s => s.startsWith('Quick start'));
  if (!section) return [];
  return [...section.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)].map(m => m[1].trim());
}

test('the Quick start has exactly two commands: install + default report, then the tests', t => {
  const commands = quickStartCommands(read('README.md'));
  t.deepEqual(commands, ['npm install && npm start', 'npm test']);
});

test('npm start runs attncap with no arguments (the default report)', t => {
  const pkg = JSON.parse(read('package.json')) as {scripts: Record<string, string>};
  t.is(pkg.scripts.start, 'node bin/run.js');
});

test('.ci/run ends with exactly the README test command after a clean install from the lock', t => {
  const lines = read('.ci/run')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));
  t.is(lines.at(-1), quickStartCommands(read('README.md'))[1]);
  // npm ci: installs exactly the committed lock, and fails (never rewrites it) when it is stale.
  t.true(lines.some(l => l.startsWith('npm ci')));
  t.false(lines.some(l => l.startsWith('npm install')));
});

test('the repository stands on its own: design citations point at docs/design.md, never at an outside spec', t => {
  const root = new URL('../../', import.meta.url);
  const files = execFileSync('git', ['ls-files'], {cwd: root, encoding: 'utf8'})
    .split('\n')
    .filter(f => /\.(ts|js|cjs|mjs|json|md|ya?ml|sh)$/.test(f) && !f.startsWith('test/'));
  t.true(files.length > 100);
  const offenders = files.filter(f => /\bSPEC (§|section)/.test(read(f)));
  t.deepEqual(offenders, []);
});
