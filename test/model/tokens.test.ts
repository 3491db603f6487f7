import test from 'ava';
import fc from 'fast-check';
import {InvalidInputError} from '../../src/errors.js';
import {resolveSeqs} from '../../src/inputs.js';
import {audioTokens, imageTokens, parseModality, textTokens, videoTokens} from '../../src/model/tokens.js';
import {loadModel} from '../../src/presets/load.js';

test('image: 1024×1024 with 16×16 patches is 4096 tokens (docs/design.md §6)', t => {
  // ⌊1024/16⌋ = 64 per side; 64·64 = 4096
  t.deepEqual(imageTokens({height: 1024, width: 1024, patch: 16}), {
    modality: 'image',
    tokens: 4096,
    formula: '⌊1024/16⌋·⌊1024/16⌋ = 64·64 = 4096',
  });
});

test('image: 224×224/16 is 196, +cls is 197', t => {
  // 224/16 = 14; 14·14 = 196
  t.is(imageTokens({height: 224, width: 224, patch: 16}).tokens, 196);
  t.deepEqual(imageTokens({height: 224, width: 224, patch: 16, cls: true}), {
    modality: 'image',
    tokens: 197,
    formula: '⌊224/16⌋·⌊224/16⌋ + 1 = 14·14 + 1 = 197',
  });
});

test('image: patch 1 counts raw pixels', t => {
  t.is(imageTokens({height: 224, width: 224, patch: 1}).tokens, 50_176); // 224² = 50,176
  t.is(imageTokens({height: 1024, width: 1024, patch: 1}).tokens, 1_048_576); // 1024² = 2²⁰
});

test('image: partial patches at the border are dropped', t => {
  // ⌊230/16⌋ = 14, ⌊100/16⌋ = 6 → 84
  t.is(imageTokens({height: 230, width: 100, patch: 16}).tokens, 84);
});

test('image: patch larger than the image is rejected', t => {
  const error = t.throws(() => imageTokens({height: 16, width: 8, patch: 10}), {
    instanceOf: InvalidInputError,
  });
  t.is(
    error.message,
    'patch 10 is larger than the 16x8 image, which leaves no whole patch: use a patch of at most 8',
  );
  t.deepEqual(error.path, ['patch']);
});

test('image: zero and fractional sizes are rejected', t => {
  t.throws(() => imageTokens({height: 0, width: 8, patch: 1}), {
    instanceOf: InvalidInputError,
    message: 'image height 0 must be a whole number of at least 1',
  });
  t.throws(() => imageTokens({height: 8, width: 8, patch: 1.5}), {
    instanceOf: InvalidInputError,
    message: 'patch 1.5 must be a whole number of at least 1',
  });
});

test('audio: 10 s at 16 kHz is 160,000 samples; hop 320 gives 500 frames', t => {
  // 10·16000 = 160,000
  t.deepEqual(audioTokens({seconds: 10, rate: 16000}), {
    modality: 'audio',
    tokens: 160_000,
    formula: 'round(10·16000) = 160000',
  });
  // 160000/320 = 500
  t.deepEqual(audioTokens({seconds: 10, rate: 16000, hop: 320}), {
    modality: 'audio',
    tokens: 500,
    formula: '⌊round(10·16000)/320⌋ = ⌊160000/320⌋ = 500',
  });
});

test('audio: samples round to the nearest, frames floor', t => {
  t.is(audioTokens({seconds: 0.1, rate: 44100}).tokens, 4410); // 0.1·44100 = 4410.000000000001 → 4410
  t.is(audioTokens({seconds: 1, rate: 16000, hop: 3000}).tokens, 5); // ⌊16000/3000⌋ = 5
});

test('audio: invalid inputs', t => {
  t.throws(() => audioTokens({seconds: 0, rate: 16000}), {
    instanceOf: InvalidInputError,
    message: 'duration (seconds) 0 must be a number greater than 0',
  });
  t.throws(() => audioTokens({seconds: 1e-6, rate: 16000}), {
    message: '0.000001 s at 16000 Hz is less than one sample: use a longer clip or a higher rate',
  });
  const error = t.throws(() => audioTokens({seconds: 0.01, rate: 16000, hop: 320}));
  // 0.01·16000 = 160 samples < hop 320
  t.is(
    error.message,
    "hop 320 is longer than the clip's 160 samples, which leaves no whole frame: use a hop of at most 160",
  );
  t.deepEqual((error as InvalidInputError).path, ['hop']);
  t.throws(() => audioTokens({seconds: 1, rate: Number.NaN}), {instanceOf: InvalidInputError});
});

