import test from 'ava';
import {expectedDistinctExperts, moeBlock} from '../../../src/model/architectures/moe.js';
import type {MoeSpec} from '../../../src/schema/presets.js';
import {workload} from './fixtures.js';

/** A tiny MoE: d 4, 4 routed experts of width 3, top-2, one shared expert of width 2. */
const tiny: MoeSpec = {
  experts: 4,
  active: 2,
  shared: 1,
  expertDim: 3,
  sharedDim: 2,
  denseLayers: 0,
  router: 'softmax',
  routerBias: false,
};

test('expected distinct experts: E·(1 − (1 − k/E)^T)', t => {
  t.is(expectedDistinctExperts(4, 2, 1), 2);
  t.is(expectedDistinctExperts(4, 2, 5), 4 * (31 / 32));
  // One token touches exactly its k experts; many tokens approach E; k = E touches all.
  t.true(Math.abs(expectedDistinctExperts(256, 8, 1) - 8) < 1e-9);
  t.true(expectedDistinctExperts(256, 8, 256) > 0.999 * 256);
  t.is(expectedDistinctExperts(8, 8, 3), 8);
  // docs/architectures.md: DeepSeek-V3 (E 256, k 8) at 16, 64 and 256 tokens.
  t.deepEqual(
    [16, 64, 256].map(tokens => Math.round(10 * expectedDistinctExperts(256, 8, tokens)) / 10),
    [102.0, 222.4, 255.9],
  );
  // Monotone in T, never above E.
  let last = 0;
  for (const tokens of [1, 2, 4, 16, 64, 1e6]) {
    const e = expectedDistinctExperts(64, 6, tokens);
    t.true(e > last && e <= 64);
    last = e;
  }
});

test('tiny MoE, prefill of 5 tokens: router, routed experts (k = 2) and the shared expert by hand', t => {
  const w = workload({seq: 5});
  const block = moeBlock(5, 4, tiny, 'swiglu', w);
  t.deepEqual(
    block.components.map(c => c.cost.name),
    ['router', 'experts', 'shared-experts'],
  );
  const [router, experts, shared] = block.components.map(c => c.cost);
  // Router: 5 tokens × d 4 × E 4 MACs; softmax (5) + top-k compare (1) per logit.
  t.is(router!.macs, 80);
  t.is(router!.vectorFlops, 5 * 4 * 6);
  // 10 assignments × (d·2·3 up + 3·d down) MACs; SiLU-gated product 5 per hidden element, combine 2·d.
  t.is(experts!.macs, 10 * (24 + 12));
  t.is(experts!.vectorFlops, 10 * (3 * 5 + 8));
  // Touched experts 4·(1 − 2^-5) = 3.875: weights read 3.875 × 36 × 2 bytes.
  t.is(experts!.readBytes, 80 + 3.875 * 24 * 2 + 60 + 3.875 * 12 * 2 + 80);
  t.is(experts!.writeBytes, 120 + 80 + 40);
  // The shared expert is a dense SwiGLU FFN of width 2.
  t.is(shared!.macs, 5 * 4 * 4 + 5 * 2 * 4);
  // Router 4·4 + 4 experts × 3·4·3 + shared 3·4·2 = 16 + 144 + 24; a token skips 2 experts.
  t.is(block.params, 184);
  t.is(block.inactiveParams, 72);
  t.is(block.params - block.inactiveParams, 16 + 2 * 36 + 24);
});

test('MoE decode reads the experts the batch touches: ~k at batch 1, ~E at batch 256', t => {
  const spec: MoeSpec = {...tiny, experts: 64, active: 4, shared: 0, expertDim: 128};
  const d = 256;
  const expertBytes = 3 * d * 128 * 2;
  const weightReads = (batch: number) => {
    const w = workload({mode: 'decode', batch});
    const experts = moeBlock(1, d, spec, 'swiglu', w).components[1]!.cost;
    // Activation traffic: 4 reads and writes of rows·k-sized tensors; subtract to leave the weights.
    const rows = batch * 4;
    return experts.readBytes - rows * (2 * d + 128) * 2;
  };
  t.is(weightReads(1), 4 * expertBytes);
  t.true(weightReads(256) > 0.99 * 64 * expertBytes);
  t.true(weightReads(256) <= 64 * expertBytes);
});

test('router bias, sigmoid scoring and expert biases (gpt-oss style) count where they should', t => {
  const w = workload({seq: 5});
  const spec: MoeSpec = {...tiny, shared: 2, router: 'sigmoid', routerBias: true};
  const block = moeBlock(5, 4, spec, 'swiglu', w, true);
  // Sigmoid 4 + bias 1 + top-k 1 per logit.
  t.is(block.components[0]!.cost.vectorFlops, 5 * 4 * 6);
  // Router 16 + 4 bias; experts 4 × (36 + 6 + 4); two shared experts 2 × (24 + 4 + 4).
  t.is(block.params, 20 + 4 * 46 + 2 * 32);
  t.is(block.inactiveParams, 2 * 46);
});
