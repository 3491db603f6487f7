import test from 'ava';
import fc from 'fast-check';
import {crossings, maxInt, maxIntByMargin, SOLVER_LIMIT} from '../../src/model/solvers.js';

test('maxInt: exact largest n on hand-checkable predicates', t => {
  // n² ≤ 1000 → n = 31 (31² = 961, 32² = 1024).
  t.deepEqual(
    maxInt(n => n * n <= 1000),
    {kind: 'value', value: 31},
  );
  // The textbook GPT-2 small bound on an RTX 3090 at s = 2: ⌊√(0.7·24e9 / (12·2·12))⌋ = ⌊√58,333,333.3⌋ = 7637.
  t.deepEqual(
    maxInt(n => 12 * 2 * 12 * n * n <= 0.7 * 24e9),
    {kind: 'value', value: 7637},
  );
  t.deepEqual(
    maxInt(n => n <= 1),
    {kind: 'value', value: 1},
  );
});

test('maxInt: none and unbounded', t => {
  t.deepEqual(
    maxInt(() => false),
    {kind: 'none'},
  );
  t.deepEqual(
    maxInt(() => true),
    {kind: 'unbounded'},
  );
  t.deepEqual(
    maxInt(n => n <= SOLVER_LIMIT - 1),
    {kind: 'value', value: SOLVER_LIMIT - 1},
  );
  t.deepEqual(
    maxInt(n => n <= 100, 5, 50),
    {kind: 'unbounded'},
  );
});

test('property: maxInt finds the threshold of any monotone predicate', t => {
  fc.assert(
    fc.property(fc.integer({min: 1, max: 2 ** 39}), k => {
      const r = maxInt(n => n <= k);
      return r.kind === 'value' && r.value === k;
    }),
  );
  t.pass();
});

test('crossings: attention n²·d vs RNN n·d² cross at n = d', t => {
  const d = 512;
  t.deepEqual(
    crossings(n => n * n * d - n * d * d, 16, 16 * 2 ** 20),
    [512],
  );
  // Not on a grid point: d = 777.
  t.deepEqual(
    crossings(n => n * n * 777 - n * 777 * 777, 16, 2 ** 20),
    [777],
  );
});

test('crossings: several sign changes, none, and a crossing refined to the token', t => {
  // (n − 100)(n − 5000): negative between 100 and 5000 (exclusive).
  t.deepEqual(
    crossings(n => (n - 100.5) * (n - 5000.5), 1, 1e6),
    [101, 5001],
  );
  t.deepEqual(
    crossings(n => n + 1, 1, 1e6),
    [],
  );
});

test('property: a single crossing anywhere in the range is found exactly', t => {
  fc.assert(
    fc.property(fc.integer({min: 2, max: 10_000_000}), c => {
      const found = crossings(n => n - c + 0.5, 1, 16 * 2 ** 20);
      return found.length === 1 && found[0] === c;
    }),
  );
  t.pass();
});

test('maxIntByMargin: the same answer as maxInt, to the unit, on margins of every shape', t => {
  const cases: [string, (n: number) => number][] = [
    ['quadratic memory', n => 0.7 * 80e9 - (2 * 32 * 62 * n * n + 1.6e10)],
    ['linear KV', n => 72e9 - 131_072 * n - 16e9],
    ['window then flat', n => 1e6 - Math.min(n, 4096) * 100 - n],
    ['step', n => (n <= 123_457 ? 1 : -1)],
    ['tiny slope near zero', n => 1e12 - n * 1e-3 - 1e12 + 500],
    ['overflow past the answer', n => (n < 1e6 ? 5 : Number.NEGATIVE_INFINITY)],
    ['NaN past the answer', n => (n <= 777 ? 1 : Number.NaN)],
    ['exactly zero at the answer', n => 1000 - n],
    ['cubic', n => 1e18 - n ** 3],
  ];
  for (const [name, margin] of cases) {
    let calls = 0;
    const counted = (n: number) => {
      calls++;
      return margin(n);
    };
    t.deepEqual(
      maxIntByMargin(counted),
      maxInt(n => margin(n) >= 0),
      name,
    );
    t.true(calls <= 100, `${name}: ${calls} calls`);
  }
  t.deepEqual(
    maxIntByMargin(() => -1),
    {kind: 'none'},
  );
  t.deepEqual(
    maxIntByMargin(() => 1),
    {kind: 'unbounded'},
  );
  t.deepEqual(
    maxIntByMargin(n => 100 - n, 5, 50),
    maxInt(n => n <= 100, 5, 50),
  );
  t.deepEqual(
    maxIntByMargin(n => 20 - n, 5, 50),
    {kind: 'value', value: 20},
  );
});

test('maxIntByMargin: memory margins (quadratic scores, linear KV) take half the calls of bisection or fewer', t => {
  let fast = 0;
  let slow = 0;
  for (const [a, b, c] of [
    [2 * 32 * 62, 24 * 4096, 1.6e10],
    [1e3, 1e5, 1e9],
    [1, 1e4, 0],
    [0, 131_072, 16e9],
    [1e-3, 5e4, 1e9],
  ] as const) {
    const margin = (n: number) => 0.7 * 80e9 - (a * n * n + b * n + c);
    t.deepEqual(
      maxIntByMargin(n => {
        fast++;
        return margin(n);
      }),
      maxInt(n => {
        slow++;
        return margin(n) >= 0;
      }),
    );
  }
  t.true(fast * 2 <= slow, `${fast} calls against bisection's ${slow}`);
});

test('maxIntByMargin: random monotone margins agree with maxInt', t => {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 300; i++) {
    const a = rand() * 10;
    const b = rand() * 1e4;
    const p = 1 + rand() * 2;
    const cap = 10 ** (3 + rand() * 12);
    const w = Math.floor(rand() * 1e5) + 1;
    const margin = (n: number) => cap - (a * n ** p + b * Math.min(n, w));
    t.deepEqual(
      maxIntByMargin(margin),
      maxInt(n => margin(n) >= 0),
      `case ${i}`,
    );
  }
});
