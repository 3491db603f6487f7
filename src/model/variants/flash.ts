/**
 * `flash`: exact attention as one fused, tiled, IO-aware kernel — FlashAttention-2 (Dao 2023,
 * arXiv:2307.08691; FlashAttention: Dao et al. 2022, arXiv:2205.14135). Scores never reach HBM.
 *
 * Per layer, whole batch, P = visible pairs per head (causal: Σ min(p + 1, m); the kernel skips
 * key blocks above the diagonal — FA2 §3.1.1 — unless accounting.countMasked):
 * - MACs b·h·P·(d_h + d_v) (QKᵀ and PV); vector FLOPs softmaxOps·b·h·P (the online-softmax
 *   rescaling of the running output, d_v multiplies per row per key block, is not counted).
 * - HBM (FA2 Algorithm 1: the outer loop runs over query blocks of B_r rows, the inner loop over
 *   K/V blocks): Q read once (b·h·n·d_h·s), K and V read once per query block —
 *   b·h_kv·R·(d_h + d_v)·s with R = Σ over query blocks of the key rows that block can see
 *   (⌈n/B_r⌉·m non-causal, about half of it causal) — O written (b·h·n·d_v·s) and the
 *   log-sum-exp written in fp32 (b·h·n·4).
 * - GQA: K/V are read per K/V head with the g = h/h_kv query heads of a group either tiled
 *   separately (g·R) or packed into shared tiles of ⌊B_r/g⌋ positions (as FA2 does in decode with
 *   seqlenq_ngroups_swapped) — whichever reads less (groupedKeyRows).
 * - Saved for backward: the log-sum-exp only (b·h·n·4); backward recomputes P — 2.5× forward
 *   (FA2 §4.1: 5 matmuls backward vs 2 forward).
 * - Training adds the two memory-bound kernels FA2's backward launches besides its main kernel
 *   (`fusedBackwardKernels`).
 */
import {z} from 'zod';
import {once} from '../../schema/lazy.js';
import type {AttentionInput, ComponentCost, KernelFamily, VariantDef} from '../types.js';
import {component} from '../types.js';
import {causalPairs, fullPairs, sumMinArithmetic} from './pairs.js';
import {kvCacheBytes} from './standard.js';

/** FA2's query tile for head dims up to 128 on A100/H100 (flash_fwd_launch_template.h). */
export const FLASH_DEFAULT_BLOCK = 128;

/** Bytes per element of the log-sum-exp FlashAttention keeps (fp32). */
export const LSE_BYTES = 4;

export const flashParams = once(() =>
  z.strictObject({
    block: z
      .number()
      .int()
      .positive()
      .default(FLASH_DEFAULT_BLOCK)
      .describe('query rows per tile B_r (K and V are re-read once per tile)'),
  }),
);
export type FlashParams = z.infer<ReturnType<typeof flashParams>>;

/**
 * K/V rows read per K/V head and sequence, given `rowsFor(positions)`: the rows one query head
 * reads with tiles of that many positions. Unpacked (FA2's default grid): each of the g = h/h_kv
 * query heads of a group runs its own tiles of B_r positions — g·rowsFor(B_r). Packed (FA2 in
 * decode via seqlenq_ngroups_swapped, FA3's pack_gqa): a tile holds ⌊B_r/g⌋ positions of all g
 * heads — rowsFor(⌊B_r/g⌋), or ⌈g/B_r⌉ tiles per position when g > B_r. The kernel takes the
 * cheaper, so GQA never reads more than MHA and a decode step reads its cache once per K/V head.
 */
export function groupedKeyRows(
  input: AttentionInput,
  block: number,
  rowsFor: (positions: number) => number,
): number {
  const group = Math.max(1, Math.round(input.heads / input.kvHeads));
  const unpacked = group * rowsFor(block);
  if (group === 1) return unpacked;
  const packed = group > block ? Math.ceil(group / block) * rowsFor(1) : rowsFor(Math.floor(block / group));
  return Math.min(unpacked, packed);
}

/**
 * Key rows read per K/V head and sequence by a tiled kernel whose tiles of `positions` query
 * positions each read every key they can see: non-causal m per tile; causal the keys up to the
 * tile's last row, Σ_t min(offset + (t + 1)·B, m) with the last tile ending at offset + n.
 */
