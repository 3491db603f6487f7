/**
 * `paca`: patch-to-cluster attention, Grainger et al. 2023, "PaCa-ViT: Learning Patch-to-Cluster
 * Attention in Vision Transformers" (CVPR 2023, arXiv:2203.11987), as the reference code
 * (iVMCL/PaCaViT, models/paca_vit.py) computes it.
 *
 * Queries come from the n patch tokens; keys and values from c cluster tokens Z = Aᵀ·X, where the
 * assignment A (m × c) is a softmax over tokens of per-token cluster logits. Whole batch, one
 * layer, input width d = dModel, m_new = m − queryOffset token rows clustered by this call:
 * - cluster-assign: logits X·W_c, b·m_new·d·c MACs (`clustering: 'linear'`, the reference code's
 *   P2CLinear and the docs/design.md §4.1 form n·d·c; the paper itself trains the two modules below).
 *   `clustering: 'conv'` costs PaCa-ViT's default module (P2CConv2d): depthwise K×K conv → GELU →
 *   1×1 conv d→d → GELU → 1×1 conv d→c, b·m_new·d·(K² + d + c) MACs, the depthwise part as its
 *   own 'cluster-dwconv' component. `clustering: 'mlp'` (P2CMlp): Linear d→4d → GELU →
 *   Linear 4d→c, b·m_new·4d·(d + c) MACs.
 * - cluster-softmax: the softmax over tokens, softmaxOps per logit.
 * - cluster-tokens: Z = Aᵀ·X, b·c·m_new·d MACs, then the LayerNorm on the c cluster tokens.
 * - scores, softmax, weighted-sum: the materialised passes over n·c pairs per head (the reference
 *   code runs PyTorch's multi_head_attention_forward unless d_h is a multiple of 32).
 * Stage-wise clustering: only the first block of a PaCa-ViT stage computes A (`assign: true`);
 * later blocks reuse it (`assign: false`) and still form their own Z. The K/V projections of
 * the c cluster tokens belong to the layer. Causal: not defined (each cluster mixes every token);
 * costed bidirectionally. Decode (attncap's extension; the paper defines none): the new tokens'
 * logits and an online-softmax update of the cluster sums; the cache is those running sums.
 * Derivation: docs/variants/paca.md.
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {ComponentCost, VariantDef} from '../types.js';
import {component} from '../types.js';
import {materializedPasses} from './standard.js';

export const pacaParams = once(() =>
  z.strictObject({
    clusters: z
      .number()
      .int()
      .positive()
      .default(64)
      .meta({headline: true})
      .describe('clusters c (key/value tokens)'),
    clustering: z
      .enum(['linear', 'conv', 'mlp'])
      .default('linear')
      .describe(
        "assignment module, 'linear', 'conv' or 'mlp' (linear: one d→c projection; conv: PaCa-ViT's dwconv → 1×1 → 1×1; mlp: d→4d→c)",
      ),
    kernel: z
      .number()
      .int()
      .positive()
      .default(7)
      .describe("depthwise kernel side K of the 'conv' clustering module"),
    assign: z
      .boolean()
      .default(true)
      .describe(
        'compute the assignment in this layer (false: reuse the stage’s, as later PaCa-ViT blocks do)',
      ),
  }),
);
export type PacaParams = z.infer<ReturnType<typeof pacaParams>>;

/** GELU per element, tanh approximation (same convention as architectures/layer.ts). */
const GELU_OPS = 8;
/** Hidden width of the 'mlp' clustering module, as a multiple of d (the block's mlp_ratio, 4). */
const MLP_RATIO = 4;
/** LayerNorm per element: mean, centre, square-sum, scale, affine (as architectures/layer.ts). */
const NORM_OPS = 5;

