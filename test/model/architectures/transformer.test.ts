import test from 'ava';
import {attentionBlock, ffnBlock, gemm, normsBlock} from '../../../src/model/architectures/layer.js';
import {evaluate} from '../../../src/model/engine.js';
import {resolveVariant} from '../../../src/model/variants/index.js';
import type {ModelPreset} from '../../../src/schema/presets.js';
import {preset, workload} from './fixtures.js';

const standard = resolveVariant('standard');

test('gemm: tokens·in·out MACs; reads input and weights, writes output', t => {
  const w = workload();
  const c = gemm('x', 10, 20, 30, w);
  t.is(c.macs, 6000);
  t.is(c.readBytes, 10 * 20 * 2 + 20 * 30 * 2);
  t.is(c.writeBytes, 10 * 30 * 2);
});

test('attention block: fused QKV for self-attention, split Q and K/V for cross-attention, GQA weights', t => {
  const w = workload({batch: 2});
  // Llama-3.1-8B shape: d 4096, 32 heads, 8 KV heads, d_h 128, n = 16.
  const gqa = attentionBlock(
    {dModel: 4096, heads: 32, kvHeads: 8, headDim: 128, valueDim: 128, kvInputDim: 4096},
    {queries: 16, keys: 16, queryOffset: 0, kvTokens: 16, causal: true},
    w,
    standard,
  );
  // docs/design.md §4.2: n·d·(h·d_h + 2·h_kv·d_h) = 2·16·4096·(4096 + 2048).
  t.is(gqa.components[0]!.cost.name, 'qkv-projection');
  t.is(gqa.components[0]!.cost.macs, 2 * 16 * 4096 * 6144);
  t.is(gqa.params, 4096 * 4096 + 4096 * 8 * 256 + 4096 * 4096);
  // Prefill writes the KV cache: b·m·h_kv·(d_h + d_v)·s.
  t.is(gqa.cacheBytes, 2 * 16 * 8 * 256 * 2);
  // Cross-attention (a Perceiver read): 4 queries of width 64 over 100 inputs of width 10.
  const cross = attentionBlock(
    {dModel: 64, heads: 2, kvHeads: 2, headDim: 8, valueDim: 16, kvInputDim: 10},
    {queries: 4, keys: 100, queryOffset: 0, kvTokens: 100, causal: false},
    w,
    standard,
  );
  t.deepEqual(
    cross.components.map(c => c.cost.name),
    ['q-projection', 'kv-projection', 'scores', 'softmax', 'weighted-sum', 'output-projection'],
  );
  t.is(cross.components[1]!.cost.macs, 2 * 100 * 10 * 2 * (8 + 16));
  t.is(cross.params, 64 * 16 + 10 * 2 * 24 + 32 * 64);
  // Korthikanti terms generalised: queries s·(d + h·d_h + h·d_v) + d; K/V rows s·(h_kv·(d_h + d_v) + C).
  t.is(cross.activationBytes, 2 * 4 * (2 * (64 + 16 + 32) + 64) + 2 * 100 * 2 * (48 + 10));
});

test('FFN: 2·n·d·d_ff MACs, 3·n·d·d_ff gated; activations s·(d + 2·d_ff) + d (gated + d_ff more)', t => {
  const w = workload();
  const plain = ffnBlock(10, 8, 32, 'gelu', w);
  t.is(plain.components[0]!.cost.macs, 2 * 10 * 8 * 32);
  t.is(plain.params, 2 * 8 * 32);
  t.is(plain.activationBytes, 10 * (2 * (8 + 64) + 8));
  // GELU: 8 vector FLOPs per hidden element.
  t.is(plain.components[0]!.cost.vectorFlops, 10 * 32 * 8);
  const gated = ffnBlock(10, 8, 32, 'swiglu', w);
  t.is(gated.components[0]!.cost.macs, 3 * 10 * 8 * 32);
  t.is(gated.params, 3 * 8 * 32);
  t.is(gated.activationBytes, 10 * (2 * (8 + 96) + 8));
});

test('norms: 6 vector FLOPs per element each (norm 5 + residual 1), 2·d weights, input kept', t => {
  const n = normsBlock(10, 8, 2, workload());
  t.is(n.component.cost.vectorFlops, 2 * 10 * 8 * 6);
  t.is(n.params, 2 * 2 * 8);
  t.is(n.activationBytes, 2 * 10 * 8 * 2);
});

test('a GPT layer saves exactly 34·s·b·n·d/2 bytes outside the core (Korthikanti et al. 2022)', t => {
  const e = evaluate(preset('gpt2-small'), workload({seq: 512, batch: 3, mode: 'train', causal: true}));
  t.is(e.cost.groups[0]!.activationBytes, 34 * 3 * 512 * 768);
  t.is(e.cost.groups[0]!.inputBytes, 2 * 3 * 512 * 768);
});

test('Llama 2 7B and Llama 3.1 8B parameter counts (SwiGLU, GQA, untied head)', t => {
  const llama2 = evaluate(preset('llama-2-7b'), workload({seq: 4096, causal: true}));
  // 32·(4·4096² + 3·4096·11008 + 2·4096 RMSNorm weights) + 2·32000·4096 + 4096 (final RMSNorm):
  // the checkpoint's count. No biases (Llama's linear layers have none).
  t.is(llama2.params, 32 * (4 * 4096 * 4096 + 3 * 4096 * 11008 + 2 * 4096) + 2 * 32000 * 4096 + 4096);
  t.is(llama2.params, 6_738_415_616);
  // GQA: K and V project to 8 heads of 128 (2·4096·1024 instead of 2·4096²).
  const llama3 = evaluate(preset('llama-3.1-8b'), workload({seq: 8192, causal: true}));
  t.is(
    llama3.params,
    32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096) + 2 * 128256 * 4096 + 4096,
  );
  t.is(llama3.params, 8_030_261_248);
});

test('GQA KV cache: Llama 3.1 8B at 128k tokens holds 16 GiB in bf16', t => {
  const e = evaluate(preset('llama-3.1-8b'), workload({seq: 131_072, mode: 'decode', causal: true}));
  // 2·L·n·h_kv·d_h·s = 2·32·131072·8·128·2 = 2^34 bytes.
  t.is(e.cacheBytes, 2 ** 34);
});

test('a layer schedule sums its groups (docs/design.md §4.2a)', t => {
  const base = preset('llama-3.1-8b');
  const model: ModelPreset = {
    ...base,
    schedule: [
      {repeat: 5, variant: 'window:w=1024'},
      {repeat: 1, variant: 'standard'},
    ],
    layers: 6,
  };
  const e = evaluate(model, workload({seq: 4096, mode: 'decode', causal: true}));
  t.deepEqual(
    e.cost.groups.map(g => [g.label, g.repeat]),
    [
      ['window w=1024', 5],
      ['standard', 1],
    ],
  );
  // Window layers keep a rolling buffer of 1024 keys, the global layer all 4096.
  t.is(e.cacheBytes, (5 * 1024 + 4096) * 8 * 256 * 2);
});
