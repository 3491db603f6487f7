/**
 * `mamba`: the selective state-space model of Gu & Dao 2023, "Mamba: Linear-Time Sequence
 * Modeling with Selective State Spaces" (arXiv:2312.00752, §3.4 and Fig. 3), as the reference code
 * builds it (state-spaces/mamba, mamba_ssm/modules/mamba_simple.py). Per layer, with
 * d_inner = E·d (expand E = 2), state N (16), conv width K (4), dt_rank R = ⌈d/16⌉:
 * - RMSNorm, in_proj d → 2·d_inner (x and the gate z);
 * - causal depthwise conv1d of width K on x, SiLU;
 * - x_proj d_inner → R + 2N (Δ, B, C), dt_proj R → d_inner, softplus;
 * - selective scan: h_t = exp(Δ_t A) h_{t−1} + Δ_t B_t x_t, y_t = C_t h_t + D x_t, ≈ 9·n·d_inner·N
 *   FLOPs (docs/design.md §4.2; Tri Dao, state-spaces/mamba issue #110), fused: the states live in SRAM
 *   and are recomputed in backward, never written to HBM; then y ⊙ SiLU(z);
 * - out_proj d_inner → d.
 * Model: token embedding, the layers, final RMSNorm, LM head tied to the embedding.
 * Decode: one step per layer; the state is d_inner·N (SSM) + d_inner·(K − 1) (conv window) per
 * sequence per layer, constant in n. Derivation and worked example: docs/architectures.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import type {ResolvedVariant} from '../types.js';
import {component} from '../types.js';
import type {Workload} from '../workload.js';
import {gemm, NORM_FLOPS_PER_ELEMENT, part, vocabularyEnds} from './layer.js';
import {depthwise} from './shared.js';
import type {ArchitectureDef, LayerComponent, LayerGroup, ModelCost} from './types.js';

/** Selective-scan FLOPs per (token, channel, state) element: Tri Dao, state-spaces/mamba #110. */
export const SCAN_FLOPS_PER_STATE = 9;
/** SiLU per element: exp, add, divide, multiply. */
const SILU_FLOPS = 4;
/** Softplus per element: exp, add, log. */
const SOFTPLUS_FLOPS = 3;
/** A (d_inner × N) is kept in fp32 by the reference code. */
const FP32 = 4;
/**
 * Backward of the fused scan as a multiple of its forward: the kernel replays the forward scan to
 * rebuild the states it did not store (1×), then runs the reverse scan and the parameter
 * gradients (2×, the autograd rule). A documented assumption, like FlashAttention's 2.5.
 */
const SCAN_BACKWARD_FACTOR = 3;

/** Mamba's dimensions from the preset's `ssm` block (defaults: state 16, expand 2, conv 4). */
export function mambaDims(model: ModelPreset) {
  const d = model.dModel;
  const ssm = model.ssm;
  const expand = ssm?.expand ?? 2;
  return {
    d,
    inner: expand * d,
    state: ssm?.state ?? 16,
    conv: ssm?.conv ?? 4,
    // mamba_simple.py: dt_rank = "auto" → ceil(d_model / 16).
    dtRank: ssm?.dtRank ?? Math.ceil(d / 16),
  };
}

/** Weights of one Mamba layer (mamba_simple.py: conv1d and dt_proj carry biases, the rest none). */
export function mambaLayerParams(model: ModelPreset): number {
  const {d, inner, state, conv, dtRank} = mambaDims(model);
  return (
    d * 2 * inner + // in_proj
    inner * conv + // depthwise conv1d
    inner + // its bias
    inner * (dtRank + 2 * state) + // x_proj
    dtRank * inner + // dt_proj
    inner + // its bias (dt_bias; in_proj, x_proj and out_proj have none)
    inner * state + // A (A_log)
    inner + // D
    inner * d + // out_proj
    d // RMSNorm weight
  );
}

/** The Mamba mixer of one layer, without its pre-norm: what a hybrid plan's `mamba` layer reuses. */
export interface MambaMixer {
  components: LayerComponent[];
  /** Weights of the mixer (no norm). */
  params: number;
  cacheBytes: number;
  /** Saved for backward: the in_proj input and the mixer's own tensors (see mambaLayer). */
  activationBytes: number;
  /** Steps per sequence: n, or 1 in decode. */
  tokens: number;
}

