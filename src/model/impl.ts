/**
 * Attention kernel implementations (`--impl`, docs/calibration-presets.md "Implementations"): the
 * same algorithm runs at very different speeds depending on who wrote the kernel — FlashAttention-2
 * reaches ~320 TFLOP/s and FlashAttention-3 ~500 on the same H100 (FlashAttention-3 paper, Shah et
 * al. 2024, arXiv:2407.08608, Fig. 5). Each implementation runs one kernel family and carries its
 * own efficiency profile per device (`implementations` in calibration/<id>.json).
 */
import type {KernelFamily} from './types.js';

export const IMPLS = ['eager', 'sdpa', 'fa1', 'fa2', 'fa3', 'cudnn', 'triton'] as const;
export type Impl = (typeof IMPLS)[number];

/** What the roofline needs to know of a device to place an implementation on it. */
export interface DeviceGeneration {
  vendor: 'nvidia' | 'amd' | 'other';
  /** CUDA compute capability (NVIDIA), e.g. 8.0; undefined for other vendors. */
  computeCapability?: number;
}

export interface ImplDef {
  id: Impl;
  title: string;
  /** The kernel family it replaces the efficiencies of. */
  family: KernelFamily;
  /** Whether the kernel overlaps its softmax (exp) with its matrix products (FA3 §3.1 ping-pong). */
  overlapsSoftmax: boolean;
  /**
   * Thread blocks of its forward kernel that run at once on one SM (the scheduling slots of the
   * kernel time model: tiles per wave, and the tail of a causal grid). 1 unless its source says
   * otherwise.
   */
  ctasPerSm: number;
  /** Causal tiles handed out longest first (a scheduler of its own), not in grid order. */
  longestFirst: boolean;
  /** Why it cannot run on `gen`, or undefined when it can. */
  unsupported(gen: DeviceGeneration): string | undefined;
  source: string;
}

const cc = (gen: DeviceGeneration): number => gen.computeCapability ?? 0;

function needsNvidia(min: number, what: string, max = Number.POSITIVE_INFINITY) {
  return (gen: DeviceGeneration): string | undefined => {
    if (gen.vendor !== 'nvidia') return `it is a CUDA kernel for NVIDIA GPUs (${what})`;
    if (cc(gen) < min || cc(gen) > max)
      return `it needs compute capability ${max === Number.POSITIVE_INFINITY ? `${min.toFixed(1)} or newer` : `${min.toFixed(1)}`} (${what}); this device has ${cc(gen).toFixed(1)}`;
    return undefined;
  };
}

