/**
 * Roofline latency (docs/design.md §4.5): per component
 *   t = max(matmulFlops / (P_matrix·η_matrix), vectorFlops / (P_vector·η_vector), hbmBytes / (BW·η_mem))
 *       + launches · t_launch
 * with efficiencies per kernel family from a calibration profile. `ideal` uses the peaks with
 * η = 1 and no launch overhead: the physical floor. Williams, Waterman & Patterson 2009,
 * "Roofline: an insightful visual performance model" (CACM 52(4)).
 */
import type {DeviceRates, FamilyRates} from '../schema/profile.js';
import type {KernelFamily} from './types.js';
import {KERNEL_FAMILIES} from './types.js';

export type Bound = 'compute' | 'vector' | 'memory' | 'launch';

/** What the roofline needs of a component (ComponentCost and ScopedComponent both fit). */
export interface TimedWork {
  kernel: KernelFamily;
  macs: number;
  vectorFlops: number;
  readBytes: number;
  writeBytes: number;
  launches: number;
  /** Passes over the forward work and, of them, the backward's (training); default 1 and 0. */
  passes?: number;
  backwardPasses?: number;
  /** Tiled kernels: CTAs and key-block steps per launch, computed / useful pairs (see ComponentCost). */
  tiles?: number;
  tileSteps?: number;
  maxTileSteps?: number;
  minTileSteps?: number;
  blockWork?: number;
}

/**
 * How much longer a tiled kernel's arithmetic takes than its useful FLOPs at the family rate
 * (docs/calibration-presets.md "Kernel time model"):
 * - whole blocks on a causal diagonal (`blockWork` ≥ 1);
 * - a fixed prologue/epilogue per tile worth `tileOverheadSteps` key-block steps (loading Q,
 *   the final rescale and the write of O): (steps + tiles·c₀) / steps;
 * - scheduling over the `slots` thread blocks that run at once: with equal tiles, in waves — a
 *   partly filled last wave costs a whole tile time, so the arithmetic runs at
 *   tiles / (⌈tiles / slots⌉·slots) of the rate; with unequal tiles (causal: a tile's steps grow
 *   with its position, and the next tile goes to whichever slot frees first), the grid ends when
 *   the slots' last tiles do: on average half the last-handed tile after the balanced time
 *   W/slots, and never before the longest tile itself — max(p_max, W/slots + p_last/2) / (W/slots),
 *   W and p in steps including c₀. p_last is the longest tile in grid order (each head's tiles
 *   in turn, FA2's forward), the shortest when the longest go first (`longestFirst`: FA3's
 *   scheduler; every backward, whose grid of key blocks starts with the longest).
 */
export function tileFactor(c: TimedWork, r: FamilyRates, pass: 'forward' | 'backward' = 'forward'): number {
  const tiles = c.tiles ?? 0;
  if (tiles <= 0) return 1;
  const steps = c.tileSteps ?? 0;
  const c0 = r.tileOverheadSteps ?? 0;
  const work = steps + tiles * c0;
  const overhead = steps > 0 ? work / steps : 1;
  const slots = r.slots ?? 0;
  const longest = c.maxTileSteps ?? 0;
  let schedule = 1;
  if (slots > 0 && longest > 0 && work > 0) {
    const balanced = work / slots;
    // A backward grid runs over key blocks, and a causal key block's queries are those below the
    // diagonal: its grid order is longest first whatever the kernel (FA2: grid(num_n_block, b, h)).
    const longestFirst = r.longestFirst || pass === 'backward';
    const last = (longestFirst ? (c.minTileSteps ?? 0) : longest) + c0;
    schedule = Math.max(longest + c0, balanced + last / 2) / balanced;
  } else if (slots > 0) schedule = (Math.ceil(tiles / slots) * slots) / tiles;
  return (c.blockWork ?? 1) * overhead * schedule;
}

