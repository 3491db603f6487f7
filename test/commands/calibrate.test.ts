import {spawn} from 'node:child_process';
import {copyFileSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {BACKENDS} from '../../src/calibration/backends.js';
import {profileSchema} from '../../src/schema/profile.js';
import {BIN, ROOT, runCli, runJson} from '../helpers/cli.js';

const FIXTURE = join(ROOT, 'test/fixtures/calibration/profile-webasm-2core.json');

interface CalibrateRow {
  backend: string;
  probes: {id: string; available: boolean; reason?: string}[];
  fitted: {peaks: Record<string, number>; families: {family: string}[]};
  validation: {mape: number; maxAbsPctError: number};
  profilePath: string;
  plan: string;
}

interface BenchRow {
  variant: string;
  seq: number;
  measuredSeconds: number;
  predictedSeconds: number;
  errorPct: number;
  exponent: number;
}

test('end to end, tiny sizes: calibrate writes a valid profile, bench predicts with it', t => {
  const dir = mkdtempSync(join(tmpdir(), 'attncap-calibrate-'));
  const path = join(dir, 'profile.json');
  const cal = runJson<{ok: boolean; results: CalibrateRow[]}>([
    'calibrate',
    '--plan',
    'tiny',
    '--profile',
    path,
  ]);
  t.is(cal.code, 0, cal.stderr);
  t.true(cal.json.ok);
  const row = cal.json.results[0];
  t.true((BACKENDS as readonly string[]).includes(row.backend));
  t.is(row.profilePath, path);
  t.is(row.plan, 'tiny');
  t.true(Number.isFinite(row.validation.mape) && Number.isFinite(row.validation.maxAbsPctError));
  t.deepEqual(
    row.fitted.families.map(f => f.family),
    ['gemm', 'attention-materialized', 'attention-fused', 'attention-sparse', 'elementwise', 'scan'],
  );
  // Every backend considered is reported, the chosen one last.
  t.is(row.probes[row.probes.length - 1].id, row.backend);
  for (const p of row.probes.slice(0, -1)) t.true(!p.available && (p.reason ?? '').length > 0);
  const profile = profileSchema().parse(JSON.parse(readFileSync(path, 'utf8')));
  t.is(profile.kind, 'device');
  t.is(profile.device?.backend, row.backend);
  t.true((profile.samples ?? []).some(s => s.role === 'validate'));
  t.deepEqual(readdirSync(dir), ['profile.json']);

  const args = ['bench', '--profile', path, '--seq', '32,64'];
  const variants = [
    '--variant',
    'standard',
    '--variant',
    'window:w=16',
    '--variant',
    'linear',
    '--variant',
    'perceiver:latents=16',
  ];
  const b = runJson<{ok: boolean; inputs: {variants: string[]}; results: BenchRow[]}>([...args, ...variants]);
  t.is(b.code, 0, b.stderr);
  t.deepEqual(b.json.inputs.variants, ['standard', 'window w=16', 'linear', 'perceiver N=16']);
  t.deepEqual(
    b.json.results.map(r => `${r.variant} ${r.seq}`),
    [
      'standard 32',
      'standard 64',
      'window w=16 32',
      'window w=16 64',
      'linear 32',
      'linear 64',
      'perceiver N=16 32',
      'perceiver N=16 64',
    ],
  );
  for (const r of b.json.results) {
    t.true(r.measuredSeconds > 0 && r.predictedSeconds > 0);
    t.true(
      Math.abs(r.errorPct - (100 * (r.predictedSeconds - r.measuredSeconds)) / r.measuredSeconds) < 1e-9,
    );
    t.true(Number.isFinite(r.exponent));
  }
  const human = runCli([...args, '--variant', 'standard']);
  t.is(human.code, 0, human.stderr);
  t.regex(human.stdout, /attncap bench · \w+ · 4 heads × 32 channels/);
  t.regex(human.stdout, /exponent \(measured\)/);
  t.regex(human.stdout, /Measured time vs n \(log scale\)/);
});

test('Ctrl-C during calibrate leaves the previous profile intact and no temporary file', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'attncap-sigint-'));
  const path = join(dir, 'profile.json');
  copyFileSync(FIXTURE, path);
  const before = readFileSync(path, 'utf8');
  // --quick measures for many seconds on any machine: the signal lands mid-measurement.
  const child = spawn(process.execPath, [BIN, 'calibrate', '--quick', '--profile', path], {
    cwd: ROOT,
    env: {...process.env, NO_COLOR: '1'},
    stdio: 'ignore',
  });
  await new Promise(resolve => setTimeout(resolve, 2500));
  child.kill('SIGINT');
  const code = await new Promise<number | null>(resolve =>
    child.on('exit', (c, signal) => resolve(signal ? 130 : c)),
  );
  t.not(code, 0);
  t.is(readFileSync(path, 'utf8'), before);
  t.deepEqual(readdirSync(dir), ['profile.json']);
});

test('calibrate: an unknown --backend is invalid input (exit 2)', t => {
  const r = runJson<{ok: boolean; error: {code: string}}>(['calibrate', '--backend', 'opencl']);
  t.is(r.code, 2);
  t.false(r.json.ok);
  t.is(r.json.error.code, 'INVALID_INPUT');
});
