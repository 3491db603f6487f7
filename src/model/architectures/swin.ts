/**
 * `swin`: the Swin Transformer, Liu et al. 2021, "Swin Transformer: Hierarchical Vision
 * Transformer using Shifted Windows" (ICCV 2021, arXiv:2103.14030), §3.1 and §3.3. Patch
 * embedding (p×p stride-p conv + LayerNorm) to an n-token grid, four stages of transformer
 * blocks whose attention is each stage's variant (the presets: `swin:window=7`), patch merging
 * between stages (LayerNorm on 4C then a linear 4C → 2C on n/4 tokens: the grid halves, the
 * width doubles), final LayerNorm, mean pool, linear classifier.
 *
 * Stage i runs on the grid halved i times (n, n/4, n/16, n/64 tokens for even grids); `--seq`
 * sets n, the first stage's token count (e.g. `image:1024x1024/4` = 65,536). `--variant`
 * replaces every stage's variant. Decode is refused: patch merging and window partitions need
 * the whole grid, so an image encoder has no one-token step. Derivation: docs/architectures.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import type {ResolvedVariant} from '../types.js';
import type {Workload} from '../workload.js';
import {gemm, normsBlock, part} from './layer.js';
import {
  cachedVariant,
  classifierHead,
  conv,
  halve,
  resolveStages,
  tokenGrid,
  unsupportedMode,
} from './shared.js';
import {transformerLayer} from './transformer.js';
import type {ArchitectureDef, LayerComponent, LayerGroup, ModelCost} from './types.js';
import {patchCount} from './vit.js';

export const swinArchitecture: ArchitectureDef = {
  id: 'swin',
  title: 'Swin Transformer (hierarchical, shifted windows)',
  family: 'sparse',
  citation: {
    text: 'Liu et al. 2021, "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows"',
    url: 'https://arxiv.org/abs/2103.14030',
  },
  tradeoff:
    'Attention stays inside M×M windows (linear in n); tokens beyond a window are reached only through shifted windows, patch merging and depth, and the input must be a 2-D grid.',
  takesVariant: true,
  defaultSeq: model => patchCount(model) || (model.contextLength ?? 3136),
  evaluate(model: ModelPreset, w: Workload, override: ResolvedVariant | undefined): ModelCost {
    if (w.mode === 'decode') {
      unsupportedMode(
        model,
        'decode',
        'patch merging and window partitions need the whole token grid, so an image encoder has no one-token step',
      );
    }
    const stages = resolveStages(model);
    const extras: LayerComponent[] = [];
    const groups: LayerGroup[] = [];
    let params = 0;
    const v = model.vision;
    const c1 = stages[0]!.dModel;
    if (v) {
      // Patch embedding: a p×p stride-p convolution, as a matrix product n × p²·C → C₁, + LayerNorm.
      const taps = v.patch * v.patch;
      extras.push(part(conv('patch-embedding', w.seq * taps, w.seq, v.channels, c1, taps, w), 'embedding'));
      const norm = normsBlock(w.seq, c1, 1, w);
      extras.push(norm.component);
      params += taps * v.channels * c1 + (model.linearBias ? c1 : 0) + norm.params;
    }
    let grid = tokenGrid(model, w.seq);
    let tokens = w.seq;
    stages.forEach((stage, i) => {
      if (i > 0) {
        // Patch merging (Swin §3.3): concatenate 2×2 neighbours (4C), LayerNorm, linear 4C → C_{i+1}.
        const prev = stages[i - 1]!.dModel;
        grid = halve(grid);
        tokens = grid.rows * grid.cols;
        const norm = normsBlock(tokens, 4 * prev, 1, w);
        extras.push(norm.component);
        extras.push(part(gemm('patch-merging', w.batch * tokens, 4 * prev, stage.dModel, w), 'projection'));
        params += norm.params + 4 * prev * stage.dModel;
      }
      const variant = override ?? cachedVariant(stage.variant);
      const spec = {
        dModel: stage.dModel,
        heads: stage.heads,
        kvHeads: stage.heads,
        headDim: stage.headDim,
        dFf: stage.dFf,
        ffn: model.ffn,
        bias: model.linearBias,
        norm: model.norm,
      };
      const group = transformerLayer(spec, tokens, w.causal, w, variant, stage.depth);
      groups.push({...group, label: `stage ${i + 1} · ${group.label}`});
    });
    const head = classifierHead(
      tokens,
      stages[stages.length - 1]!.dModel,
      v?.classes,
      w,
      true,
      model.linearBias,
    );
    extras.push(...head.extras);
    params += head.params;
    return {groups, extras, extraParams: params};
  },
  // The first stage's attention, where the tokens are most numerous (swin: n·M²·d).
  leadingOps(n, model) {
    const first = resolveStages(model)[0]!;
    const variant = cachedVariant(first.variant);
    return variant.def.leadingOps(n, first.dModel, variant.params);
  },
  pathLength(n, model) {
    // Each (shifted-)window layer moves information by at most one window along each axis, so
    // two tokens k = ⌈√n / M⌉ windows apart need about k layers (an estimate that ignores the
    // shortcut patch merging gives in later stages); mean over positions about (k + 1)/2.
    const params = cachedVariant(resolveStages(model)[0]!.variant).params;
    const side = Math.ceil(Math.sqrt(n));
    const window = typeof params.window === 'number' ? params.window : side;
    const k = Math.max(1, Math.ceil(side / window));
    return {max: k, mean: (k + 1) / 2};
  },
};
