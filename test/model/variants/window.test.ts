import test from 'ava';
import fc from 'fast-check';
import type {AttentionInput} from '../../../src/model/types.js';
import {TEXTBOOK_ACCOUNTING} from '../../../src/model/types.js';
import {windowKeyRows, windowVariant} from '../../../src/model/variants/window.js';
import {input, total} from '../../helpers/variants.js';

// Worked example of docs/variants/window.md: b = 1, n = m = 1024, h = 12, d_h = d_v = 64, s = 2, w = 256.
const decode = (m: number, over: Partial<AttentionInput> = {}) =>
  input({queries: 1, keys: m, queryOffset: m - 1, causal: true, ...over});
const w256 = {w: 256, fused: false};

test('params: {} gives w 512, not fused', t => {
  t.deepEqual(windowVariant.params().parse({}), {w: 512, fused: false});
  t.false(windowVariant.params().safeParse({w: 0}).success);
  t.false(windowVariant.params().safeParse({w: 2.5}).success);
});

test('non-causal prefill: every row sees w keys, materialised band', t => {
  const cs = windowVariant.cost(input(), w256);
  t.deepEqual(
    cs.map(c => [c.name, c.kernel]),
    [
      ['scores', 'attention-sparse'],
      ['softmax', 'attention-sparse'],
      ['weighted-sum', 'attention-sparse'],
    ],
  );
  // 12·1024·256 = 3,145,728 scores.
  t.is(total(cs, 'pairs'), 3_145_728);
  t.is(total(cs, 'macs'), 402_653_184); // 3,145,728·128
  t.is(cs[1]!.transientBytes, 12_582_912); // 2·T·s
});

test('causal prefill worked example: rows see 1, 2, …, 256, 256, … keys', t => {
  const cs = windowVariant.cost(input({causal: true}), w256);
  // Per head 256·257/2 + 256·(1024 − 256) = 32,896 + 196,608 = 229,504; ×12 = 2,754,048.
  t.is(total(cs, 'pairs'), 2_754_048);
  t.is(total(cs, 'macs'), 352_518_144); // ·128
  t.is(total(cs, 'vectorFlops'), 13_770_240); // 5·T
  t.is(total(windowVariant.cost(input({causal: true, training: true}), w256), 'savedBytes'), 5_508_096); // T·s
  // Textbook counts the masked corner of the band: a full band 1024·256 per head.
  t.is(
    total(windowVariant.cost(input({causal: true, accounting: TEXTBOOK_ACCOUNTING}), w256), 'pairs'),
    3_145_728,
  );
});

test('fused: one kernel, K/V read once per 128-row tile over its band', t => {
  const cs = windowVariant.cost(input({causal: true}), {w: 256, fused: true});
  t.is(cs.length, 1);
  const c = cs[0]!;
  t.is(c.kernel, 'attention-fused');
  t.is(c.pairs, 2_754_048);
  // Tiles: t=0 keys 0..127 (128), t=1 keys 0..255 (256), t=2..7 keys 128t−255..128t+127 (383 each):
  // R = 128 + 256 + 6·383 = 2682; 12·2682·128·2 = 8,239,104, plus Q 1,572,864.
  t.is(c.readBytes, 1_572_864 + 8_239_104);
  t.is(c.transientBytes, 0);
  t.is(
    windowVariant.cost(input({causal: true, training: true}), {w: 256, fused: true})[0]!.savedBytes,
    49_152,
  );
  // Non-causal: 8 tiles · min(1024, 128 + 255) = 3064 rows.
  t.is(windowVariant.cost(input(), {w: 256, fused: true})[0]!.readBytes, 1_572_864 + 12 * 3064 * 256);
});

test('fused window key rows equal a tile-by-tile loop', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 400}),
      fc.integer({min: 0, max: 399}),
      fc.integer({min: 1, max: 500}),
      fc.integer({min: 1, max: 64}),
      (m, start, w, positions) => {
        const offset = start % m;
        const n = m - offset;
        let causal = 0;
        let band = 0;
        for (let first = 0; first < n; first += positions) {
          const rows = Math.min(positions, n - first);
          const f = offset + first;
          const l = f + rows - 1;
          causal += Math.min(l, m - 1) - Math.max(0, f - w + 1) + 1;
          band += Math.min(m, rows + w - 1);
        }
        const at = input({queries: n, keys: m, queryOffset: offset});
        return (
          windowKeyRows(at, w, positions, true) === causal && windowKeyRows(at, w, positions, false) === band
        );
      },
    ),
  );
  t.pass();
});

test('decode sees min(m, w) keys; the cache is a rolling buffer of min(m, w)', t => {
  t.is(total(windowVariant.cost(decode(1024), w256), 'pairs'), 3072); // 12·256
  t.is(total(windowVariant.cost(decode(100), w256), 'pairs'), 1200); // 12·100
  t.is(windowVariant.cacheBytes(input(), w256), 786_432); // 256·12·128·2
  t.is(windowVariant.cacheBytes(input({keys: 100}), w256), 307_200); // 100·12·128·2
  t.is(windowVariant.cacheBytes(input({kvHeads: 4}), w256), 262_144); // 256·4·128·2
  t.is(windowVariant.leadingOps(1024, 768, w256), 1024 * 256 * 768);
});
