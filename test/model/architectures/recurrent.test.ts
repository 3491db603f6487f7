import test from 'ava';
import fc from 'fast-check';
import {getArchitecture} from '../../../src/model/architectures/index.js';
import {evaluate} from '../../../src/model/engine.js';
import type {Architecture, ModelPreset} from '../../../src/schema/presets.js';
import {fixture, preset, workload} from './fixtures.js';

/** A bare stack: L layers of width d, no vocabulary. */
function bare(architecture: Architecture, d: number, layers: number): ModelPreset {
  return {
    ...fixture('lstm-small.json'),
    id: `bare-${architecture}`,
    architecture,
    dModel: d,
    layers,
    vocab: undefined,
  };
}

const CELLS: [Architecture, number][] = [
  ['rnn', 2],
  ['lstm', 8],
  ['gru', 6],
];

for (const [id, perStep] of CELLS) {
  test(`${id}: ${perStep}·d² MACs per step, 2 steps of state, n launches per layer`, t => {
    const d = 512;
    const n = 1000;
    const e = evaluate(bare(id, d, 3), workload({seq: n, batch: 2}));
    // docs/design.md §4.2: per layer and step, input and recurrent matrices of every gate, d×d each.
    t.is(e.totals.macs, 3 * 2 * n * perStep * d * d);
    t.is(e.params, 3 * perStep * d * d);
    // The recurrence launches one kernel per step: n per layer, plus the input projection.
    const recurrence = e.components.find(c => c.name === 'recurrence')!;
    t.is(recurrence.launches, 3 * n);
    t.is(recurrence.kernel, 'scan');
    // Half the MACs are the sequential recurrent products.
    t.is(recurrence.macs, e.totals.macs / 2);
  });
}

test('decode: one step, a state constant in n (LSTM keeps h and c)', t => {
  const d = 1024;
  const model = bare('lstm', d, 2);
  const a = evaluate(model, workload({seq: 1000, mode: 'decode', batch: 4}));
  const b = evaluate(model, workload({seq: 1_000_000, mode: 'decode', batch: 4}));
  t.is(a.totals.macs, 2 * 4 * 8 * d * d);
  t.is(a.cacheBytes, 2 * 4 * 2 * d * 2); // L·b·2·d·s
  t.deepEqual(a.totals, b.totals);
  t.is(a.cacheBytes, b.cacheBytes);
  t.is(
    evaluate(bare('gru', d, 2), workload({seq: 1000, mode: 'decode', batch: 4})).cacheBytes,
    2 * 4 * d * 2,
  );
});

test('train keeps the hidden states and gate activations of every step', t => {
  const d = 256;
  const n = 100;
  // Per layer and step: the layer input (d) + rnn h (1·d), gru r, z, n, U_n·h, h (5·d),
  // lstm i, f, g, o, c, tanh c (6·d); s = 2.
  const saved = (id: Architecture) => evaluate(bare(id, d, 1), workload({seq: n, mode: 'train'})).savedBytes;
  t.is(saved('rnn'), n * d * 2 * (1 + 1));
  t.is(saved('gru'), n * d * 2 * (1 + 5));
  t.is(saved('lstm'), n * d * 2 * (1 + 6));
  t.is(evaluate(bare('lstm', d, 1), workload({seq: n, mode: 'train'})).totals.macs, 3 * n * 8 * d * d);
});

test('the LSTM fixture: embedding, tied head, 2 layers', t => {
  const model = fixture('lstm-small.json');
  const e = evaluate(model, workload({seq: 2048}));
  // 2·8·1024² + 10,000·1024 (tied).
  t.is(e.params, 2 * 8 * 1024 * 1024 + 10_000 * 1024);
  // The tied head projects the last position in inference.
  t.is(e.totals.macs, 2 * 2048 * 8 * 1024 * 1024 + 1024 * 10_000);
});

test('complexity view: n·d², path n − 1 (mean (n − 1)/2); attention and RNN cross at n = d', t => {
  const rnn = getArchitecture('rnn');
  const model = bare('rnn', 768, 1);
  t.is(rnn.leadingOps(4096, model), 4096 * 768 * 768);
  t.deepEqual(rnn.pathLength(4096, model), {max: 4095, mean: 2047.5});
  // docs/design.md §5.1: attention n²·d equals RNN n·d² at n = d.
  const attention = getArchitecture('transformer');
  t.is(attention.leadingOps(768, preset('gpt2-small')), rnn.leadingOps(768, model));
  fc.assert(
    fc.property(fc.integer({min: 1, max: 100_000}), n =>
      n < 768
        ? attention.leadingOps(n, preset('gpt2-small')) < rnn.leadingOps(n, model)
        : attention.leadingOps(n, preset('gpt2-small')) >= rnn.leadingOps(n, model),
    ),
  );
  t.pass();
});
