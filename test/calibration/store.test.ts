import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {chmod, mkdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {
  defaultProfilePath,
  loadProfileForPrediction,
  readProfile,
  resolveProfilePath,
  writeProfile,
} from '../../src/calibration/store.js';
import {EnvironmentError} from '../../src/errors.js';
import {KERNEL_FAMILIES} from '../../src/model/types.js';
import {type Profile, profileSchema} from '../../src/schema/profile.js';

function profile(toolVersion = '0.1.0'): Profile {
  return profileSchema().parse({
    schemaVersion: 1,
    toolVersion,
    createdAt: '2026-01-02T03:04:05.000Z',
    kind: 'device',
    device: {
      backend: 'webasm',
      cpuModel: 'test CPU',
      cores: 2,
      os: 'linux',
      node: 'v20.20.2',
      memoryBytes: 1024,
    },
    peaks: {matrixFlopsPerSec: 1e9, vectorFlopsPerSec: 1e8, bandwidthBytesPerSec: 2e9},
    families: Object.fromEntries(
      KERNEL_FAMILIES.map(f => [
        f,
        {
          matrixEfficiency: 1,
          vectorEfficiency: 1,
          memoryEfficiency: 1,
          launchSeconds: 0,
          source: 'fitted on this device',
        },
      ]),
    ),
  });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'attncap-store-'));
}

test('default path: <XDG config>/attncap/profile.json; --profile resolves against the working directory', t => {
  const before = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = '/tmp/xdg-test';
  try {
    if (process.platform === 'linux') t.is(defaultProfilePath(), '/tmp/xdg-test/attncap/profile.json');
    t.is(resolveProfilePath(), defaultProfilePath());
    t.is(resolveProfilePath('/abs/p.json'), '/abs/p.json');
    t.is(resolveProfilePath('rel/p.json'), join(process.cwd(), 'rel/p.json'));
  } finally {
    if (before === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = before;
  }
});

test('write then read round-trips; the directory is created', async t => {
  const path = join(tempDir(), 'nested', 'dir', 'profile.json');
  await writeProfile(path, profile());
  t.deepEqual(await readProfile(path), profile());
  const loaded = await loadProfileForPrediction(path);
  t.is(loaded.source, path);
  t.true(readFileSync(path, 'utf8').endsWith('}\n'));
});

test('missing, corrupt, invalid and foreign-version profiles are EnvironmentErrors that say how to recalibrate', async t => {
  const dir = tempDir();
  const missing = join(dir, 'none.json');
  const e1 = await t.throwsAsync(readProfile(missing, missing));
  t.true(e1 instanceof EnvironmentError);
  t.is(e1?.message, `no calibration profile at ${missing}: this machine has not been calibrated`);
  t.is(
    (e1 as EnvironmentError).hint,
    `Recalibrate this machine with: attncap calibrate --profile ${missing} (writes ${missing}).`,
  );

  const corrupt = join(dir, 'corrupt.json');
  writeFileSync(corrupt, '{"schemaVersion": 1,\n  "kind": ');
  const e2 = await t.throwsAsync(readProfile(corrupt));
  t.true(e2 instanceof EnvironmentError);
  t.regex(e2?.message ?? '', new RegExp(`^${corrupt}:2:\\d+: invalid JSON`));

  const foreign = join(dir, 'foreign.json');
  writeFileSync(foreign, JSON.stringify({...profile(), schemaVersion: 2}));
  const e3 = await t.throwsAsync(readProfile(foreign));
  t.true(e3 instanceof EnvironmentError);
  t.is(e3?.message, `${foreign}: schemaVersion 2 is not a profile version this attncap reads (it reads 1)`);
  t.is(
    (e3 as EnvironmentError).hint,
    `Recalibrate this machine with: attncap calibrate (writes ${foreign}).`,
  );

  const invalid = join(dir, 'invalid.json');
  writeFileSync(
    invalid,
    JSON.stringify({
      ...profile(),
      peaks: {matrixFlopsPerSec: -1, vectorFlopsPerSec: 1, bandwidthBytesPerSec: 1},
    }),
  );
  const e4 = await t.throwsAsync(readProfile(invalid));
  t.true(e4 instanceof EnvironmentError);
  t.is(
    e4?.message,
    `${invalid}: peaks.matrixFlopsPerSec: too small: expected number to be >0 (received number -1)`,
  );
});

test('atomic write: a failure after the temporary file exists leaves the previous profile intact and no temp file', async t => {
  const dir = tempDir();
  const path = join(dir, 'profile.json');
  await writeProfile(path, profile('0.0.1'));
  const before = readFileSync(path, 'utf8');
  let temp = '';
  const error = await t.throwsAsync(
    writeProfile(path, profile('9.9.9'), {
      tmpfileCreated: tmpfile => {
        temp = tmpfile;
        throw new Error('simulated crash between creating and renaming the temp file');
      },
    }),
  );
  t.true(error instanceof EnvironmentError);
  t.regex(
    error?.message ?? '',
    /^cannot write the calibration profile .*profile\.json \(simulated crash.*\); the previous profile, if any, is unchanged$/,
  );
  t.true(temp.startsWith(`${path}.`));
  t.is(readFileSync(path, 'utf8'), before);
  t.deepEqual(readdirSync(dir), ['profile.json']);
});

test('an unwritable location is an EnvironmentError naming the path', async t => {
  if (process.getuid?.() === 0) {
    // root writes anywhere: use a path below a regular file instead.
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'profile.json');
    const error = await t.throwsAsync(writeProfile(path, profile()));
    t.true(error instanceof EnvironmentError);
    t.regex(
      error?.message ?? '',
      /^cannot write the calibration profile .*file\/profile\.json \((ENOTDIR|EEXIST)\)/,
    );
    return;
  }
  const dir = tempDir();
  await mkdir(join(dir, 'ro'));
  await chmod(join(dir, 'ro'), 0o500);
  const error = await t.throwsAsync(writeProfile(join(dir, 'ro', 'profile.json'), profile()));
  t.true(error instanceof EnvironmentError);
  t.regex(error?.message ?? '', /\(EACCES\)/);
});
