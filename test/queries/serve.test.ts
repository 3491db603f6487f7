import {fileURLToPath} from 'node:url';
import test from 'ava';
import {resolveFlags, type ScenarioFlags} from '../../src/cli/scenario.js';
import {InvalidInputError} from '../../src/errors.js';
import {resolveModel, resolveWorkload} from '../../src/inputs.js';
import {evaluate} from '../../src/model/engine.js';
import {allReduceSeconds, allToAllSeconds, kvHeadShare, ringOverlapTokens} from '../../src/model/parallel.js';
import {atSeq} from '../../src/model/workload.js';
import {runServe as run, type ServeOptions, type ServeQuery, type ServeRow} from '../../src/queries/serve.js';

type ServeFlags = ScenarioFlags & ServeOptions;

/** As the command runs it: flags → scenario → serve. */
async function runServe(flags: ServeFlags): Promise<ServeQuery> {
  return run(await resolveFlags(flags), flags);
}

async function row(flags: ServeFlags): Promise<ServeRow> {
  return (await runServe({hardware: ['h100-sxm'], ...flags})).rows[0];
}

const GiB = 2 ** 30;

test('ring all-reduce: 2(N−1) steps of α + S/N/β; all-to-all: N−1 of them', t => {
  const link = {kind: 'x', bytesPerSec: 100e9, latencySeconds: 1e-6};
  t.is(allReduceSeconds(8e6, 1, link), 0);
  t.is(allReduceSeconds(8e6, 4, link), 6 * (1e-6 + 2e6 / 100e9));
  t.is(allToAllSeconds(8e6, 8, link), 7 * (1e-6 + 1e6 / 100e9));
  t.is(kvHeadShare(8, 4), 2 / 8);
  t.is(kvHeadShare(8, 16), 1 / 8);
});

test('Llama-3.1-8B bf16, one H100, 0.9 utilisation, 16-token blocks, 8k + 1k requests: the worked example', async t => {
  const r = await row({
    model: 'llama-3.1-8b',
    'memory-utilization': '0.9',
    'kv-block': '16',
    input: '8k',
    output: '1k',
  });
  // 32 layers · 8 KV heads · (128 + 128) · 2 bytes = 128 KiB per token; a block is 2 MiB.
  t.is(r.kv.blockBytes, 16 * 32 * 8 * 256 * 2);
  t.is(r.kv.blocksPerSequence, Math.ceil(9216 / 16));
  t.is(r.kv.blocks, Math.floor(r.memory.kvRoomBytes / r.kv.blockBytes));
  t.is(r.kv.tokens, r.kv.blocks * 16);
  t.is(r.maxConcurrency, Math.floor(r.kv.blocks / r.kv.blocksPerSequence));
  t.is(r.memory.budgetBytes, 80 * GiB * 0.9 - 915406848);
  t.true(r.fits);
  t.is(r.limitedBy, 'kv-cache');
  t.is(r.concurrency, r.maxConcurrency);
  t.true(r.maxConcurrency > 40 && r.maxConcurrency < 60, `${r.maxConcurrency}`);
});

test('fp8 KV doubles the KV tokens of bf16 (to within one block)', async t => {
  const flags = {
    model: 'llama-3.1-8b',
    'memory-utilization': '0.9',
    'kv-block': '16',
    input: '8k',
    output: '1k',
  };
  const bf16 = await row(flags);
  const fp8 = await row({...flags, 'kv-dtype': 'fp8'});
  t.is(fp8.kv.blockBytes * 2, bf16.kv.blockBytes);
  t.true(Math.abs(fp8.kv.blocks - 2 * bf16.kv.blocks) <= 1);
  t.true(fp8.maxConcurrency >= 2 * bf16.maxConcurrency);
});

test('Llama-3.1-70B: bf16 does not fit one H100; int4 g=128 does, with KV room to spare', async t => {
  const bf16 = await row({model: 'llama-3.1-70b', input: '2k', output: '256'});
  t.false(bf16.fits);
  t.is(bf16.limitedBy, 'weights');
  t.true(bf16.memory.kvRoomBytes < 0);
  t.is(bf16.concurrency, 0);
  const int4 = await row({model: 'llama-3.1-70b', input: '2k', output: '256', weights: 'int4:g=128'});
  t.true(int4.fits);
  t.true(int4.memory.weightsBytes < 40 * GiB && int4.memory.weightsBytes > 35 * GiB);
  t.true(int4.memory.kvRoomBytes > 25 * GiB);
  t.true(int4.kv.tokens > 50_000);
});

