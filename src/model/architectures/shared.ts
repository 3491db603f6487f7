/**
 * Helpers the non-transformer architectures share: variant resolution with a cache,
 * convolutions costed as matrix products, the image-classifier head, the 2-D token grid of
 * hierarchical vision models, and the refusal of modes an architecture does not define.
 * Formulas: docs/architectures.md.
 */
import {InvalidInputError} from '../../errors.js';
import type {ModelPreset} from '../../schema/presets.js';
import type {ComponentCost, ResolvedVariant} from '../types.js';
import {component} from '../types.js';
import {resolveVariant} from '../variants/index.js';
import type {Workload} from '../workload.js';
import {gemm, normsBlock, part} from './layer.js';
import type {LayerComponent} from './types.js';

// Resolving a variant spec validates it with zod; cache per spec string so that solvers that
// evaluate a model millions of times resolve it once.
const resolved = new Map<string, ResolvedVariant>();

export function cachedVariant(spec: string): ResolvedVariant {
  let hit = resolved.get(spec);
  if (!hit) {
    hit = resolveVariant(spec, 'variant');
    resolved.set(spec, hit);
  }
  return hit;
}

/**
 * A convolution run as an implicit GEMM: `outPositions` output pixels, each a dot product over
 * `taps`·`inChannels` inputs per output channel (the convention of fvcore/ptflops and of the
 * papers' "FLOPs" = multiply-adds). Reads the input feature map once, writes the output.
 */
export function conv(
  name: string,
  inPositions: number,
  outPositions: number,
  inChannels: number,
  outChannels: number,
  taps: number,
  w: Workload,
): ComponentCost {
  const b = w.batch;
  return component(name, 'gemm', {
    macs: b * outPositions * taps * inChannels * outChannels,
    readBytes: b * inPositions * inChannels * w.bytes + taps * inChannels * outChannels * w.weightBytes,
    writeBytes: b * outPositions * outChannels * w.bytes,
    // The output map is alive while it is made (the convention of gemm in layer.ts).
    transientBytes: b * outPositions * outChannels * w.bytes,
  });
}

/**
 * A depthwise convolution (one filter of `taps` per channel): `rows` positions (whole batch) ×
 * `channels` × `taps` MACs. Counted as MACs, like the papers count them, but run as an
 * elementwise kernel: with one multiply-add per loaded element it is bound by memory, not by
 * the matrix units.
 */
export function depthwise(
  name: string,
  rows: number,
  channels: number,
  taps: number,
  w: Workload,
  vectorFlopsPerElement = 0,
): ComponentCost {
  const elements = rows * channels;
  return component(name, 'elementwise', {
    macs: elements * taps,
    vectorFlops: elements * vectorFlopsPerElement,
    readBytes: elements * w.bytes + channels * taps * w.weightBytes,
    writeBytes: elements * w.bytes,
    transientBytes: elements * w.bytes,
  });
}

/**
 * Image-classifier head: final LayerNorm over the last `tokens` of width d, then one row per
 * sequence (class token or mean pool) through Linear(d → classes), with a bias when `bias`.
 * Returns nothing but the norm when the model states no classes.
 */
export function classifierHead(
  tokens: number,
  d: number,
  classes: number | undefined,
  w: Workload,
  pool: boolean,
  bias = false,
): {extras: LayerComponent[]; params: number} {
  const norm = normsBlock(tokens, d, 1, w);
  const extras: LayerComponent[] = [norm.component];
  let params = norm.params;
  if (pool) {
    const elements = w.batch * tokens * d;
    extras.push(
      part(
        component('mean-pool', 'elementwise', {
          vectorFlops: elements,
          readBytes: elements * w.bytes,
          writeBytes: w.batch * d * w.bytes,
        }),
        'head',
      ),
    );
  }
  if (classes) {
    extras.push(part(gemm('classifier', w.batch, d, classes, w), 'head'));
    params += d * classes + (bias ? classes : 0);
  }
  return {extras, params};
}

/** Rows × columns of tokens. */
export interface Grid {
  rows: number;
  cols: number;
}

/**
 * The token grid `tokens` lie on: the image's patch grid when the count matches it, else the
 * squarest grid that holds them (⌈√n⌉ wide), as the window variants assume.
 */
