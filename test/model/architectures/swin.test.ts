import test from 'ava';
import {InvalidInputError} from '../../../src/errors.js';
import {getArchitecture} from '../../../src/model/architectures/index.js';
import {evaluate} from '../../../src/model/engine.js';
import {resolveVariant} from '../../../src/model/variants/index.js';
import {preset, relativeError, workload} from './fixtures.js';

const swin = getArchitecture('swin');

/**
 * Forward MACs of a Swin with window 7 on a 224² image (56² tokens): per block 12·n·C² (QKV,
 * output, MLP 4C) + 2·n·49·C (window scores and weighted sum); patch merging n'·4C·C'; patch
 * embedding 3136·(4·4·3)·C₁; classifier C₄·1000.
 */
function swinMacs(widths: number[], depths: number[]): number {
  const tokens = [3136, 784, 196, 49];
  let macs = 3136 * 48 * widths[0]! + widths[3]! * 1000;
  for (let i = 0; i < 4; i++) {
    const n = tokens[i]!;
    const c = widths[i]!;
    macs += depths[i]! * (12 * n * c * c + 2 * n * 49 * c);
    if (i > 0) macs += n * 4 * widths[i - 1]! * c;
  }
  return macs;
}

/**
 * Parameters: per block 12·C² weights, 9·C biases (qkv 3C, proj C, fc1 4C, fc2 C), 4·C (two
 * LayerNorms) and the relative-position bias table 13²·C/32 (window 7, head dim 32); merging
 * 8·C + 4·C·C' (no bias); patch 48·C₁ + C₁ + 2·C₁; final norm and head 1000·(C₄ + 1).
 */
function swinParams(widths: number[], depths: number[]): number {
  let params = 48 * widths[0]! + 3 * widths[0]! + 2 * widths[3]! + (widths[3]! + 1) * 1000;
  for (let i = 0; i < 4; i++) {
    const c = widths[i]!;
    params += depths[i]! * (12 * c * c + 9 * c + 4 * c + (169 * c) / 32);
    if (i > 0) params += 8 * widths[i - 1]! + 4 * widths[i - 1]! * c;
  }
  return params;
}

test('Swin-T at 224²: 4.5 GMACs and 28M parameters', t => {
  const model = preset('swin-t');
  t.is(swin.defaultSeq(model), 3136);
  const e = evaluate(model, workload({seq: 3136}));
  t.deepEqual(
    e.cost.groups.map(g => [g.label, g.repeat, g.tokens]),
    [
      ['stage 1 · swin window=7', 2, 3136],
      ['stage 2 · swin window=7', 2, 784],
      ['stage 3 · swin window=7', 6, 196],
      ['stage 4 · swin window=7', 2, 49],
    ],
  );
  t.is(e.totals.macs, swinMacs([96, 192, 384, 768], [2, 2, 6, 2]));
  t.is(e.totals.macs, 4_490_566_656);
  // torchvision swin_t: 4.49 GFLOPS (multiply-adds) and 28,288,354 parameters (biases and the
  // relative-position bias tables, 169 per head per block, included); the paper: 4.5G, 28M.
  t.true(relativeError(e.totals.macs, 4.49e9) < 0.005);
  t.is(e.params, swinParams([96, 192, 384, 768], [2, 2, 6, 2]));
  t.is(e.params, 28_288_354);
});

test('--d-model/--heads/--layers rescale the stages the way the family scales (Swin-S, Swin-B)', t => {
  const small = evaluate({...preset('swin-t'), layers: 24}, workload({seq: 3136}));
  // Swin-S: depths 2/2/18/2 — the extra blocks go to the deepest stage. Paper: 50M, 8.7G.
  t.deepEqual(
    small.cost.groups.map(g => g.repeat),
    [2, 2, 18, 2],
  );
  t.true(relativeError(small.params, 50e6) < 0.03);
  t.true(relativeError(small.totals.macs, 8.7e9) < 0.03);
  // Swin-B: C = 128, heads 4/8/16/32 (head dim 32), depths 2/2/18/2. Paper: 88M, 15.4G.
  const base = evaluate({...preset('swin-t'), dModel: 128, heads: 4, layers: 24}, workload({seq: 3136}));
  t.is(base.totals.macs, swinMacs([128, 256, 512, 1024], [2, 2, 18, 2]));
  t.is(base.params, swinParams([128, 256, 512, 1024], [2, 2, 18, 2]));
  t.true(relativeError(base.params, 88e6) < 0.03);
  t.true(relativeError(base.totals.macs, 15.4e9) < 0.03);
});

test('without stated stages, four stages are derived from dModel, heads and layers', t => {
  const {stages: _stages, ...rest} = preset('swin-t');
  const derived = evaluate({...rest}, workload({seq: 3136}));
  const stated = evaluate(preset('swin-t'), workload({seq: 3136}));
  t.is(derived.totals.macs, stated.totals.macs);
  t.is(derived.params, stated.params);
});

test('--seq sets the first stage tokens: image:1024x1024/4 = 65,536 → 16,384 → 4,096 → 1,024', t => {
  const e = evaluate(preset('swin-t'), workload({seq: 65_536}));
  t.deepEqual(
    e.cost.groups.map(g => g.tokens),
    [65_536, 16_384, 4_096, 1_024],
  );
  // Window attention is linear in n: image:896x896/4 has 16× the tokens of 224² (224 = 32·7
  // windows per side, no padding) and 16× the stage-1 core work.
  const core = (seq: number) => evaluate(preset('swin-t'), workload({seq, scope: 'attention'})).totals.macs;
  t.is(core(50_176), 16 * core(3136));
  // 256 tokens per side pad to 259 (37 windows of 7): the variant pays for the padding.
  t.is(core(65_536), 259 * 259 * 49 * 96 * 2);
});

test('--variant replaces every stage variant', t => {
  const e = evaluate(preset('swin-t'), workload({seq: 3136, scope: 'model'}), resolveVariant('standard'));
  t.true(e.cost.groups.every(g => g.label.endsWith('· standard')));
  // Stage 1 with global attention: 3 heads · 3136² pairs.
  t.is(e.cost.groups[0]!.components.find(c => c.cost.name === 'scores')!.cost.pairs, 3 * 3136 * 3136);
});

test('decode is refused with the reason and the modes that work', t => {
  const error = t.throws(() => evaluate(preset('swin-t'), workload({seq: 3136, mode: 'decode'})), {
    instanceOf: InvalidInputError,
  });
  t.is(
    error.message,
    "--mode decode is not defined for 'swin-t' (swin): patch merging and window partitions need the whole token grid, so an image encoder has no one-token step",
  );
  t.is((error as InvalidInputError).hint, 'Use --mode prefill (one forward pass) or --mode train.');
});

test('complexity view: the window variant n·M²·d; path length grows with windows per side', t => {
  const model = preset('swin-t');
  t.is(swin.leadingOps(3136, model), 3136 * 49 * 96);
  // 56 tokens per side / 7 = 8 windows: about 8 layers between opposite corners.
  t.deepEqual(swin.pathLength(3136, model), {max: 8, mean: 4.5});
  t.deepEqual(swin.pathLength(49, model), {max: 1, mean: 1});
});
