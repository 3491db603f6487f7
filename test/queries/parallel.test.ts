/**
 * memory, max-seq and latency for a model split across GPUs (docs/parallelism.md "memory, max-seq
 * and latency"): per-GPU memory checked against an independent count of Llama-3.1-70B's weights and
 * KV cache, the answers of max-seq against serve's, and latency's collectives against the α–β model.
 */
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {resolveFlags} from '../../src/cli/scenario.js';
import {InvalidInputError} from '../../src/errors.js';
import {allReduceSeconds} from '../../src/model/parallel.js';
import {runCheck} from '../../src/queries/check.js';
import {runServe} from '../../src/queries/serve.js';
import {latencyQ, maxSeqQ, memoryQ, reportQ} from '../helpers/queries.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/check/${name}`, import.meta.url));

const GiB = 2 ** 30;
const CAPACITY = 80 * GiB;
/** h100-sxm: runtime reserve (CUDA context, workspaces) + the 10 % kept free by default. */
const RESERVE = 915_406_848 + 0.1 * CAPACITY;

// Llama-3.1-70B counted from its shape: d 8,192, 80 layers, 64 heads of 128, 8 KV heads, SwiGLU
// d_ff 28,672, vocabulary 128,256, untied embedding and LM head.
const d = 8192;
const LAYER_PARAMS = 2 * d * d + 2 * d * 1024 + 3 * d * 28_672 + 2 * d;
const PARAMS = 80 * LAYER_PARAMS + 2 * 128_256 * d + d;
const WEIGHT_BYTES = PARAMS * 2;
/** K and V, 8 heads of 128, 80 layers, bf16. */
const KV_BYTES_PER_TOKEN = 80 * 2 * 8 * 128 * 2;

const base = {model: 'llama-3.1-70b', hardware: ['h100-sxm'], mode: 'decode'};

/** Per-GPU peak at n, counted independently; the working set is one GPU's transient (single-GPU memory) / tp. */
async function perGpuBytes(tp: number, n: number): Promise<number> {
  const one = (await memoryQ({...base, seq: String(n)})).rows[0].memory;
  const kvShare = Math.ceil(8 / tp) / 8;
  return WEIGHT_BYTES / tp + KV_BYTES_PER_TOKEN * kvShare * n + one.transientBytes / tp + RESERVE;
}

test('the independent count of Llama-3.1-70B matches the model: 70.55B parameters', async t => {
  t.is(PARAMS, 70_553_706_496);
  const m = (await memoryQ({...base, seq: '1k'})).rows[0].memory;
  t.is(m.weightsBytes, WEIGHT_BYTES);
  t.is(m.kvCacheBytes, 1024 * KV_BYTES_PER_TOKEN);
  t.is(m.reserveBytes, RESERVE);
});

test('max-seq: Llama-3.1-70B bf16 decode fits no length on one H100, and longer ones as TP grows', async t => {
  const one = (await maxSeqQ(base)).rows[0];
  t.is(one.binding, 'none fits');
  t.false(one.fits);
  // The weights alone exceed what one GPU may use.
  t.true(WEIGHT_BYTES > CAPACITY - RESERVE);
  let previous = 0;
  for (const tp of [2, 4, 8]) {
    const row = (await maxSeqQ({...base, tp: String(tp), 'ignore-context': true})).rows[0];
    const n = row.maxSeq ?? 0;
    t.is(row.binding, 'memory');
    t.is(row.gpus, tp);
    t.true(n > previous, `tp ${tp}: ${n} > ${previous}`);
    previous = n;
    // The answer fits every GPU and one more token does not.
    t.true((await perGpuBytes(tp, n)) <= CAPACITY, `tp ${tp} at ${n}`);
    t.true((await perGpuBytes(tp, n + 1)) > CAPACITY, `tp ${tp} at ${n + 1}`);
    t.is(row.memory?.totalBytes, await perGpuBytes(tp, n));
  }
  // The worked example of docs/parallelism.md.
  t.is(previous, 1_433_342);
});

test('max-seq on TP=2, 4, 8: capped at the 131,072-token context unless --ignore-context', async t => {
  const tp2 = (await maxSeqQ({...base, tp: '2'})).rows[0];
  t.is(tp2.maxSeq, 35_618);
  t.is(tp2.binding, 'memory');
  for (const tp of ['4', '8']) {
    const capped = (await maxSeqQ({...base, tp})).rows[0];
    const free = (await maxSeqQ({...base, tp, 'ignore-context': true})).rows[0];
    t.is(capped.maxSeq, 131_072);
    t.is(capped.binding, 'context');
    t.is(capped.maxSeqMemory, free.maxSeq);
    t.true((free.maxSeq ?? 0) > 131_072);
  }
});