export function tokenGrid(model: ModelPreset, tokens: number): Grid {
  const v = model.vision;
  if (v) {
    const rows = Math.floor(v.imageSize[0] / v.patch);
    const cols = Math.floor(v.imageSize[1] / v.patch);
    if (rows * cols === tokens) return {rows, cols};
  }
  let cols = Math.max(1, Math.floor(Math.sqrt(tokens)));
  while (cols * cols < tokens) cols++;
  return {rows: Math.max(1, Math.ceil(tokens / cols)), cols};
}

/** The grid after a stride-2 downsampling (patch merging pads odd sides, as Swin does). */
export function halve(grid: Grid): Grid {
  return {rows: Math.ceil(grid.rows / 2), cols: Math.ceil(grid.cols / 2)};
}

/**
 * Refuses a mode the architecture does not define (exit 2), naming the model, the reason and
 * the modes that work.
 */
export function unsupportedMode(model: ModelPreset, mode: string, why: string): never {
  throw new InvalidInputError(
    `--mode ${mode} is not defined for '${model.id}' (${model.architecture}): ${why}`,
    {
      path: ['mode'],
      hint: 'Use --mode prefill (one forward pass) or --mode train.',
    },
  );
}

/** One stage of a hierarchical vision model, resolved against the model's overrides. */
export interface ResolvedStage {
  depth: number;
  dModel: number;
  heads: number;
  headDim: number;
  dFf: number;
  /** Variant spec of the stage's attention layers. */
  variant: string;
}

/** Swin's depth pattern 2/2/6/2 as a share of the layers: stage 3 holds what the others do not. */
function derivedDepths(layers: number): number[] {
  if (layers < 4) return Array.from({length: layers}, () => 1);
  const a = Math.max(1, Math.floor(layers / 6));
  return [a, a, layers - 3 * a, a];
}

/**
 * The stages of a hierarchical model (Swin, PaCa-ViT). With `stages` in the preset, they are
 * taken as stated, except that overrides of the top-level fields rescale them the way the model
 * families scale (Swin-T → Swin-B): `--d-model` multiplies every stage width by d / d₁ (d₁ the
 * first stage's width), `--heads` every head count by h / h₁, and `--layers` adds (or removes)
 * blocks in the deepest stage (Swin-T 2/2/6/2 → Swin-S 2/2/18/2). Without `stages`, four stages
 * are derived: widths d·2^i, heads h·2^i, depths in Swin's 1:1:3:1 pattern.
 * The FFN width is each stage's width times the model's d_ff / d ratio (4 unless stated).
 */
export function resolveStages(model: ModelPreset): ResolvedStage[] {
  const ratio = model.dFf ? model.dFf / model.dModel : 4;
  const stages = model.stages;
  if (!stages || stages.length === 0) {
    const heads = model.heads ?? Math.max(1, Math.round(model.dModel / 32));
    return derivedDepths(model.layers).map((depth, i) => {
      const dModel = model.dModel * 2 ** i;
      const h = heads * 2 ** i;
      return {
        depth,
        dModel,
        heads: h,
        headDim: Math.floor(dModel / h),
        dFf: Math.round(ratio * dModel),
        variant: model.variant,
      };
    });
  }
  const first = stages[0]!;
  const widthScale = model.dModel / first.dModel;
  const headScale = model.heads ? model.heads / first.heads : 1;
  const reshaped = widthScale !== 1 || headScale !== 1;
  const resolved = stages.map(s => {
    const dModel = Math.max(1, Math.round(s.dModel * widthScale));
    const heads = Math.max(1, Math.round(s.heads * headScale));
    // A stated head dim is read, never derived — unless the user reshaped widths or heads.
    const headDim = !reshaped && s.headDim ? s.headDim : Math.max(1, Math.floor(dModel / heads));
    return {
      depth: s.depth,
      dModel,
      heads,
      headDim,
      dFf: Math.round(ratio * dModel),
      variant: s.variant ?? model.variant,
    };
  });
  let delta = model.layers - resolved.reduce((sum, s) => sum + s.depth, 0);
  while (delta !== 0) {
    let deepest = resolved[0]!;
    for (const s of resolved) if (s.depth > deepest.depth) deepest = s;
    if (delta > 0) {
      deepest.depth += delta;
      delta = 0;
    } else {
      const cut = Math.min(deepest.depth - 1, -delta);
      if (cut === 0) break; // every stage is down to one block
      deepest.depth -= cut;
      delta += cut;
    }
  }
  return resolved;
}