test('Llama-3.1-70B bf16 on TP=2 and TP=4: fits; per-GPU memory and decode time fall, less than linearly, by the all-reduce', async t => {
  const at = (gpus: string) =>
    row({model: 'llama-3.1-70b', gpus, input: '2k', output: '256', concurrency: '8'});
  const tp2 = await at('2');
  const tp4 = await at('4');
  t.true(tp2.fits && tp4.fits);
  t.is(tp2.parallelism.tp, 2);
  t.is(tp4.parallelism.tp, 4);
  t.is(tp4.memory.weightsBytes * 2, tp2.memory.weightsBytes);
  const d2 = tp2.decode!;
  const d4 = tp4.decode!;
  t.true(d4.seconds < d2.seconds);
  t.true(d4.seconds > d2.seconds / 2, 'less than linear');
  t.true(d4.tensorParallelSeconds > d2.tensorParallelSeconds);
  // Without the all-reduce the kernels alone would scale about linearly.
  const kernels = (d: typeof d2) => d.computeSeconds + d.bandwidthSeconds;
  t.true(Math.abs(kernels(d4) / kernels(d2) - 0.5) < 0.05);
});

test('budgets: the largest concurrency that meets --max-tpot and --max-ttft', async t => {
  const flags = {model: 'llama-3.1-8b', input: '8k', output: '1k', 'kv-block': '16'};
  const free = await row(flags);
  const tight = await row({...flags, 'max-ttft': '2s'});
  t.is(tight.limitedBy, 'ttft budget');
  t.true(tight.concurrency < free.concurrency);
  t.true(tight.ttftSeconds! <= 2);
  const next = await row({...flags, concurrency: String(tight.concurrency + 1)});
  t.true(next.ttftSeconds! > 2);
  const none = await row({...flags, 'max-tpot': '1us'});
  t.is(none.concurrency, 0);
  t.is(none.limitedBy, 'tpot budget');
});

test('what-ifs that contradict the model exit 2 naming the rule', async t => {
  const e = await t.throwsAsync(row({model: 'llama-3.1-70b', tp: '3'}), {instanceOf: InvalidInputError});
  t.is(
    e?.message,
    '--tp 3 does not divide the 64 query heads of llama-3.1-70b: each tensor-parallel rank holds whole heads',
  );
  t.is(
    (await t.throwsAsync(row({model: 'llama-3.1-70b', gpus: '6', tp: '4'})))?.message,
    '--gpus 6 is not a multiple of --tp 4 × --pp 1 × --cp 1 = 4: every replica needs all of its ranks',
  );
  t.is(
    (await t.throwsAsync(row({model: 'llama-3.1-8b', ep: '8'})))?.message,
    '--ep 8 needs a mixture-of-experts model; llama-3.1-8b has no routed experts',
  );
  t.is(
    (await t.throwsAsync(row({model: 'llama-3.1-8b', gpus: '2', hardware: ['l4'], interconnect: 'nvlink'})))
      ?.message,
    'l4 states no NVLink bandwidth',
  );
  t.is(
    (await t.throwsAsync(row({model: 'llama-3.1-8b', gpus: '2', interconnect: 'nvlnk'})))?.message,
    "--interconnect 'nvlnk' is not a link: use nvlink, pcie or a bandwidth",
  );
  t.is(
    (await t.throwsAsync(row({model: 'llama-3.1-8b', gpus: '16', hardware: ['l40s']})))?.message,
    'l40s states no network between nodes, and --nodes 2 needs one',
  );
});

test('KV heads fewer than TP ranks are replicated, with a warning', async t => {
  const q = await runServe({
    model: 'llama-3.1-70b',
    hardware: ['h100-sxm'],
    gpus: '16',
    nodes: '2',
    concurrency: '1',
  });
  t.true(
    q.warnings.some(
      w => w.code === 'kv-heads-replicated' && w.message.includes('each KV head is replicated on 2 ranks'),
    ),
  );
  const r = q.rows[0];
  t.true(r.decode!.tensorParallelSeconds > r.decode!.bandwidthSeconds, 'the all-reduce crosses the network');
});

test('pipeline: stages hold ⌈L/pp⌉ layers; prefill pays the bubble, decode with m = pp does not', async t => {
  const r = await row({model: 'llama-3.1-70b', pp: '2', tp: '2', concurrency: '16', hardware: ['h100-sxm']});
  const tp2 = await row({model: 'llama-3.1-70b', tp: '2', concurrency: '16'});
  t.true(Math.abs(r.memory.weightsBytes / (tp2.memory.weightsBytes / 2) - 1) < 0.05);
  t.true(r.prefill!.pipelineBubbleSeconds > 0);
  t.is(r.decode!.pipelineBubbleSeconds, 0);
  const one = await row({model: 'llama-3.1-70b', pp: '2', tp: '2', 'micro-batches': '1', concurrency: '16'});
  t.true(one.decode!.pipelineBubbleSeconds > 0);
});