test('max-seq --solve batch per GPU: more sequences with TP, and data-parallel replicas multiply them', async t => {
  const at = async (flags: Record<string, string>) =>
    (await maxSeqQ({...base, seq: '8k', solve: 'batch', ...flags})).rows[0].maxBatch ?? 0;
  const tp4 = await at({tp: '4'});
  const tp8 = await at({tp: '8'});
  t.true(tp8 > 2 * tp4, `${tp8} vs ${tp4}`);
  // 16 GPUs as two replicas of TP=8: each replica holds the same, so twice the sequences.
  t.is(await at({gpus: '16', tp: '8'}), 2 * tp8);
  // Independent: the KV room of one GPU over one sequence's KV per GPU.
  const room = CAPACITY - RESERVE - WEIGHT_BYTES / 8;
  const perSeq = 8192 * (KV_BYTES_PER_TOKEN / 8);
  t.true(tp8 <= Math.floor(room / perSeq) && tp8 >= Math.floor(room / perSeq) - 1, `${tp8}`);
});

test('memory per GPU: weights / tp, KV heads ⌈h_kv/tp⌉ of 1/cp of the tokens, the largest stage under pp', async t => {
  const one = (await memoryQ({...base, seq: '32k'})).rows[0].memory;
  const q = await memoryQ({...base, seq: '32k', tp: '4'});
  const m = q.rows[0].memory;
  t.is(m.weightsBytes, WEIGHT_BYTES / 4);
  t.is(m.kvCacheBytes, (32_768 * KV_BYTES_PER_TOKEN) / 4);
  t.is(m.transientBytes, one.transientBytes / 4);
  t.is(m.reserveBytes, RESERVE);
  t.is(m.totalBytes, m.weightsBytes + m.kvCacheBytes + m.transientBytes + RESERVE);
  t.true(m.fits);
  t.is(q.rows[0].gpus, 4);
  t.deepEqual(q.inputs.parallelism, {tp: 4, pp: 1, cp: 1, ep: 1, dp: 1, microBatches: 1});
  // TP = 16 replicates the 8 KV heads: the cache per GPU stops at 1/8, and a warning says so.
  const tp16 = await memoryQ({...base, seq: '32k', tp: '16', gpus: '16', nodes: '2'});
  t.is(tp16.rows[0].memory.kvCacheBytes, (32_768 * KV_BYTES_PER_TOKEN) / 8);
  t.true(tp16.warnings.some(w => w.code === 'kv-heads-replicated'));
  // CP splits the tokens; PP keeps ⌈80/3⌉ = 27 of 80 layers on the largest stage.
  const cp = (await memoryQ({...base, seq: '32k', tp: '2', cp: '2'})).rows[0].memory;
  t.is(cp.kvCacheBytes, (32_768 * KV_BYTES_PER_TOKEN) / 4);
  const pp = (await memoryQ({...base, seq: '32k', pp: '3'})).rows[0].memory;
  t.is(pp.kvCacheBytes, (32_768 * KV_BYTES_PER_TOKEN * 27) / 80);
  // Without parallelism nothing changes: no gpus field, no parallelism in the inputs.
  const plain = await memoryQ({...base, seq: '32k'});
  t.false('gpus' in plain.rows[0]);
  t.false('parallelism' in plain.inputs);
});

test('max-seq and serve agree at TP=8: a sequence of max-seq’s length fits serve, one token more does not', async t => {
  // Same reserve (--memory-utilization 0.9 = the default 10 % kept free), unpaged, flash as serve runs it.
  const flags = {...base, tp: '8', variant: ['flash'], 'kv-block': '1'};
  const ms = (await maxSeqQ({...flags, 'ignore-context': true})).rows[0];
  const n = ms.maxSeq ?? 0;
  t.is(n, 1_434_461);
  const serve = async (input: number, output: number) => {
    const opts = {input: String(input), output: String(output), concurrency: '1'};
    const {mode: _mode, ...scenario} = flags;
    return runServe(await resolveFlags({...scenario, 'memory-utilization': '0.9'}, {serving: true}), opts)
      .rows[0];
  };
  // A one-token prompt generating n − 1 tokens: its working set is one token's, as in decode.
  const fits = await serve(1, n - 1);
  t.true(fits.fits);
  t.false((await serve(1, n)).fits);
  t.is(fits.memory.weightsBytes, ms.memory?.weightsBytes ?? -1);
  t.is(fits.kv.sequenceBytes, ms.memory?.kvCacheBytes ?? -1);
  t.is(fits.memory.budgetBytes, CAPACITY - RESERVE);
  // The documented difference (docs/parallelism.md): serve prefills the whole prompt at once, so a
  // prompt of n − 1 tokens also needs prefill's working set, which max-seq's decode does not count.
  const prompt = await serve(n - 1, 1);
  t.false(prompt.fits);
  t.true(prompt.memory.transientBytes > 1000 * (ms.memory?.transientBytes ?? 0));
  t.is(
    prompt.memory.kvRoomBytes + prompt.memory.transientBytes,
    fits.memory.kvRoomBytes + fits.memory.transientBytes,
  );
});

