/**
 * llm-analysis's own validation case (cli99/llm-analysis examples/fastertransformer: README,
 * run_infer.sh, model_configs/test-13b.json): FasterTransformer running a 13B GPT (40 layers,
 * 40 heads, d = 5120, d_ff = 20480, vocabulary 50272) in fp16 on one A100 SXM 40GB, batch 1,
 * 512 prompt tokens: prefill 63.17 ms, decode 22.0 ms per token (kipply, "Transformer Inference
 * Arithmetic"). llm-analysis predicts −1.6 % and −13.8 %; attncap must land within 10 % on both
 * (docs/calibration-presets.md "Decode: the FasterTransformer 13B case").
 */
import test from 'ava';
import {latencyQ} from '../helpers/queries.js';

const ft13b = async (mode: 'prefill' | 'decode', variant: string) => {
  const q = await latencyQ({
    'd-model': '5120',
    heads: '40',
    layers: '40',
    'd-ff': '20480',
    vocab: '50272',
    batch: '1',
    seq: '512',
    dtype: 'fp16',
    mode,
    variant: [variant],
    hardware: ['a100-40gb'],
  });
  return q.rows[0]!.seconds;
};

test('FasterTransformer 13B on A100 40GB: prefill (unfused context attention) within 10 % of 63.17 ms', async t => {
  const seconds = await ft13b('prefill', 'standard');
  t.true(Math.abs(seconds / 63.17e-3 - 1) < 0.1, `${(seconds * 1e3).toFixed(2)} ms`);
});

test('FasterTransformer 13B on A100 40GB: decode (fused masked attention over the cache) within 10 % of 22.0 ms', async t => {
  const seconds = await ft13b('decode', 'flash');
  t.true(Math.abs(seconds / 22.0e-3 - 1) < 0.1, `${(seconds * 1e3).toFixed(2)} ms`);
  // Better than llm-analysis's −13.8 % on the same case.
  t.true(Math.abs(seconds / 22.0e-3 - 1) < 0.138);
});