test('video: 32×224×224, patch 16, tubelet 2 is 3,136 tokens (docs/design.md §6)', t => {
  // ⌊32/2⌋ = 16, ⌊224/16⌋ = 14 → 16·14·14 = 3136
  t.deepEqual(videoTokens({frames: 32, height: 224, width: 224, patch: 16, tubelet: 2}), {
    modality: 'video',
    tokens: 3136,
    formula: '⌊32/2⌋·⌊224/16⌋·⌊224/16⌋ = 16·14·14 = 3136',
  });
  t.is(videoTokens({frames: 32, height: 224, width: 224, patch: 16}).tokens, 6272); // 32·196
});

test('video: tubelet longer than the clip is rejected', t => {
  const error = t.throws(() => videoTokens({frames: 3, height: 8, width: 8, patch: 8, tubelet: 4}));
  t.is(
    error.message,
    'tubelet 4 is longer than the 3 frames, which leaves no whole tubelet: use a tubelet of at most 3',
  );
  t.deepEqual((error as InvalidInputError).path, ['tubelet']);
});

test('text: byte-level tokens', t => {
  t.deepEqual(textTokens({bytes: 2048}), {modality: 'text', tokens: 2048, formula: '2048 bytes = 2048'});
  t.deepEqual(textTokens({chars: 1000}), {modality: 'text', tokens: 1000, formula: '1000·1 = 1000'});
  t.deepEqual(textTokens({chars: 1000, bytesPerChar: 3}), {
    modality: 'text',
    tokens: 3000,
    formula: '1000·3 = 3000',
  });
  // 1001·1.5 = 1501.5 → 1502
  t.deepEqual(textTokens({chars: 1001, bytesPerChar: 1.5}), {
    modality: 'text',
    tokens: 1502,
    formula: 'round(1001·1.5) = 1502',
  });
  t.throws(() => textTokens({bytes: 0}), {message: 'bytes 0 must be a whole number of at least 1'});
  t.throws(() => textTokens({chars: 5, bytesPerChar: -1}), {
    message: 'bytes per character -1 must be a number greater than 0',
  });
});

test('parseModality: every shorthand', t => {
  t.is(parseModality('image:1024x1024/16')?.tokens, 4096);
  t.is(parseModality('image:224x224/16+cls')?.tokens, 197);
  t.is(parseModality('image:224/16')?.tokens, 196); // square shorthand
  t.is(parseModality('IMAGE: 224 × 224 / 16 + CLS')?.tokens, 197);
  t.is(parseModality('audio:10s@16k')?.tokens, 160_000); // k = ×1000 for rates
  t.is(parseModality('audio:10@16000')?.tokens, 160_000); // bare duration = seconds
  t.is(parseModality('audio:10s@16kHz')?.tokens, 160_000);
  t.is(parseModality('audio:10s@16000/320')?.tokens, 500);
  t.is(parseModality('audio:500ms@16k')?.tokens, 8000); // 0.5·16000
  t.is(parseModality('audio:0.1min@16k')?.tokens, 96_000); // 6 s·16000
  t.is(parseModality('audio:1s@44.1k')?.tokens, 44_100);
  t.is(parseModality('video:32x224x224/16t2')?.tokens, 3136);
  t.is(parseModality('video:32x224x224/16')?.tokens, 6272);
  t.is(parseModality('bytes:2048')?.tokens, 2048);
  t.is(parseModality('bytes:2k')?.tokens, 2048); // k = ×1024 for token counts
  t.is(parseModality('bytes:1M')?.tokens, 1_048_576);
  t.is(parseModality('text:2048')?.tokens, 2048);
  t.is(parseModality('text:2048')?.modality, 'text');
});

test('parseModality: formula of a shorthand shows tidy decimals', t => {
  t.is(parseModality('audio:0.1min@16k')?.formula, 'round(6·16000) = 96000');
});

