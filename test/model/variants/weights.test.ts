/**
 * Weights a variant adds to an attention layer beyond Q/K/V/O (VariantDef.weights), on the docs'
 * worked-example shape: d = 768, h = h_kv = 12, d_h = d_v = 64, n = m = 1024.
 */
import test from 'ava';
import {evaluate} from '../../../src/model/engine.js';
import {getVariant, listVariants, resolveVariant} from '../../../src/model/variants/index.js';
import {input} from '../../helpers/variants.js';
import {preset, workload} from '../architectures/fixtures.js';

const weightsOf = (id: string, params: Record<string, unknown> = {}, over = {}) => {
  const def = getVariant(id);
  return def.weights?.(input(over), def.params().parse(params) as never) ?? 0;
};

test('Swin: a (2M − 1)² relative-position bias table per head', t => {
  t.is(weightsOf('swin'), 13 * 13 * 12);
  t.is(weightsOf('swin', {window: 12}), 23 * 23 * 12);
});

test("Longformer: global attention's own Q_g, K_g, V_g", t => {
  t.is(weightsOf('longformer'), 768 * (12 * 64 + 12 * 128));
  // GQA: K_g and V_g project to the K/V heads only.
  t.is(weightsOf('longformer', {}, {kvHeads: 4}), 768 * (12 * 64 + 4 * 128));
});

test('Linformer: E and F, k × m each, grow with the keys they project', t => {
  t.is(weightsOf('linformer'), 2 * 256 * 1024);
  t.is(weightsOf('linformer', {k: 64}, {keys: 4096}), 2 * 64 * 4096);
});

test('Transformer-XL: W_{k,R} and u, v with relative positions, nothing without', t => {
  t.is(weightsOf('xl'), (768 + 2) * 12 * 64);
  t.is(weightsOf('xl', {relative: false}), 0);
});

test('the other variants add no weights', t => {
  const adding = listVariants()
    .filter(def => (def.weights?.(input(), def.params().parse({}) as never) ?? 0) > 0)
    .map(def => def.id);
  t.deepEqual(adding.sort(), ['linformer', 'longformer', 'swin', 'xl']);
});

test('a model counts its variant weights once per layer', t => {
  const gpt2 = preset('gpt2-small');
  const w = workload({seq: 1024, causal: true});
  const base = evaluate(gpt2, w, resolveVariant('standard')).params;
  t.is(evaluate(gpt2, w, resolveVariant('longformer')).params - base, 12 * 768 * 2304);
  t.is(evaluate(gpt2, w, resolveVariant('swin')).params - base, 12 * 169 * 12);
});