export function mambaMixer(model: ModelPreset, w: Workload): MambaMixer {
  const {d, inner, state: N, conv: K, dtRank: R} = mambaDims(model);
  const b = w.batch;
  const s = w.bytes;
  const decode = w.mode === 'decode';
  const training = w.mode === 'train';
  const steps = decode ? 1 : w.seq;
  const rows = b * steps;
  const convState = decode ? b * inner * (K - 1) * w.kvBytes : 0;
  const conv1d = depthwise('conv1d', rows, inner, K, w, SILU_FLOPS);
  // Decode reads and shifts the rolling conv window.
  conv1d.readBytes += convState;
  conv1d.writeBytes += convState;
  const dtProjection = gemm('dt-projection', rows, R, inner, w, {vectorFlops: rows * inner * SOFTPLUS_FLOPS});
  const ssmState = decode ? b * inner * N * w.kvBytes : 0;
  const scan = component('selective-scan', 'scan', {
    // 9·d_inner·N per token, + D·x (skip) and y ⊙ SiLU(z) (gate): 1 + SiLU + 1 per channel.
    vectorFlops: rows * inner * (SCAN_FLOPS_PER_STATE * N + 2 + SILU_FLOPS),
    // Reads x, Δ, z (d_inner each), B and C (N each) per token and A; writes y. Decode also
    // reads and writes the state.
    readBytes: rows * (3 * inner + 2 * N) * s + inner * N * FP32 + ssmState,
    writeBytes: rows * inner * s + ssmState,
    transientBytes: rows * inner * s,
  });
  const components: LayerComponent[] = [
    part(gemm('in-projection', rows, d, 2 * inner, w), 'projection'),
    part(conv1d, 'mixer'),
    part(gemm('x-projection', rows, inner, R + 2 * N, w), 'projection'),
    part(dtProjection, 'projection'),
    part(scan, 'mixer', SCAN_BACKWARD_FACTOR, true),
    part(gemm('out-projection', rows, inner, d, w), 'projection'),
  ];
  return {
    components,
    params: mambaLayerParams(model) - d,
    cacheBytes: training ? 0 : b * inner * (N + K - 1) * w.kvBytes,
    // Kept per token for backward (no recomputation besides the scan's states): the in_proj
    // input (d), x and z (2·d_inner), the conv+SiLU output, Δ·B·C (R + 2N), Δ, the scan output y
    // and the gated y fed to out_proj (4·d_inner in all).
    activationBytes: rows * s * (d + 6 * inner + R + 2 * N),
    tokens: steps,
  };
}

function mambaLayer(model: ModelPreset, w: Workload): LayerGroup {
  const d = model.dModel;
  const mixer = mambaMixer(model, w);
  const rows = w.batch * mixer.tokens;
  const s = w.bytes;
  const norm = component('norms', 'elementwise', {
    // RMSNorm and the residual add.
    vectorFlops: rows * d * (NORM_FLOPS_PER_ELEMENT + 1),
    readBytes: 3 * rows * d * s,
    writeBytes: 2 * rows * d * s,
    launches: 2,
  });
  return {
    label: 'mamba',
    repeat: model.layers,
    tokens: mixer.tokens,
    components: [part(norm, 'norm'), ...mixer.components],
    params: mixer.params + d,
    cacheBytes: mixer.cacheBytes,
    // The norm input (d) besides the mixer's.
    activationBytes: mixer.activationBytes + rows * s * d,
    inputBytes: rows * d * s,
  };
}

export const mambaArchitecture: ArchitectureDef = {
  id: 'mamba',
  title: 'Mamba (selective state-space model)',
  family: 'state-space',
  citation: {
    text: 'Gu & Dao 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"',
    url: 'https://arxiv.org/abs/2312.00752',
  },
  tradeoff:
    'Linear work and a constant state per sequence (no KV cache), paid for with a fixed-size state that must compress the whole past: no exact recall of arbitrary earlier tokens.',
  takesVariant: false,
  defaultSeq: model => model.contextLength ?? 2048,
  evaluate(model: ModelPreset, w: Workload, _variant: ResolvedVariant | undefined): ModelCost {
    const group = mambaLayer(model, w);
    const d = model.dModel;
    const rows = w.batch * group.tokens;
    const extras: LayerComponent[] = [];
    let params = d; // final RMSNorm
    extras.push(
      part(
        component('final-norm', 'elementwise', {
          vectorFlops: rows * d * NORM_FLOPS_PER_ELEMENT,
          readBytes: rows * d * w.bytes,
          writeBytes: rows * d * w.bytes,
        }),
        'norm',
      ),
    );
    const vocab = vocabularyEnds(model, group.tokens, w, true);
    extras.push(...vocab.extras);
    params += vocab.params;
    return {groups: [group], extras, extraParams: params};
  },
  // docs/design.md §5.1: n·d·N (the scan's state updates).
  leadingOps: (n, model) => n * model.dModel * mambaDims(model).state,
  // The state carries information one step at a time: n − 1 state updates between the first and
  // the last token, as in an RNN (the parallel scan evaluates them in O(log n) depth, but each
  // contribution still passes through every intermediate exp(ΔA) decay).
  pathLength: n => ({max: Math.max(0, n - 1), mean: Math.max(0, n - 1) / 2}),
};