export interface ComponentTime {
  seconds: number;
  /** The term that dominates the max, or 'launch' when fixed overhead exceeds it. */
  bound: Bound;
  /** FLOPs per HBM byte (matrix + vector); 0 when the component moves no bytes. */
  intensity: number;
  computeSeconds: number;
  vectorSeconds: number;
  memorySeconds: number;
  launchSeconds: number;
}

export function componentSeconds(c: TimedWork, rates: DeviceRates, flopsPerMac: number): ComponentTime {
  const r = rates[c.kernel];
  const matmulFlops = c.macs * flopsPerMac;
  const bytes = c.readBytes + c.writeBytes;
  // Forward and backward passes at their own matrix rates (FA2 Fig. 4 vs Fig. 5: the backward
  // kernel runs fewer FLOP/s than the forward).
  const passes = c.passes ?? 1;
  const backward = passes > 0 ? (c.backwardPasses ?? 0) / passes : 0;
  const backwardRate = r.backwardMatrixFlopsPerSec ?? r.matrixFlopsPerSec;
  const tile = tileFactor(c, r);
  const computeSeconds =
    backward > 0
      ? matmulFlops *
        (((1 - backward) / r.matrixFlopsPerSec) * tile +
          (backward / backwardRate) * tileFactor(c, r, 'backward'))
      : (matmulFlops / r.matrixFlopsPerSec) * tile;
  const vectorSeconds = (c.vectorFlops / r.vectorFlopsPerSec) * tile;
  const memorySeconds = bytes / r.bytesPerSec;
  const launchSeconds = c.launches * r.launchSeconds;
  let bound: Bound = 'compute';
  let top = computeSeconds;
  if (r.overlapsSoftmax === false) {
    // A warp runs its softmax (exp on the special-function units) between its two matrix
    // products: the two add up (FA3 paper §3.1; only FA3's ping-pong scheduling overlaps them).
    top = computeSeconds + vectorSeconds;
    if (vectorSeconds > computeSeconds) bound = 'vector';
  } else if (vectorSeconds > top) {
    bound = 'vector';
    top = vectorSeconds;
  }
  if (memorySeconds > top) {
    bound = 'memory';
    top = memorySeconds;
  }
  if (launchSeconds > top) bound = 'launch';
  // The host dispatches calls asynchronously: a kernel whose device time is shorter than the
  // host's time per call waits on the host instead (CPU-bound at small sizes).
  const hostSeconds = c.launches * (r.hostSeconds ?? 0);
  if (hostSeconds > top + launchSeconds) bound = 'launch';
  return {
    seconds: Math.max(top + launchSeconds, hostSeconds),
    bound,
    intensity: bytes > 0 ? (matmulFlops + c.vectorFlops) / bytes : 0,
    computeSeconds,
    vectorSeconds,
    memorySeconds,
    launchSeconds,
  };
}

/** Peak rates of a device for one dtype. */
export interface Peaks {
  matrixFlopsPerSec: number;
  vectorFlopsPerSec: number;
  bandwidthBytesPerSec: number;
}

/** The physical floor: every family at the peaks, no launch overhead. */
export function idealRates(peaks: Peaks): DeviceRates {
  const rates = {} as DeviceRates;
  for (const family of KERNEL_FAMILIES) {
    rates[family] = {
      matrixFlopsPerSec: peaks.matrixFlopsPerSec,
      vectorFlopsPerSec: peaks.vectorFlopsPerSec,
      bytesPerSec: peaks.bandwidthBytesPerSec,
      launchSeconds: 0,
    };
  }
  return rates;
}

export interface LatencyTotals {
  seconds: number;
  idealSeconds: number;
}

/** Expected and ideal time of a list of components: the sum of their roofline times. */
export function totalSeconds(
  components: readonly TimedWork[],
  expected: DeviceRates,
  ideal: DeviceRates,
  flopsPerMac: number,
): LatencyTotals {
  let seconds = 0;
  let idealSeconds = 0;
  for (const c of components) {
    seconds += componentSeconds(c, expected, flopsPerMac).seconds;
    idealSeconds += componentSeconds(c, ideal, flopsPerMac).seconds;
  }
  return {seconds, idealSeconds};
}
