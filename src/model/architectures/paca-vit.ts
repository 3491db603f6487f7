/**
 * `paca-vit`: PaCa-ViT, Grainger et al. 2023, "PaCa-ViT: Learning Patch-to-Cluster Attention in
 * Vision Transformers" (CVPR 2023, arXiv:2203.11987), as the reference code builds it
 * (iVMCL/PaCaViT, models/paca_vit.py and models/layers/downsample.py):
 * - stem (DownsampleV1, patch 4, kernel 3): conv 3×3 stride 2 (C_in → C₁/2), conv 3×3 stride 2
 *   (C₁/2 → C₁), LayerNorm → n = (H/4)·(W/4) tokens;
 * - four stages; each block = LayerNorm, attention, LayerNorm, MLP. The attention is the
 *   stage's variant: `paca` (queries from the n patches; keys and values from c cluster tokens,
 *   so the K/V projections run on c rows) or plain MHSA (`standard`, stage 4);
 * - clustering is stage-wise: only the first block of a stage computes the assignment (the
 *   paca variant's `assign`); later blocks reuse it but form their own cluster tokens and own a
 *   cluster LayerNorm. The clustering module's weights (conv: K²·C + C² + C·c; mlp: 4C·(C + c);
 *   linear: C·c) and
 *   that LayerNorm (2C) are counted here: a variant declares no weights;
 * - MLP: fc1 C → 4C, depthwise 3×3 conv with shortcut on the hidden layer, GELU, fc2;
 * - a LayerNorm after every stage; between stages conv 3×3 stride 2 (C_i → C_{i+1}) + LayerNorm;
 * - head: mean pool, Linear(C₄ → classes).
 * Decode is refused (convolutions need the whole grid). Derivation: docs/architectures.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import type {ResolvedVariant} from '../types.js';
import type {Workload} from '../workload.js';
import {attentionBlock, ffnBlock, normsBlock, part} from './layer.js';
import {
  cachedVariant,
  classifierHead,
  conv,
  depthwise,
  halve,
  type ResolvedStage,
  resolveStages,
  tokenGrid,
  unsupportedMode,
} from './shared.js';
import type {ArchitectureDef, LayerComponent, LayerGroup, ModelCost} from './types.js';
import {patchCount} from './vit.js';

/** Taps of the depthwise conv on the MLP hidden layer (DWConv, kernel 3). */
const MLP_DWCONV_TAPS = 9;
/** Kernel side of the stem and transition convolutions (DownsampleV1, kernel_size 3). */
const DOWNSAMPLE_TAPS = 9;

/**
 * Cluster count of a patch-to-cluster variant: its `clusters` parameter (the paca variant's
 * contract: keys and values are the c cluster tokens). Other variants attend over the tokens.
 */
function clustersOf(variant: ResolvedVariant): number | undefined {
  const c = variant.params.clusters;
  return typeof c === 'number' ? c : undefined;
}

// One derived variant per resolved variant: solvers evaluate the model millions of times.
const reusing = new WeakMap<ResolvedVariant, ResolvedVariant>();

/** The same variant with the stage's assignment reused (`assign: false`), when it has that switch. */
function reusingAssignment(variant: ResolvedVariant): ResolvedVariant {
  if (typeof variant.params.assign !== 'boolean') return variant;
  let later = reusing.get(variant);
  if (!later) {
    later = {
      ...variant,
      params: {...variant.params, assign: false},
      label: `${variant.label} (shared assignment)`,
    };
    reusing.set(variant, later);
  }
  return later;
}

/** Hidden width of the MLP clustering module as a multiple of C (P2CMlp: the block's mlp_ratio 4). */
const CLUSTER_MLP_RATIO = 4;

/** Weights of the clustering module a block computes its assignment with (biases not counted). */
function clusteringWeights(variant: ResolvedVariant, d: number, clusters: number): number {
  const p = variant.params;
  if (p.assign === false) return 0;
  if (p.clustering === 'conv') {
    const k = typeof p.kernel === 'number' ? p.kernel : 7;
    return k * k * d + d * d + d * clusters; // P2CConv2d: depthwise K×K, 1×1 C→C, 1×1 C→c
  }
  if (p.clustering === 'mlp') return CLUSTER_MLP_RATIO * d * (d + clusters); // P2CMlp: C→4C→c
  return d * clusters; // P2CLinear: one C→c
}

/** `repeat` identical PaCa blocks of one stage on `tokens` tokens. */
function pacaBlocks(
  stage: ResolvedStage,
  tokens: number,
  w: Workload,
  model: ModelPreset,
  variant: ResolvedVariant,
  repeat: number,
  label: string,
): LayerGroup {
  const d = stage.dModel;
  const clusters = clustersOf(variant);
  const attn = attentionBlock(
    {
      dModel: d,
      heads: stage.heads,
      kvHeads: stage.heads,
      headDim: stage.headDim,
      valueDim: stage.headDim,
      kvInputDim: d,
    },
    {queries: tokens, keys: tokens, queryOffset: 0, kvTokens: clusters ?? tokens, causal: w.causal},
    w,
    variant,
  );
  const ffn = ffnBlock(tokens, d, stage.dFf, model.ffn, w);
  const rows = w.batch * tokens;
  // DWConv with shortcut: 9 taps per hidden element plus the shortcut add.
  const dwconv = part(depthwise('ffn-dwconv', rows, stage.dFf, MLP_DWCONV_TAPS, w, 1), 'ffn');
  const norms = normsBlock(tokens, d, 2, w);
  const clusterParams = clusters === undefined ? 0 : 2 * d + clusteringWeights(variant, d, clusters);
  return {
    label,
    repeat,
    tokens,
    components: [...attn.components, ...ffn.components, dwconv, norms.component],
    params: attn.params + ffn.params + MLP_DWCONV_TAPS * stage.dFf + norms.params + clusterParams,
    // An image encoder keeps nothing between steps (decode is refused).
    cacheBytes: 0,
    // The conv sits between fc1 and the GELU: its output is one more s·d_ff per token to keep.
    activationBytes:
      attn.activationBytes + ffn.activationBytes + rows * stage.dFf * w.bytes + norms.activationBytes,
    inputBytes: rows * d * w.bytes,
    variant,
  };
}