export const IMPL_DEFS: Readonly<Record<Impl, ImplDef>> = {
  eager: {
    id: 'eager',
    title: 'PyTorch eager (scores materialised: matmul, softmax, matmul)',
    family: 'attention-materialized',
    overlapsSoftmax: false,
    ctasPerSm: 1,
    longestFirst: false,
    unsupported: () => undefined,
    source: 'Dao-AILab/flash-attention benchmarks/benchmark_flash_attention.py attention_pytorch',
  },
  sdpa: {
    id: 'sdpa',
    title: 'torch.nn.functional.scaled_dot_product_attention (its flash backend is FlashAttention-2)',
    family: 'attention-fused',
    overlapsSoftmax: false,
    // Its flash backend is FlashAttention-2's kernel (see fa2).
    ctasPerSm: 2,
    longestFirst: false,
    unsupported: () => undefined,
    source: 'PyTorch 2.2 release notes: the SDPA flash backend is FlashAttention-2 (sm80+)',
  },
  fa1: {
    id: 'fa1',
    title: 'FlashAttention (1), flash-attn 1.x',
    family: 'attention-fused',
    overlapsSoftmax: false,
    ctasPerSm: 1,
    longestFirst: false,
    unsupported: needsNvidia(7.5, 'FlashAttention 1.x README: Turing or Ampere GPUs'),
    source: 'Dao et al. 2022, arXiv:2205.14135',
  },
  fa2: {
    id: 'fa2',
    title: 'FlashAttention-2, flash-attn 2.x',
    family: 'attention-fused',
    overlapsSoftmax: false,
    // flash_fwd_launch_template.h: the forward runs 4 warps (128 threads) per thread block at
    // d_h ≤ 128 on A100/H100 and at 256 on H100, a size its comments say gets "2 CTAs per SM".
    ctasPerSm: 2,
    longestFirst: false,
    unsupported: gen =>
      gen.vendor === 'amd' ? undefined : needsNvidia(8.0, 'flash-attn 2 README: Ampere, Ada or Hopper')(gen),
    source: 'Dao 2023, arXiv:2307.08691 (ROCm port for MI200/MI300 in the same repository)',
  },
  fa3: {
    id: 'fa3',
    title: 'FlashAttention-3 (Hopper: WGMMA, TMA, warp specialisation)',
    family: 'attention-fused',
    // Its ping-pong schedule overlaps one warpgroup's softmax with another's GEMMs, yet its
    // published forward throughput sits on the serial bound t_mma + t_exp at every head dim
    // (FA3 §3.1: exp takes 50 % of the matmul time at d_h = 128, so ≤ 67 % of peak; it measures
    // ~66 %): modelled serial, like the others (docs/calibration-presets.md).
    overlapsSoftmax: false,
    // A persistent kernel: one thread block per SM takes tile after tile (FA3 §3); for causal
    // tiles "longest-processing-time-first scheduling: the longest remaining tile is assigned to
    // the first SM that's free" (hopper/tile_scheduler.hpp, DynamicPersistentTileScheduler).
    ctasPerSm: 1,
    longestFirst: true,
    unsupported: needsNvidia(9.0, 'FlashAttention-3 targets Hopper H100/H800 only', 9.0),
    source: 'Shah et al. 2024, arXiv:2407.08608',
  },
  cudnn: {
    id: 'cudnn',
    title: 'cuDNN fused flash attention (cuDNN 9)',
    family: 'attention-fused',
    overlapsSoftmax: false,
    ctasPerSm: 1,
    longestFirst: false,
    unsupported: needsNvidia(8.0, 'cuDNN frontend fused flash attention: Ampere or newer'),
    source: 'NVIDIA cuDNN frontend documentation, scaled dot-product attention support matrix',
  },
  triton: {
    id: 'triton',
    title: 'Triton fused attention (FlashAttention-2 algorithm)',
    family: 'attention-fused',
    overlapsSoftmax: false,
    ctasPerSm: 1,
    longestFirst: false,
    unsupported: gen =>
      gen.vendor === 'amd'
        ? undefined
        : needsNvidia(8.0, 'Triton fused-attention tutorial: Ampere or newer')(gen),
    source:
      'Triton tutorial 06-fused-attention; FlashAttention-3 paper Fig. 5 (Triton with H100 instructions)',
  },
};

/**
 * The fused implementation a device runs by default: FlashAttention-3 on Hopper (what vLLM selects
 * there), FlashAttention-2 on Ampere, Ada, Blackwell and AMD CDNA, FlashAttention 1 on Turing, and
 * PyTorch SDPA (its memory-efficient kernel) before Turing or on unknown devices.
 */
export function defaultFusedImpl(gen: DeviceGeneration): Impl {
  if (gen.vendor === 'amd') return 'fa2';
  if (gen.vendor !== 'nvidia') return 'sdpa';
  const c = cc(gen);
  if (c === 9.0) return 'fa3';
  if (c >= 8.0) return 'fa2';
  if (c >= 7.5) return 'fa1';
  return 'sdpa';
}

/** The implementation of each attention kernel family on a device (`--impl` overrides its family). */
export interface ImplChoice {
  'attention-materialized': Impl;
  'attention-fused': Impl;
}

export function resolveImpls(gen: DeviceGeneration, chosen: Impl | undefined): ImplChoice {
  const choice: ImplChoice = {'attention-materialized': 'eager', 'attention-fused': defaultFusedImpl(gen)};
  if (chosen !== undefined) choice[IMPL_DEFS[chosen].family as keyof ImplChoice] = chosen;
  return choice;
}
