/**
 * An attention layer of a plan: pre-norm, attention (projections and the variant's core), and
 * the group's feed-forward — transformerLayer's accounting (src/model/architectures/transformer.ts),
 * with the group's head shape, its FFN (or none) and optional attention sinks.
 *
 * Sinks (gpt-oss; Xiao et al. 2024, "Efficient Streaming Language Models with Attention Sinks",
 * arXiv:2309.17453, in the learned-logit form of the gpt-oss model card, arXiv:2508.10925): each head has
 * one learned logit s_h that joins every softmax row's denominator, Σ_j exp(q·k_j) + exp(s_h), and
 * attends to no value. Cost: h parameters per layer; per row and head one exp and one add (2
 * vector FLOPs), fused into the attention kernel (no launch, no traffic beyond the h logits).
 * Derivation: docs/sinks.md.
 */
import type {ModelPreset} from '../../schema/presets.js';
import {attentionBiasOf, attentionBlock, normsBlock, part, queryWindow} from '../architectures/layer.js';
import {mlaBlock} from '../architectures/mla.js';
import type {LayerComponent, LayerGroup} from '../architectures/types.js';
import type {PlanGroup} from '../plan.js';
import {component, type ResolvedVariant} from '../types.js';
import type {Workload} from '../workload.js';
import {groupFfn} from './ffn.js';

/** Vector FLOPs per softmax row and head a sink adds: exp(s_h) and its add to the denominator. */
export const SINK_FLOPS_PER_ROW = 2;

export function attentionLayer(
  model: ModelPreset,
  g: PlanGroup,
  w: Workload,
  variant: ResolvedVariant,
  label: string,
): LayerGroup {
  const d = model.dModel;
  const window = queryWindow(w, w.seq);
  const shape = {
    queries: window.queries,
    keys: window.keys,
    queryOffset: window.queryOffset,
    causal: w.causal,
  };
  // Multi-head latent attention (docs/mla.md) replaces the Q/K/V/O projections when the model has it.
  const attn = model.mla
    ? mlaBlock(
        {dModel: d, heads: g.heads, mla: model.mla, norm: model.norm, bias: model.linearBias},
        shape,
        w,
        variant,
      )
    : attentionBlock(
        {
          dModel: d,
          heads: g.heads,
          kvHeads: g.kvHeads,
          headDim: g.headDim,
          valueDim: g.headDim,
          kvInputDim: d,
          bias: attentionBiasOf(model),
        },
        {
          queries: window.queries,
          keys: window.keys,
          queryOffset: window.queryOffset,
          kvTokens: window.queries,
          causal: w.causal,
        },
        w,
        variant,
      );
  const components: LayerComponent[] = [...attn.components];
  let params = attn.params;
  if (g.sinks) {
    components.push(
      part(
        component('attention-sinks', 'elementwise', {
          vectorFlops: SINK_FLOPS_PER_ROW * w.batch * g.heads * window.queries,
          readBytes: g.heads * w.weightBytes,
          launches: 0,
        }),
        'attention',
        variant.def.backwardFactor,
        true,
      ),
    );
    params += g.heads;
  }
  const ffn = groupFfn(model, g, window.queries, w);
  const norms = normsBlock(window.queries, d, g.mlp === 'none' ? 1 : 2, w, model.norm);
  return {
    label,
    repeat: g.repeat,
    tokens: window.queries,
    components: [...components, ...ffn.components, norms.component],
    params: params + ffn.params + norms.params,
    inactiveParams: ffn.inactiveParams,
    cacheBytes: attn.cacheBytes,
    activationBytes: attn.activationBytes + ffn.activationBytes + norms.activationBytes,
    inputBytes: w.batch * window.queries * d * w.bytes,
    variant,
  };
}
