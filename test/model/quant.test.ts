import test from 'ava';
import {InvalidInputError} from '../../src/errors.js';
import {parseWeightFormat, resolveModel, resolveWorkload} from '../../src/inputs.js';
import {evaluate} from '../../src/model/engine.js';
import {weightBytesOf} from '../../src/model/memory.js';
import {kvBytesPerElement, weightFormat} from '../../src/model/quant.js';
import {atSeq} from '../../src/model/workload.js';

test('bits per weight count the group scales', t => {
  t.is(weightFormat('int4').bitsPerWeight, 4 + 16 / 128);
  t.is(parseWeightFormat('int4:g=128', 'weights').bitsPerWeight, 4.125);
  t.is(parseWeightFormat('int4:g=64', 'weights').bitsPerWeight, 4.25);
  t.is(parseWeightFormat('awq', 'weights').label, 'int4 g=128');
  t.is(parseWeightFormat('GPTQ', 'weights').bitsPerWeight, 4.125);
  t.is(parseWeightFormat('mxfp4', 'weights').bitsPerWeight, 4.25);
  t.is(parseWeightFormat('nvfp4', 'weights').bitsPerWeight, 4.5);
  t.is(parseWeightFormat('nf4', 'weights').bitsPerWeight, 4 + 8 / 64 + 32 / (64 * 256));
  t.is(parseWeightFormat('int8', 'weights').bitsPerWeight, 8);
  t.is(parseWeightFormat('fp8', 'weights').bitsPerWeight, 8);
  t.is(parseWeightFormat('bf16', 'weights').bitsPerWeight, 16);
});

test('bad weight formats name the value, the rule and the choices', t => {
  const e = t.throws(() => parseWeightFormat('int3', 'weights'), {instanceOf: InvalidInputError});
  t.is(e?.message, "--weights 'int3' is not a weight format; did you mean 'int4'?");
  t.regex(e?.hint ?? '', /Valid: fp32, bf16, fp16, fp8, int8, int4, nf4, mxfp4, nvfp4, awq, gptq/);
  t.is(
    t.throws(() => parseWeightFormat('mxfp4:g=16', 'weights'))?.message,
    "--weights 'mxfp4:g=16': mxfp4 has a fixed layout and takes no parameters",
  );
  t.is(
    t.throws(() => parseWeightFormat('int4:128', 'weights'))?.message,
    "--weights 'int4:128': the group size is written g=N, e.g. int4:g=128",
  );
});

test('KV dtypes: int8/int4 add 32 bits of scale and zero point per head; fp8 is one byte', t => {
  t.is(kvBytesPerElement('fp8', 128), 1);
  t.is(kvBytesPerElement('int8', 128), (8 + 32 / 128) / 8);
  t.is(kvBytesPerElement('int4', 128), (4 + 32 / 128) / 8);
  t.is(kvBytesPerElement('bf16', 64), 2);
});

test('int4 weights: the layers at 4.125 bits, embeddings and LM head at the compute dtype', t => {
  const model = resolveModel({preset: 'llama-3.1-8b'});
  const bf16 = resolveWorkload({}, model);
  const int4 = resolveWorkload({weights: 'int4:g=128'}, model);
  const e = evaluate(model, atSeq(int4.base, 1), undefined, {scoped: false});
  const vocabParams = 2 * (model.vocab ?? 0) * model.dModel; // untied embedding + LM head
  t.true(e.cost.extraParams >= vocabParams);
  t.is(
    weightBytesOf(e, atSeq(int4.base, 1)),
    (e.params - e.cost.extraParams) * 0.515625 + e.cost.extraParams * 2,
  );
  t.is(weightBytesOf(e, atSeq(bf16.base, 1)), e.params * 2);
  // Decode traffic follows the format: the layers' weights read at 4.125 bits.
  const dec = (w: typeof int4) => evaluate(model, atSeq({...w.base, mode: 'decode'}, 1024)).totals.readBytes;
  t.true(dec(int4) < dec(bf16) / 2.5);
});

test('--weights int4 with --mode train exits 2', t => {
  const model = resolveModel({preset: 'gpt2-small'});
  t.is(
    t.throws(() => resolveWorkload({weights: 'int4', mode: 'train'}, model))?.message,
    '--weights int4 g=128 is an inference format; training keeps weights in a floating-point dtype',
  );
});

test('a paged KV cache holds whole blocks per sequence', t => {
  const model = resolveModel({preset: 'llama-3.1-8b'});
  const w = (block: string, seq: number) =>
    atSeq({...resolveWorkload({kvBlock: Number(block), mode: 'decode'}, model).base}, seq, 3);
  const cache = (block: string, seq: number) =>
    evaluate(model, w(block, seq), undefined, {scoped: false}).cacheBytes;
  t.is(cache('16', 1000), cache('1', 1008));
  t.is(cache('16', 1008), cache('1', 1008));
  t.is(cache('16', 1009), cache('1', 1024));
});

test("a quantised checkpoint's own format is the default of --weights; float checkpoints follow --dtype", t => {
  const base = resolveModel({preset: 'llama-3.1-8b'});
  const withFormat = (weightFormat: string) => ({...base, weightFormat}) as typeof base;
  t.is(resolveWorkload({}, withFormat('mxfp4')).weights.label, 'mxfp4');
  t.is(resolveWorkload({}, withFormat('fp8')).base.weightBytes, 1);
  t.is(resolveWorkload({}, withFormat('int4')).weights.label, 'int4 g=128');
  t.is(resolveWorkload({}, withFormat('fp32')).weights.label, 'bf16');
  t.is(resolveWorkload({}, withFormat('int3')).weights.label, 'bf16');
  t.is(resolveWorkload({weights: 'bf16'}, withFormat('mxfp4')).weights.label, 'bf16');
  // Training keeps float weights: a quantised checkpoint is no default there, fp8 still is.
  t.is(resolveWorkload({mode: 'train'}, withFormat('mxfp4')).weights.label, 'bf16');
  t.is(resolveWorkload({mode: 'train'}, withFormat('fp8')).weights.label, 'fp8');
  t.throws(() => resolveWorkload({mode: 'train', weights: 'mxfp4'}, withFormat('mxfp4')), {
    instanceOf: InvalidInputError,
  });
});
