/**
 * The `textbook` assumption profile (docs/design.md §5.1): the simplified accounting of the common
 * introductory treatment of attention complexity, reproduced exactly. Multiplications only
 * (1 FLOP per MAC), heads ignored in the softmax, bytes s per element, no runtime overheads.
 * Every function here is one formula of §5.1; docs/assumptions.md lists them.
 */

/** Attention core of one layer: n²·d (scores) + 3·n² (softmax: exp, sum, divide) + n²·d (weighted sum). */
export function textbookAttentionCore(
  n: number,
  d: number,
): {scores: number; softmax: number; weightedSum: number; total: number} {
  const scores = n * n * d;
  const softmax = 3 * n * n;
  const weightedSum = n * n * d;
  return {scores, softmax, weightedSum, total: scores + softmax + weightedSum};
}

/**
 * One layer's FLOP distribution: attention core 2·n²·d (+ the 3·n² softmax), QKV 3·n·d²,
 * output n·d², FFN 2·n·d·(4d). `coreOps` replaces the n² terms for other variants:
 * 2·pairs·d + 3·pairs with pairs = leadingOps / d.
 */
export function textbookLayer(
  n: number,
  d: number,
  pairs = n * n,
): {attention: number; qkv: number; output: number; ffn: number; total: number} {
  const attention = 2 * pairs * d + 3 * pairs;
  const qkv = 3 * n * d * d;
  const output = n * d * d;
  const ffn = 2 * n * d * (4 * d);
  return {attention, qkv, output, ffn, total: attention + qkv + output + ffn};
}

/** Attention memory per sample: L·s·(3·n·d + h·n² + n·d) bytes (Q, K, V; the h score matrices; the output). */
export function textbookAttentionMemoryBytes(
  n: number,
  d: number,
  h: number,
  layers: number,
  bytes: number,
  batch = 1,
): number {
  return batch * layers * bytes * (3 * n * d + h * n * n + n * d);
}

/** Usable memory: 70% of the marketed capacity in decimal GB. */
export const TEXTBOOK_USABLE_FRACTION = 0.7;

export function textbookUsableBytes(marketedGB: number): number {
  return marketedGB * 1e9 * TEXTBOOK_USABLE_FRACTION;
}

/** Largest n whose attention matrices fit: ⌊√(usable / (h·s·L·b))⌋. */
export function textbookMaxSeq(
  usableBytes: number,
  h: number,
  bytes: number,
  layers: number,
  batch = 1,
): number {
  return Math.floor(Math.sqrt(usableBytes / (h * bytes * layers * batch)));
}

/** Attention time: 2·n²·d·L / throughput (FLOP/s); tokens/s = n / t. */
export function textbookAttentionSeconds(
  n: number,
  d: number,
  layers: number,
  flopsPerSec: number,
): {seconds: number; tokensPerSec: number} {
  const seconds = (2 * n * n * d * layers) / flopsPerSec;
  return {seconds, tokensPerSec: n / seconds};
}

/** Path lengths (docs/design.md §5.1): attention 1; an RNN n−1 at most and (n−1)/2 on average. */
export function textbookPathLengths(n: number): {attention: number; rnnMax: number; rnnMean: number} {
  return {attention: 1, rnnMax: n - 1, rnnMean: (n - 1) / 2};
}

/**
 * Attention vs RNN (docs/design.md §5.1): compute ratio n²·d / (n·d²) = n/d; path improvement = the RNN's
 * max path length over attention's (n − 1); "efficiency" = path improvement / compute ratio.
 */
export function textbookAttentionVsRnn(
  n: number,
  d: number,
): {computeRatio: number; pathImprovement: number; efficiency: number} {
  const computeRatio = n / d;
  const pathImprovement = n - 1;
  return {computeRatio, pathImprovement, efficiency: pathImprovement / computeRatio};
}
