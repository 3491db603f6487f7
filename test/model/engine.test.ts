import test from 'ava';
import fc from 'fast-check';
import {breakdown, evaluate} from '../../src/model/engine.js';
import {TEXTBOOK_ACCOUNTING} from '../../src/model/types.js';
import {resolveVariant} from '../../src/model/variants/index.js';
import {preset, workload} from './architectures/fixtures.js';

// GPT-2 small: d = 768, h = 12, d_h = 64, L = 12, d_ff = 3072, V = 50257 (tied), n = 1024, b = 1,
// bf16 (s = 2). Standard attention computes every pair even under the causal mask.
const gpt2 = preset('gpt2-small');
const n = 1024;
const standard = resolveVariant('standard');
const flash = resolveVariant('flash');
const gpt2Workload = (over = {}) => workload({seq: n, causal: true, ...over});

// Per layer: scores and weighted sum 12·1024²·64 each; QKV 1024·768·2304; output 1024·768²;
// FFN 2·1024·768·3072.
const CORE_MACS = 2 * 12 * 1024 * 1024 * 64; // 1,610,612,736
const QKV_MACS = 1024 * 768 * 2304; // 1,811,939,328
const OUT_MACS = 1024 * 768 * 768; // 603,979,776
const FFN_MACS = 2 * 1024 * 768 * 3072; // 4,831,838,208
const GEMM_MACS = QKV_MACS + OUT_MACS + FFN_MACS; // 7,247,757,312
const LAYER_MACS = GEMM_MACS + CORE_MACS; // 8,858,370,048
const LM_HEAD_MACS = 1024 * 768 * 50257; // 39,523,713,024: every position, in training
// Inference projects only the last position to the vocabulary (logits of the next token).
const LM_HEAD_LAST_MACS = 768 * 50257; // 38,597,376

test("GPT-2 small has the checkpoint's 124,439,808 parameters, term by term", t => {
  const e = evaluate(gpt2, gpt2Workload(), standard);
  // Per layer: 4·768² attention + 2·768·3072 FFN weights, biases 2304 + 768 + 3072 + 768, two
  // LayerNorms 4·768; then the tied token embedding 50257·768, 1024·768 learned positions and the
  // final LayerNorm 2·768.
  const layer = 4 * 768 ** 2 + 2 * 768 * 3072 + (2304 + 768 + 3072 + 768) + 4 * 768;
  t.is(e.params, 12 * layer + 50257 * 768 + 1024 * 768 + 2 * 768);
  t.is(e.params, 124_439_808);
});

test('scope: attention core, one layer, whole model', t => {
  const attention = evaluate(gpt2, gpt2Workload({scope: 'attention'}), standard);
  t.is(attention.totals.macs, CORE_MACS);
  t.deepEqual(
    attention.components.map(c => c.name),
    ['scores', 'causal-mask', 'softmax', 'weighted-sum'],
  );
  // Softmax: 5 vector FLOPs per score, 12·1024² scores; GPT-2 is causal, so eager attention also
  // runs its mask pass (1 select per score).
  t.is(attention.totals.vectorFlops, (5 + 1) * 12 * 1024 * 1024);
  t.is(attention.totals.matmulFlops, 2 * CORE_MACS);
  t.is(attention.totals.flops, attention.totals.matmulFlops + attention.totals.vectorFlops);

  const layer = evaluate(gpt2, gpt2Workload({scope: 'layer'}), standard);
  t.is(layer.totals.macs, LAYER_MACS);

  const model = evaluate(gpt2, gpt2Workload({scope: 'model'}), standard);
  t.is(model.totals.macs, 12 * LAYER_MACS + LM_HEAD_LAST_MACS); // 106,339,037,952
  // Parameters do not depend on the scope.
  t.is(attention.params, model.params);
});

test('breakdown: the core passes show as one attention row outside the attention scope', t => {
  const rows = breakdown(evaluate(gpt2, gpt2Workload({scope: 'layer'}), standard), 'layer');
  t.deepEqual(
    rows.map(r => r.name),
    ['qkv-projection', 'attention', 'output-projection', 'ffn', 'norms'],
  );
  t.is(rows.find(r => r.name === 'attention')!.macs, CORE_MACS);
});

test('textbook accounting counts one FLOP per MAC', t => {
  const e = evaluate(gpt2, gpt2Workload({scope: 'layer', accounting: TEXTBOOK_ACCOUNTING}), standard);
  t.is(e.totals.matmulFlops, LAYER_MACS);
});