export function tiledKeyRows(input: AttentionInput, positions: number, causal: boolean): number {
  const {queries: n, keys: m, queryOffset: offset} = input;
  const tiles = Math.ceil(n / positions);
  if (!causal) return tiles * m;
  return sumMinArithmetic(offset + positions, positions, tiles - 1, m) + Math.min(offset + n, m);
}

/**
 * One fused kernel over `pairsPerHead` scores per head and sequence that reads `keyRows` K/V rows
 * per K/V head and sequence: shared by flash and the fused sliding window.
 */
export function fusedAttention(
  input: AttentionInput,
  pairsPerHead: number,
  keyRows: number,
  kernel: KernelFamily,
  tiling?: KernelTiling,
): ComponentCost {
  const {batch: b, heads: h, kvHeads: hkv, headDim: dh, valueDim: dv, queries: n, bytes: s} = input;
  const scores = b * h * pairsPerHead;
  const lse = b * h * n * LSE_BYTES;
  return component('attention', kernel, {
    macs: scores * (dh + dv),
    vectorFlops: input.accounting.softmaxOps * scores,
    // MLA's absorbed decode: V is part of K, loaded once with it (FlashMLA).
    readBytes: b * h * n * dh * s + b * hkv * keyRows * (dh + (input.valueInKey ? 0 : dv)) * s,
    writeBytes: b * h * n * dv * s + lse,
    savedBytes: input.training ? lse : 0,
    pairs: scores,
    ...(tiling
      ? {
          tiles: tiling.tiles,
          tileSteps: tiling.tileSteps,
          maxTileSteps: tiling.maxTileSteps,
          minTileSteps: tiling.minTileSteps,
          computedPairs: tiling.computedPairs,
        }
      : {}),
  });
}

/** The grid of a tiled attention kernel (ComponentCost.tiles, tileSteps, maxTileSteps, computedPairs). */
export interface KernelTiling {
  tiles: number;
  tileSteps: number;
  /** The longest and the shortest tile's steps when tiles differ (causal), else 0. */
  maxTileSteps: number;
  minTileSteps: number;
  computedPairs: number;
}

/**
 * Key-block width B_c of FA2's forward tiles by head dim (flash_fwd_launch_template.h,
 * run_mha_fwd_hdim*): 128 up to d_h = 64, 64 from 96 to 256 (128 × 64 tiles; 64 × 64 at 256 on
 * H100). The tile's K and V blocks (2·B_c·d_h·s bytes) share the SM's shared memory with the Q tile.
 */
export function keyBlock(headDim: number): number {
  return headDim <= 64 ? 128 : 64;
}

/**
 * The unit a tiled kernel's steps are counted in: one block of 128 keys (B_c at d_h ≤ 64, where
 * the per-tile overhead c₀ is fitted). A tile's fixed work — load Q, rescale and write O — grows
 * with B_r·d_h like a step's work grows with B_r·B_c·d_h, so in steps of B_c keys it is c₀·128/B_c:
 * counting every kernel's steps in 128-key units keeps one c₀ right at every head dim.
 */
export const STEP_KEYS = 128;

/**
 * Tiles of one query head's B_r query rows that run in the same wave and share each K/V block
 * through L2: FA2 orders its grid query-block first (dim3 grid(num_m_block, b, h)), so a wave of
 * ≥ 64 CTAs (every datacenter GPU has ≥ 80 SMs) holds up to 64 tiles of one head. A documented
 * assumption (docs/calibration-presets.md "Kernel time model").
 */
export const L2_SHARED_TILES = 64;

/**
 * The grid of the flash forward kernel: b·h·⌈n/B_r⌉ tiles; each steps over the key blocks it can
 * see (non-causal ⌈m/B_c⌉; causal up to its last row) and computes min(B_r, n) rows per block.
 * Steps are counted in 128-key units (STEP_KEYS).
 */