test('latency decode on TP=2, 4, 8: time per token falls, less than linearly, by the all-reduce', async t => {
  const at = async (tp: string) => (await latencyQ({...base, seq: '8k', variant: ['flash'], tp})).rows[0];
  const one = (await latencyQ({...base, seq: '8k', variant: ['flash']})).rows[0];
  let previous = one;
  for (const tp of [2, 4, 8]) {
    const r = await at(String(tp));
    t.true(r.seconds < previous.seconds, `tp ${tp}`);
    t.true(r.seconds > one.seconds / tp, `tp ${tp}: less than linear`);
    // Megatron-LM: two all-reduces of one token's activations (d · 2 bytes) per layer, over NVLink.
    const link = {kind: 'nvlink', bytesPerSec: 450e9, latencySeconds: 1e-6};
    const allReduce = 2 * 80 * allReduceSeconds(d * 2, tp, link);
    t.is(r.step?.tensorParallelSeconds, allReduce);
    const row = r.components.find(c => c.name === 'tensor-parallel all-reduce');
    t.is(row?.seconds, allReduce);
    t.is(row?.bound, 'communication');
    // The rows add up to the step: kernels per GPU plus the all-reduce.
    const sum = r.components.reduce((acc, c) => acc + c.seconds, 0);
    t.true(Math.abs(sum - r.seconds) < 1e-12, `${sum} vs ${r.seconds}`);
    previous = r;
  }
  t.is(one.step, undefined);
  t.false(one.components.some(c => c.bound === 'communication'));
});

test('latency breakdown: the EP all-to-all, and the pipeline bubble of one request through two stages', async t => {
  const moe = (
    await latencyQ({
      model: 'mixtral-8x7b',
      hardware: ['h100-sxm'],
      mode: 'decode',
      seq: '4k',
      batch: '64',
      tp: '2',
      ep: '8',
      gpus: '8',
    })
  ).rows[0];
  const a2a = moe.components.find(c => c.name === 'expert-parallel all-to-all');
  t.true((a2a?.seconds ?? 0) > 0);
  t.is(a2a?.seconds, moe.step?.expertParallelSeconds);
  // One request through pp = 2 stages: each GPU is busy half the time, so half the step is bubble.
  const pp = (await latencyQ({...base, mode: 'prefill', seq: '4k', pp: '2'})).rows[0];
  const step = pp.step;
  if (!step) return t.fail('no step');
  t.true(Math.abs(step.pipelineBubbleSeconds - (step.seconds - step.pipelineSendSeconds) / 2) < 1e-12);
  t.is(pp.components.find(c => c.name === 'pipeline bubble')?.bound, 'pipeline bubble');
});

test('report rows of a split model fit per GPU, with max-seq’s answer', async t => {
  const flags = {model: 'llama-3.1-70b', hardware: ['h100-sxm'], variant: ['flash']};
  const one = (await reportQ(flags)).rows[0];
  t.false(one.fits);
  const q = await reportQ({...flags, tp: '8'});
  const row = q.rows[0];
  t.true(row.fits);
  t.is(row.usableBytes, CAPACITY - RESERVE);
  const m = (await memoryQ({...flags, seq: String(row.seq), tp: '8'})).rows[0].memory;
  t.is(row.memoryBytes, m.totalBytes - m.reserveBytes);
  t.is(row.maxSeq, (await maxSeqQ({...flags, tp: '8'})).rows[0].maxSeq);
  t.deepEqual(q.inputs.parallelism, {tp: 8, pp: 1, cp: 1, ep: 1, dp: 1, microBatches: 1});
});

