/**
 * `npm run bench`: the performance budgets (docs/startup.md), each printed next to its budget.
 * Timings come from repeated runs (median), never from timed unit tests.
 */
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {Bench} from 'tinybench';
import {resolveModel, resolveWorkload} from '../src/inputs.js';
import {layerSpec, transformerLayer} from '../src/model/architectures/transformer.js';
import {resolveVariant} from '../src/model/variants/index.js';
import {atSeq} from '../src/model/workload.js';
import {solveOne} from '../src/queries/max-seq.js';
import {resolveScenario} from '../src/scenario/resolve.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

interface Row {
  figure: string;
  value: string;
  budget: string;
  ok: boolean;
}
const rows: Row[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeCommand(args: string[], runs: number): {ms: number; rssMb: number} {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    // stdout is discarded (a sweep prints megabytes); GNU time reports the peak RSS on stderr.
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: {...process.env, NO_COLOR: '1'},
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const kb = Number(r.stderr.trim().split('\n').at(-1));
    if (Number.isFinite(kb)) rss = Math.max(rss, kb / 1024);
    if (r.status !== 0 && !args.includes('-e'))
      throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return {ms: median(times), rssMb: rss};
}

/**
 * Start-up, as ratios to bare `node -e 0` measured in the same rounds: each round runs every
 * command once, in turn, so a busy machine slows all of them alike; the figures are medians.
 */
function timeInterleaved(
  commands: Record<string, string[]>,
  rounds: number,
): Record<string, {ms: number; rssMb: number}> {
  const samples: Record<string, {times: number[]; rssMb: number}> = {};
  for (const name of Object.keys(commands)) samples[name] = {times: [], rssMb: 0};
  for (let i = 0; i < rounds; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const one = timeCommand(args, 1);
      samples[name].times.push(one.ms);
      samples[name].rssMb = Math.max(samples[name].rssMb, one.rssMb);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [name, {ms: median(s.times), rssMb: s.rssMb}]),
  );
}

const ROUNDS = 11;
const startup = timeInterleaved(
  {
    bare: ['-e', '0'],
    version: [bin, '--version'],
    cost: [bin, 'cost', '--json'],
    latency: [bin, 'latency', '--json'],
    'max-seq': [bin, 'max-seq', '--json'],
    report: [bin, 'report', '--json'],
    llama: [bin, 'cost', '--model', 'llama-3.1-8b', '--seq', '128k', '--variant', 'flash', '--json'],
  },
  ROUNDS,
);
const bare = startup.bare;
const version = startup.version;
rows.push({
  figure: `attncap --version cold start (median of ${ROUNDS})`,
  value: `${version.ms.toFixed(0)} ms (${(version.ms / bare.ms).toFixed(2)}× node -e 0 = ${bare.ms.toFixed(0)} ms)`,
  budget: '≤ 150 ms',
  ok: version.ms <= 150,
});
for (const [name, limit] of [
  ['cost', 1.6],
  ['latency', 1.6],
  ['max-seq', 1.6],
  ['report', 2],
] as const) {
  const ratio = startup[name].ms / bare.ms;
  rows.push({
    figure: `${name} --json start-up, × node -e 0 (medians of ${ROUNDS}, interleaved)`,
    value: `${ratio.toFixed(2)}× (${startup[name].ms.toFixed(0)} ms vs ${bare.ms.toFixed(0)} ms)`,
    budget: `≤ ${limit}×`,
    ok: ratio <= limit,
  });
}
const cost = startup.llama;
// Whether V8 accepted the query bundle's code cache (the one these queries load, docs/startup.md):
// without it every query compiles the bundle.
const cache = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `const {loadBundle} = await import(${JSON.stringify(`${root}bin/load-bundle.js`)});
     console.log(loadBundle(${JSON.stringify(`${root}dist/query.cjs`)}).cacheRejected ? 'rejected' : 'accepted');`,
  ],
  {encoding: 'utf8'},
).stdout.trim();
rows.push({
  figure: `cost --json query, llama-3.1-8b at 128k (median of ${ROUNDS})`,
  value: `${cost.ms.toFixed(0)} ms (${(cost.ms / bare.ms).toFixed(2)}× node -e 0; code cache ${cache || 'unreadable'})`,
  budget: '≤ 300 ms',
  ok: cost.ms <= 300,
});
rows.push({
  figure: 'peak RSS of a normal command (cost --json)',
  value: `${cost.rssMb.toFixed(0)} MB`,
  budget: '≤ 150 MB',
  ok: cost.rssMb <= 150,
});
// serve: the budget search over concurrency (a bisection of prefill and decode evaluations), TP=8.
const serve = timeCommand(
  [
    bin,
    'serve',
    '--model',
    'llama-3.1-70b',
    '--hardware',
    'h100-sxm',
    '--gpus',
    '8',
    '--kv-block',
    '16',
    '--input',
    '8k',
    '--output',
    '1k',
    '--max-tpot',
    '50ms',
    '--max-ttft',
    '2s',
    '--json',
  ],
  7,
);
// A mixture-of-experts model on TP=8 with expert parallelism.
const moe = timeCommand(
  [
    bin,
    'serve',
    '--model',
    'mixtral-8x7b',
    '--hardware',
    'h100-sxm',
    '--gpus',
    '8',
    '--ep',
    '8',
    '--input',
    '8k',
    '--output',
    '1k',
    '--max-tpot',
    '30ms',
    '--json',
  ],
  7,
);
rows.push({
  figure: 'serve --json query, Mixtral-8x7B on TP=8, EP=8 (median of 7)',
  value: `${moe.ms.toFixed(0)} ms`,
  budget: '≤ 300 ms',
  ok: moe.ms <= 300,
});
rows.push({
  figure: 'serve --json query, 70B on TP=8 with budgets (median of 7)',
  value: `${serve.ms.toFixed(0)} ms`,
  budget: '≤ 300 ms',
  ok: serve.ms <= 300,
});
const sweep = timeCommand(
  [
    bin,
    'sweep',
    '--metric',
    'flops',
    '--seq',
    '1..10000:+1',
    '--variant',
    'standard',
    '--variant',
    'flash',
    '--variant',
    'window',
    '--variant',
    'linformer',
    '--variant',
    'performer',
    '--json',
  ],
  3,
);
rows.push({
  figure: '10,000-point sweep of 5 variants, end to end (median of 3)',
  value: `${sweep.ms.toFixed(0)} ms`,
  budget: '≤ 2,000 ms',
  ok: sweep.ms <= 2000,
});
// A 2026 model next to the dense one (issue 13): DeepSeek-V3's 61 layers of MLA and 256-expert MoE
// (3 dense layers split off) must cost no more than 2× Llama-3.1-8B's query and 10k-point sweep.
const moeArgs = (model: string) => [bin, 'cost', '--model', model, '--seq', '128k', '--json'];
const denseCost = timeCommand(moeArgs('llama-3.1-8b'), 7);
const moeCost = timeCommand(moeArgs('deepseek-v3'), 7);
rows.push({
  figure: 'cost --json, DeepSeek-V3 (median of 7)',
  value: `${moeCost.ms.toFixed(0)} ms (Llama-3.1-8B ${denseCost.ms.toFixed(0)} ms: ${(moeCost.ms / denseCost.ms).toFixed(2)}×)`,
  budget: '≤ 2× Llama-3.1-8B',
  ok: moeCost.ms <= 2 * denseCost.ms,
});
const modelSweep = (model: string) =>
  timeCommand(
    // One variant (MLA refuses the low-rank and kernel variants of sweep's default set).
    [
      bin,
      'sweep',
      '--model',
      model,
      '--metric',
      'flops',
      '--seq',
      '1..10000:+1',
      '--variant',
      'standard',
      '--json',
    ],
    3,
  );
