/** Path lengths of banded and hub patterns (docs/design.md §5.1). */
import test from 'ava';
import fc from 'fast-check';
import {resolveVariant} from '../../../src/model/variants/index.js';
import {bandPath, hubPath} from '../../../src/model/variants/path.js';

test('a band of reach 1 is a chain: max n−1, mean (n+1)/3', t => {
  // n = 5: distances 1..4 with 4, 3, 2, 1 pairs: (4·1 + 3·2 + 2·3 + 1·4) / 10 = 2
  t.deepEqual(bandPath(5, 1), {max: 4, mean: 2});
});

test('a band of reach 2 halves the hops', t => {
  // n = 5: d = 1, 2 take 1 hop (4 + 3 pairs), d = 3, 4 take 2 (2 + 1 pairs): (7 + 6) / 10
  t.deepEqual(bandPath(5, 2), {max: 2, mean: 1.3});
});

test('property: the band formula equals counting every pair', t => {
  fc.assert(
    fc.property(fc.integer({min: 2, max: 60}), fc.integer({min: 1, max: 70}), (n, r) => {
      let sum = 0;
      let max = 0;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          const hops = Math.ceil((j - i) / r);
          sum += hops;
          max = Math.max(max, hops);
        }
      const p = bandPath(n, r);
      return p.max === max && Math.abs(p.mean - sum / ((n * (n - 1)) / 2)) < 1e-9;
    }),
  );
  t.pass();
});

test('hubs connect everything in two hops; direct pairs in one', t => {
  t.deepEqual(hubPath(10, 10), {max: 1, mean: 1});
  // 3 of the 9 other positions are direct: 1/3·1 + 2/3·2 = 5/3
  const p = hubPath(10, 4);
  t.is(p.max, 2);
  t.true(Math.abs(p.mean - 5 / 3) < 1e-12);
});

test('variants declare their path: window by its band, longformer and strided by hubs, standard 1', t => {
  const path = (spec: string, n: number) => {
    const v = resolveVariant(spec);
    return v.def.pathLength?.(n, v.params) ?? {max: 1, mean: 1};
  };
  t.is(path('window:w=256', 16_384).max, 65); // ⌈16,383 / 255⌉
  t.is(path('longformer', 16_384).max, 2);
  t.is(path('strided', 16_384).max, 2);
  t.deepEqual(path('standard', 16_384), {max: 1, mean: 1});
});
