/**
 * `hyena`: Hyena hierarchy, Poli et al. 2023, "Hyena Hierarchy: Towards Larger Convolutional
 * Language Models" (ICML 2023, arXiv:2302.10866), §3. A transformer-like block (LayerNorm, mixer,
 * LayerNorm, MLP) whose mixer is the order-N Hyena operator (Definition 3.1):
 * - in_proj d → (N+1)·d: the projections v, x¹ … x^N;
 * - short depthwise conv (3 taps) on all N+1 projections;
 * - N long convolutions, one per order, each over the whole sequence: z¹ = v,
 *   z^{k+1} = x^k ⊙ (h^k ∗ z^k), y = z^{N+1}; computed with FFTs of size L = 2n (zero padding for
 *   a linear convolution, as the reference fftconv does) in O(n log n) per channel and order;
 * - the filters h^k come from an implicit FFN on positional features (P → W → W → W → N·d, sine
 *   activations) evaluated at the n positions, then an exponential decay window;
 * - out_proj d → d.
 * FFT cost convention: a complex FFT of size L ≈ 5·L·log₂L real FLOPs (the FFTW benchmark
 * convention); a real-input FFT half of it, 2.5·L·log₂L. Per channel and order: rfft of the
 * input, pointwise complex product (6 FLOPs per bin), irfft; the filter's rfft once per batch.
 * Decode (one new token with n cached): Hyena has no recurrent form by default (its reference
 * code raises NotImplementedError), so each long convolution is evaluated directly over the
 * cached history: N·d·n MACs per token, cache = every order's input history (N·d·n per
 * sequence) + the short conv windows + the materialised filters (N·d·n, shared by the batch).
 *
 * Parameters `order` N (2), filter FFN width W (64), positional features P (33), short filter
 * taps (3) come from the model's `hyena` block, else from these defaults (the safari pile
 * configs: emb_dim 33, filter_order 64, short_filter_order 3).
 */
import type {z} from 'zod';
import {once} from '../../schema/lazy.js';
import {hyenaSchema, type ModelPreset} from '../../schema/presets.js';
import type {ResolvedVariant} from '../types.js';
import {component} from '../types.js';
import type {Workload} from '../workload.js';
import {ffnBlock, gemm, normsBlock, part, vocabularyEnds} from './layer.js';
import {depthwise} from './shared.js';
import type {ArchitectureDef, LayerComponent, LayerGroup, ModelCost} from './types.js';

export type HyenaParams = z.infer<ReturnType<typeof hyenaSchema>>;

/** The safari Pile configs (the schema's defaults): N 2, W 64, P 33, 3 short-filter taps. */
export const hyenaDefaults = once((): Readonly<HyenaParams> => hyenaSchema().parse({}));

/** Real FLOPs of a real-input FFT (or its inverse) of size L: half of 5·L·log₂L. */
export function rfftFlops(size: number): number {
  return size > 1 ? 2.5 * size * Math.log2(size) : 0;
}
/** Complex bins of a real FFT of size L. */
function bins(size: number): number {
  return Math.floor(size / 2) + 1;
}
/** FLOPs of one complex multiply. */
const COMPLEX_MUL_FLOPS = 6;
/** Sine per element, counted as one operation; the decay window is an exp and a multiply. */
const SIN_FLOPS = 1;
const DECAY_FLOPS = 2;
/** Complex64 spectra. */
const SPECTRUM_BYTES = 8;

/** The Hyena parameters of a model: its `hyena` block, else the defaults. */
export function hyenaParams(model: ModelPreset): HyenaParams {
  return model.hyena ?? hyenaDefaults();
}

/** Weights of the Hyena operator of one layer (mixer only; biases not counted). */
export function hyenaOperatorParams(d: number, p: HyenaParams): number {
  const N = p.order;
  const W = p.filterOrder;
  return (
    (N + 1) * d * d + // in_proj
    (N + 1) * d * p.shortFilter + // short depthwise conv
    p.positionalDim * W +
    2 * W * W +
    W * N * d + // implicit filter FFN
    N * d + // per-channel skip term of each long convolution
    d * d // out_proj
  );
}

