/**
 * Cross-variant properties (docs/variants/README.md): every variant through the registry, with
 * its default parameters unless a property names others.
 */
import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput, ComponentCost, CostField, VariantDef} from '../../../src/model/types.js';
import {TEXTBOOK_ACCOUNTING} from '../../../src/model/types.js';
import {getVariant, listVariants} from '../../../src/model/variants/index.js';
import {input} from '../../helpers/variants.js';

type Field = CostField;
const FIELDS: Field[] = [
  'macs',
  'vectorFlops',
  'readBytes',
  'writeBytes',
  'savedBytes',
  'transientBytes',
  'pairs',
  'launches',
];

const CORE = new Set(['scores', 'softmax', 'weighted-sum', 'attention', 'position-scores', 'rel-shift']);

const prefill = (n: number, over: Partial<AttentionInput> = {}) => input({queries: n, keys: n, ...over});
const total = (cs: ComponentCost[], field: Field) => cs.reduce((sum, c) => sum + c[field], 0);
const defaultsOf = (def: VariantDef) => def.params().parse({}) as Record<string, unknown>;

/** (component name, field) → value, so a field is compared component by component. */
function table(cs: ComponentCost[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of cs)
    for (const f of FIELDS) out.set(`${c.name}.${f}`, (out.get(`${c.name}.${f}`) ?? 0) + c[f]);
  return out;
}

test('every variant: finite, non-negative fields; nothing saved outside training', t => {
  for (const def of listVariants()) {
    const params = defaultsOf(def);
    for (const causal of [false, true]) {
      for (const training of [false, true]) {
        const cs = def.cost(prefill(1000, {causal, training, kvHeads: 4}), params);
        t.true(cs.length > 0, def.id);
        for (const c of cs) {
          for (const f of FIELDS)
            t.true(Number.isFinite(c[f]) && c[f] >= 0, `${def.id} ${c.name}.${f} = ${c[f]}`);
          if (!training) t.is(c.savedBytes, 0, `${def.id} ${c.name} saves outside training`);
        }
        t.true(total(cs, 'macs') > 0, def.id);
      }
    }
  }
});

test('every variant: each field of each component is non-decreasing in n', t => {
  for (const def of listVariants()) {
    const params = defaultsOf(def);
    fc.assert(
      fc.property(fc.integer({min: 1, max: 1 << 16}), fc.boolean(), fc.boolean(), (n, causal, training) => {
        const at = (len: number) => prefill(len, {causal, training, kvHeads: 4});
        const small = table(def.cost(at(n), params));
        const large = table(def.cost(at(n + 1), params));
        for (const [key, value] of small) {
          if ((large.get(key) ?? 0) < value)
            throw new Error(`${def.id} ${key}: n=${n} ${value} > n+1 ${large.get(key)}`);
        }
        return def.cacheBytes(at(n + 1), params) >= def.cacheBytes(at(n), params);
      }),
      {numRuns: 200},
    );
  }
  t.pass();
});

test('GQA: kvHeads never changes query-side work, and fewer K/V heads never cost more', t => {
  for (const def of listVariants()) {
    const params = defaultsOf(def);
    for (const causal of [false, true]) {
      const mha = def.cost(input({causal, training: true}), params);
      for (const kvHeads of [6, 4, 1]) {
        const gqa = def.cost(input({causal, training: true, kvHeads}), params);
        t.is(total(gqa, 'pairs'), total(mha, 'pairs'), `${def.id} pairs`);
        for (const f of ['macs', 'vectorFlops', 'readBytes', 'writeBytes', 'savedBytes'] as const) {
          t.true(total(gqa, f) <= total(mha, f), `${def.id} ${f} grows with fewer K/V heads`);
        }
        t.true(
          def.cacheBytes(input({kvHeads}), params) <= def.cacheBytes(input(), params),
          `${def.id} cache`,
        );
        {
          // The score passes (named by the convention of docs/variants/README.md) are query-side
          // only; key-side extras (feature maps of K, landmarks of K, projections) may shrink.
          const core = (cs: ComponentCost[], f: Field) =>
            total(
              cs.filter(c => CORE.has(c.name)),
              f,
            );
          t.is(core(gqa, 'macs'), core(mha, 'macs'), `${def.id} attention-core MACs`);
          t.is(core(gqa, 'vectorFlops'), core(mha, 'vectorFlops'), `${def.id} attention-core vector FLOPs`);
        }
      }
    }
  }
});

