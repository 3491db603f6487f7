import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput, ComponentCost} from '../../../src/model/types.js';
import {TEXTBOOK_ACCOUNTING} from '../../../src/model/types.js';
import {flashVariant, groupedKeyRows, tiledKeyRows} from '../../../src/model/variants/flash.js';
import {standardVariant} from '../../../src/model/variants/standard.js';
import {input} from '../../helpers/variants.js';

// Worked example of docs/variants/flash.md: b = 1, n = m = 1024, h = 12, d_h = d_v = 64, s = 2, B_r = 128.
const decode = (m: number, over: Partial<AttentionInput> = {}) =>
  input({queries: 1, keys: m, queryOffset: m - 1, causal: true, ...over});
const defaults = flashVariant.params().parse({});
const only = (cs: ComponentCost[]) => {
  if (cs.length !== 1) throw new Error(`expected one fused component, got ${cs.length}`);
  return cs[0]!;
};

test('params: {} gives block 128', t => {
  t.deepEqual(defaults, {block: 128});
  t.false(flashVariant.params().safeParse({block: 0}).success);
  t.is(flashVariant.backwardFactor, 2.5);
});

test('non-causal prefill worked example: one fused component', t => {
  const c = only(flashVariant.cost(input(), defaults));
  t.is(c.name, 'attention');
  t.is(c.kernel, 'attention-fused');
  t.is(c.pairs, 12_582_912); // 12·1024·1024
  t.is(c.macs, 1_610_612_736); // T·(64 + 64), the same as standard
  t.is(c.vectorFlops, 62_914_560); // 5·T
  // Q once: 12·1024·64·2 = 1,572,864; K and V once per 128-row tile: 8 tiles · 1024 rows → R = 8192,
  // but the tiles of a head share each K/V block through L2 in groups of L2_SHARED_TILES = 64:
  // R/64 = 128 rows, below one read of the 1024 keys, so DRAM sees 1024 rows,
  // 12·1024·(64 + 64)·2 = 3,145,728.
  t.is(c.readBytes, 1_572_864 + 3_145_728);
  // The grid: 12 heads × 8 query tiles; each steps over 1024/128 = 8 key blocks (B_c = 128 at d_h 64).
  t.is(c.tiles, 96);
  t.is(c.tileSteps, 768);
  t.is(c.computedPairs, 12_582_912);
  // O 12·1024·64·2 = 1,572,864 and the fp32 log-sum-exp 12·1024·4 = 49,152.
  t.is(c.writeBytes, 1_622_016);
  t.is(c.transientBytes, 0);
  t.is(c.savedBytes, 0);
});

test('causal prefill: visible pairs only, whole blocks up to the diagonal', t => {
  const c = only(flashVariant.cost(input({causal: true}), defaults));
  t.is(c.pairs, 6_297_600); // 12·1024·1025/2 = 12·524,800
  t.is(c.macs, 806_092_800); // 6,297,600·128
  // Tile t reads 128·(t + 1) keys: 128·(1 + … + 8) = 4608 rows, shared through L2 → 4608/64 = 72,
  // never below the compulsory 1024 rows: 12·1024·128·2 = 3,145,728.
  t.is(c.readBytes, 1_572_864 + 3_145_728);
  // 4608/128 = 36 key-block steps per head; whole 128×128 blocks on the diagonal:
  // 12·128·4608 = 7,077,888 computed pairs (12 % more than the visible 6,297,600).
  t.is(c.tileSteps, 432);
  t.is(c.computedPairs, 7_077_888);
  // Textbook accounting counts the masked pairs and reads as computed.
  const masked = only(flashVariant.cost(input({causal: true, accounting: TEXTBOOK_ACCOUNTING}), defaults));
  t.is(masked.pairs, 12_582_912);
  t.is(masked.readBytes, 1_572_864 + 3_145_728);
});

test('training saves only the log-sum-exp', t => {
  const [c, ...backward] = flashVariant.cost(input({training: true}), defaults);
  t.is(c!.savedBytes, 49_152); // b·h·n·4
  t.deepEqual(
    backward.map(k => k.savedBytes),
    [0, 0],
  );
});