test('train: matrix products ×3 (forward + 2× backward), FlashAttention 1 + 2.5', t => {
  const prefill = evaluate(gpt2, gpt2Workload({scope: 'model'}), standard);
  const train = evaluate(gpt2, gpt2Workload({scope: 'model', mode: 'train'}), standard);
  // Training projects every position to the vocabulary: 3·(12·layer + 1024·768·50257).
  t.is(prefill.totals.macs, 12 * LAYER_MACS + LM_HEAD_LAST_MACS);
  t.is(train.totals.macs, 3 * (12 * LAYER_MACS + LM_HEAD_MACS)); // 437,472,460,800
  for (const c of train.components) t.is(c.passes, 3, c.name);

  const flashTrain = evaluate(gpt2, gpt2Workload({scope: 'layer', mode: 'train'}), flash);
  const attention = flashTrain.components.find(c => c.name === 'attention')!;
  t.is(attention.passes, 3.5);
  // FA2's backward-only kernels run once per step, whatever the recompute policy.
  for (const recompute of ['none', 'selective', 'full'] as const) {
    const e = evaluate(gpt2, gpt2Workload({scope: 'layer', mode: 'train', recompute}), flash);
    const once = e.components.filter(c => c.name.startsWith('backward-')).map(c => [c.name, c.passes]);
    t.deepEqual(once, [
      ['backward-dot-do-o', 1],
      ['backward-convert-dq', 1],
    ]);
  }
  // The layer view shows them inside the attention row.
  t.deepEqual(
    breakdown(flashTrain, 'layer').map(r => r.name),
    ['qkv-projection', 'attention', 'output-projection', 'ffn', 'norms'],
  );
  // Flash skips masked pairs: causal 1024·1025/2 = 524,800 pairs per head, MACs 12·524,800·128.
  const flashCore = 12 * 524_800 * 128;
  t.is(attention.macs, 3.5 * flashCore);
  t.is(flashTrain.totals.macs, 3 * GEMM_MACS + 3.5 * flashCore);
});

test('recompute: selective replays the attention core, full replays the whole forward', t => {
  const selective = evaluate(
    gpt2,
    gpt2Workload({scope: 'layer', mode: 'train', recompute: 'selective'}),
    standard,
  );
  t.is(selective.totals.macs, 3 * GEMM_MACS + 4 * CORE_MACS);
  t.is(selective.components.find(c => c.name === 'scores')!.passes, 4);
  t.is(selective.components.find(c => c.name === 'ffn')!.passes, 3);
  const full = evaluate(gpt2, gpt2Workload({scope: 'layer', mode: 'train', recompute: 'full'}), standard);
  t.is(full.totals.macs, 4 * LAYER_MACS);
});

test('activations follow Korthikanti et al.: 34·b·n·d + 5·b·h·n² per layer (s = 2, dropout)', t => {
  const dropout = resolveVariant('standard:dropout=0.1');
  const perLayer = 34 * n * 768 + 5 * 12 * n * n; // 26,738,688 + 62,914,560
  const none = evaluate(gpt2, gpt2Workload({mode: 'train'}), dropout);
  t.is(none.savedBytes, 12 * perLayer); // 1,075,838,976
  // Without dropout the score term is the saved probabilities alone: 2·b·h·n².
  const plain = evaluate(gpt2, gpt2Workload({mode: 'train'}), standard);
  t.is(plain.savedBytes, 12 * (34 * n * 768 + 2 * 12 * n * n));
  // Selective recomputation drops the score term; full keeps only the layer inputs 2·b·n·d.
  const selective = evaluate(gpt2, gpt2Workload({mode: 'train', recompute: 'selective'}), dropout);
  t.is(selective.savedBytes, 12 * 34 * n * 768);
  const full = evaluate(gpt2, gpt2Workload({mode: 'train', recompute: 'full'}), dropout);
  t.is(full.savedBytes, 12 * 2 * n * 768);
  // Nothing is saved outside training.
  t.is(evaluate(gpt2, gpt2Workload(), dropout).savedBytes, 0);
});

test('decode: one new token against a KV cache of n', t => {
  const decode = evaluate(gpt2, gpt2Workload({mode: 'decode'}), standard);
  // Per layer: 768·2304 + 2·12·1024·64 + 768² + 2·768·3072 = 8,650,752; LM head 768·50257.
  t.is(decode.totals.macs, 12 * 8_650_752 + 768 * 50257);
  t.is(decode.totals.pairs, 12 * 12 * 1024);
  // KV cache 2·L·b·n·h_kv·d_h·s = 2·12·1024·12·64·2.
  t.is(decode.cacheBytes, 2 * 12 * 1024 * 12 * 64 * 2);
  const prefill = evaluate(gpt2, gpt2Workload(), standard);
  t.is(prefill.cacheBytes, decode.cacheBytes);
  t.is(evaluate(gpt2, gpt2Workload({mode: 'train'}), standard).cacheBytes, 0);
  // The largest transient of prefill: the softmax's S and P, 2·12·1024²·2 bytes (the LM head
  // writes the logits of the last position only, 50257·2 bytes).
  t.is(prefill.peakTransientBytes, 2 * 12 * 1024 * 1024 * 2);
});

test('architectures without attention ignore --variant', t => {
  const mamba = preset('mamba-130m');
  const w = workload({seq: 2048, causal: true});
  t.deepEqual(evaluate(mamba, w, flash).totals, evaluate(mamba, w).totals);
});

test('property: model cost and memory grow with n for every architecture', t => {
  const models = [
    'gpt2-small',
    'vit-b-16',
    'swin-t',
    'paca-vit-tiny',
    'perceiver-io-bytes',
    'mamba-130m',
  ].map(preset);
  fc.assert(
    fc.property(
      fc.integer({min: 64, max: 20_000}),
      fc.integer({min: 1, max: 5_000}),
      fc.nat({max: models.length - 1}),
      (seq, extra, i) => {
        const model = models[i]!;
        const a = evaluate(model, workload({seq, mode: 'train'}));
        const b = evaluate(model, workload({seq: seq + extra, mode: 'train'}));
        return (
          b.totals.flops >= a.totals.flops &&
          b.savedBytes >= a.savedBytes &&
          b.totals.hbmBytes >= a.totals.hbmBytes
        );
      },
    ),
  );
  t.pass();
});
