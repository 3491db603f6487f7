import test from 'ava';
import {KERNEL_FAMILIES} from '../../src/model/types.js';
import {formatProblem, issuesToProblems} from '../../src/presets/validate.js';
import {type ProfileInput, profileSchema, ratesFromProfile} from '../../src/schema/profile.js';

function family(matrix: number, vector = 0.5, memory = 0.8, launch = 5e-6) {
  return {
    matrixEfficiency: matrix,
    vectorEfficiency: vector,
    memoryEfficiency: memory,
    launchSeconds: launch,
    source: 'test',
  };
}

function families() {
  return Object.fromEntries(
    KERNEL_FAMILIES.map((f, i) => [f, family(0.1 * (i + 1))]),
  ) as ProfileInput['families'];
}

function deviceProfile(): ProfileInput {
  return {
    schemaVersion: 1,
    toolVersion: '0.1.0',
    createdAt: '2026-01-02T03:04:05.678Z',
    kind: 'device',
    device: {
      backend: 'webasm',
      cpuModel: 'AMD EPYC',
      cores: 2,
      os: 'linux 6.1 x64',
      node: 'v20.20.2',
      memoryBytes: 2 ** 34,
    },
    peaks: {matrixFlopsPerSec: 2e9, vectorFlopsPerSec: 5e7, bandwidthBytesPerSec: 3e9},
    families: families(),
    transfer: {bytesPerSec: 6e9, fixedSeconds: 2e-5},
    samples: [
      {
        kernel: 'matmul',
        family: 'gemm',
        size: {n: 128},
        macs: 128 ** 3,
        vectorFlops: 0,
        bytes: 3 * 128 * 128 * 4,
        medianSeconds: 0.004,
        spreadSeconds: 0.0002,
        reps: 5,
      },
    ],
    validation: {
      families: {gemm: {mape: 4.2, maxAbsPctError: 9.1, points: 2}},
      mape: 4.2,
      maxAbsPctError: 9.1,
    },
  };
}

/** The problems a data file with this content reports, as `file: path: message` lines. */
function problems(data: unknown): string[] {
  const result = profileSchema().safeParse(data);
  if (result.success) return [];
  return issuesToProblems(result.error.issues, data, profileSchema()).map(p => formatProblem('p.json', p));
}

test('a device profile parses; sample defaults fill in (launches 1, role fit)', t => {
  const parsed = profileSchema().parse(deviceProfile());
  t.is(parsed.samples?.[0].launches, 1);
  t.is(parsed.samples?.[0].role, 'fit');
  t.is(parsed.families.scan.matrixEfficiency, 0.6000000000000001);
});

test('cross-field rules: a preset names its hardware, a device records its fingerprint and peaks', t => {
  const preset = {
    ...deviceProfile(),
    kind: 'preset',
    device: undefined,
    peaks: undefined,
    samples: undefined,
  };
  t.deepEqual(problems(preset), ['p.json: hardware: a preset profile names its hardware preset id']);
  t.deepEqual(problems({...preset, hardware: 'h100-sxm'}), []);
  const device = {...deviceProfile(), device: undefined, peaks: undefined};
  t.deepEqual(problems(device), [
    'p.json: device: a device profile records the device fingerprint',
    'p.json: peaks: a device profile records the fitted peaks',
  ]);
});

test('efficiencies must lie in (0, 1.5]; every family is required; unknown keys are named', t => {
  const p = deviceProfile();
  const bad = {...p, families: {...families(), gemm: family(0), elementwise: family(0.5, 1.6)}};
  t.deepEqual(problems(bad), [
    'p.json: families.gemm.matrixEfficiency: an efficiency is a fraction of the peak and must be > 0 (received number 0)',
    'p.json: families.elementwise.vectorEfficiency: an efficiency above 1.5 × the peak is implausible; recalibrate or fix the peak (received number 1.6)',
  ]);
  const {scan: _scan, ...five} = families();
  t.deepEqual(problems({...p, families: five}), [
    'p.json: families.scan: missing required field (expected object)',
  ]);
  const {peaks, ...withoutPeaks} = p;
  t.deepEqual(problems({...withoutPeaks, peak: peaks}), [
    "p.json: peak: unknown key 'peak'; did you mean 'peaks'?",
    'p.json: peaks: a device profile records the fitted peaks',
  ]);
  t.deepEqual(problems({...p, schemaVersion: 2}), ['p.json: schemaVersion: expected 1, received number 2']);
  t.deepEqual(problems({...p, createdAt: 'yesterday'}), [
    'p.json: createdAt: invalid ISO datetime (received string "yesterday")',
  ]);
});

test('ratesFromProfile: effective rate = peak × efficiency, launch as given', t => {
  const rates = ratesFromProfile(profileSchema().parse(deviceProfile()), {
    matrix: 1e12,
    vector: 2e11,
    bandwidth: 3e12,
  });
  // gemm is family index 0: matrix efficiency 0.1 → 1e11; vector 0.5 → 1e11; memory 0.8 → 2.4e12.
  t.deepEqual(rates.gemm, {
    matrixFlopsPerSec: 1e11,
    vectorFlopsPerSec: 1e11,
    bytesPerSec: 2.4e12,
    launchSeconds: 5e-6,
  });
  // scan is index 5: 0.6 × 1e12.
  t.is(rates.scan.matrixFlopsPerSec, 0.6000000000000001 * 1e12);
  t.deepEqual(Object.keys(rates), [...KERNEL_FAMILIES]);
});
