/**
 * `bench` on recorded measurements: the full calibration of the 2-core build machine
 * (profile-webasm-2core.json) and the measured times of a `bench --json` run made right after it
 * (bench-webasm-2core.json, default variants and sizes). The predictions are recomputed here from
 * the profile — the code under test — and compared with the recorded measurements: the
 * acceptance bars of issue 5 on real data, without timing anything.
 */
import {readFileSync} from 'node:fs';
import test from 'ava';
import {scalingExponent} from '../../src/calibration/fit.js';
import {buildCase, type GpuInstance, seededRandom} from '../../src/calibration/kernels.js';
import {
  benchCaseSpec,
  DEFAULT_BENCH_VARIANTS,
  parseBenchVariant,
  predictCase,
} from '../../src/calibration/run.js';
import {type Profile, profileSchema} from '../../src/schema/profile.js';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/calibration/${name}`, import.meta.url), 'utf8'));

interface RecordedRow {
  variant: string;
  seq: number;
  measuredSeconds: number;
  spreadSeconds: number;
}

const profile = profileSchema().parse(read('profile-webasm-2core.json')) as Profile;
const recorded = read('bench-webasm-2core.json') as {inputs: {variants: string[]}; results: RecordedRow[]};

/** Kernels are created, never run: the stages' call counts and transfer sizes are all we need. */
const NO_GPU = {createKernel: () => () => undefined} as unknown as GpuInstance;

function predictions() {
  const byLabel = new Map(
    DEFAULT_BENCH_VARIANTS.map(text => [parseBenchVariant(text).label, parseBenchVariant(text)]),
  );
  return recorded.results.map(row => {
    const spec = benchCaseSpec(byLabel.get(row.variant)!, row.seq);
    const predicted = predictCase(spec, buildCase(NO_GPU, spec, seededRandom(1)).stages, profile);
    return {...row, predicted, errorPct: (100 * (predicted - row.measuredSeconds)) / row.measuredSeconds};
  });
}

test('the prediction path is the profile roofline of every component plus the transfer', t => {
  const rows = predictions();
  t.is(rows.length, 16);
  for (const row of rows)
    t.true(row.predicted > 0 && Number.isFinite(row.predicted), `${row.variant} ${row.seq}`);
  // standard at n = 2048 is 16× the score work of n = 512: the prediction scales accordingly.
  const at = (n: number) => rows.find(r => r.variant === 'standard' && r.seq === n)!.predicted;
  t.true(at(2048) / at(512) > 15 && at(2048) / at(512) < 16.5);
});

test('every variant: median absolute error ≤ 10 %, worst ≤ 25 %', t => {
  const rows = predictions();
  const abs = rows.map(r => Math.abs(r.errorPct)).sort((a, b) => a - b);
  const median = (abs[(abs.length - 1) >> 1] + abs[abs.length >> 1]) / 2;
  t.true(median <= 10, `median ${median}`);
  t.true(abs[abs.length - 1] <= 25, `worst ${abs[abs.length - 1]}`);
  for (const variant of recorded.inputs.variants) {
    const own = rows.filter(r => r.variant === variant).map(r => Math.abs(r.errorPct));
    t.true(Math.max(...own) <= 25, `${variant}: ${own.map(e => e.toFixed(1)).join(', ')}`);
  }
});

test('the measured scaling exponents show the O(n²) wall: standard 1.7–2.3, the others 0.7–1.3', t => {
  const exponent = (variant: string) =>
    scalingExponent(
      recorded.results.filter(r => r.variant === variant).map(r => ({n: r.seq, seconds: r.measuredSeconds})),
    );
  const [standard, ...linearish] = recorded.inputs.variants;
  t.is(standard, 'standard');
  const e = exponent(standard);
  t.true(e >= 1.7 && e <= 2.3, `standard ${e}`);
  for (const v of linearish) {
    const x = exponent(v);
    t.true(x >= 0.7 && x <= 1.3, `${v} ${x}`);
  }
});
