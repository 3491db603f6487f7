/**
 * Integer solvers for the capacity questions (docs/design.md §4.6): the largest n satisfying a monotone
 * predicate (max-seq, max-batch), and every n where the difference of two costs changes sign
 * (crossover). Pure and allocation-light; a solve is a few dozen predicate calls.
 */

/** The search gives up above 2^40 and calls the answer unbounded (docs/design.md §4.6). */
export const SOLVER_LIMIT = 2 ** 40;

export type MaxIntResult = {kind: 'value'; value: number} | {kind: 'none'} | {kind: 'unbounded'};

/**
 * The largest integer n in [lo, hi] with pred(n) true, for a predicate that is true up to some n
 * and false after it (monotone). Exponential bracket from lo, then integer bisection: exact to
 * the unit, about 2·log₂(n) calls. 'none' when pred(lo) is false; 'unbounded' when pred(hi) holds.
 */
export function maxInt(pred: (n: number) => boolean, lo = 1, hi = SOLVER_LIMIT): MaxIntResult {
  if (!pred(lo)) return {kind: 'none'};
  let good = lo;
  let bad = -1;
  let step = Math.max(1, lo);
  while (bad < 0) {
    const probe = Math.min(hi, good + step);
    if (probe === good) return {kind: 'unbounded'};
    if (pred(probe)) {
      good = probe;
      if (good >= hi) return {kind: 'unbounded'};
      step *= 2;
    } else bad = probe;
  }
  // Invariant: pred(good) is true, pred(bad) is false, good < bad.
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (pred(mid)) good = mid;
    else bad = mid;
  }
  return {kind: 'value', value: good};
}

/** How fast maxIntByMargin's bracket grows: 8× per probe (three bisection steps' worth each). */
const MARGIN_BRACKET_GROWTH = 8;

/**
 * maxInt for a margin: the largest integer n in [lo, hi] with margin(n) ≥ 0, for a margin that
 * does not increase with n (memory left over as the sequence grows). The answer is maxInt's
 * (n => margin(n) >= 0), exact to the unit, from fewer calls: the bracket grows 8× per probe, and
 * inside it each probe is where the straight line through the bracket's margins crosses zero
 * (regula falsi with the Illinois rule, which halves a stale end's margin so that a convex margin
 * — memory quadratic in n — does not pin one end). A probe that fails to halve the bracket is
 * followed by a bisection, so the worst case is about twice maxInt's. A margin that is not a
 * number counts as negative.
 */
export function maxIntByMargin(margin: (n: number) => number, lo = 1, hi = SOLVER_LIMIT): MaxIntResult {
  const at = (n: number) => {
    const m = margin(n);
    return Number.isNaN(m) ? -Infinity : m;
  };
  let mGood = at(lo);
  if (!(mGood >= 0)) return {kind: 'none'};
  let good = lo;
  let bad = -1;
  let mBad = -Infinity;
  let step = Math.max(1, lo) * (MARGIN_BRACKET_GROWTH - 1);
  while (bad < 0) {
    const probe = Math.min(hi, good + step);
    if (probe === good) return {kind: 'unbounded'};
    const m = at(probe);
    if (m >= 0) {
      good = probe;
      mGood = m;
      if (good >= hi) return {kind: 'unbounded'};
      step *= MARGIN_BRACKET_GROWTH;
    } else {
      bad = probe;
      mBad = m;
    }
  }
  // Invariant: margin(good) ≥ 0 > margin(bad), good < bad; wGood/wBad are the (Illinois-scaled)
  // margins the interpolation uses, lastEnd which end moved last.
  let wGood = mGood;
  let wBad = mBad;
  let lastEnd: 'good' | 'bad' | undefined;
  let bisect = false;
  while (bad - good > 1) {
    const width = bad - good;
    let probe: number;
    if (bisect || !Number.isFinite(wBad) || !Number.isFinite(wGood)) probe = good + Math.floor(width / 2);
    else {
      const t = wGood / (wGood - wBad);
      probe = Math.min(bad - 1, Math.max(good + 1, good + Math.floor(t * width)));
    }
    const m = at(probe);
    if (m >= 0) {
      good = probe;
      wGood = m;
      if (lastEnd === 'good') wBad /= 2;
      lastEnd = 'good';
    } else {
      bad = probe;
      wBad = m;
      if (lastEnd === 'bad') wGood /= 2;
      lastEnd = 'bad';
    }
    bisect = !bisect && bad - good > width / 2;
  }
  return {kind: 'value', value: good};
}

/** Points per decade of the log grid `crossings` scans before refining. */
export const GRID_PER_DECADE = 64;

/**
 * Every integer n in [lo, hi] where f changes sign, scanning a log grid and refining each change
 * to the token by bisection. A crossing is reported as the first n at which f no longer has the
 * sign it had before (a tie, f(n) = 0, is that point). A tie is never a win: where the range
 * starts tied (f = 0) and f then leaves 0, the first n with f ≠ 0 is a crossing (the two are
 * equal, then one pulls ahead). A tie inside the range does not change sides. Two sign changes
 * within one grid step cancel out and are missed; with 64 points per decade a step is under 4% of n.
 */
export function crossings(
  f: (n: number) => number,
  lo: number,
  hi: number,
  perDecade = GRID_PER_DECADE,
): number[] {
  const a = Math.max(1, Math.ceil(lo));
  const b = Math.floor(hi);
  if (b < a) return [];
  const grid: number[] = [a];
  const steps = Math.max(1, Math.ceil(Math.log10(b / a) * perDecade));
  for (let i = 1; i <= steps; i++) {
    const n = Math.round(a * (b / a) ** (i / steps));
    if (n > grid[grid.length - 1]) grid.push(n);
  }
  if (grid[grid.length - 1] !== b) grid.push(b);
  const out: number[] = [];
  // The last grid point where f was nonzero, and its sign; ties (f = 0) do not change sides.
  let prevN = grid[0];
  let prevSign = Math.sign(f(prevN));
  for (let i = 1; i < grid.length; i++) {
    const n = grid[i];
    const s = Math.sign(f(n));
    if (s === 0) continue;
    if (s !== prevSign) {
      // First n in (prevN, n] whose sign is no longer prevSign (a tie counts as the crossing;
      // from a tied start, the first n that is not tied).
      let good = prevN;
      let bad = n;
      while (bad - good > 1) {
        const mid = good + Math.floor((bad - good) / 2);
        if (Math.sign(f(mid)) === prevSign) good = mid;
        else bad = mid;
      }
      out.push(bad);
    }
    prevN = n;
    prevSign = s;
  }
  return out;
}
