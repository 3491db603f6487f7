import {readFileSync} from 'node:fs';
import test from 'ava';
import fc from 'fast-check';
import {
  errorPct,
  errorStats,
  figuresFromFit,
  fitDevice,
  fitTransfer,
  goodnessOfFit,
  nnls,
  predictSample,
  profileRates,
  scalingExponent,
  validateProfile,
} from '../../src/calibration/fit.js';
import {componentSeconds} from '../../src/model/roofline.js';
import type {KernelFamily} from '../../src/model/types.js';
import {type DeviceRates, type Profile, profileSchema, type Sample} from '../../src/schema/profile.js';

/**
 * A full `attncap calibrate` on the project's 2-core build machine (webasm, one thread), samples
 * included. The golden comparison below recomputes the fit from the samples; after a deliberate
 * change to the fit, re-derive the stored figures from the same samples (or recalibrate).
 */
const FIXTURE = new URL('../../../test/fixtures/calibration/profile-webasm-2core.json', import.meta.url);

function sample(fields: Partial<Sample> & Pick<Sample, 'kernel' | 'family' | 'medianSeconds'>): Sample {
  return {
    size: {},
    macs: 0,
    vectorFlops: 0,
    bytes: 0,
    transferBytes: 0,
    launches: 1,
    calls: 1,
    spreadSeconds: 0,
    reps: 5,
    role: 'fit',
    ...fields,
  };
}

test('nnls: exact solutions, the non-negativity constraint, and zero columns', t => {
  // [1 0; 0 1; 1 1]·[1 2]ᵀ = [1 2 3]ᵀ exactly.
  const x = nnls(
    [
      [1, 0],
      [0, 1],
      [1, 1],
    ],
    [1, 2, 3],
  );
  t.true(Math.abs(x[0] - 1) < 1e-9 && Math.abs(x[1] - 2) < 1e-9);
  // Unconstrained optimum is x0 = −1: clamped to 0, then x1 = argmin ‖[0 1]x1 − [−1 2]‖ = 2.
  const y = nnls(
    [
      [1, 0],
      [0, 1],
    ],
    [-1, 2],
  );
  t.deepEqual(
    y.map(v => Math.round(v * 1e9) / 1e9),
    [0, 2],
  );
  // [1 2; 3 4; 5 6]x = 1: unconstrained x = (−1, 1); with x ≥ 0, x0 = 0 and
  // x1 = (2 + 4 + 6) / (4 + 16 + 36) = 12/56 = 0.2142857…
  const z = nnls(
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    [1, 1, 1],
  );
  t.is(z[0], 0);
  t.true(Math.abs(z[1] - 12 / 56) < 1e-9);
  // An all-zero column stays at 0; columns of very different scales are solved (scaling).
  const w = nnls(
    [
      [1e-3, 0, 0],
      [0, 1e6, 0],
      [1e-3, 1e6, 0],
    ],
    [1, 2, 3],
  );
  t.true(Math.abs(w[0] - 1000) < 1e-6 && Math.abs(w[1] - 2e-6) < 1e-15 && w[2] === 0);
});

test('fitTransfer: median empty-kernel time and the upload throughput', t => {
  const samples = [
    sample({kernel: 'empty', family: 'elementwise', medianSeconds: 20e-6, calls: 1}),
    sample({kernel: 'empty', family: 'elementwise', medianSeconds: 30e-6, calls: 1}),
    sample({kernel: 'empty', family: 'elementwise', medianSeconds: 25e-6, calls: 1}),
    // t = 25 µs + bytes / 4 GB/s exactly: 4 MB → 1 ms, 40 MB → 10 ms.
    sample({kernel: 'upload', family: 'elementwise', transferBytes: 4e6, medianSeconds: 25e-6 + 1e-3}),
    sample({kernel: 'upload', family: 'elementwise', transferBytes: 4e7, medianSeconds: 25e-6 + 1e-2}),
  ];
  const transfer = fitTransfer(samples);
  t.is(transfer.fixedSeconds, 25e-6);
  t.true(Math.abs(transfer.bytesPerSec / 4e9 - 1) < 1e-9);
});