export const pacaVitArchitecture: ArchitectureDef = {
  id: 'paca-vit',
  title: 'PaCa-ViT (hierarchical ViT with patch-to-cluster attention)',
  family: 'latent',
  citation: {
    text: 'Grainger et al. 2023, "PaCa-ViT: Learning Patch-to-Cluster Attention in Vision Transformers" (CVPR 2023)',
    url: 'https://arxiv.org/abs/2203.11987',
  },
  tradeoff:
    'Attention is linear in n (each patch attends to c cluster tokens), paid for with detail pooled into c learned clusters and convolutions that tie it to a 2-D image grid.',
  takesVariant: true,
  defaultSeq: model => patchCount(model) || 3136,
  evaluate(model: ModelPreset, w: Workload, override: ResolvedVariant | undefined): ModelCost {
    if (w.mode === 'decode') {
      unsupportedMode(
        model,
        'decode',
        'its convolutions and clustering need the whole token grid, so an image encoder has no one-token step',
      );
    }
    const stages = resolveStages(model);
    const extras: LayerComponent[] = [];
    const groups: LayerGroup[] = [];
    let params = 0;
    const v = model.vision;
    let grid = tokenGrid(model, w.seq);
    const c1 = stages[0]!.dModel;
    if (v) {
      // DownsampleV1 stem: patch 4 > kernel 3 → two stride-2 3×3 convs (C → C₁/2 → C₁);
      // a patch ≤ 3 is one 3×3 conv with that stride.
      const pixels = w.seq * v.patch * v.patch;
      if (v.patch > 3) {
        const mid = Math.floor(c1 / 2);
        const midPositions = w.seq * (v.patch / 2) * (v.patch / 2);
        extras.push(
          part(conv('stem-conv1', pixels, midPositions, v.channels, mid, DOWNSAMPLE_TAPS, w), 'embedding'),
        );
        extras.push(part(conv('stem-conv2', midPositions, w.seq, mid, c1, DOWNSAMPLE_TAPS, w), 'embedding'));
        params += DOWNSAMPLE_TAPS * (v.channels * mid + mid * c1);
      } else {
        extras.push(part(conv('stem-conv', pixels, w.seq, v.channels, c1, DOWNSAMPLE_TAPS, w), 'embedding'));
        params += DOWNSAMPLE_TAPS * v.channels * c1;
      }
      const norm = normsBlock(w.seq, c1, 1, w);
      extras.push(norm.component);
      params += norm.params;
    }
    let tokens = w.seq;
    stages.forEach((stage, i) => {
      if (i > 0) {
        const prev = stages[i - 1]!.dModel;
        const before = tokens;
        grid = halve(grid);
        tokens = grid.rows * grid.cols;
        // The previous stage's LayerNorm, then the transition conv 3×3 stride 2 + LayerNorm.
        const stageNorm = normsBlock(before, prev, 1, w);
        const convNorm = normsBlock(tokens, stage.dModel, 1, w);
        extras.push(stageNorm.component);
        extras.push(
          part(conv(`transition-${i}`, before, tokens, prev, stage.dModel, DOWNSAMPLE_TAPS, w), 'projection'),
        );
        extras.push(convNorm.component);
        params += stageNorm.params + DOWNSAMPLE_TAPS * prev * stage.dModel + convNorm.params;
      }
      const variant = override ?? cachedVariant(stage.variant);
      const later = reusingAssignment(variant);
      // One group for the first block (it computes the assignment), one for the blocks that reuse it.
      const split = later !== variant && stage.depth > 1;
      groups.push(
        pacaBlocks(
          stage,
          tokens,
          w,
          model,
          variant,
          split ? 1 : stage.depth,
          `stage ${i + 1} · ${variant.label}`,
        ),
      );
      if (split)
        groups.push(
          pacaBlocks(stage, tokens, w, model, later, stage.depth - 1, `stage ${i + 1} · ${later.label}`),
        );
    });
    // The last stage's LayerNorm, mean pool, Linear(C₄ → classes).
    const head = classifierHead(tokens, stages[stages.length - 1]!.dModel, v?.classes, w, true);
    extras.push(...head.extras);
    params += head.params;
    return {groups, extras, extraParams: params};
  },
  // The first stage's attention (paca: n·c·d, docs/design.md §5.1).
  leadingOps(n, model) {
    const first = resolveStages(model)[0]!;
    const variant = cachedVariant(first.variant);
    return variant.def.leadingOps(n, first.dModel, variant.params);
  },
  // Every patch reads every cluster and every cluster summarises every patch: one layer
  // connects any two patches (patch → cluster → patch inside one attention).
  pathLength: () => ({max: 1, mean: 1}),
};
