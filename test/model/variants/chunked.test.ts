import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import {TEXTBOOK_ACCOUNTING} from '../../../src/model/types.js';
import {chunkedPairs, chunkedVariant} from '../../../src/model/variants/chunked.js';
import {windowPairs} from '../../../src/model/variants/pairs.js';
import {input, total} from '../../helpers/variants.js';

// Worked example of docs/variants/chunked.md: b = 1, n = m = 1024, h = 12, d_h = d_v = 64, s = 2, C = 256.
const c256 = {chunk: 256, fused: false};
const decode = (m: number, over: Partial<AttentionInput> = {}) =>
  input({queries: 1, keys: m, queryOffset: m - 1, causal: true, ...over});

test('params: {} gives Llama 4 chunks of 8192, not fused', t => {
  t.deepEqual(chunkedVariant.params().parse({}), {chunk: 8192, fused: false});
  t.false(chunkedVariant.params().safeParse({chunk: 0}).success);
});

test('pairs by hand: 10 causal rows in chunks of 4 see 1,2,3,4,1,2,3,4,1,2 keys', t => {
  t.is(chunkedPairs(10, 10, 0, 4, true), 23);
  // Non-causal: blocks of 4, 4 and 2 rows, each seeing its block: 16 + 16 + 4.
  t.is(chunkedPairs(10, 10, 0, 4, false), 36);
  // Decode at position 9: its chunk starts at 8, so it sees 2 keys.
  t.is(chunkedPairs(1, 10, 9, 4, true), 2);
});

test('causal prefill worked example: four chunks of 256, each a causal triangle', t => {
  const cs = chunkedVariant.cost(input({causal: true}), c256);
  // Per head 4·(256·257/2) = 131,584; ×12 = 1,579,008 scores.
  t.is(total(cs, 'pairs'), 1_579_008);
  t.is(total(cs, 'macs'), 202_113_024); // ·(d_h + d_v) = ·128
  t.deepEqual(
    cs.map(c => c.kernel),
    ['attention-sparse', 'attention-sparse', 'attention-sparse'],
  );
  // Textbook counts each chunk's masked half: 4·256² per head.
  t.is(
    total(chunkedVariant.cost(input({causal: true, accounting: TEXTBOOK_ACCOUNTING}), c256), 'pairs'),
    3_145_728,
  );
});

test('decode: the query sees its chunk so far; the cache holds at most one chunk', t => {
  // Position 999: 999 mod 256 = 231, so 232 keys per head.
  t.is(total(chunkedVariant.cost(decode(1000), c256), 'pairs'), 12 * 232);
  // min(1000, 256) tokens × K and V × 12 heads × 64 × 2 bytes.
  t.is(chunkedVariant.cacheBytes(decode(1000), c256), 256 * 2 * 12 * 64 * 2);
  t.is(chunkedVariant.cacheBytes(decode(100), c256), 100 * 2 * 12 * 64 * 2);
});

test('fused: one kernel over the same pairs', t => {
  const cs = chunkedVariant.cost(input({causal: true}), {chunk: 256, fused: true});
  t.is(cs.length, 1);
  t.is(cs[0]!.kernel, 'attention-fused');
  t.is(cs[0]!.pairs, 1_579_008);
  t.is(cs[0]!.transientBytes, 0);
});

test('properties: never more pairs than a window of C, equal to causal dense when C ≥ n, monotone in n', t => {
  fc.assert(
    fc.property(fc.integer({min: 1, max: 5000}), fc.integer({min: 1, max: 600}), (n, c) => {
      const chunked = chunkedPairs(n, n, 0, c, true);
      if (chunked > windowPairs(n, n, 0, c, true)) return false;
      if (c >= n && chunked !== (n * (n + 1)) / 2) return false;
      return chunkedPairs(n + 1, n + 1, 0, c, true) > chunked;
    }),
  );
  t.pass();
});