export function flashTiling(input: AttentionInput, block: number, causal: boolean): KernelTiling {
  const {batch: b, heads: h, queries: n} = input;
  const perHead = Math.ceil(n / block);
  const keyRows = tiledKeyRows(input, block, causal);
  const bc = keyBlock(input.headDim);
  const unit = bc / STEP_KEYS;
  const steps = causal ? Math.ceil(keyRows / bc) : perHead * Math.ceil(input.keys / bc);
  return {
    tiles: b * h * perHead,
    tileSteps: b * h * steps * unit,
    // A causal head's last tile sees every key, its first the keys up to its own last row.
    maxTileSteps: causal && perHead > 1 ? Math.ceil(input.keys / bc) * unit : 0,
    minTileSteps:
      causal && perHead > 1 ? Math.ceil(Math.min(input.keys, input.keys - n + block) / bc) * unit : 0,
    computedPairs: b * h * Math.min(block, n) * keyRows,
  };
}

/** Bytes per element of FA2's dQ accumulator (fp32: dQ is summed over key blocks by atomic adds). */
export const DQ_ACCUM_BYTES = 4;

/**
 * The kernels FlashAttention-2's backward launches around its main kernel, per layer, training only
 * (Dao-AILab/flash-attention, csrc/flash_attn/src/flash_bwd_launch_template.h; the Triton version
 * has the same steps): `flash_bwd_dot_do_o_kernel` computes D = rowsum(dO ∘ O) — reads O and dO,
 * writes D in fp32 — and clears the fp32 dQ accumulator (b·h·n·d_h·4, alive through the
 * backward); `convert_dQ` reads the accumulator and writes dQ in the activation dtype. Both are
 * memory-bound and cannot overlap the main kernel's matrix work: at d_h = 64 in fp16 they move
 * ≈ 0.9 kB per query row and head, which is what makes FA2's forward + backward slower per FLOP
 * than its forward at short n (FA2 Fig. 4 vs Fig. 5; docs/calibration-presets.md).
 */
export function fusedBackwardKernels(input: AttentionInput): ComponentCost[] {
  if (!input.training) return [];
  const {batch: b, heads: h, headDim: dh, valueDim: dv, queries: n, bytes: s} = input;
  const rows = b * h * n;
  const accumulator = rows * dh * DQ_ACCUM_BYTES;
  return [
    component('backward-dot-do-o', 'elementwise', {
      vectorFlops: 2 * rows * dv,
      readBytes: 2 * rows * dv * s,
      writeBytes: rows * LSE_BYTES + accumulator,
      transientBytes: accumulator,
      backwardOnly: true,
    }),
    component('backward-convert-dq', 'elementwise', {
      readBytes: accumulator,
      writeBytes: rows * dh * s,
      transientBytes: accumulator,
      backwardOnly: true,
    }),
  ];
}

export const flashVariant: VariantDef<FlashParams> = {
  id: 'flash',
  title: 'FlashAttention-2 (fused, tiled, exact)',
  family: 'dense',
  exact: true,
  timeComplexity: 'O(n·m·d)',
  memoryComplexity: 'O(n)',
  params: flashParams,
  causalReducesWork: true,
  supportsCausal: true,
  citation: {
    text: 'Dao 2023, FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning',
    url: 'https://arxiv.org/abs/2307.08691',
  },
  tradeoff:
    'nothing semantic: a systems optimisation of exact attention; compute stays quadratic and backward recomputes the scores (2.5× forward)',
  backwardFactor: 2.5,
  leadingOps: (n, d) => n * n * d,
  cost: (input, params) => {
    const causal = input.causal && !input.accounting.countMasked;
    const {queries: n, keys: m, queryOffset: offset} = input;
    const pairs = causal ? causalPairs(n, m, offset) : fullPairs(n, m);
    // K/V blocks are re-read once per query tile (FA2 Algorithm 1), but the tiles of one head that
    // run in the same wave share them through L2: DRAM sees one read per L2_SHARED_TILES tiles,
    // and never less than one read of the keys the head can see (max of two monotone terms).
    const keyRows =
      groupedKeyRows(input, params.block, positions => tiledKeyRows(input, positions, causal)) /
      L2_SHARED_TILES;
    const main = fusedAttention(
      input,
      pairs,
      Math.max(keyRows, causal ? Math.min(offset + n, m) : m),
      'attention-fused',
      flashTiling(input, params.block, causal),
    );
    return input.training ? [main, ...fusedBackwardKernels(input)] : [main];
  },
  cacheBytes: input => kvCacheBytes(input, input.keys),
};