test("training adds FA2's backward pre- and post-processing kernels (memory-bound, backward only)", t => {
  // Worked example: b·h·n = 12·1024 = 12,288 query rows and heads, d_h = d_v = 64, s = 2.
  const [main, dot, convert] = flashVariant.cost(input({training: true}), defaults);
  t.false(main!.backwardOnly);
  t.like(dot, {
    name: 'backward-dot-do-o',
    kernel: 'elementwise',
    backwardOnly: true,
    macs: 0,
    vectorFlops: 1_572_864, // 2·12,288·64: D = rowsum(dO ∘ O)
    readBytes: 3_145_728, // O and dO: 2·12,288·64·2
    writeBytes: 3_194_880, // D fp32 (12,288·4) + cleared dQ accumulator (12,288·64·4)
    transientBytes: 3_145_728, // the fp32 dQ accumulator
  });
  t.like(convert, {
    name: 'backward-convert-dq',
    backwardOnly: true,
    readBytes: 3_145_728, // the accumulator
    writeBytes: 1_572_864, // dQ in fp16
  });
  // Inference runs the forward kernel alone.
  t.is(flashVariant.cost(input(), defaults).length, 1);
});

test('decode: GQA query heads share one tile, K/V read once per K/V head', t => {
  const mha = only(flashVariant.cost(decode(1024), defaults));
  t.is(mha.pairs, 12_288);
  t.is(mha.macs, 1_572_864);
  t.is(mha.readBytes, 1536 + 3_145_728); // Q 12·64·2 + K/V 12·1024·128·2
  const gqa = only(flashVariant.cost(decode(1024, {kvHeads: 4}), defaults));
  t.is(gqa.macs, mha.macs);
  t.is(gqa.readBytes, 1536 + 1_048_576); // K/V 4·1024·128·2
  t.is(flashVariant.cacheBytes(decode(1024, {kvHeads: 4}), defaults), 1_048_576);
});

test('GQA tiling: the cheaper of per-head tiles and packed tiles of ⌊B_r/g⌋ positions', t => {
  const rows = (at: AttentionInput) => (positions: number) => tiledKeyRows(at, positions, false);
  // Prefill, g = 3: unpacked 3 heads · 8 tiles · 1024 = 24,576; packed ⌈1024/42⌉ = 25 tiles · 1024 =
  // 25,600 → unpacked.
  t.is(groupedKeyRows(input({kvHeads: 4}), 128, rows(input({kvHeads: 4}))), 24_576);
  // g = 2: both 16,384 (2·8·1024 and 16 tiles of 64 positions).
  t.is(groupedKeyRows(input({kvHeads: 6}), 128, rows(input({kvHeads: 6}))), 16_384);
  // Decode, g = 64 > B_r = 32: packed needs ⌈64/32⌉ = 2 tiles for the one position: 2·1024 rows
  // instead of 64·1024.
  const step = decode(1024, {heads: 64, kvHeads: 1});
  t.is(
    groupedKeyRows(step, 32, positions => tiledKeyRows(step, positions, true)),
    2048,
  );
});

test('tiled key rows equal a tile-by-tile loop', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 500}),
      fc.integer({min: 0, max: 499}),
      fc.integer({min: 1, max: 64}),
      fc.boolean(),
      (m, start, positions, causal) => {
        const offset = start % m;
        const n = m - offset;
        let expected = 0;
        for (let first = 0; first < n; first += positions) {
          const last = Math.min(first + positions, n) - 1;
          expected += causal ? Math.min(offset + last + 1, m) : m;
        }
        return (
          tiledKeyRows(input({queries: n, keys: m, queryOffset: offset}), positions, causal) === expected
        );
      },
    ),
  );
  t.pass();
});

test('flash MACs equal standard MACs non-causal, and causal is (n + 1)/(2n) of them', t => {
  fc.assert(
    fc.property(fc.integer({min: 1, max: 1 << 20}), fc.integer({min: 1, max: 8}), (n, b) => {
      const sum = (cs: ComponentCost[]) => cs.reduce((s, c) => s + c.macs, 0);
      const std = sum(standardVariant.cost(input({queries: n, keys: n, batch: b}), {dropout: 0}));
      const full = sum(flashVariant.cost(input({queries: n, keys: n, batch: b}), defaults));
      const causal = sum(flashVariant.cost(input({queries: n, keys: n, batch: b, causal: true}), defaults));
      return full === std && Math.abs(causal / std - (n + 1) / (2 * n)) < 1e-12;
    }),
  );
  t.pass();
});