function hyenaLayer(model: ModelPreset, w: Workload): LayerGroup {
  const p = hyenaParams(model);
  const N = p.order;
  const d = model.dModel;
  const b = w.batch;
  const s = w.bytes;
  const n = w.seq;
  const decode = w.mode === 'decode';
  const training = w.mode === 'train';
  const steps = decode ? 1 : n;
  const rows = b * steps;
  const width = (N + 1) * d;
  const components: LayerComponent[] = [part(gemm('in-projection', rows, d, width, w), 'projection')];
  const shortConv = depthwise('short-conv', rows, width, p.shortFilter, w);
  if (decode) {
    const window = b * width * (p.shortFilter - 1) * w.kvBytes;
    shortConv.readBytes += window;
    shortConv.writeBytes += window;
  }
  components.push(part(shortConv, 'mixer'));
  const history = b * N * d * n * w.kvBytes;
  const filters = N * d * n * s;
  if (decode) {
    // Direct convolution of the new token against each order's cached history.
    components.push(
      part(
        component('long-conv', 'scan', {
          macs: b * N * d * n,
          vectorFlops: b * N * d * 2, // gating multiply and skip term
          readBytes: history + filters,
          writeBytes: b * N * d * w.kvBytes,
        }),
        'mixer',
        2,
        true,
      ),
    );
  } else {
    const W = p.filterOrder;
    // Implicit filters at the n positions: P → W → W → W → N·d, sines, decay window.
    components.push(
      part(
        component('implicit-filter', 'gemm', {
          macs: n * (p.positionalDim * W + 2 * W * W + W * N * d),
          vectorFlops: n * (3 * W * SIN_FLOPS + N * d * DECAY_FLOPS),
          readBytes: n * p.positionalDim * s + (p.positionalDim * W + 2 * W * W + W * N * d) * w.weightBytes,
          writeBytes: filters,
          transientBytes: filters,
          launches: 5,
        }),
        'mixer',
      ),
    );
    const L = 2 * n;
    const perChannel = 2 * rfftFlops(L) + COMPLEX_MUL_FLOPS * bins(L);
    components.push(
      part(
        component('long-conv', 'scan', {
          // Per order: rfft + product + irfft per sequence and channel, the filter's rfft per
          // channel, then the gating multiply and the skip term per element.
          vectorFlops: N * d * (b * perChannel + rfftFlops(L)) + N * rows * d * 2,
          // Per order: the convolution input and the gate x^k, plus the filters.
          readBytes: N * 2 * rows * d * s + filters,
          writeBytes: N * rows * d * s,
          // One order at a time: the input and product spectra of the batch and the filter's.
          transientBytes: (2 * b + 1) * d * bins(L) * SPECTRUM_BYTES,
          launches: 4 * N,
        }),
        'mixer',
        2,
        true,
      ),
    );
  }
  components.push(part(gemm('out-projection', rows, d, d, w), 'projection'));
  const ffn = ffnBlock(steps, d, model.dFf ?? 4 * d, model.ffn, w);
  const norms = normsBlock(steps, d, 2, w);
  components.push(...ffn.components, norms.component);
  return {
    label: `hyena order=${N}`,
    repeat: model.layers,
    tokens: steps,
    components,
    params: hyenaOperatorParams(d, p) + ffn.params + norms.params,
    cacheBytes: training ? 0 : history + b * width * (p.shortFilter - 1) * w.kvBytes + filters,
    // Kept per token for backward: in_proj input (d), its output and the short conv's output
    // (2·(N+1)·d), each order's convolution input and output (2·N·d), out_proj input (d).
    activationBytes: rows * s * d * (2 + 2 * (N + 1) + 2 * N) + ffn.activationBytes + norms.activationBytes,
    inputBytes: rows * d * s,
  };
}

export const hyenaArchitecture: ArchitectureDef = {
  id: 'hyena',
  title: 'Hyena (implicit long convolutions with data-controlled gating)',
  family: 'state-space',
  citation: {
    text: 'Poli et al. 2023, "Hyena Hierarchy: Towards Larger Convolutional Language Models" (ICML)',
    url: 'https://arxiv.org/abs/2302.10866',
  },
  tradeoff:
    'Every token reaches every other within one layer at O(n log n) cost, paid for with position-indexed filters instead of content-based scores and no cheap recurrent decode: each new token convolves the whole cached history.',
  takesVariant: false,
  defaultSeq: model => model.contextLength ?? 2048,
  evaluate(model: ModelPreset, w: Workload, _variant: ResolvedVariant | undefined): ModelCost {
    const group = hyenaLayer(model, w);
    const d = model.dModel;
    const finalNorm = normsBlock(group.tokens, d, 1, w);
    const extras: LayerComponent[] = [finalNorm.component];
    let params = finalNorm.params;
    const vocab = vocabularyEnds(model, group.tokens, w, true);
    extras.push(...vocab.extras);
    params += vocab.params;
    return {groups: [group], extras, extraParams: params};
  },
  // docs/design.md §5.1: n·log₂(n)·d.
  leadingOps: (n, model) => (n > 1 ? n * Math.log2(n) * model.dModel : 0),
  // The long filters span the whole sequence: any two tokens interact within one layer (through
  // a position-indexed filter gated by the data, not a content-based score).
  pathLength: () => ({max: 1, mean: 1}),
};
