import test from 'ava';
import type {AttentionInput} from '../../../src/model/types.js';
import {bigbirdPairs, bigbirdVariant} from '../../../src/model/variants/bigbird.js';
import {input as baseInput, total} from '../../helpers/variants.js';

// Worked example of docs/variants/bigbird.md: b = 1, n = m = 4096, h = 12, d_h = 64, s = 2, ITC defaults.
const input = (over: Partial<AttentionInput> = {}) => baseInput({queries: 4096, keys: 4096, ...over});
const decode = (m: number, over: Partial<AttentionInput> = {}) =>
  input({queries: 1, keys: m, queryOffset: m - 1, causal: true, ...over});
const defaults = bigbirdVariant.params().parse({});

test('params: {} gives the ITC defaults bs 64, 3 window, 3 random, 2 global blocks', t => {
  t.deepEqual(defaults, {block: 64, window_blocks: 3, random_blocks: 3, global_blocks: 2});
});

test('non-causal worked example: global rows see all keys, the rest (3 + 3 + 2)·64', t => {
  // K = 8·64 = 512; G = 128 global rows: 128·4096 + 3968·512 = 524,288 + 2,031,616 = 2,555,904.
  t.is(bigbirdPairs(input(), defaults), 2_555_904);
  const cs = bigbirdVariant.cost(input(), defaults);
  t.is(total(cs, 'pairs'), 30_670_848); // ×12
  t.is(total(cs, 'macs'), 3_925_868_544); // ·128
  t.is(cs[0]!.kernel, 'attention-sparse');
});

test('short inputs fall back to full attention (cap at m)', t => {
  // n = 256 < K = 512: every row sees all 256 keys.
  t.is(bigbirdPairs(input({queries: 256, keys: 256}), defaults), 65_536);
});

test('causal: a causal window of K keys; decode sees K, cache keeps every position', t => {
  // Σ min(x, 512) for x = 1..4096 = 131,328 + 512·3584 = 1,966,336.
  t.is(bigbirdPairs(input({causal: true}), defaults), 1_966_336);
  t.is(total(bigbirdVariant.cost(decode(4096), defaults), 'pairs'), 12 * 512);
  t.is(bigbirdVariant.cacheBytes(input(), defaults), 4096 * 12 * 128 * 2);
  t.is(bigbirdVariant.leadingOps(4096, 768, defaults), 4096 * 512 * 768);
});

test('without random and global blocks it is a window of window_blocks·block', t => {
  const p = {block: 64, window_blocks: 3, random_blocks: 0, global_blocks: 0};
  t.is(bigbirdPairs(input(), p), 4096 * 192);
});
