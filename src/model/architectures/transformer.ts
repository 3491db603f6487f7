/**
 * The decoder/encoder transformer (docs/design.md §4.2): a schedule of layers (docs/design.md §4.2a), each
 * norms + attention (projections and a variant's core) + FFN, with token embeddings and an LM
 * head. Vaswani et al. 2017 (arXiv:1706.03762); layer accounting: docs/architectures.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import {planLayerGroup} from '../layers/index.js';
import {planCostGroups} from '../plan.js';
import type {ResolvedVariant} from '../types.js';
import type {Workload} from '../workload.js';
import {
  attentionBlock,
  ffnBlock,
  gemm,
  type NormKind,
  normsBlock,
  part,
  queryWindow,
  vocabularyEnds,
} from './layer.js';
import type {ArchitectureDef, LayerComponent, LayerGroup, ModelCost} from './types.js';

export interface TransformerLayerSpec {
  dModel: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  dFf: number;
  ffn: ModelPreset['ffn'];
  /** Linear layers carry biases (GPT-2, BERT, ViT). */
  bias: boolean;
  norm: NormKind;
}

/** One pre-norm transformer layer on `seq` tokens: the group every attention architecture reuses. */
export function transformerLayer(
  spec: TransformerLayerSpec,
  seq: number,
  causal: boolean,
  w: Workload,
  variant: ResolvedVariant,
  repeat: number,
): LayerGroup {
  const window = queryWindow(w, seq);
  const attn = attentionBlock(
    {
      dModel: spec.dModel,
      heads: spec.heads,
      kvHeads: spec.kvHeads,
      headDim: spec.headDim,
      valueDim: spec.headDim,
      kvInputDim: spec.dModel,
      bias: spec.bias,
    },
    {
      queries: window.queries,
      keys: window.keys,
      queryOffset: window.queryOffset,
      kvTokens: window.queries,
      causal,
    },
    w,
    variant,
  );
  const ffn = ffnBlock(window.queries, spec.dModel, spec.dFf, spec.ffn, w, spec.bias);
  const norms = normsBlock(window.queries, spec.dModel, 2, w, spec.norm);
  return {
    label: variant.label,
    repeat,
    tokens: window.queries,
    components: [...attn.components, ...ffn.components, norms.component],
    params: attn.params + ffn.params + norms.params,
    cacheBytes: attn.cacheBytes,
    activationBytes: attn.activationBytes + ffn.activationBytes + norms.activationBytes,
    inputBytes: w.batch * window.queries * spec.dModel * w.bytes,
    variant,
  };
}

/** The layer dimensions a preset states (head_dim read, never derived, when stated). */
export function layerSpec(
  model: ModelPreset,
  entry?: {heads?: number; kvHeads?: number; headDim?: number},
): TransformerLayerSpec {
  const heads = entry?.heads ?? model.heads ?? 1;
  return {
    dModel: model.dModel,
    heads,
    kvHeads: entry?.kvHeads ?? model.kvHeads ?? heads,
    headDim: entry?.headDim ?? model.headDim ?? Math.floor(model.dModel / heads),
    dFf: model.dFf ?? 4 * model.dModel,
    ffn: model.ffn,
    bias: model.linearBias,
    norm: model.norm,
  };
}

/**
 * Token embedding lookup (no MACs; reads a row per token and table), the final norm, the LM head
 * (rows: lmHeadRows) and, for BERT, the pooler: Linear(d → d) over the first token of each sequence.
 */
export function embeddingAndHead(
  model: ModelPreset,
  tokens: number,
  w: Workload,
): {extras: LayerComponent[]; params: number} {
  // Decoder LMs carry a head; encoders (BERT) only the embedding.
  const {extras, params: vocabParams} = vocabularyEnds(model, tokens, w, model.causal);
  let params = vocabParams;
  const finalNorm = normsBlock(tokens, model.dModel, 1, w, model.norm);
  extras.push(finalNorm.component);
  params += finalNorm.params;
  if (model.pooler) {
    const d = model.dModel;
    extras.push(part(gemm('pooler', w.batch, d, d, w, {vectorFlops: w.batch * d}), 'head'));
    params += d * d + (model.linearBias ? d : 0);
  }
  return {extras, params};
}

export const transformerArchitecture: ArchitectureDef = {
  id: 'transformer',
  title: 'Transformer (decoder or encoder stack)',
  family: 'dense',
  citation: {
    text: 'Vaswani et al. 2017, "Attention Is All You Need"',
    url: 'https://arxiv.org/abs/1706.03762',
  },
  tradeoff:
    'Every token reaches every other in one step (path length 1), paid for with attention work that grows as n² per layer.',
  takesVariant: true,
  defaultSeq: model => model.contextLength ?? 2048,
  evaluate(model: ModelPreset, w: Workload, override: ResolvedVariant | undefined): ModelCost {
    // Every per-layer quantity is a sum over the layer plan (docs/layer-plans.md).
    const plan = planCostGroups(model);
    const groups: LayerGroup[] = [];
    for (const g of plan) groups.push(planLayerGroup(model, g, w, override));
    const tokens = groups[0]?.tokens ?? w.seq;
    const {extras, params} = embeddingAndHead(model, tokens, w);
    return {groups, extras, extraParams: params};
  },
  leadingOps: (n, model) => n * n * model.dModel,
  pathLength: () => ({max: 1, mean: 1}),
};
