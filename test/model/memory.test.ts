import test from 'ava';
import {memoryQ} from '../helpers/queries.js';

// The FlashAttention paper's memory benchmark shapes (App. E): b = 16, h = 8, d_h = 64, fp16,
// non-causal, one attention core (docs/capacity.md "Attention scope").
const SEQS = Array.from({length: 10}, (_, k) => 128 * 2 ** k);
const core = async (mode: 'prefill' | 'train') => {
  const q = await memoryQ({
    'd-model': '512',
    heads: '8',
    'head-dim': '64',
    layers: '1',
    causal: false,
    scope: 'attention',
    variant: ['standard', 'flash'],
    batch: '16',
    seq: SEQS.join(','),
    dtype: 'fp16',
    mode,
    hardware: ['a100-40gb'],
  });
  const at = (variant: string, n: number) => q.rows.find(r => r.variant === variant && r.seq === n)!.memory;
  return at;
};

test('attention scope, training: flash 164,352·n B and standard 131,072·n + 768·n² B, term by term', async t => {
  const at = await core('train');
  for (const n of SEQS) {
    const flash = at('flash', n);
    t.is(flash.tensorsBytes, 65_536 * n); // Q, K, V, O: 4·16·8·n·64·2
    t.is(flash.gradientBytes, 65_536 * n); // dQ, dK, dV, dO
    t.is(flash.activationBytes, 512 * n); // fp32 log-sum-exp 16·8·n·4
    t.is(flash.transientBytes, 32_768 * n); // fp32 dQ accumulator 16·8·n·64·4
    t.is(flash.weightsBytes + flash.optimizerBytes + flash.kvCacheBytes, 0);
    t.is(flash.totalBytes, 164_352 * n);
    const standard = at('standard', n);
    t.is(standard.activationBytes, 256 * n * n); // P: 16·8·n²·2
    t.is(standard.transientBytes, 512 * n * n); // dP and dS
    t.is(standard.totalBytes, 131_072 * n + 768 * n * n);
  }
});

test('attention scope: the standard / flash ratio grows linearly with n', async t => {
  const at = await core('train');
  const ratio = (n: number) => at('standard', n).totalBytes / at('flash', n).totalBytes;
  // (131,072 + 768·n) / 164,352: equal steps in n give equal steps in the ratio.
  for (const n of SEQS) t.true(Math.abs(ratio(n) - (131_072 + 768 * n) / 164_352) < 1e-9);
  const step = ratio(2048) - ratio(1024);
  t.true(Math.abs(step - (768 * 1024) / 164_352) < 1e-9);
  t.true(ratio(65_536) > 300 && ratio(128) < 1.5);
});

test('attention scope, forward: flash holds Q, K, V, O only; standard adds S and P; A100 40GB fits standard to 8k, not 16k', async t => {
  const at = await core('prefill');
  for (const n of SEQS) {
    t.is(at('flash', n).totalBytes, 65_536 * n);
    t.is(at('standard', n).totalBytes, 65_536 * n + 512 * n * n);
  }
  // FlashAttention paper Table 18: PyTorch attention runs at 8k and is out of memory at 16k.
  t.true(at('standard', 8192).fits);
  t.false(at('standard', 16_384).fits);
  t.true(at('flash', 65_536).fits);
});

test('attention scope, forward with --dropout: the mask and dropped P move the A100 40GB boundary below 8k', async t => {
  const at = (dropout?: string) =>
    memoryQ({
      'd-model': '512',
      heads: '8',
      'head-dim': '64',
      layers: '1',
      causal: false,
      scope: 'attention',
      variant: ['standard'],
      batch: '16',
      seq: '8k',
      dtype: 'fp16',
      hardware: ['a100-40gb'],
      ...(dropout ? {dropout} : {}),
    }).then(q => q.rows[0]!.memory);
  const plain = await at();
  const dropped = await at('0.1');
  // S and P (2·T·s) become P, the dropped P and the mask (2·T·s + T), T = 16·8·8192².
  t.is(dropped.transientBytes - plain.transientBytes, 16 * 8 * 8192 * 8192);
  t.true(plain.fits);
  t.false(dropped.fits);
});
