/**
 * `perceiver` (Jaegle et al. 2021, "Perceiver: General Perception with Iterative Attention",
 * arXiv:2103.03206) and `perceiver-io` (Jaegle et al. 2022, "Perceiver IO: A General Architecture
 * for Structured Inputs & Outputs", ICLR, arXiv:2107.14795), as the reference code builds them
 * (google-deepmind/deepmind-research perceiver/perceiver.py):
 * - encode: cross-attention from N latents (width D) to M inputs (width C): LayerNorms on both,
 *   Q from the latents (D → qk), K and V projected from the M inputs (C → qk, C → v) — the part
 *   that grows with M —, QKᵀ and AV over N·M pairs, output projection v → D, then an MLP
 *   (D → w·D → D) with its LayerNorm. `reads` cross-attends (original Perceiver: 8; the first
 *   has its own weights, the other 7 share one set);
 * - process: L latent self-attention blocks over N (O(L·N²)), `uniqueProcessLayers` of them with
 *   their own weights (Perceiver IO ImageNet: 8 blocks × 6 shared = 48 applied, 6 unique);
 *   `--variant` replaces the variant of these layers only;
 * - decode (Perceiver IO): cross-attention from O output queries (width E) to the N latents,
 *   then the task head (classifier E → classes, or logits through the tied input embedding);
 *   the original Perceiver averages the latents into a classifier instead.
 * `--seq` sets M. Weight sharing: parameters count once per unique layer (a group '… (shared
 * weights)' holds the re-applied layers with 0 parameters), compute once per applied layer.
 * Decode mode (Perceiver IO only): the model is not autoregressive; attncap costs one more
 * output query against the cached latents (the decoder's K/V of the N latents), which is how
 * Perceiver IO serves outputs one query at a time. Derivation: docs/architectures.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import type {ResolvedVariant} from '../types.js';
import {component} from '../types.js';
import type {Workload} from '../workload.js';
import {attentionBlock, ffnBlock, gemm, normsBlock, part} from './layer.js';
import {cachedVariant, classifierHead, unsupportedMode} from './shared.js';
import type {ArchitectureDef, LayerComponent, LayerGroup, ModelCost} from './types.js';

type PerceiverBlock = NonNullable<ModelPreset['perceiver']>;

/** Width of a stated qk/v channel count after a `--d-model` override of the latent width. */
function scaled(stated: number | undefined, presetWidth: number, width: number): number {
  // A width stated equal to the latent width follows the latent width (the default of the
  // reference code); any other stated width stays as stated.
  return stated === undefined || stated === presetWidth ? width : stated;
}

/** The perceiver block of the preset, with defaults the reference code applies. */
function dims(model: ModelPreset) {
  const p: PerceiverBlock = model.perceiver ?? {
    inputs: model.contextLength ?? 2048,
    inputDim: model.dModel,
    latents: 512,
    latentDim: model.dModel,
    crossHeads: 1,
    crossWidening: 1,
    reads: 1,
    processLayers: model.layers,
    processHeads: model.heads ?? 8,
    processWidening: 1,
    outputs: 0,
    decoderHeads: 1,
    decoderWidening: 1,
  };
  const D = model.dModel; // latent width (the presets state dModel = latentDim; --d-model sets it)
  const crossQk = p.crossQkDim ?? p.inputDim; // Attention: qk channels default to the K/V input's
  const processQk = scaled(p.processQkDim, p.latentDim, D);
  const decoderQk = scaled(p.decoderQkDim, p.latentDim, D);
  const outputDim = p.outputDim ?? D;
  return {
    p,
    D,
    C: p.inputDim,
    N: p.latents,
    crossQk,
    crossV: p.crossVDim ?? crossQk,
    layers: model.layers, // latent self-attends applied (presets: layers = processLayers; --layers sets it)
    heads: model.heads ?? p.processHeads,
    processQk,
    processV: p.processVDim === undefined ? processQk : scaled(p.processVDim, p.latentDim, D),
    uniqueLayers: Math.min(p.uniqueProcessLayers ?? model.layers, model.layers),
    outputs: p.outputs,
    E: outputDim,
    decoderQk,
    decoderV: p.decoderVDim === undefined ? decoderQk : scaled(p.decoderVDim, p.latentDim, D),
  };
}

