import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import {type StridedParams, stridedPairs, stridedVariant} from '../../../src/model/variants/strided.js';
import {input as baseInput, total} from '../../helpers/variants.js';

// Worked example of docs/variants/strided.md: b = 1, n = m = 1024, h = 12, d_h = 64, s = 2, l = √1024 = 32.
const input = (over: Partial<AttentionInput> = {}) => baseInput({causal: true, ...over});
const defaults = stridedVariant.params().parse({});

/** The paper's sets (Child et al. 2019 §4.2–4.3), counted key by key, causal. */
function paperCausal(n: number, m: number, offset: number, l: number, pattern: string, c: number): number {
  let count = 0;
  for (let i = offset; i < offset + n; i++) {
    for (let j = 0; j <= i && j < m; j++) {
      const a1 = pattern === 'fixed' ? Math.floor(j / l) === Math.floor(i / l) : j >= Math.max(0, i - l);
      const a2 = pattern === 'fixed' ? j % l >= l - c : (i - j) % l === 0;
      if (a1 || a2) count++;
    }
  }
  return count;
}

test('params: {} leaves the stride to ⌈√m⌉, fixed pattern, one summary', t => {
  t.deepEqual(defaults, {pattern: 'fixed', summary: 1});
  t.false(stridedVariant.params().safeParse({pattern: 'diagonal'}).success);
});

test('causal worked example, fixed pattern: own block + one summary per earlier block', t => {
  // l = 32. Σ_p (p mod 32) + 1 = 32·496 + 1024 = 16,896; Σ ⌊p/32⌋ = 32·(0 + … + 31) = 15,872.
  t.is(stridedPairs(input(), defaults), 32_768);
  const cs = stridedVariant.cost(input(), defaults);
  t.is(total(cs, 'pairs'), 393_216); // ×12
  t.is(total(cs, 'macs'), 50_331_648); // ·128
  t.is(cs[0]!.kernel, 'attention-sparse');
});

test('causal, strided pattern: min(p + 1, l) + ⌊p/l⌋ per row', t => {
  // Σ min(p + 1, 32) = 528 + 31,744 = 32,272; + 15,872 = 48,144.
  t.is(stridedPairs(input(), {...defaults, pattern: 'strided'}), 48_144);
});

test('non-causal: l local + ⌈m/l⌉ − 1 summaries per row', t => {
  t.is(stridedPairs(input({causal: false}), defaults), 1024 * 63);
  // l ≥ m: every row sees its whole (single) block.
  t.is(stridedPairs(input({causal: false}), {...defaults, stride: 4096}), 1024 * 1024);
});

test('decode and cache: the last position sees its block and the summaries', t => {
  const decode = input({queries: 1, keys: 1024, queryOffset: 1023});
  // (1023 mod 32) + 1 = 32 and ⌊1023/32⌋ = 31 summaries.
  t.is(stridedPairs(decode, defaults), 63);
  // Cache buffer: the block (32) + ⌈1024/32⌉ − 1 = 31 summaries = 63 positions.
  t.is(stridedVariant.cacheBytes(decode, defaults), 63 * 12 * 128 * 2);
  // m = 1000, l = ⌈√1000⌉ = 32: 32 + (⌈1000/32⌉ − 1) = 32 + 31 = 63; with 2 summaries 32 + 62 = 94.
  t.is(stridedVariant.cacheBytes(input({keys: 1000}), defaults), 63 * 12 * 128 * 2);
  t.is(stridedVariant.cacheBytes(input({keys: 1000}), {...defaults, summary: 2}), 94 * 12 * 128 * 2);
  // The strided pattern needs every residue later: the full cache.
  t.is(stridedVariant.cacheBytes(decode, {...defaults, pattern: 'strided'}), 1024 * 12 * 128 * 2);
  t.is(stridedVariant.leadingOps(1024, 768, defaults), 1024 * 32 * 768);
});

test('closed forms equal the paper sets counted key by key', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 120}),
      fc.integer({min: 0, max: 119}),
      fc.integer({min: 1, max: 20}),
      fc.constantFrom('fixed', 'strided'),
      fc.integer({min: 1, max: 4}),
      (m, start, l, pattern, summary) => {
        const offset = start % m;
        const n = m - offset;
        const params = {stride: l, pattern, summary} as StridedParams;
        const c = Math.min(summary, l);
        return (
          stridedPairs(input({queries: n, keys: m, queryOffset: offset}), params) ===
          paperCausal(n, m, offset, l, pattern, c)
        );
      },
    ),
  );
  t.pass();
});