test('flash MACs equal standard MACs non-causal; causal flash is (n + 1)/(2n) of them', t => {
  const standard = getVariant('standard');
  const flash = getVariant('flash');
  fc.assert(
    fc.property(fc.integer({min: 1, max: 1 << 22}), n => {
      const std = total(standard.cost(prefill(n), defaultsOf(standard)), 'macs');
      const full = total(flash.cost(prefill(n), defaultsOf(flash)), 'macs');
      const causal = total(flash.cost(prefill(n, {causal: true}), defaultsOf(flash)), 'macs');
      return full === std && Math.abs(causal / std - (n + 1) / (2 * n)) < 1e-12;
    }),
  );
  t.pass();
});

test('window with w ≥ n has standard pairs (causal: flash pairs); a masked-count causal window is the full band', t => {
  const standard = getVariant('standard');
  const flash = getVariant('flash');
  const window = getVariant('window');
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 1 << 20}),
      fc.integer({min: 0, max: 1000}),
      fc.boolean(),
      (n, extra, fused) => {
        const params = {w: n + extra, fused};
        const pairs = (def: VariantDef, over: Partial<AttentionInput>, p: Record<string, unknown>) =>
          total(def.cost(prefill(n, over), p), 'pairs');
        return (
          pairs(window, {}, params) === pairs(standard, {}, defaultsOf(standard)) &&
          pairs(window, {causal: true}, params) === pairs(flash, {causal: true}, defaultsOf(flash)) &&
          pairs(window, {causal: true, accounting: TEXTBOOK_ACCOUNTING}, params) === n * n * 12
        );
      },
    ),
  );
  t.pass();
});

test('bigbird without random and global blocks equals window with w = window_blocks·block', t => {
  const bigbird = getVariant('bigbird');
  const window = getVariant('window');
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 1 << 16}),
      fc.integer({min: 1, max: 128}),
      fc.integer({min: 1, max: 7}),
      fc.boolean(),
      fc.boolean(),
      (n, block, windowBlocks, causal, training) => {
        const bb = {block, window_blocks: windowBlocks, random_blocks: 0, global_blocks: 0};
        const at = prefill(n, {causal, training});
        const a = bigbird.cost(at, bb);
        const b = window.cost(at, {w: windowBlocks * block, fused: false});
        return (
          JSON.stringify(a) === JSON.stringify(b) &&
          bigbird.cacheBytes(at, bb) >= window.cacheBytes(at, {w: 1})
        );
      },
    ),
  );
  t.pass();
});

test('linear and performer are exactly linear in n', t => {
  for (const id of ['linear', 'performer']) {
    const def = getVariant(id);
    const params = defaultsOf(def);
    fc.assert(
      fc.property(fc.integer({min: 1, max: 1 << 20}), fc.boolean(), (n, causal) => {
        const macs = (len: number) => total(def.cost(prefill(len, {causal}), params), 'macs');
        return macs(2 * n) === 2 * macs(n) && macs(3 * n) === 3 * macs(n);
      }),
    );
  }
  t.pass();
});

test('decode never costs more than the prefill that built its cache', t => {
  for (const def of listVariants()) {
    const params = defaultsOf(def);
    const step = def.cost(input({queries: 1, keys: 4096, queryOffset: 4095, causal: true}), params);
    const whole = def.cost(prefill(4096, {causal: true}), params);
    t.true(total(step, 'pairs') <= total(whole, 'pairs'), def.id);
    t.true(total(step, 'macs') <= total(whole, 'macs'), def.id);
  }
});