export const pacaVariant: VariantDef<PacaParams> = {
  id: 'paca',
  title: 'PaCa patch-to-cluster attention',
  family: 'latent',
  exact: false,
  timeComplexity: 'O(n·c·d)',
  memoryComplexity: 'O(n·c)',
  params: pacaParams,
  causalReducesWork: false,
  // Grainger et al. 2023: clusters pool every patch token.
  supportsCausal: false,
  citation: {
    text: 'Grainger et al. 2023, PaCa-ViT: Learning Patch-to-Cluster Attention in Vision Transformers (CVPR 2023)',
    url: 'https://arxiv.org/abs/2203.11987',
  },
  tradeoff:
    'every token sees only c learned cluster summaries: detail below the cluster scale is pooled away, and clustering over all tokens is not causal',
  backwardFactor: 2,
  leadingOps: (n, d, params) => n * params.clusters * d,
  cost(input, params) {
    const {batch: b, dModel: d, keys: m, bytes: s, training} = input;
    const c = params.clusters;
    // Token rows clustered by this call; in decode earlier tokens live in the running sums.
    const mNew = Math.max(0, m - input.queryOffset);
    const rows = b * mNew;
    const x = rows * d * s;
    const logits = rows * c * s;
    const passes: ComponentCost[] = [];
    if (params.assign) {
      if (params.clustering === 'conv') {
        const k2 = params.kernel * params.kernel;
        passes.push(
          component('cluster-dwconv', 'elementwise', {
            macs: rows * d * k2,
            // Bias add and GELU per element; the conv and the GELU each read and write X's size.
            vectorFlops: rows * d * (1 + GELU_OPS),
            readBytes: 2 * x + d * (k2 + 1) * s,
            writeBytes: 2 * x,
            // The conv output and its GELU, kept for backward.
            savedBytes: training ? 2 * x : 0,
            transientBytes: 2 * x,
            launches: 2,
          }),
          component('cluster-assign', 'gemm', {
            macs: rows * d * (d + c),
            vectorFlops: rows * d * (1 + GELU_OPS),
            // 1×1 conv, GELU, 1×1 conv: three reads of X's size, two writes and the logits.
            readBytes: 3 * x + (d * d + d + d * c) * s,
            writeBytes: 2 * x + logits,
            savedBytes: training ? 2 * x : 0,
            transientBytes: 2 * x + logits,
            launches: 3,
          }),
        );
      } else if (params.clustering === 'mlp') {
        const hidden = rows * MLP_RATIO * d * s;
        passes.push(
          component('cluster-assign', 'gemm', {
            macs: rows * MLP_RATIO * d * (d + c),
            // Bias and GELU on the hidden layer, bias on the logits.
            vectorFlops: rows * (MLP_RATIO * d * (1 + GELU_OPS) + c),
            readBytes: x + 2 * hidden + (MLP_RATIO * d * (d + 1 + c) + c) * s,
            writeBytes: 2 * hidden + logits,
            // The hidden layer before and after its GELU.
            savedBytes: training ? 2 * hidden : 0,
            transientBytes: 2 * hidden + logits,
            launches: 3,
          }),
        );
      } else {
        passes.push(
          component('cluster-assign', 'gemm', {
            macs: rows * d * c,
            readBytes: x + d * c * s,
            writeBytes: logits,
            transientBytes: logits,
          }),
        );
      }
      passes.push(
        component('cluster-softmax', 'elementwise', {
          vectorFlops: input.accounting.softmaxOps * rows * c,
          readBytes: logits,
          writeBytes: logits,
          savedBytes: training ? logits : 0,
          transientBytes: 2 * logits,
        }),
      );
    }
    const zBytes = b * c * d * s;
    // Decode reads the running sums (c·(d + 2) per sequence: numerators, denominator, max).
    const running = mNew < m ? b * c * (d + 2) * s : 0;
    passes.push(
      component('cluster-tokens', 'gemm', {
        macs: rows * c * d,
        vectorFlops: NORM_OPS * b * c * d,
        // Aᵀ·X reads A and X; the LayerNorm reads Z.
        readBytes: logits + x + running + zBytes,
        writeBytes: 2 * zBytes,
        // Z for the norm's backward, the normalised Z for the K/V projections'.
        savedBytes: training ? 2 * zBytes : 0,
        transientBytes: logits + 2 * zBytes,
        launches: 2,
      }),
    );
    for (const pass of materializedPasses(input, input.queries * c, 'attention-materialized', 0, c))
      passes.push(pass);
    return passes;
  },
  cacheBytes: (input, params) => input.batch * params.clusters * (input.dModel + 2) * input.kvBytes,
};