/** Rates the synthetic device has; the fit must recover them. */
const TRUE_RATES: Record<
  'gemm' | 'attention-materialized' | 'elementwise',
  {P: number; V: number; B: number; L: number}
> = {
  gemm: {P: 2e9, V: 1e9, B: 4e9, L: 1e-5},
  'attention-materialized': {P: 1.5e9, V: 5e7, B: 3e9, L: 2e-5},
  elementwise: {P: 1e9, V: 4e7, B: 2e9, L: 5e-6},
};
const TRANSFER = {bytesPerSec: 8e9, fixedSeconds: 2e-5};

function synthetic(
  kernel: string,
  family: keyof typeof TRUE_RATES,
  work: {macs?: number; vectorFlops?: number; bytes?: number; transferBytes?: number; calls?: number},
): Sample {
  const r = TRUE_RATES[family];
  const macs = work.macs ?? 0;
  const vectorFlops = work.vectorFlops ?? 0;
  const bytes = work.bytes ?? 0;
  const transferBytes = work.transferBytes ?? 0;
  const calls = work.calls ?? 1;
  const seconds =
    r.L +
    Math.max((2 * macs) / r.P, vectorFlops / r.V, bytes / r.B) +
    calls * TRANSFER.fixedSeconds +
    transferBytes / TRANSFER.bytesPerSec;
  return sample({kernel, family, macs, vectorFlops, bytes, transferBytes, calls, medianSeconds: seconds});
}

function syntheticSamples(): Sample[] {
  const out: Sample[] = [];
  for (const n of [64, 128, 256, 384]) {
    out.push(synthetic('matmul', 'gemm', {macs: n ** 3, bytes: 12 * n * n, transferBytes: 8 * n * n}));
  }
  for (const n of [2 ** 16, 2 ** 18, 2 ** 20]) {
    out.push(synthetic('triad', 'elementwise', {bytes: 12 * n, transferBytes: 8 * n}));
  }
  for (const cols of [128, 512, 2048]) {
    const cells = 1024 * cols;
    out.push(
      synthetic('softmax', 'elementwise', {
        vectorFlops: 5 * cells,
        bytes: 8 * cells,
        transferBytes: 8 * cells,
        calls: 3,
      }),
    );
  }
  for (const n of [128, 256, 512, 1024]) {
    const pairs = 4 * n * n;
    out.push(
      synthetic('standard.scores', 'attention-materialized', {
        macs: 32 * pairs,
        bytes: 4 * pairs + 1024 * n,
        transferBytes: 1024 * n,
      }),
    );
    out.push(
      synthetic('standard.softmax', 'attention-materialized', {
        vectorFlops: 5 * pairs,
        bytes: 8 * pairs,
        transferBytes: 8 * pairs,
        calls: 3,
      }),
    );
    out.push(
      synthetic('standard.weighted-sum', 'attention-materialized', {
        macs: 32 * pairs,
        bytes: 4 * pairs + 1024 * n,
        transferBytes: 4 * pairs,
      }),
    );
  }
  return out;
}

