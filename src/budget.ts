/**
 * Work budgets (docs/limits.md): commands whose work grows with the product of their inputs check
 * it before starting, so a typo such as `--seq 1..1M:+1` with five variants and four GPUs is an
 * immediate, explained exit 2 instead of minutes of work, gigabytes of memory, or output too large
 * for one JSON string. `--max-points` raises a budget, up to a ceiling past which the output no
 * longer fits in memory.
 */
import {InvalidInputError} from './errors.js';
import {formatInt} from './units.js';

/** sweep: evaluated points (values × variants × hardware); 1M points is ~160 MB of --json, ~25 s. */
export const SWEEP_MAX_POINTS = 1_000_000;
/** sweep's --max-points ceiling: past ~3M rows its --json exceeds V8's largest string (2^29 characters). */
export const SWEEP_POINTS_CEILING = 2_000_000;
/** bench: attention-score elements (heads × queries × keys, or × window) of its largest case: 0.5 GiB of float32. */
export const BENCH_MAX_POINTS = 2 ** 27;
/** bench's --max-points ceiling: 4 GiB of float32 scores (plus the float64 reference that checks them). */
export const BENCH_POINTS_CEILING = 2 ** 30;

export interface Budget {
  /** The command, for messages. */
  command: string;
  /** What is counted: 'points', 'score elements'. */
  unit: string;
  /** The product, and how it was formed: '101,376 lengths × 5 variants × 4 hardware'. */
  product: number;
  factors: string;
  /** The default limit, and --max-points when given. */
  limit: number;
  maxPoints?: number;
  /** The hard ceiling of --max-points for this command. */
  ceiling: number;
  /** How to stay within it: 'use fewer values or larger steps'. */
  advice: string;
}

/** Throws InvalidInputError when the product exceeds the budget (or --max-points is out of range). */
export function checkBudget(b: Budget): void {
  if (b.maxPoints !== undefined && !(b.maxPoints >= 1 && b.maxPoints <= b.ceiling)) {
    throw new InvalidInputError(
      `--max-points ${b.maxPoints} is out of range for ${b.command}: 1 to ${formatInt(b.ceiling)}`,
      {path: ['max-points'], hint: 'The budgets are in docs/limits.md.'},
    );
  }
  const limit = b.maxPoints ?? b.limit;
  if (b.product <= limit) return;
  const raise = b.product <= b.ceiling ? `, or raise the budget with --max-points ${b.product}` : '';
  throw new InvalidInputError(
    `${b.command} would evaluate ${b.factors} = ${formatInt(b.product)} ${b.unit}, over the budget of ${formatInt(limit)}: ${b.advice}${raise}`,
    {path: ['max-points'], hint: 'The budgets are in docs/limits.md.'},
  );
}