test('parseModality: undefined without a modality prefix', t => {
  t.is(parseModality('128k'), undefined);
  t.is(parseModality('512..64k:x4'), undefined);
  t.is(parseModality('pixels:1024'), undefined);
});

test('parseModality: malformed shorthand names the grammar', t => {
  const error = t.throws(() => parseModality('image:1024x'), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    "--seq 'image:1024x' is not a valid image shorthand: use image:HEIGHTxWIDTH/PATCH[+cls] " +
      '(or image:SIDE/PATCH), e.g. image:1024x1024/16 or image:224x224/16+cls',
  );
  t.deepEqual(error.path, ['seq']);
  t.throws(() => parseModality('audio:10s', 'seq'), {
    message:
      "--seq 'audio:10s' is not a valid audio shorthand: use audio:DURATION@RATE[/HOP] with DURATION in s, " +
      'ms or min and RATE in Hz (k = ×1000), e.g. audio:10s@16k or audio:10s@16000/320',
  });
  t.throws(() => parseModality('video:224x224/16', 'seq'), {
    message:
      "--seq 'video:224x224/16' is not a valid video shorthand: use video:FRAMESxHEIGHTxWIDTH/PATCH[tTUBELET], e.g. video:32x224x224/16t2",
  });
  t.throws(() => parseModality('bytes:2m'), {message: /is not a valid bytes shorthand/});
  t.throws(() => parseModality('text:'), {message: /is not a valid text shorthand/});
});

test('parseModality: out-of-range values carry the flag', t => {
  const error = t.throws(() => parseModality('image:8x8/16', 'sweep'), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    "--sweep 'image:8x8/16': patch 16 is larger than the 8x8 image, which leaves no whole patch: use a patch of at most 8",
  );
  t.deepEqual(error.path, ['sweep']);
  t.throws(() => parseModality('image:0x8/1'), {
    message: "--seq 'image:0x8/1': image height 0 must be a whole number of at least 1",
  });
  t.throws(() => parseModality('video:1x8x8/8t2'), {message: /tubelet 2 is longer than the 1 frames/});
  t.throws(() => parseModality('audio:1ms@100'), {message: /less than one sample/}); // 0.001·100 = 0.1 → 0
  t.throws(() => parseModality('bytes:0'), {
    message: "--seq 'bytes:0': bytes 0 must be a whole number of at least 1",
  });
});

test('property: image tokens are the product of whole patches per side', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 4096}),
      fc.integer({min: 1, max: 4096}),
      fc.integer({min: 1, max: 64}),
      (h, w, p) => {
        fc.pre(p <= h && p <= w);
        const {tokens} = imageTokens({height: h, width: w, patch: p});
        return tokens === Math.floor(h / p) * Math.floor(w / p) && tokens * p * p <= h * w;
      },
    ),
  );
  t.pass();
});

test('property: the shorthand agrees with the functions', t => {
  fc.assert(
    fc.property(
      fc.integer({min: 1, max: 64}),
      fc.integer({min: 16, max: 512}),
      fc.integer({min: 1, max: 16}),
      fc.integer({min: 1, max: 4}),
      (frames, side, patch, tubelet) => {
        fc.pre(tubelet <= frames);
        const shorthand = parseModality(`video:${frames}x${side}x${side}/${patch}t${tubelet}`)!;
        const direct = videoTokens({frames, height: side, width: side, patch, tubelet});
        return shorthand.tokens === direct.tokens && shorthand.formula === direct.formula;
      },
    ),
  );
  t.pass();
});

test('--seq image: counts the class token of a model that has one (ViT-B/16: 196 patches + 1 = 197)', t => {
  const vit = loadModel('vit-b-16');
  t.deepEqual(resolveSeqs('image:224x224/16', vit).values, [197]);
  t.regex(
    resolveSeqs('image:224x224/16', vit).formula ?? '',
    /14·14 \+ 1 = 197 \(vit-b-16 has a class token\)/,
  );
  // An explicit +cls is not counted twice; a model without a class token counts patches only.
  t.deepEqual(resolveSeqs('image:224x224/16+cls', vit).values, [197]);
  t.deepEqual(resolveSeqs('image:224x224/16', loadModel('swin-t')).values, [196]);
  t.deepEqual(resolveSeqs('image:224x224/16', loadModel('gpt2-small')).values, [196]);
});
