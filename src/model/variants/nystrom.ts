/**
 * `nystrom`: Nyströmformer, Xiong et al. 2021, "Nyströmformer: A Nyström-Based Algorithm for
 * Approximating Self-Attention" (AAAI 2021, arXiv:2102.03902), as its reference code
 * (mlpen/Nystromformer, attention_nystrom.py) computes it.
 *
 * ℓ landmarks Q̃, K̃ = segment means of Q and K; three softmax kernels F = softmax(QK̃ᵀ) (n×ℓ),
 * A = softmax(Q̃K̃ᵀ) (ℓ×ℓ), B = softmax(Q̃Kᵀ) (ℓ×m); output F·A⁺·(B·V). Per head and sequence:
 * - landmarks: segment sums and means, (n + m)·d_h + 2·ℓ·d_h vector FLOPs.
 * - scores: (n·ℓ + ℓ² + ℓ·m)·d_h MACs (docs/design.md §4.1 pairs 2·n·ℓ + ℓ² at m = n); softmax over them.
 * - pinv: A⁺ by `pinv_iters` steps of Z ← ¼·Z·(13I − AZ(15I − AZ(7I − AZ))), the paper's
 *   iterative Moore–Penrose approximation (after Razavi et al. 2014): 4 ℓ×ℓ products = 4·ℓ³
 *   MACs per iteration (AZ once, reused), plus 4·ℓ² vector FLOPs (three cI − X, one ¼·Z).
 * - weighted-sum: F·A⁺ (n·ℓ²), B·V (ℓ·m·d_v), (F·A⁺)(B·V) (n·ℓ·d_v) MACs.
 * - conv (param `conv` > 0): the reference code's depthwise convolution of V along the sequence,
 *   added to the output: n·d_v·conv MACs per head.
 * With fewer tokens than landmarks each token is its own landmark: ℓ_eff = min(ℓ, n_q, m).
 * Causal: not defined (segment means mix future tokens); costed bidirectionally. Decode: landmarks
 * of all m queries and keys are recomputed each step, so queries are cached too.
 * Derivation: docs/variants/nystrom.md.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {ComponentCost, VariantDef} from '../types.js';
import {component} from '../types.js';

export const nystromParams = once(() =>
  z.strictObject({
    landmarks: z
      .number()
      .int()
      .positive()
      .default(64)
      .meta({headline: true})
      .describe('landmarks ℓ (segment means of Q and K)'),
    pinv_iters: z
      .number()
      .int()
      .nonnegative()
      .default(6)
      .describe('iterations of the Moore–Penrose pseudo-inverse approximation'),
    conv: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('depthwise convolution on V, kernel length (0 = none; the reference configs use 33 or 35)'),
  }),
);
export type NystromParams = z.infer<ReturnType<typeof nystromParams>>;

export const nystromVariant: VariantDef<NystromParams> = {
  id: 'nystrom',
  title: 'Nyströmformer (landmark approximation)',
  family: 'low-rank',
  exact: false,
  timeComplexity: 'O(n·ℓ·d + ℓ³)',
  memoryComplexity: 'O(n·ℓ + ℓ²)',
  params: nystromParams,
  causalReducesWork: false,
  // Xiong et al. 2021 §3: landmarks are means over segments of all n tokens.
  supportsCausal: false,
  citation: {
    text: 'Xiong et al. 2021, Nyströmformer: A Nyström-Based Algorithm for Approximating Self-Attention (AAAI 2021)',
    url: 'https://arxiv.org/abs/2102.03902',
  },
  tradeoff:
    'a rank-ℓ approximation through segment means: fine detail between distant tokens is blurred, it is not causal, and the iterative pseudo-inverse adds many small kernels',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * params.landmarks * d,
  cost(input, params) {
    const {
      batch: b,
      heads: h,
      kvHeads: hkv,
      headDim: dh,
      valueDim: dv,
      queries: n,
      keys: m,
      bytes: s,
    } = input;
    const training = input.training;
    // Query landmarks are means over every query of the sequence so far (decode: all m).
    const nq = input.queryOffset + n;
    const l = Math.max(1, Math.min(params.landmarks, nq, m));
    const it = params.pinv_iters;
    const bh = b * h;
    const kernelScores = bh * (n * l + l * l + l * m);
    const kernelBytes = kernelScores * s;
    const landmarkBytes = b * (h + hkv) * l * dh * s;
    const qkElements = b * (h * nq + hkv * m) * dh;
    const l2 = bh * l * l;
    const passes: ComponentCost[] = [
      component('landmarks', 'elementwise', {
        vectorFlops: qkElements + b * (h + hkv) * l * dh,
        readBytes: qkElements * s,
        writeBytes: landmarkBytes,
        savedBytes: training ? landmarkBytes : 0,
        transientBytes: landmarkBytes,
        launches: 2,
      }),
      component('scores', 'attention-materialized', {
        macs: kernelScores * dh,
        // QK̃ᵀ reads Q and K̃, Q̃K̃ᵀ reads both landmark sets, Q̃Kᵀ reads Q̃ and K.
        readBytes: b * (h * n + hkv * m) * dh * s + 2 * landmarkBytes,
        writeBytes: kernelBytes,
        transientBytes: kernelBytes + landmarkBytes,
        pairs: kernelScores,
        launches: 3,
      }),
      component('softmax', 'attention-materialized', {
        vectorFlops: input.accounting.softmaxOps * kernelScores,
        readBytes: kernelBytes,
        writeBytes: kernelBytes,
        savedBytes: training ? kernelBytes : 0,
        transientBytes: 2 * kernelBytes,
        launches: 3,
      }),
      component('pinv', 'gemm', {
        macs: 4 * it * l2 * l,
        // Start Z₀ = Aᵀ / max column sum (sum, scale); then per iteration three cI − X and ¼·Z.
        vectorFlops: (2 + 4 * it) * l2,
        // Per iteration: 4 products read 2 and write 1 matrix each, 4 elementwise passes 1 and 1.
        readBytes: (2 + 12 * it) * l2 * s,
        writeBytes: (1 + 8 * it) * l2 * s,
        // Autograd keeps Z_j, AZ, 7I − AZ, 15I − X₁, ¼Z_j and 13I − X₂ per iteration.
        savedBytes: training ? 6 * it * l2 * s : 0,
        transientBytes: kernelBytes + 4 * l2 * s,
        // Start: sum, max, reciprocal, scale; per iteration 4 products, 3 scaled identities,
        // 3 subtractions and the ¼ scale.
        launches: 4 + 11 * it,
      }),
      component('weighted-sum', 'attention-materialized', {
        macs: bh * (n * l * l + l * m * dv + n * l * dv),
        readBytes: bh * (2 * n * l + l * l + l * m + l * dv) * s + b * hkv * m * dv * s,
        writeBytes: bh * (n * l + l * dv + n * dv) * s,
        // F·A⁺ and B·V are new; A⁺ (the last Z) is kept by the product that reads it.
        savedBytes: training ? bh * (n * l + l * l + l * dv) * s : 0,
        transientBytes: kernelBytes + bh * (n * l + l * dv) * s,
        launches: 3,
      }),
    ];
    if (params.conv > 0) {
      // V rows the centred kernel reaches for the n output rows (all m in prefill).
      const vRows = Math.min(m, n + params.conv - 1);
      const out = bh * n * dv * s;
      passes.push(
        component('conv', 'elementwise', {
          macs: bh * n * dv * params.conv,
          vectorFlops: bh * n * dv,
          readBytes: b * hkv * vRows * dv * s + 2 * out,
          writeBytes: 2 * out,
          transientBytes: out,
          launches: 2,
        }),
      );
    }
    return passes;
  },
  // Decode recomputes the landmarks from every query and key: Q, K and V of m positions are kept.
  cacheBytes: input =>
    input.batch *
    input.keys *
    (input.heads * input.headDim + input.kvHeads * (input.headDim + input.valueDim)) *
    input.kvBytes,
};
