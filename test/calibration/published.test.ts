import test from 'ava';
import {
  errorPct,
  fitEntry,
  loadPublishedRows,
  median,
  type PublishedRow,
  predictRow,
  publishedFlops,
  publishedSeconds,
  type RowResult,
  summarise,
} from '../../src/calibration/published.js';
import {presetProfile} from '../../src/hardware.js';
import {loadHardware} from '../../src/presets/load.js';
import type {ImplementationEfficiency} from '../../src/schema/profile.js';

const rows = loadPublishedRows();
const shipped = (r: PublishedRow) =>
  predictRow(r, loadHardware(r.hardware), presetProfile(r.hardware).profile);
const results: RowResult[] = rows
  .filter(r => publishedSeconds(r) !== undefined)
  .map(row => {
    const published = publishedSeconds(row) as number;
    const predicted = shipped(row);
    return {row, published, predicted, error: errorPct(predicted, published)};
  });

test('FLOP convention of the sources: 4·b·n²·h·d forward, halved causal, 3.5× with backward', t => {
  const p = {batch: 4, seq: 4096, heads: 32, headDim: 64, causal: false, pass: 'fwd' as const};
  // 4 · 4 · 4096² · 32 · 64 = 549,755,813,888
  t.is(publishedFlops(p), 549_755_813_888);
  t.is(publishedFlops({...p, causal: true}), 274_877_906_944);
  t.is(publishedFlops({...p, pass: 'fwd+bwd'}), 3.5 * 549_755_813_888);
});

test('the data file holds every row of the reference sample, with its source', t => {
  const fit = rows.filter(r => r.role === 'fit');
  // measurements.md: 4 A100 80GB series of 6, 2 A100 40GB series (8 and 10);
  // measurements-h100.md: 5 forward and 3 forward+backward series of 6.
  t.is(fit.length, 4 * 6 + 8 + 10 + 8 * 6);
  for (const r of rows) t.true(r.source.length > 20);
  // FA2 Fig. 5 at n = 4096: 192 TFLOP/s at b = 4, h = 32, d_h = 64 → 549.8 GFLOP / 192 TFLOP/s.
  const fig5 = rows.find(
    r => r.impl === 'fa2' && r.hardware === 'a100-80gb' && r.pass === 'fwd' && r.seq === 4096,
  );
  t.is(fig5?.tflops, 192);
  t.true(Math.abs((publishedSeconds(fig5!) as number) - 549_755_813_888 / 192e12) < 1e-12);
});

test('fitted groups: median error ≤ 10 % and worst ≤ 20 % per implementation and hardware', t => {
  const fitted = results.filter(r => r.row.role === 'fit');
  const groups = summarise(fitted, r => `${r.impl} ${r.hardware}`);
  t.is(groups.length, 10);
  for (const g of groups) {
    t.true(g.medianAbsPct <= 10, `${g.group}: median ${g.medianAbsPct.toFixed(1)} %`);
    t.true(g.maxAbsPct <= 20, `${g.group}: worst ${g.maxAbsPct.toFixed(1)} %`);
  }
});

test('held-out rows (H100 head dim 128, causal; never fitted) stay within 6 % median', t => {
  const check = results.filter(r => r.row.role === 'check');
  t.true(check.length >= 17);
  for (const g of summarise(check)) t.true(g.medianAbsPct <= 6, `${g.group}: ${g.medianAbsPct.toFixed(1)} %`);
});

test('causal FlashAttention-2 takes ~55 % of the non-causal time, not the 50 % of its pairs: the grid ends with its longest tiles', t => {
  const at = (causal: boolean) =>
    results.find(
      r =>
        r.row.impl === 'fa2' &&
        r.row.hardware === 'h100-sxm' &&
        r.row.headDim === 128 &&
        r.row.seq === 16384 &&
        r.row.causal === causal,
    )!;
  const predicted = at(true).predicted / at(false).predicted;
  const published = at(true).published / at(false).published;
  t.true(
    Math.abs(predicted - published) < 0.02,
    `${predicted.toFixed(3)} vs published ${published.toFixed(3)}`,
  );
  t.true(predicted > 0.53);
});

test('H100 FlashAttention-2 at head dim 128 runs more FLOP/s than at 64 (exp share halves)', t => {
  const at = (headDim: number) =>
    results.find(
      r =>
        r.row.impl === 'fa2' &&
        r.row.hardware === 'h100-sxm' &&
        r.row.pass === 'fwd' &&
        r.row.seq === 4096 &&
        !r.row.causal &&
        r.row.headDim === headDim,
    )!;
  const tflops = (r: RowResult) => publishedFlops(r.row) / r.predicted / 1e12;
  t.true(tflops(at(128)) > 1.1 * tflops(at(64)), `${tflops(at(128))} vs ${tflops(at(64))}`);
});

test('fitEntry recovers the entry that generated synthetic rows', t => {
  const own = rows.filter(r => r.impl === 'fa2' && r.hardware === 'h100-sxm' && r.pass === 'fwd');
  const hw = loadHardware('h100-sxm');
  const {profile} = presetProfile('h100-sxm');
  const truth: ImplementationEfficiency = {
    matrixEfficiency: 0.6,
    memoryEfficiency: 0.92,
    launchSeconds: 3e-6,
    hostSeconds: 0,
    tileOverheadSteps: 1,
    source: 'synthetic',
  };
  const predict = (r: PublishedRow, e: ImplementationEfficiency) => predictRow(r, hw, profile, e);
  const synthetic = own.map(r => {
    const {tflops: _t, ...rest} = r;
    return {...rest, ms: predict(r, truth) * 1e3};
  });
  const fit = fitEntry(
    synthetic,
    {...truth, matrixEfficiency: 0.4, tileOverheadSteps: 0},
    ['matrixEfficiency', 'tileOverheadSteps'],
    predict,
  );
  t.true(Math.abs(fit.entry.matrixEfficiency - 0.6) < 0.005, String(fit.entry.matrixEfficiency));
  t.true(Math.abs(fit.entry.tileOverheadSteps - 1) < 0.05, String(fit.entry.tileOverheadSteps));
  t.true(fit.rmsLogError < 0.002);
});

test('median: odd and even counts; summarise: median and worst absolute error per group', t => {
  t.is(median([3, 1, 2]), 2);
  t.is(median([4, 1, 3, 2]), 2.5);
  const row = rows[0]!;
  const stats = summarise([
    {row, published: 1, predicted: 1.1, error: 10},
    {row, published: 1, predicted: 0.8, error: -20},
    {row, published: 1, predicted: 1.05, error: 5},
  ]);
  t.is(stats.length, 1);
  t.is(stats[0]!.medianAbsPct, 10);
  t.is(stats[0]!.maxAbsPct, 20);
});
