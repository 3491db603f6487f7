import {readFileSync} from 'node:fs';
import test from 'ava';
import {
  busyWarning,
  calibrationPlan,
  DEFAULT_BENCH_VARIANTS,
  parseBenchVariant,
  predictCase,
  referenceCases,
  samplesOf,
} from '../../src/calibration/run.js';
import {InvalidInputError} from '../../src/errors.js';
import {KERNEL_FAMILIES} from '../../src/model/types.js';
import {type Profile, profileSchema} from '../../src/schema/profile.js';

const FIXTURE = new URL('../../../test/fixtures/calibration/profile-webasm-2core.json', import.meta.url);

test('busyWarning: only when the 1-minute load exceeds the cores', t => {
  t.deepEqual(busyWarning(1.5, 2), []);
  t.deepEqual(busyWarning(2, 2), []);
  t.deepEqual(busyWarning(3.25, 2), [
    'this machine is busy (1-minute load 3.3 on 2 cores): other processes share the CPU, so timings are noisy and throughputs low; measure on an idle machine for figures you can trust',
  ]);
});

test('parseBenchVariant: registry variants with their own parameters, and perceiver', t => {
  t.deepEqual(
    DEFAULT_BENCH_VARIANTS.map(v => parseBenchVariant(v)),
    [
      {kernel: 'standard', label: 'standard'},
      {kernel: 'window', label: 'window w=128', window: 128},
      {kernel: 'linear', label: 'linear'},
      {kernel: 'perceiver', label: 'perceiver N=256', latents: 256},
    ],
  );
  t.deepEqual(parseBenchVariant('window'), {kernel: 'window', label: 'window w=512', window: 512});
  const error = t.throws(() => parseBenchVariant('perceiver:heads=2'));
  t.true(error instanceof InvalidInputError);
  t.is(
    error?.message,
    "--variant perceiver: 'heads' is not a parameter of perceiver. Valid: latents (N latents, default 256)",
  );
  t.throws(() => parseBenchVariant('window:w=0'), {instanceOf: InvalidInputError});
});

function unitProfile(): Profile {
  // Round rates so the prediction can be computed by hand.
  return profileSchema().parse({
    schemaVersion: 1,
    toolVersion: '0.1.0',
    createdAt: '2026-01-01T00:00:00.000Z',
    kind: 'device',
    device: {backend: 'cpu', cpuModel: 'x', cores: 1, os: 'x', node: 'v20', memoryBytes: 1},
    peaks: {matrixFlopsPerSec: 1e9, vectorFlopsPerSec: 1e8, bandwidthBytesPerSec: 1e9},
    families: Object.fromEntries(
      KERNEL_FAMILIES.map(f => [
        f,
        {matrixEfficiency: 1, vectorEfficiency: 1, memoryEfficiency: 1, launchSeconds: 1e-6, source: 'test'},
      ]),
    ),
    transfer: {bytesPerSec: 1e9, fixedSeconds: 1e-6},
  });
}

test('predictCase: the roofline of each component of the variant plus the transfer, by hand', t => {
  // standard, n = m = 8, h = 2, d = 4 (costs in costs.test.ts): scores 512 MACs / 1,024 B;
  // softmax 640 vector FLOPs / 1,024 B; weighted-sum 512 MACs / 1,024 B.
  // scores: max(2·512 / 1e9, 1,024 / 1e9) = 1.024 µs; softmax: max(640 / 1e8, 1.024 µs) = 6.4 µs;
  // weighted-sum 1.024 µs; + 3 launches × 1 µs. Transfer: calls 1 + 3 + 1 = 5 × 1 µs, and
  // 100 + 200 + 300 bytes / 1e9 = 0.6 µs. Total 8.448 + 3 + 5 + 0.6 = 17.048 µs.
  const seconds = predictCase(
    {kernel: 'standard', queries: 8, keys: 8, heads: 2, headDim: 4},
    [
      {calls: 1, transferBytes: 100},
      {calls: 3, transferBytes: 200},
      {calls: 1, transferBytes: 300},
    ],
    unitProfile(),
  );
  t.true(Math.abs(seconds - 17.048e-6) < 1e-15);
});

test('samplesOf: one sample per stage, costed by the model, timed by the median and IQR', t => {
  const samples = samplesOf(
    {
      spec: {kernel: 'matmul', n: 8},
      stages: [{name: 'matmul', calls: 1, transferBytes: 512, times: [0.003, 0.001, 0.002, 0.004]}],
      totals: [0.003, 0.001, 0.002, 0.004],
      checkError: 0,
    },
    'validate',
  );
  // median of 1, 2, 3, 4 ms = 2.5 ms; IQR = 3.25 − 1.75 = 1.5 ms (to rounding).
  t.true(Math.abs(samples[0].spreadSeconds - 0.0015) < 1e-15);
  t.deepEqual(
    samples.map(s => ({...s, spreadSeconds: 0.0015})),
    [
      {
        kernel: 'matmul',
        family: 'gemm',
        size: {n: 8},
        macs: 512,
        vectorFlops: 0,
        bytes: 768,
        transferBytes: 512,
        launches: 1,
        calls: 1,
        medianSeconds: 0.0025,
        spreadSeconds: 0.0015,
        reps: 4,
        role: 'validate',
      },
    ],
  );
  t.throws(
    () =>
      samplesOf(
        {
          spec: {kernel: 'matmul', n: 8},
          stages: [{name: 'gemm', calls: 1, transferBytes: 0, times: [1]}],
          totals: [1],
          checkError: 0,
        },
        'fit',
      ),
    {message: "stage 'gemm' of matmul does not match the cost model's component 'matmul'"},
  );
});

test("referenceCases: the profile's largest matmul, widest softmax and smallest standard attention, with their recorded times", t => {
  const profile = profileSchema().parse(JSON.parse(readFileSync(FIXTURE, 'utf8'))) as Profile;
  const refs = referenceCases(profile);
  const full = calibrationPlan('full')
    .cases.filter(c => c.role === 'fit')
    .map(c => c.spec);
  t.deepEqual(
    refs.map(r => r.spec),
    [
      full.find(s => s.kernel === 'matmul' && s.n === 384),
      full.find(s => s.kernel === 'softmax' && s.cols === 1024),
      full.find(s => s.kernel === 'standard' && s.queries === 192),
    ],
  );
  const standard = (profile.samples ?? []).filter(
    s => s.role === 'fit' && s.kernel.startsWith('standard.') && s.size.queries === 192,
  );
  t.is(standard.length, 3);
  t.is(
    refs[2].seconds,
    standard.reduce((a, s) => a + s.medianSeconds, 0),
  );
  t.deepEqual(referenceCases({...profile, samples: undefined}), []);
});