interface AttendSpec {
  label: string;
  /** Query rows per sequence and their width. */
  queries: number;
  qDim: number;
  /** Key/value rows per sequence and their width; kvTokens = rows projected in this call. */
  keys: number;
  kvDim: number;
  kvTokens: number;
  heads: number;
  qk: number;
  v: number;
  widening: number;
  /** Self-attention: one LayerNorm before attention; cross-attention: one on each input. */
  self: boolean;
  repeat: number;
  /** Weights count in this group (false: re-applied shared layers). */
  ownsWeights: boolean;
  /** Keep the K/V of the keys between steps (the decoder's cache). */
  keepsCache: boolean;
}

/** One attention block of the Perceiver: LayerNorm(s), attention, MLP with its LayerNorm. */
function attendBlock(s: AttendSpec, model: ModelPreset, w: Workload, variant: ResolvedVariant): LayerGroup {
  const attn = attentionBlock(
    {
      dModel: s.qDim,
      heads: s.heads,
      kvHeads: s.heads,
      headDim: s.qk / s.heads,
      valueDim: s.v / s.heads,
      kvInputDim: s.kvDim,
    },
    {queries: s.queries, keys: s.keys, queryOffset: 0, kvTokens: s.kvTokens, causal: false},
    w,
    variant,
    {q: 'q-projection', kv: 'kv-projection', fused: s.self},
  );
  // K/V already cached (decode): no projection runs, its weights are not read.
  const attnComponents =
    s.kvTokens === 0 ? attn.components.filter(c => c.cost.name !== 'kv-projection') : attn.components;
  const mlp = ffnBlock(s.queries, s.qDim, s.widening * s.qDim, model.ffn, w);
  const qNorms = normsBlock(s.queries, s.qDim, 2, w);
  const components: LayerComponent[] = [...attnComponents, ...mlp.components, qNorms.component];
  let params = attn.params + mlp.params + qNorms.params;
  let activationBytes = attn.activationBytes + mlp.activationBytes + qNorms.activationBytes;
  if (!s.self) {
    // The LayerNorm of the key/value input; it does not run when the K/V are cached (decode).
    const kvNorm = normsBlock(s.kvTokens, s.kvDim, 1, w);
    if (s.kvTokens > 0) components.push(kvNorm.component);
    params += kvNorm.params;
    activationBytes += kvNorm.activationBytes;
  }
  return {
    label: s.label,
    repeat: s.repeat,
    tokens: s.queries,
    components,
    params: s.ownsWeights ? params : 0,
    cacheBytes: s.keepsCache ? attn.cacheBytes : 0,
    activationBytes,
    inputBytes: w.batch * (s.queries * s.qDim + (s.self ? 0 : s.kvTokens * s.kvDim)) * w.bytes,
    variant,
  };
}

/** Groups for `applied` layers of which `unique` own weights: the owners, then the re-applied. */
function shared(
  spec: Omit<AttendSpec, 'repeat' | 'ownsWeights'>,
  applied: number,
  unique: number,
  model: ModelPreset,
  w: Workload,
  variant: ResolvedVariant,
): LayerGroup[] {
  if (applied <= 0) return [];
  const groups = [attendBlock({...spec, repeat: unique, ownsWeights: true}, model, w, variant)];
  if (applied > unique) {
    groups.push(
      attendBlock(
        {...spec, label: `${spec.label} (shared weights)`, repeat: applied - unique, ownsWeights: false},
        model,
        w,
        variant,
      ),
    );
  }
  return groups;
}