test('fitDevice recovers the rates that generated noise-free samples, and which term bounds each kernel', t => {
  const samples = syntheticSamples();
  const fit = fitDevice(samples, {transfer: TRANSFER});
  const close = (a: number, b: number) => Math.abs(a / b - 1) < 1e-6;
  const gemm = fit.families.gemm!;
  t.true(close(1 / gemm.secondsPerFlop, TRUE_RATES.gemm.P));
  t.deepEqual(gemm.bound, {compute: 4, vector: 0, memory: 0});
  const attention = fit.families['attention-materialized']!;
  t.true(close(1 / attention.secondsPerFlop, TRUE_RATES['attention-materialized'].P));
  t.true(close(1 / attention.secondsPerVectorFlop, TRUE_RATES['attention-materialized'].V));
  t.true(close(attention.launchSeconds, TRUE_RATES['attention-materialized'].L));
  t.deepEqual(attention.bound, {compute: 8, vector: 4, memory: 0});
  const elementwise = fit.families.elementwise!;
  t.true(close(1 / elementwise.secondsPerByte, TRUE_RATES.elementwise.B));
  t.true(close(1 / elementwise.secondsPerVectorFlop, TRUE_RATES.elementwise.V));
  t.deepEqual(elementwise.bound, {compute: 0, vector: 3, memory: 3});

  // The profile figures: each peak is the fastest family where that resource bound —
  // matrix: gemm 2e9 (> attention 1.5e9); vector: attention 5e7 (> elementwise 4e7); memory: elementwise 2e9.
  const figures = figuresFromFit(fit, samples);
  t.true(close(figures.peaks.matrixFlopsPerSec, 2e9));
  t.true(close(figures.peaks.vectorFlopsPerSec, 5e7));
  t.true(close(figures.peaks.bandwidthBytesPerSec, 2e9));
  // attention-materialized matrix: 1.5e9 / 2e9 = 0.75; vector 5e7 / 5e7 = 1; elementwise vector 4e7 / 5e7 = 0.8.
  t.true(close(figures.families['attention-materialized'].matrixEfficiency, 0.75));
  t.true(close(figures.families['attention-materialized'].vectorEfficiency, 1));
  t.true(close(figures.families.elementwise.vectorEfficiency, 0.8));
  t.is(figures.families['attention-materialized'].source, 'fitted on this device');
  // Families gpu.js cannot run take a measured family's figures and say so.
  t.deepEqual(
    {...figures.families['attention-fused'], source: ''},
    {...figures.families['attention-materialized'], source: ''},
  );
  t.regex(figures.families['attention-fused'].source, /not measurable.*attention-materialized/);
  t.regex(figures.families.scan.source, /taken from elementwise/);
  // Every sample is predicted exactly (rates recovered; memory terms that never bound stay unbinding).
  const rates = profileRates(figures);
  for (const s of samples) t.true(close(predictSample(s, rates, TRANSFER), s.medianSeconds), s.kernel);
  const validation = validateProfile(samples, figures, 'fit');
  t.true(validation.maxAbsPctError < 1e-6);
  for (const r2 of Object.values(goodnessOfFit(samples, figures))) t.true(Math.abs((r2 ?? 0) - 1) < 1e-9);
});

test('property: scaling every time by k scales every fitted rate by 1/k', t => {
  const samples = syntheticSamples();
  const base = fitDevice(samples, {transfer: TRANSFER});
  fc.assert(
    fc.property(fc.double({min: 0.25, max: 4, noNaN: true}), k => {
      const scaled = samples.map(s => ({...s, medianSeconds: s.medianSeconds * k}));
      const fit = fitDevice(scaled, {
        transfer: {bytesPerSec: TRANSFER.bytesPerSec / k, fixedSeconds: TRANSFER.fixedSeconds * k},
      });
      for (const family of ['gemm', 'attention-materialized', 'elementwise'] as KernelFamily[]) {
        const a = base.families[family]!;
        const b = fit.families[family]!;
        if (Math.abs(b.secondsPerFlop - a.secondsPerFlop * k) > 1e-6 * a.secondsPerFlop * k) return false;
        if (Math.abs(b.secondsPerVectorFlop - a.secondsPerVectorFlop * k) > 1e-6 * a.secondsPerVectorFlop * k)
          return false;
      }
      return true;
    }),
    {numRuns: 20},
  );
  t.pass();
});

