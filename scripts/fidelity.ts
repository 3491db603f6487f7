/**
 * `npm run fidelity`: every published attention measurement in calibration/published/attention.json
 * run through the CLI (`attncap latency --scope attention --json`), with the error by group
 * (implementation × hardware × head dim × causal × direction), median and worst. Exits 1 when a
 * group of fitted rows has a median error above 10 % (docs/calibration-presets.md).
 *
 *   npm run fidelity                 through the built CLI (bin/run.js), one process per row
 *   npm run fidelity -- --library    the same predictions in-process (fast)
 *   npm run fidelity -- --fit        fit every implementation × hardware entry and print it
 */
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {
  errorPct,
  type FitParam,
  fitEntry,
  type GroupStats,
  loadPublishedRows,
  median,
  type PublishedRow,
  predictRow,
  publishedFlops,
  publishedSeconds,
  type RowResult,
  summarise,
  variantOf,
} from '../src/calibration/published.js';
import {presetProfile} from '../src/hardware.js';
import {IMPL_DEFS} from '../src/model/impl.js';
import {loadHardware} from '../src/presets/load.js';
import {packageRoot} from '../src/presets/paths.js';
import type {ImplementationEfficiency} from '../src/schema/profile.js';

const MEDIAN_LIMIT_PCT = 10;
/** Calls of less than 1 GFLOP (≤ 10 µs of device work at 100 TFLOP/s) time the host, not the GPU. */
const HOST_VISIBLE_FLOPS = 1e9;
const run = promisify(execFile);

/** The CLI arguments that reproduce one row. */
export function cliArgs(r: PublishedRow): string[] {
  return [
    'latency',
    '--d-model',
    String(r.heads * r.headDim),
    '--heads',
    String(r.heads),
    '--head-dim',
    String(r.headDim),
    '--layers',
    '1',
    r.causal ? '--causal' : '--no-causal',
    '--scope',
    'attention',
    '--variant',
    variantOf(r.impl),
    '--impl',
    r.impl,
    '--hardware',
    r.hardware,
    '--batch',
    String(r.batch),
    '--seq',
    String(r.seq),
    '--dtype',
    'fp16',
    '--mode',
    r.pass === 'fwd' ? 'prefill' : 'train',
    '--json',
  ];
}

async function viaCli(r: PublishedRow): Promise<number> {
  const {stdout} = await run(process.execPath, [join(packageRoot, 'bin', 'run.js'), ...cliArgs(r)]);
  const out = JSON.parse(stdout) as {results: {seconds: number}[]};
  return out.results[0]!.seconds;
}

