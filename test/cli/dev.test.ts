import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import test from 'ava';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('bin/dev.js runs the TypeScript sources directly and answers like the built CLI', t => {
  const r = spawnSync(
    process.execPath,
    ['bin/dev.js', 'cost', '--model', 'gpt2-small', '--seq', '1k', '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  t.is(r.status, 0, r.stderr);
  const env = JSON.parse(r.stdout) as {ok: boolean; results: {variant: string; params: number}[]};
  t.true(env.ok);
  t.is(env.results[0].variant, 'standard');
  t.is(env.results[0].params, 124_439_808);
});
