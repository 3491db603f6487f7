/**
 * The mixture-of-experts FFN (Shazeer et al. 2017, arXiv:1701.06538; Fedus et al. 2021 "Switch
 * Transformers", arXiv:2101.03961; DeepSeek-V3, arXiv:2412.19437 §2.1.2): a router scores the E
 * routed experts of each token, the token runs through the k it picks and through every shared
 * expert, and the outputs are summed with the router's weights. Formulas and the "active
 * parameters" convention: docs/architectures.md "Mixture of experts".
 */
import type {MoeSpec} from '../../schema/presets.js';
import {component} from '../types.js';
import type {Workload} from '../workload.js';
import {
  ACTIVATION_FLOPS_PER_ELEMENT,
  type FfnBlock,
  type FfnKind,
  ffnBlock,
  gemm,
  isGated,
  part,
} from './layer.js';
import type {LayerComponent} from './types.js';

/**
 * Vector FLOPs per router logit of the scoring function (documented assumption): softmax uses the
 * accounting's softmaxOps (detailed: max, subtract, exp, sum, divide); a sigmoid 4 (negate, exp,
 * add 1, divide). A router bias adds 1, the top-k selection 1 (a compare per logit).
 */
const SIGMOID_OPS = 4;

/**
 * Expected number of distinct experts `tokens` token-slots touch when each picks `active` of
 * `experts` uniformly: E·(1 − (1 − k/E)^T). One token leaves a given expert out with probability
 * 1 − k/E; tokens are assumed independent (docs/architectures.md "Experts a batch touches").
 * expm1/log1p keep it exact for small k/E and huge T.
 */
export function expectedDistinctExperts(experts: number, active: number, tokens: number): number {
  if (active >= experts) return experts;
  return -experts * Math.expm1(tokens * Math.log1p(-active / experts));
}

export interface MoeBlock extends FfnBlock {
  /** The routed experts a token does not select: (E − k)·(one expert's weights). */
  inactiveParams: number;
}

/**
 * One MoE FFN over `tokens` rows of width d (per sequence; the whole batch is w.batch·tokens
 * rows). Components: the router (a d × E GEMM plus its scoring), the routed experts (k per token;
 * weights read for the experts the batch touches) and, when the model has them, the shared
 * experts (a dense FFN of width shared·sharedDim, as DeepSeek runs them).
 */
export function moeBlock(
  tokens: number,
  d: number,
  moe: MoeSpec,
  ffn: FfnKind,
  w: Workload,
  bias = false,
): MoeBlock {
  const rows = w.batch * tokens;
  const {experts, active, expertDim} = moe;
  const gated = isGated(ffn);
  const upWidth = (gated ? 2 : 1) * expertDim;
  const s = w.bytes;
  const scoreOps =
    (moe.router === 'softmax' ? w.accounting.softmaxOps : SIGMOID_OPS) + (moe.routerBias ? 1 : 0) + 1;
  const router = gemm('router', rows, d, experts, w, {vectorFlops: rows * experts * scoreOps});

  // Each (token, expert) assignment is a row of the expert's GEMMs; weights of the experts the
  // batch touches are read once each (grouped GEMM, as vLLM's fused_moe and Megablocks run it).
  const assigned = rows * active;
  const touched = expectedDistinctExperts(experts, active, rows);
  const routed = component('experts', 'gemm', {
    macs: assigned * (d * upWidth + expertDim * d),
    // The activation per hidden element, then the combine: scale each expert's output by its
    // router weight and add it to the token's sum (2 per element).
    vectorFlops: assigned * (expertDim * ACTIVATION_FLOPS_PER_ELEMENT[ffn] + 2 * d),
    readBytes:
      assigned * d * s +
      touched * d * upWidth * w.weightBytes +
      assigned * expertDim * s +
      touched * expertDim * d * w.weightBytes +
      assigned * d * s,
    writeBytes: assigned * upWidth * s + assigned * d * s + rows * d * s,
    transientBytes: assigned * (expertDim * (gated ? 3 : 2) + d) * s,
    // Up (gate and up) GEMM, down GEMM, combine.
    launches: 3,
  });
  const components: LayerComponent[] = [part(router, 'ffn'), part(routed, 'ffn')];

  const expertParams = (gated ? 3 : 2) * d * expertDim + (bias ? upWidth + d : 0);
  const routerParams = experts * d + (moe.routerBias ? experts : 0);
  let params = routerParams + experts * expertParams;
  // Korthikanti §4.1 MLP terms per assignment (gathered input, first products, activation) plus
  // the expert outputs the combine needs, and the router logits per token.
  let activationBytes = rows * experts * s + assigned * s * (d + (gated ? 3 : 2) * expertDim + d);
  if (moe.shared > 0) {
    const shared = ffnBlock(tokens, d, moe.shared * (moe.sharedDim ?? expertDim), ffn, w, bias);
    const cost = shared.components[0]!.cost;
    components.push(part({...cost, name: 'shared-experts'}, 'ffn'));
    params += shared.params;
    activationBytes += shared.activationBytes;
    // One fused FFN counts one down-projection bias; each shared expert has its own.
    if (bias) params += (moe.shared - 1) * d;
  } else {
    // The block input and its dropout mask (kept by the dense FFN's own terms otherwise).
    activationBytes += rows * (s * d + d);
  }
  return {components, params, inactiveParams: (experts - active) * expertParams, activationBytes};
}