async function predictAll(rows: PublishedRow[], library: boolean): Promise<RowResult[]> {
  const timed = rows.filter(r => publishedSeconds(r) !== undefined);
  const results: RowResult[] = new Array(timed.length);
  let next = 0;
  const worker = async () => {
    while (next < timed.length) {
      const i = next++;
      const row = timed[i]!;
      const predicted = library
        ? predictRow(row, loadHardware(row.hardware), presetProfile(row.hardware).profile)
        : await viaCli(row);
      const published = publishedSeconds(row) as number;
      results[i] = {row, published, predicted, error: errorPct(predicted, published)};
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

function fmt(x: number, digits = 1): string {
  return x.toFixed(digits);
}

function printStats(title: string, stats: GroupStats[]): void {
  console.log(`\n${title}\n`);
  console.log('| group | role | points | median |err| % | worst |err| % |');
  console.log('|---|---|---|---|---|');
  for (const s of stats)
    console.log(`| ${s.group} | ${s.role} | ${s.points} | ${fmt(s.medianAbsPct)} | ${fmt(s.maxAbsPct)} |`);
}

async function report(library: boolean): Promise<number> {
  const rows = loadPublishedRows();
  const results = await predictAll(rows, library);
  console.log(
    `Published attention rows through ${library ? 'the library' : 'the CLI'} (error = (predicted − published) / published)\n`,
  );
  console.log(
    '| impl | hardware | pass | b | h | d_h | n | causal | published ms | predicted ms | error % | role |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const w = r.row;
    console.log(
      `| ${w.impl} | ${w.hardware} | ${w.pass} | ${w.batch} | ${w.heads} | ${w.headDim} | ${w.seq} | ${w.causal ? 'yes' : 'no'} | ${fmt(r.published * 1e3, 3)} | ${fmt(r.predicted * 1e3, 3)} | ${fmt(r.error)} | ${w.role} |`,
    );
  }
  const groups = summarise(results);
  printStats('By group (implementation × hardware × head dim × causal × direction)', groups);
  const fitted = results.filter(r => r.row.role === 'fit');
  printStats(
    'By implementation × hardware (fitted rows)',
    summarise(fitted, r => `${r.impl} ${r.hardware}`),
  );
  const all = fitted.map(r => Math.abs(r.error));
  console.log(
    `\nAll fitted rows: ${all.length} points, median ${fmt(median(all))} %, worst ${fmt(Math.max(...all))} %`,
  );
  const failing = groups.filter(g => g.role === 'fit' && g.medianAbsPct > MEDIAN_LIMIT_PCT);
  for (const g of failing)
    console.error(`FAIL: ${g.group}: median error ${fmt(g.medianAbsPct)} % > ${MEDIAN_LIMIT_PCT} %`);
  return failing.length > 0 ? 1 : 0;
}

/** Which parameters the rows of one implementation × hardware can determine. */
function freeParams(impl: keyof typeof IMPL_DEFS, rows: PublishedRow[]): FitParam[][] {
  const hasFwd = rows.some(r => r.pass === 'fwd');
  // Host time per call is identifiable only from calls whose device work is negligible.
  const host: FitParam[] = rows.some(r => publishedFlops(r) < HOST_VISIBLE_FLOPS) ? ['hostSeconds'] : [];
  const hasBwd = rows.some(r => r.pass === 'fwd+bwd');
  if (IMPL_DEFS[impl].family === 'attention-materialized')
    return [['memoryEfficiency', 'launchSeconds', ...host]];
  const stages: FitParam[][] = [];
  if (hasFwd) stages.push(['matrixEfficiency', 'tileOverheadSteps', 'launchSeconds', ...host]);
  if (hasBwd) stages.push(hasFwd ? ['backwardMatrixEfficiency'] : ['matrixEfficiency', 'tileOverheadSteps']);
  return stages;
}

/** Rows of one fit stage: the backward on fwd+bwd rows, fused forward parameters on forward rows. */
function stageRowsOf(own: PublishedRow[], free: FitParam[], impl: keyof typeof IMPL_DEFS): PublishedRow[] {
  if (free.includes('backwardMatrixEfficiency')) return own.filter(r => r.pass === 'fwd+bwd');
  if (IMPL_DEFS[impl].family === 'attention-materialized' || !own.some(r => r.pass === 'fwd')) return own;
  return own.filter(r => r.pass === 'fwd');
}

/** Three significant digits, as the shipped profiles store them. */
function roundEntry(e: ImplementationEfficiency): ImplementationEfficiency {
  const r = (x: number) => Number(x.toPrecision(3));
  return {
    matrixEfficiency: r(e.matrixEfficiency),
    ...(e.backwardMatrixEfficiency !== undefined
      ? {backwardMatrixEfficiency: r(e.backwardMatrixEfficiency)}
      : {}),
    memoryEfficiency: r(e.memoryEfficiency),
    launchSeconds: r(e.launchSeconds),
    hostSeconds: r(e.hostSeconds),
    tileOverheadSteps: r(e.tileOverheadSteps),
    source: e.source,
  };
}

function fitAll(): void {
  const fitted: Record<string, ImplementationEfficiency> = {};
  const rows = loadPublishedRows().filter(r => r.role === 'fit');
  const keys = [...new Set(rows.map(r => `${r.impl}|${r.hardware}`))];
  for (const key of keys) {
    const [impl, hardware] = key.split('|') as [keyof typeof IMPL_DEFS, string];
    const own = rows.filter(r => r.impl === impl && r.hardware === hardware);
    const hw = loadHardware(hardware);
    const {profile} = presetProfile(hardware);
    const family = profile.families[IMPL_DEFS[impl].family];
    let entry: ImplementationEfficiency = {
      ...(profile.implementations?.[impl] ?? {
        matrixEfficiency: family.matrixEfficiency,
        memoryEfficiency: family.memoryEfficiency,
        launchSeconds: family.launchSeconds,
        hostSeconds: 0,
        tileOverheadSteps: 0,
        source: 'fit',
      }),
      hostSeconds: 0,
    };
    const predict = (r: PublishedRow, e: ImplementationEfficiency) => predictRow(r, hw, profile, e);
    let rms = 0;
    for (const free of freeParams(impl, own)) {
      const stageRows = stageRowsOf(own, free, impl);
      const fit = fitEntry(stageRows, entry, free, predict);
      entry = fit.entry;
      rms = fit.rmsLogError;
    }
    const errors = own
      .filter(r => publishedSeconds(r) !== undefined)
      .map(r => Math.abs(errorPct(predict(r, entry), publishedSeconds(r) as number)));
    const rounded = roundEntry(entry);
    const final = own
      .filter(r => publishedSeconds(r) !== undefined)
      .map(r => Math.abs(errorPct(predict(r, rounded), publishedSeconds(r) as number)));
    fitted[`${hardware} ${impl}`] = {
      ...rounded,
      fit: {
        rows: [...new Set(own.map(r => r.source))].join('; '),
        points: final.length,
        medianAbsPctError: Number(median(final).toFixed(1)),
        maxAbsPctError: Number(Math.max(...final).toFixed(1)),
      },
    };
    console.error(
      `${hardware} ${impl}: rms log ${rms.toFixed(3)}; points ${errors.length}, median ${fmt(median(errors))} %, worst ${fmt(Math.max(...errors))} %`,
    );
  }
  console.log(JSON.stringify(fitted, null, 2));
}

const args = process.argv.slice(2);
if (args.includes('--fit')) fitAll();
else process.exitCode = await report(args.includes('--library'));
