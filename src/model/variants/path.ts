/**
 * Path lengths (docs/design.md §5.1): how many attention hops (layers) information needs to travel
 * between two of n positions. Dense attention: 1. A band that reaches r positions per hop
 * needs ⌈distance / r⌉ hops; a pattern with hub positions (global tokens, summary columns)
 * connects any two positions in at most 2. Averages are over all pairs i ≠ j.
 */

export interface PathLength {
  max: number;
  mean: number;
}

/** A band reaching `reach` ≥ 1 positions per hop: max ⌈(n−1)/r⌉, mean Σ_d (n−d)·⌈d/r⌉ / Σ_d (n−d). */
export function bandPath(n: number, reach: number): PathLength {
  if (n <= 1) return {max: 0, mean: 0};
  const r = Math.max(1, Math.floor(reach));
  const max = Math.ceil((n - 1) / r);
  // Distances d = (k−1)·r+1 … min(k·r, n−1) all take k hops: sum (n − d) over each block.
  let weighted = 0;
  for (let k = 1; k <= max; k++) {
    const lo = (k - 1) * r + 1;
    const hi = Math.min(k * r, n - 1);
    const count = hi - lo + 1;
    weighted += k * (count * n - ((lo + hi) * count) / 2);
  }
  const pairs = (n * (n - 1)) / 2;
  return {max, mean: weighted / pairs};
}

/**
 * A pattern where each query reaches `direct` keys itself (including itself) and every other
 * position through one hub in between: 1 hop for the direct fraction of pairs, 2 for the rest.
 */
export function hubPath(n: number, direct: number): PathLength {
  if (n <= 1) return {max: 0, mean: 0};
  const f = Math.min(1, Math.max(0, (direct - 1) / (n - 1)));
  return {max: f >= 1 ? 1 : 2, mean: f + 2 * (1 - f)};
}
