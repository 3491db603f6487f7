import test from 'ava';
import {runCli, runJson} from '../helpers/cli.js';

interface TokensEnvelope {
  schemaVersion: number;
  command: string;
  ok: boolean;
  inputs: Record<string, unknown>;
  results: {modality: string; tokens: number; formula: string}[];
  warnings: string[];
  error?: {code: string; message: string; path: (string | number)[]};
}

test('tokens image: 1024x1024 / 16 is 4,096 tokens', t => {
  const {code, stdout} = runCli(['tokens', 'image', '--size', '1024x1024', '--patch', '16']);
  t.is(code, 0);
  t.is(stdout, '4,096 tokens · image 1024x1024, patch 16\n⌊1024/16⌋·⌊1024/16⌋ = 64·64 = 4096\n');
});

test('tokens image --json: one result, resolved inputs echoed', t => {
  const {code, json} = runJson<TokensEnvelope>([
    'tokens',
    'image',
    '--size',
    '224x224',
    '--patch',
    '16',
    '--cls',
  ]);
  t.is(code, 0);
  t.true(json.ok);
  t.is(json.schemaVersion, 2);
  t.deepEqual(json.inputs, {modality: 'image', height: 224, width: 224, patch: 16, cls: true});
  // 14·14 + 1 = 197
  t.deepEqual(json.results, [
    {modality: 'image', tokens: 197, formula: '⌊224/16⌋·⌊224/16⌋ + 1 = 14·14 + 1 = 197'},
  ]);
  t.deepEqual(json.warnings, []);
});

test('tokens image --patch 1 counts raw pixels', t => {
  const {json} = runJson<TokensEnvelope>(['tokens', 'image', '--size', '1024', '--patch', '1']);
  t.is(json.results[0]!.tokens, 1_048_576); // 1024²
});

test('tokens audio: samples and hop frames', t => {
  const raw = runJson<TokensEnvelope>(['tokens', 'audio', '--seconds', '10', '--rate', '16000']);
  t.is(raw.code, 0);
  t.is(raw.json.results[0]!.tokens, 160_000); // 10·16000
  t.deepEqual(raw.json.inputs, {modality: 'audio', seconds: 10, rate: 16000});
  const framed = runCli(['tokens', 'audio', '--seconds', '10s', '--rate', '16k', '--hop', '320']);
  t.is(framed.code, 0);
  t.is(
    framed.stdout,
    '500 tokens · audio 10 s at 16,000 Hz, hop 320\n⌊round(10·16000)/320⌋ = ⌊160000/320⌋ = 500\n',
  );
});

test('tokens video: 32 frames, 224², patch 16, tubelet 2 is 3,136', t => {
  const {code, stdout} = runCli([
    'tokens',
    'video',
    '--frames',
    '32',
    '--size',
    '224x224',
    '--patch',
    '16',
    '--tubelet',
    '2',
  ]);
  t.is(code, 0);
  t.is(
    stdout,
    '3,136 tokens · video 32x224x224, patch 16, tubelet 2\n⌊32/2⌋·⌊224/16⌋·⌊224/16⌋ = 16·14·14 = 3136\n',
  );
});

test('tokens text: bytes, or chars × bytes per char', t => {
  const bytes = runJson<TokensEnvelope>(['tokens', 'text', '--bytes', '2048']);
  t.is(bytes.code, 0);
  t.deepEqual(bytes.json.results, [{modality: 'text', tokens: 2048, formula: '2048 bytes = 2048'}]);
  const chars = runJson<TokensEnvelope>(['tokens', 'text', '--chars', '1000', '--bytes-per-char', '1.5']);
  t.is(chars.json.results[0]!.tokens, 1500); // 1000·1.5
});

test('invalid input exits 2 with the message on stderr, nothing on stdout', t => {
  const {code, stdout, stderr} = runCli(['tokens', 'image', '--size', '10x']);
  t.is(code, 2);
  t.is(stdout, '');
  t.regex(stderr, /attncap: --size '10x' is not an image size: use HEIGHTxWIDTH in pixels, e\.g\. 1024x1024/);
});

test('invalid input under --json is one error document, exit 2', t => {
  const {code, json} = runJson<TokensEnvelope>(['tokens', 'image', '--size', '8x8', '--patch', '16']);
  t.is(code, 2);
  t.false(json.ok);
  t.deepEqual(json.error, {
    code: 'INVALID_INPUT',
    message: 'patch 16 is larger than the 8x8 image, which leaves no whole patch: use a patch of at most 8',
    path: ['patch'],
  });
});

test('other invalid inputs exit 2', t => {
  t.is(runCli(['tokens', 'audio', '--seconds', '2m']).code, 2);
  t.is(runCli(['tokens', 'audio', '--seconds', '10', '--hop', '0']).code, 2);
  t.is(runCli(['tokens', 'video', '--frames', '1', '--size', '224', '--tubelet', '2']).code, 2);
  t.is(runCli(['tokens', 'text']).code, 2);
  t.is(runCli(['tokens', 'text', '--bytes', '1', '--chars', '2']).code, 2);
  t.is(runCli(['tokens', 'image']).code, 2); // --size is required
});
