/**
 * The feed-forward of a plan group (docs/layer-plans.md "Feed-forward"): the ONE place a layer's
 * FFN is built, whatever its kind, so that a new FFN form (mixture of experts) extends this
 * function and nothing else.
 */
import {InvalidInputError} from '../../errors.js';
import type {ModelPreset} from '../../schema/presets.js';
import {type FfnBlock, ffnBlock} from '../architectures/layer.js';
import type {PlanGroup} from '../plan.js';
import type {Workload} from '../workload.js';

const NO_FFN: FfnBlock = {components: [], params: 0, activationBytes: 0};

/** The FFN of one layer of group `g` over `tokens` rows per sequence: dense, none, or (later) MoE. */
export function groupFfn(model: ModelPreset, g: PlanGroup, tokens: number, w: Workload): FfnBlock {
  switch (g.mlp) {
    case 'dense':
      return ffnBlock(tokens, model.dModel, model.dFf ?? 4 * model.dModel, model.ffn, w, model.linearBias);
    case 'none':
      return NO_FFN;
    case 'moe':
      throw new InvalidInputError(
        `'${model.id}': layer group '${g.name}' has mlp 'moe', but mixture-of-experts feed-forwards are not costed yet`,
        {path: ['mlp'], hint: "Use mlp 'dense' (the model's d_ff) for an estimate of the active path."},
      );
  }
}