test('context parallel: the ring hides behind compute above the overlap threshold', async t => {
  const c = ringOverlapTokens(
    {heads: 32, kvHeads: 8, headDim: 128, kvBytes: 2, causal: true},
    989.4e12,
    450e9,
  );
  t.is(c, (8 * 256 * 2 * 989.4e12) / (4 * 32 * 128 * 450e9 * 0.5));
  const r = await row({model: 'llama-3.1-8b', cp: '4', input: '128k', output: '256', concurrency: '1'});
  t.is(r.ringOverlapTokens, c);
  t.is(r.prefill!.contextParallelSeconds, 0);
  t.true(r.decode!.contextParallelSeconds > 0);
});

test('engine overhead is its own term: eager launches cost more than a CUDA graph', async t => {
  const graphs = await row({model: 'llama-3.1-8b', concurrency: '1'});
  const eager = await row({model: 'llama-3.1-8b', concurrency: '1', engine: 'eager'});
  t.true(graphs.decode!.engineOverheadSeconds > 0);
  t.true(eager.decode!.engineOverheadSeconds > graphs.decode!.engineOverheadSeconds);
  t.true(eager.tpotSeconds! > graphs.tpotSeconds!);
});

const MIXTRAL = fileURLToPath(new URL('../../../test/fixtures/models/mixtral-8x7b.json', import.meta.url));

test('MoE with --ep 8: each GPU holds 1/8 of the routed experts, and the all-to-all shows in latency', async t => {
  const model = resolveModel({file: MIXTRAL});
  const e = evaluate(model, atSeq(resolveWorkload({}, model).base, 1), undefined, {scoped: false});
  // Routed experts: 32 layers · 8 experts · 3 · 4096 · 14336 parameters, 2 bytes each.
  const routedBytes = 32 * 8 * 3 * 4096 * 14336 * 2;
  t.is(((e.params - e.activeParams) * 8) / 6, routedBytes / 2);
  const at = (flags: ServeFlags) => row({'model-file': MIXTRAL, gpus: '8', concurrency: '16', ...flags});
  const single = await row({'model-file': MIXTRAL, concurrency: '16', weights: 'bf16'});
  const ep = await at({tp: '1', ep: '8'});
  t.is(ep.parallelism.dp, 8);
  t.is(single.memory.weightsBytes - ep.memory.weightsBytes, (routedBytes * 7) / 8);
  t.true(ep.decode!.expertParallelSeconds > 0);
  t.true(ep.prefill!.expertParallelSeconds > 0);
  const tp8 = await at({});
  const tp8ep8 = await at({ep: '8'});
  t.is(tp8.decode!.expertParallelSeconds, 0);
  t.is(tp8ep8.memory.weightsBytes, tp8.memory.weightsBytes);
  t.is(tp8ep8.decode!.seconds, tp8.decode!.seconds + tp8ep8.decode!.expertParallelSeconds);
  t.is(
    (await t.throwsAsync(at({ep: '3'})))?.message,
    '--ep 3 does not divide the 8 routed experts of mixtral-8x7b: each expert-parallel rank holds whole experts',
  );
});

test('a reserve above the capacity leaves a budget of 0, not a negative one; the KV room is short by the weights', async t => {
  const r = await row({model: 'gpt2-small', hardware: ['mi300x'], 'memory-utilization': '5e-324'});
  t.is(r.memory.budgetBytes, 0);
  t.false(r.fits);
  t.is(r.limitedBy, 'weights');
  t.is(r.memory.kvRoomBytes, -(r.memory.weightsBytes + r.memory.transientBytes));
});

test("serve keeps a layer plan's own attention, fused: Gemma 3's 52 local layers cache 1,024 tokens, its 10 global ones all of them", async t => {
  const r = await row({model: 'gemma-3-27b', input: '32k', output: '1k'});
  // 2 · 16 KV heads · 128 · 2 B = 8,192 B per token and layer.
  t.is(r.kv.sequenceBytes, 8192 * (52 * 1024 + 10 * (32 * 1024 + 1024)));
  t.is(r.variant, 'model');
  t.regex(r.variantLabel, /52× local window w=1024 fused=true \+ 10× global flash/);
  // A uniform sliding-window model is served with the windowed flash kernel; standard with flash.
  const mistral = await row({model: 'mistral-7b'});
  t.deepEqual([mistral.variant, mistral.variantParams.fused], ['window', true]);
  t.is((await row({model: 'llama-3.1-8b'})).variant, 'flash');
  // A plan's standard groups named after their variant take the new one's name.
  t.regex((await row({model: 'nemotron-h-8b'})).variantLabel, /24× mamba2 \+ 4× flash/);
});