const denseSweep = modelSweep('llama-3.1-8b');
const moeSweep = modelSweep('deepseek-v3');
rows.push({
  figure: '10,000-point sweep, DeepSeek-V3 (median of 3)',
  value: `${moeSweep.ms.toFixed(0)} ms (Llama-3.1-8B ${denseSweep.ms.toFixed(0)} ms: ${(moeSweep.ms / denseSweep.ms).toFixed(2)}×)`,
  budget: '≤ 2× Llama-3.1-8B',
  ok: moeSweep.ms <= 2 * denseSweep.ms,
});
const report = startup.report;
rows.push({
  figure: `report, end to end (median of ${ROUNDS})`,
  value: `${report.ms.toFixed(0)} ms`,
  budget: '≤ 1,000 ms',
  ok: report.ms <= 1000,
});

// In-process: layer-cost evaluations per second in one thread.
const model = resolveModel({preset: 'llama-3.1-8b'});
const w = resolveWorkload({}, model).base;
const variant = resolveVariant('flash');
const spec = layerSpec(model);
let n = 1024;
const bench = new Bench({time: 1000});
bench.add('layer cost', () => {
  n = n === 65536 ? 1024 : n + 1;
  transformerLayer(spec, n, true, atSeq(w, n), variant, 1);
});
const ctx = await resolveScenario({model: 'llama-3.1-8b', hardware: 'h100-sxm', variant: 'flash'});
bench.add('max-seq solve', () => {
  solveOne(ctx, ctx.variants[0], ctx.hardware[0], {solve: 'seq', seq: 0});
});
await bench.run();
for (const task of bench.tasks) {
  const hz =
    task.result && 'throughput' in task.result
      ? (task.result as {throughput: {mean: number}}).throughput.mean
      : 0;
  if (task.name === 'layer cost')
    rows.push({
      figure: 'layer-cost evaluations per second (one thread)',
      value: `${Math.round(hz).toLocaleString('en-US')}/s`,
      budget: '≥ 1,000,000/s',
      ok: hz >= 1e6,
    });
  else
    rows.push({
      figure: 'max-seq solve, in-process',
      value: `${(1000 / hz).toFixed(3)} ms`,
      budget: '≤ 1 ms',
      ok: 1000 / hz <= 1,
    });
}

const width = Math.max(...rows.map(r => r.figure.length));
for (const r of rows)
  process.stdout.write(
    `${r.ok ? 'MET ' : 'MISS'}  ${r.figure.padEnd(width)}  ${r.value}  (budget ${r.budget})\n`,
  );
process.exitCode = rows.every(r => r.ok) ? 0 : 1;