test('predictSample is the product roofline plus calls × t_call + transferBytes / T', t => {
  const rates = {} as DeviceRates;
  for (const f of [
    'gemm',
    'attention-materialized',
    'attention-fused',
    'attention-sparse',
    'elementwise',
    'scan',
  ] as KernelFamily[]) {
    rates[f] = {matrixFlopsPerSec: 1e9, vectorFlopsPerSec: 1e8, bytesPerSec: 2e9, launchSeconds: 1e-5};
  }
  const s = sample({
    kernel: 'x',
    family: 'gemm',
    macs: 1e6,
    vectorFlops: 1e6,
    bytes: 4e6,
    transferBytes: 8e6,
    calls: 2,
    launches: 3,
    medianSeconds: 1,
  });
  // roofline: max(2e6/1e9, 1e6/1e8, 4e6/2e9) + 3·1e-5 = max(2 ms, 10 ms, 2 ms) + 30 µs = 10.03 ms;
  // transfer: 2 × 20 µs + 8e6 / 4e9 = 40 µs + 2 ms.
  const predicted = predictSample(s, rates, {bytesPerSec: 4e9, fixedSeconds: 2e-5});
  t.true(Math.abs(predicted - (10.03e-3 + 2.04e-3)) < 1e-12);
  const roofline = componentSeconds(
    {kernel: 'gemm', macs: 1e6, vectorFlops: 1e6, readBytes: 4e6, writeBytes: 0, launches: 3},
    rates,
    2,
  ).seconds;
  t.true(Math.abs(predicted - roofline - 2.04e-3) < 1e-12);
});

test('errorPct, errorStats and scalingExponent: hand-computed values', t => {
  t.is(errorPct(110, 100), 10);
  t.is(errorPct(90, 100), -10);
  // |+10|, |−20|, |5| → mean 35/3, worst 20.
  t.deepEqual(errorStats([10, -20, 5]), {mape: 35 / 3, maxAbsPctError: 20, points: 3});
  t.deepEqual(errorStats([]), {mape: 0, maxAbsPctError: 0, points: 0});
  // t = 3·n² exactly → slope 2; t = 5·n → slope 1.
  const quad = [256, 512, 1024, 2048].map(n => ({n, seconds: 3 * n * n}));
  t.true(Math.abs(scalingExponent(quad) - 2) < 1e-12);
  const lin = [256, 512, 1024].map(n => ({n, seconds: 5 * n}));
  t.true(Math.abs(scalingExponent(lin) - 1) < 1e-12);
});

test('recorded samples (webasm, 2 cores): the fit reproduces the stored profile, and the bounds are physical', t => {
  const stored = profileSchema().parse(JSON.parse(readFileSync(FIXTURE, 'utf8'))) as Profile;
  const samples = stored.samples!;
  const transfer = fitTransfer(samples);
  t.deepEqual(transfer, stored.transfer);
  const fit = fitDevice(samples, {transfer});
  // Matrix products are compute-bound, the triad memory-bound, softmaxes vector-bound.
  t.true(fit.families.gemm!.bound.compute >= 2);
  t.true(fit.families.elementwise!.bound.memory >= 2);
  t.true(fit.families.elementwise!.bound.vector >= 2);
  t.true(fit.families['attention-materialized']!.bound.vector >= 3);
  const figures = figuresFromFit(fit, samples);
  t.deepEqual(figures.peaks, stored.peaks);
  for (const [family, eff] of Object.entries(figures.families)) {
    const {r2: _r2, ...storedEff} = stored.families[family as KernelFamily];
    t.deepEqual(eff, storedEff, family);
  }
  const validation = validateProfile(samples, figures);
  t.deepEqual(validation, stored.validation);
  // Quality on real measurements: the held-out sizes (not used by the fit) are predicted within
  // 10 % on average; the worst is the 192³ matrix product, which runs about a third slower per
  // FLOP than the 128³, 256³ and 384³ ones it is fitted on (seen in every recording).
  t.true(validation.mape <= 10, `MAPE ${validation.mape}`);
  t.true(validation.maxAbsPctError <= 40, `worst ${validation.maxAbsPctError}`);
  for (const r2 of Object.values(goodnessOfFit(samples, figures))) t.true((r2 ?? 0) > 0.95);
});
