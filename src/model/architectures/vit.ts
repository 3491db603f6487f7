/**
 * `vit`: the Vision Transformer, Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words"
 * (ICLR 2021, arXiv:2010.11929), §3.1. Patch embedding (a p×p stride-p convolution = a matrix
 * product tokens × p²·C → d), an optional class token, learned position embeddings, L
 * bidirectional transformer layers (the layer plan, the same accounting as `transformer`),
 * final LayerNorm and a linear classifier on the class token (or the mean of the tokens).
 *
 * The token count is the sequence length: `--seq` sets how many tokens the layers see (class
 * token included), e.g. `image:1024x1024/16` = 4,096; the default is the preset's patches + 1.
 * Decode (one new token against n cached tokens) is costed as the transformer does; ViT is an
 * encoder, so it is a what-if, not a mode the model runs in. Derivation: docs/architectures.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import {planLayerGroup} from '../layers/index.js';
import {planCostGroups} from '../plan.js';
import {component, type ResolvedVariant} from '../types.js';
import type {Workload} from '../workload.js';
import {gemm, part, queryWindow} from './layer.js';
import {classifierHead} from './shared.js';
import type {ArchitectureDef, LayerComponent, LayerGroup, ModelCost} from './types.js';

/** Patches of the preset's image: ⌊H/p⌋·⌊W/p⌋ (ViT §3.1). */
export function patchCount(model: ModelPreset): number {
  const v = model.vision;
  if (!v) return 0;
  return Math.floor(v.imageSize[0] / v.patch) * Math.floor(v.imageSize[1] / v.patch);
}

function classTokens(model: ModelPreset): number {
  return model.vision?.classToken ? 1 : 0;
}

export const vitArchitecture: ArchitectureDef = {
  id: 'vit',
  title: 'Vision Transformer (patch embedding + transformer encoder)',
  family: 'dense',
  citation: {
    text: 'Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"',
    url: 'https://arxiv.org/abs/2010.11929',
  },
  tradeoff:
    'Global attention between all patches in every layer (path length 1), paid for with n² work in the patch count: halving the patch side quadruples n and multiplies attention by 16.',
  takesVariant: true,
  defaultSeq: model =>
    model.vision ? patchCount(model) + classTokens(model) : (model.contextLength ?? 2048),
  evaluate(model: ModelPreset, w: Workload, override: ResolvedVariant | undefined): ModelCost {
    // Every per-layer quantity is a sum over the layer plan (docs/layer-plans.md).
    const plan = planCostGroups(model);
    const groups: LayerGroup[] = [];
    for (const g of plan) groups.push(planLayerGroup(model, g, w, override));
    const d = model.dModel;
    const tokens = queryWindow(w, w.seq).queries;
    const extras: LayerComponent[] = [];
    let params = 0;
    const v = model.vision;
    if (v) {
      const cls = classTokens(model);
      // Decode appends one patch; prefill/train embed every patch of the sequence.
      const patches = w.mode === 'decode' ? 1 : Math.max(0, w.seq - cls);
      const patchInputs = v.patch * v.patch * v.channels;
      extras.push(part(gemm('patch-embedding', w.batch * patches, patchInputs, d, w), 'embedding'));
      // Class token and learned position embeddings: one add per element of every token.
      const elements = w.batch * tokens * d;
      extras.push(
        part(
          component('position-embedding', 'elementwise', {
            vectorFlops: elements,
            readBytes: elements * w.bytes + tokens * d * w.weightBytes,
            writeBytes: elements * w.bytes,
          }),
          'embedding',
        ),
      );
      // Position embeddings are learned for the preset's token count (the trained resolution).
      params += patchInputs * d + (model.linearBias ? d : 0) + cls * d + (patchCount(model) + cls) * d;
      const head = classifierHead(tokens, d, v.classes, w, cls === 0, model.linearBias);
      extras.push(...head.extras);
      params += head.params;
    } else {
      const head = classifierHead(tokens, d, undefined, w, false);
      extras.push(...head.extras);
      params += head.params;
    }
    return {groups, extras, extraParams: params};
  },
  leadingOps: (n, model) => n * n * model.dModel,
  pathLength: () => ({max: 1, mean: 1}),
};
