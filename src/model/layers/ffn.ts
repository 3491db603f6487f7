/**
 * The feed-forward of a plan group (docs/layer-plans.md "Feed-forward"): the ONE place a layer's
 * FFN is built, whatever its kind, so that a new FFN form (mixture of experts) extends this
 * function and nothing else.
 */
import {InvalidInputError} from '../../errors.js';
import type {ModelPreset} from '../../schema/presets.js';
import {type FfnBlock, ffnBlock} from '../architectures/layer.js';
import {moeBlock} from '../architectures/moe.js';
import type {PlanGroup} from '../plan.js';
import type {Workload} from '../workload.js';

const NO_FFN: FfnBlock = {components: [], params: 0, activationBytes: 0};

/** The FFN of one layer of group `g` over `tokens` rows per sequence: dense, none, or a mixture of experts. */
export function groupFfn(model: ModelPreset, g: PlanGroup, tokens: number, w: Workload): FfnBlock {
  switch (g.mlp) {
    case 'dense':
      return ffnBlock(tokens, model.dModel, model.dFf ?? 4 * model.dModel, model.ffn, w, model.linearBias);
    case 'none':
      return NO_FFN;
    case 'moe':
      if (!model.moe)
        throw new InvalidInputError(
          `'${model.id}': layer group '${g.name}' has mlp 'moe', but the model has no moe block (experts, active, expertDim)`,
          {path: ['moe'], hint: 'The moe block is described in docs/presets.md.'},
        );
      return moeBlock(tokens, model.dModel, model.moe, model.ffn, w, model.linearBias);
  }
}
