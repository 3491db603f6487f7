import {fileURLToPath} from 'node:url';
import test from 'ava';
import {resolveFlags} from '../../src/cli/scenario.js';
import {loadCapacityFile, runCheck} from '../../src/queries/check.js';
import {runServe} from '../../src/queries/serve.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/check/${name}`, import.meta.url));

test('serve checks gate fits, minConcurrency, maxTpot and maxTtft as attncap serve computes them', async t => {
  const q = await runCheck(fixture('serve.yaml'));
  t.deepEqual(
    q.rows.map(r => [r.name, r.pass, r.mode, r.expectations.map(e => [e.kind, e.pass])]),
    [
      ['70B bf16 does not fit one H100', true, 'serve', [['fits', true]]],
      [
        '70B awq serves 8 at 50 ms',
        true,
        'serve',
        [
          ['fits', true],
          ['minConcurrency', true],
          ['maxTpot', true],
          ['maxTtft', true],
        ],
      ],
      [
        '70B TP=4 within 1 ms per token (fails)',
        false,
        'serve',
        [
          ['fits', true],
          ['maxTpot', false],
        ],
      ],
    ],
  );
  t.regex(
    q.failure?.message ?? '',
    /1 of 3 checks failed: '70B TP=4 within 1 ms per token \(fails\)' \(maxTpot\)/,
  );
  // The same numbers as the command.
  const awq = runServe(
    await resolveFlags({
      model: 'llama-3.1-70b',
      hardware: ['h100-sxm'],
      weights: 'awq',
      'kv-dtype': 'fp8',
      'kv-block': '16',
    }),
    {input: '2k', output: '256', 'max-tpot': '0.05s', 'max-ttft': '5s'},
  );
  const row = q.rows[1];
  t.is(row.batch, awq.rows[0].concurrency);
  t.is(row.expectations[2].measured, awq.rows[0].tpotSeconds!);
});

test('a serve block that contradicts the model is a file problem naming the check', async t => {
  const {mkdtempSync, writeFileSync, rmSync} = await import('node:fs');
  const {tmpdir} = await import('node:os');
  const dir = mkdtempSync(`${tmpdir()}/attncap-serve-`);
  const path = `${dir}/serve-bad.yaml`;
  writeFileSync(
    path,
    'schemaVersion: 1\nchecks:\n  - name: tp3\n    model: llama-3.1-70b\n    hardware: h100-sxm\n    serve: {tp: 3}\n    expect: {fits: true}\n',
  );
  try {
    const e = await t.throwsAsync(loadCapacityFile(path));
    t.regex(e?.message ?? '', /checks\[0\]\.serve: check 'tp3': --tp 3 does not divide the 64 query heads/);
  } finally {
    rmSync(dir, {recursive: true});
  }
});
