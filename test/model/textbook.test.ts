/** The textbook profile's formulas (docs/design.md §5.1), hand-computed. */
import test from 'ava';
import {
  textbookAttentionCore,
  textbookAttentionMemoryBytes,
  textbookAttentionSeconds,
  textbookAttentionVsRnn,
  textbookLayer,
  textbookMaxSeq,
  textbookPathLengths,
  textbookUsableBytes,
} from '../../src/model/textbook.js';

test('attention core at n = 1024, d = 768: 2·n²·d + 3·n²', t => {
  const c = textbookAttentionCore(1024, 768);
  t.is(c.scores, 805_306_368); // 1024² · 768
  t.is(c.softmax, 3_145_728); // 3 · 1024²
  t.is(c.total, 1_613_758_464); // 2 · 805,306,368 + 3,145,728
});

test('layer distribution at n = 1024, d = 768', t => {
  const l = textbookLayer(1024, 768);
  t.is(l.qkv, 1_811_939_328); // 3 · 1024 · 768²
  t.is(l.output, 603_979_776); // 1024 · 768²
  t.is(l.ffn, 4_831_838_208); // 2 · 1024 · 768 · 3072
  t.is(l.total, 1_613_758_464 + 1_811_939_328 + 603_979_776 + 4_831_838_208);
});

test('attention memory per sample: L·s·(3nd + hn² + nd)', t => {
  // GPT-2 small, n = 1024, fp16: 12 · 2 · (3·1024·768 + 12·1024² + 1024·768) = 377,487,360 bytes
  t.is(textbookAttentionMemoryBytes(1024, 768, 12, 12, 2), 377_487_360);
});

test('maximum sequence length on an RTX 3090 (24 GB, 70% usable), GPT-2 small fp16', t => {
  // ⌊√(24e9 · 0.7 / (12 · 2 · 12))⌋ = ⌊√58,333,333.3⌋ = 7637
  t.is(textbookMaxSeq(textbookUsableBytes(24), 12, 2, 12), 7637);
});

test('attention time at 150 TFLOP/s', t => {
  const {seconds, tokensPerSec} = textbookAttentionSeconds(1024, 768, 12, 150e12);
  t.is(seconds, 19_327_352_832 / 150e12); // 2 · 1024² · 768 · 12
  t.is(tokensPerSec, 1024 / seconds);
});

test('path lengths and the attention/RNN trade-off at n = d = 512', t => {
  t.deepEqual(textbookPathLengths(512), {attention: 1, rnnMax: 511, rnnMean: 255.5});
  const r = textbookAttentionVsRnn(512, 512);
  t.is(r.computeRatio, 1);
  t.is(r.efficiency, 511);
});