function evaluatePerceiver(
  model: ModelPreset,
  w: Workload,
  override: ResolvedVariant | undefined,
  io: boolean,
): ModelCost {
  const k = dims(model);
  const M = w.seq;
  const variant = cachedVariant(model.variant);
  const latentVariant = override ?? variant;
  const groups: LayerGroup[] = [];
  const extras: LayerComponent[] = [];
  // Learned arrays: the latents (N·D) and the decoder's output queries (O·E).
  let params = k.N * k.D + (io ? k.outputs * k.E : 0);
  const decode = w.mode === 'decode';
  if (decode && !(io && k.outputs > 0)) {
    unsupportedMode(
      model,
      'decode',
      'the Perceiver is not autoregressive and has no decoder queries to serve one at a time',
    );
  }
  const decoder: Omit<AttendSpec, 'repeat' | 'ownsWeights'> = {
    label: 'cross-attention (decode)',
    queries: decode ? 1 : k.outputs,
    qDim: k.E,
    keys: k.N,
    kvDim: k.D,
    kvTokens: decode ? 0 : k.N,
    heads: k.p.decoderHeads,
    qk: k.decoderQk,
    v: k.decoderV,
    widening: k.p.decoderWidening,
    self: false,
    keepsCache: w.mode !== 'train',
  };
  // Encode: `reads` cross-attends; the original Perceiver shares weights after the first.
  const reads = k.p.reads;
  const encoder = {
    label: 'cross-attention (encode)',
    queries: k.N,
    qDim: k.D,
    keys: M,
    kvDim: k.C,
    kvTokens: M,
    heads: k.p.crossHeads,
    qk: k.crossQk,
    v: k.crossV,
    widening: k.p.crossWidening,
    self: false,
    keepsCache: false,
  };
  const latent = {
    label: `latent self-attention · ${latentVariant.label}`,
    queries: k.N,
    qDim: k.D,
    keys: k.N,
    kvDim: k.D,
    kvTokens: k.N,
    heads: k.heads,
    qk: k.processQk,
    v: k.processV,
    widening: k.p.processWidening,
    self: true,
    keepsCache: false,
  };
  const encodeProcess = [
    ...shared(encoder, reads, Math.min(reads, 2), model, w, variant),
    ...shared(latent, k.layers, k.uniqueLayers, model, w, latentVariant),
  ];
  if (decode) {
    // The latents are cached: encoder and process do not run, but their weights stay resident.
    for (const g of encodeProcess) params += g.params * g.repeat;
  } else {
    groups.push(...encodeProcess);
  }
  if (model.vocab) {
    // Byte/token inputs: embedding lookup plus learned positions (trained for the preset's M).
    params += model.vocab * k.C + k.p.inputs * k.C;
    if (!decode) {
      const elements = w.batch * M * k.C;
      extras.push(
        part(
          component('embedding', 'elementwise', {
            vectorFlops: elements,
            readBytes: elements * w.weightBytes + M * k.C * w.weightBytes,
            writeBytes: elements * w.bytes,
          }),
          'embedding',
        ),
      );
    }
  }
  if (io && k.outputs > 0) {
    groups.push(...shared(decoder, 1, 1, model, w, variant));
    const rows = w.batch * decoder.queries;
    if (model.vocab) {
      extras.push(part(gemm('logits', rows, k.E, model.vocab, w), 'head'));
      if (!model.tiedEmbeddings) params += k.E * model.vocab;
    }
    if (k.p.classes) {
      extras.push(part(gemm('classifier', rows, k.E, k.p.classes, w), 'head'));
      params += k.E * k.p.classes;
    }
  } else {
    // Original Perceiver: average the latents, LayerNorm, classifier.
    const head = classifierHead(k.N, k.D, k.p.classes, w, true);
    extras.push(...head.extras);
    params += head.params;
  }
  return {groups, extras, extraParams: params};
}

const perceiverCitation = {
  text: 'Jaegle et al. 2021, "Perceiver: General Perception with Iterative Attention" (ICML)',
  url: 'https://arxiv.org/abs/2103.03206',
};

function leadingOps(n: number, model: ModelPreset): number {
  // docs/design.md §5.1: n·N·d (encode) + L·N²·d (process), d the latent width.
  const k = dims(model);
  return n * k.N * k.D + k.layers * k.N * k.N * k.D;
}

export const perceiverArchitecture: ArchitectureDef = {
  id: 'perceiver',
  title: 'Perceiver (latent bottleneck, iterative cross-attention)',
  family: 'latent',
  citation: perceiverCitation,
  tradeoff:
    'Cost linear in the input count M, paid for with a fixed latent bottleneck: N latents must compress everything at each read, and there is no per-input output.',
  takesVariant: true,
  defaultSeq: model => model.perceiver?.inputs ?? model.contextLength ?? 2048,
  evaluate: (model, w, override) => evaluatePerceiver(model, w, override, false),
  leadingOps,
  // Any two inputs meet in a latent after one cross-attend.
  pathLength: () => ({max: 1, mean: 1}),
};

export const perceiverIoArchitecture: ArchitectureDef = {
  id: 'perceiver-io',
  title: 'Perceiver IO (latent bottleneck with query-based decoder)',
  family: 'latent',
  citation: {
    text: 'Jaegle et al. 2022, "Perceiver IO: A General Architecture for Structured Inputs & Outputs" (ICLR)',
    url: 'https://arxiv.org/abs/2107.14795',
  },
  tradeoff:
    'Cost linear in inputs M and outputs O (O(M·N + L·N² + O·N)), paid for with a fixed latent bottleneck that must compress everything at the first read.',
  takesVariant: true,
  defaultSeq: model => model.perceiver?.inputs ?? model.contextLength ?? 2048,
  evaluate: (model, w, override) => evaluatePerceiver(model, w, override, true),
  leadingOps,
  // Input → latent (encode) → output query (decode): two attention steps between any input and any output.
  pathLength: () => ({max: 2, mean: 2}),
};