test('latency on one replica equals the single-GPU answer when every degree is 1', async t => {
  const one = (await latencyQ({...base, seq: '8k', variant: ['flash']})).rows[0];
  const dp = (await latencyQ({...base, seq: '8k', variant: ['flash'], gpus: '2', tp: '1'})).rows[0];
  // The same sum in another order: equal to the last bits.
  t.true(Math.abs(dp.seconds / one.seconds - 1) < 1e-12, `${dp.seconds} vs ${one.seconds}`);
  t.is(dp.gpus, 2);
});

test('the rules of a split model exit 2 naming them, as serve’s do', async t => {
  const bad = async (flags: Record<string, unknown>) =>
    (await t.throwsAsync(memoryQ({...base, seq: '8k', ...flags}), {instanceOf: InvalidInputError}))?.message;
  t.is(
    await bad({tp: '3'}),
    '--tp 3 does not divide the 64 query heads of llama-3.1-70b: each tensor-parallel rank holds whole heads',
  );
  t.is(
    await bad({mode: 'train', tp: '2'}),
    '--mode train with --tp 2: training parallelism — ZeRO, sequence parallelism, recomputation per rank — is not modelled; docs/parallelism.md',
  );
  t.is(
    await bad({assumptions: 'textbook', tp: '2'}),
    "--assumptions textbook with --tp 2: the textbook accounting counts one device's attention matrices and has no per-GPU share; docs/parallelism.md",
  );
  t.is(
    await bad({scope: 'layer', gpus: '2', tp: '1'}),
    '--scope layer with --gpus 2: parallelism splits the whole model, and one layer or attention core is answered on one GPU; docs/parallelism.md',
  );
  // One GPU trains as before.
  t.true((await memoryQ({...base, mode: 'train', seq: '1k', model: 'gpt2-small', tp: '1'})).rows.length > 0);
});

test('check: a capacity file with parallel: {tp: 8} gates max-seq per GPU', async t => {
  const q = await runCheck(fixture('parallel.yaml'));
  t.deepEqual(
    q.rows.map(r => [r.name, r.pass, r.expectations.map(e => [e.kind, e.measured, e.pass])]),
    [
      ['70B on 8 H100s keeps the whole 128k context', true, [['minMaxSeq', 131_072, true]]],
      ['70B on one H100 keeps 128k (fails, nothing fits)', false, [['minMaxSeq', 0, false]]],
      ['70B on 2 H100s keeps 64k (fails, about 35k)', false, [['minMaxSeq', 35_618, false]]],
      [
        '70B at 8k fits 4 H100s',
        true,
        [
          ['fits', await perGpuBytes(4, 8192), true],
          ['maxMemoryFraction', q.rows[3].expectations[1].measured, true],
        ],
      ],
    ],
  );
});

test('TP on a model without attention layers splits its mixer: Mamba-1 inner channels, Mamba-2 SSM heads, and the state with them', async t => {
  const at = (tp: string) =>
    memoryQ({model: 'mamba-2.8b', hardware: ['h100-sxm'], mode: 'decode', seq: '32k', tp});
  const one = (await at('1')).rows[0]!.memory;
  const four = (await at('4')).rows[0]!.memory;
  // The recurrent state (conv + SSM state per inner channel) is split with the channels.
  t.is(four.kvCacheBytes, one.kvCacheBytes / 4);
  t.true(four.weightsBytes < one.weightsBytes / 3.9);
  // Mamba-2.8b: d_inner = 2 × 2,560 = 5,120 channels; --tp 3 does not divide them.
  const bad = await t.throwsAsync(at('3'), {instanceOf: InvalidInputError});
  t.regex(bad!.message, /--tp 3 does not divide the 5120 inner channels of mamba-2\.8b/);
  // Mamba-Codestral (Mamba-2): 128 SSM heads.
  const codestral = fileURLToPath(
    new URL('../../../test/fixtures/hf-configs/mamba-codestral-7b.json', import.meta.url),
  );
  const m2 = await memoryQ({
    'model-file': codestral,
    hardware: ['h100-sxm'],
    mode: 'decode',
    seq: '8k',
    tp: '8',
  });
  t.true(m2.rows[0]!.memory.fits);
  const bad2 = await t.throwsAsync(
    memoryQ({'model-file': codestral, hardware: ['h100-sxm'], mode: 'decode', seq: '8k', tp: '3'}),
    {instanceOf: InvalidInputError},
  );
  t.regex(bad2!.message, /does not divide the 128 SSM heads/);
});
