/**
 * `rnn`, `lstm`, `gru`: stacked recurrent networks with hidden width = input width = d
 * (docs/design.md §4.2). Per layer and step, each of g gates multiplies the input (W, d×d) and the previous
 * hidden state (U, d×d): 2·g·d² MACs — rnn g = 1 (Elman 1990), gru g = 3 (Cho et al. 2014),
 * lstm g = 4 (Hochreiter & Schmidhuber 1997) — i.e. 2·d², 6·d², 8·d² (docs/design.md §4.2).
 *
 * As cuDNN runs them: the input products of all n steps are one matrix product
 * ('input-projection', n × d → g·d); the recurrent products run step after step ('recurrence',
 * kernel family 'scan'): n dependent steps, each a b×d by d×g·d product that re-reads U — one
 * kernel launch per step, so on a GPU the recurrence is bound by launches and by weight traffic
 * long before its FLOPs (documented in docs/architectures.md). Decode: one step; the state
 * (h, plus the cell c for LSTM) is constant in n. Training keeps the hidden states and gate
 * activations of every step. Path length between positions: n − 1 steps (mean (n − 1)/2).
 */
import type {Architecture, ModelPreset} from '../../schema/presets.js';
import type {Citation, ResolvedVariant} from '../types.js';
import {component} from '../types.js';
import type {Workload} from '../workload.js';
import {gemm, part, vocabularyEnds} from './layer.js';
import type {ArchitectureDef, ModelCost} from './types.js';

interface Cell {
  id: Extract<Architecture, 'rnn' | 'lstm' | 'gru'>;
  title: string;
  citation: Citation;
  /** Gates g: each has an input matrix W (d×d) and a recurrent matrix U (d×d). */
  gates: number;
  /** State vectors of width d carried between steps (LSTM: h and c). */
  stateVectors: number;
  /** Elementwise FLOPs per hidden unit and step (docs/architectures.md "Recurrent cells"). */
  vectorOps: number;
  /** Vectors of width d kept per step for backpropagation through time. */
  savedPerStep: number;
}

/**
 * Elementwise work per unit and step, counting a sigmoid or tanh as one operation (as the
 * softmax counts exp): rnn: add the two products, tanh = 2; gru: adds for r and z (2), their
 * sigmoids (2), n = tanh(W_n x + r ⊙ U_n h) (3), h = (1 − z) ⊙ n + z ⊙ h (3) = 10; lstm: four
 * pre-activation adds, four activations, c = f ⊙ c + i ⊙ g (3), tanh(c), o ⊙ tanh(c) = 13.
 * Saved per step for backward: rnn h (tanh' = 1 − h²); gru r, z, n, U_n·h, h = 5; lstm i, f, g, o,
 * c, tanh(c) = 6 (what cuDNN's reserve space holds, in d-wide vectors).
 */
const CELLS: Record<Cell['id'], Cell> = {
  rnn: {
    id: 'rnn',
    title: 'Recurrent network (Elman, tanh)',
    citation: {
      text: 'Elman 1990, "Finding Structure in Time", Cognitive Science 14(2)',
      url: 'https://doi.org/10.1207/s15516709cog1402_1',
    },
    gates: 1,
    stateVectors: 1,
    vectorOps: 2,
    savedPerStep: 1,
  },
  gru: {
    id: 'gru',
    title: 'Gated recurrent unit (GRU)',
    citation: {
      text: 'Cho et al. 2014, "Learning Phrase Representations using RNN Encoder–Decoder for Statistical Machine Translation"',
      url: 'https://arxiv.org/abs/1406.1078',
    },
    gates: 3,
    stateVectors: 1,
    vectorOps: 10,
    savedPerStep: 5,
  },
  lstm: {
    id: 'lstm',
    title: 'Long short-term memory (LSTM)',
    citation: {
      text: 'Hochreiter & Schmidhuber 1997, "Long Short-Term Memory", Neural Computation 9(8)',
      url: 'https://doi.org/10.1162/neco.1997.9.8.1735',
    },
    gates: 4,
    stateVectors: 2,
    vectorOps: 13,
    savedPerStep: 6,
  },
};

function evaluateRecurrent(cell: Cell, model: ModelPreset, w: Workload): ModelCost {
  const d = model.dModel;
  const g = cell.gates;
  const b = w.batch;
  const steps = w.mode === 'decode' ? 1 : w.seq;
  const rows = b * steps;
  const s = w.bytes;
  const training = w.mode === 'train';
  const inputProjection = part(gemm('input-projection', rows, d, g * d, w), 'projection');
  const recurrence = part(
    component('recurrence', 'scan', {
      macs: rows * g * d * d,
      vectorFlops: rows * d * cell.vectorOps,
      // Per step: U (g·d² weights) re-read, the step's input products read, the state read;
      // h (and c) written, and in training the saved gate activations.
      readBytes: steps * g * d * d * w.weightBytes + rows * (g + cell.stateVectors) * d * s,
      writeBytes: rows * (training ? cell.savedPerStep : cell.stateVectors) * d * s,
      savedBytes: training ? rows * cell.savedPerStep * d * s : 0,
      transientBytes: rows * d * s,
      launches: steps,
    }),
    'mixer',
    2,
    true,
  );
  const group = {
    label: cell.id,
    repeat: model.layers,
    tokens: steps,
    components: [inputProjection, recurrence],
    params: 2 * g * d * d,
    // The recurrent state of the whole batch, kept between decode steps: constant in n.
    cacheBytes: training ? 0 : b * cell.stateVectors * d * w.kvBytes,
    // The layer input, for the input projection's weight gradient (the per-step saves are the
    // recurrence component's savedBytes).
    activationBytes: rows * d * s,
    inputBytes: rows * d * s,
  };
  const {extras, params} = vocabularyEnds(model, steps, w, true);
  return {groups: [group], extras, extraParams: params};
}

function recurrentArchitecture(cell: Cell): ArchitectureDef {
  return {
    id: cell.id,
    title: cell.title,
    family: 'recurrent',
    citation: cell.citation,
    tradeoff:
      'Constant state per sequence and O(n·d²) work, paid for with n strictly sequential steps (no parallelism over the sequence, one kernel launch per step) and a path of n − 1 steps between distant tokens.',
    takesVariant: false,
    defaultSeq: model => model.contextLength ?? 2048,
    evaluate: (model: ModelPreset, w: Workload, _variant: ResolvedVariant | undefined) =>
      evaluateRecurrent(cell, model, w),
    // docs/design.md §5.1: RNN n·d² (constant 1).
    leadingOps: (n, model) => n * model.dModel * model.dModel,
    pathLength: n => ({max: Math.max(0, n - 1), mean: Math.max(0, n - 1) / 2}),
  };
}

export const rnnArchitecture = recurrentArchitecture(CELLS.rnn);
export const lstmArchitecture = recurrentArchitecture(CELLS.lstm);
export const gruArchitecture = recurrentArchitecture(CELLS.gru);
