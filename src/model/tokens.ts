/**
 * Token counts of raw modalities (docs/design.md §6): how long a sequence an image, a clip of audio, a
 * video or a byte string becomes before attention sees it. Pure: no I/O, no console.
 *
 * Every function validates its input and throws InvalidInputError (exit 2) whose `path` names the
 * offending quantity (`patch`, `size`, `seconds`, `rate`, `hop`, `frames`, `tubelet`, `bytes`,
 * `chars`, `bytes-per-char`) — the same names the `attncap tokens` flags use.
 */
import {InvalidInputError} from '../errors.js';

export type Modality = 'image' | 'audio' | 'video' | 'text';

export interface TokenCount {
  modality: Modality;
  /** Sequence length the input becomes. */
  tokens: number;
  /** The arithmetic, e.g. `⌊1024/16⌋·⌊1024/16⌋ = 64·64 = 4096`. */
  formula: string;
}

export interface ImageInput {
  height: number;
  width: number;
  /** Square patch side in pixels (ViT); 1 means raw pixels. */
  patch: number;
  /** Add one [CLS] token. */
  cls?: boolean;
}

export interface AudioInput {
  seconds: number;
  /** Sample rate in Hz. */
  rate: number;
  /** Hop length in samples of a framing front end (e.g. 320 for 20 ms at 16 kHz); none = raw samples. */
  hop?: number;
}

export interface VideoInput {
  frames: number;
  height: number;
  width: number;
  patch: number;
  /** Frames per tubelet (ViViT / VideoMAE tubelet embedding); 1 = per-frame patches. */
  tubelet?: number;
}

export type TextInput = {bytes: number} | {chars: number; bytesPerChar?: number};

function fail(path: string, message: string): never {
  throw new InvalidInputError(message, {path: [path]});
}

function positiveInteger(value: number, path: string, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    fail(path, `${what} ${value} must be a whole number of at least 1`);
  }
}

function positiveNumber(value: number, path: string, what: string): void {
  if (!Number.isFinite(value) || value <= 0) fail(path, `${what} ${value} must be a number greater than 0`);
}

/** `patch` must fit at least once into each side. */
function checkPatch(patch: number, height: number, width: number): void {
  const side = Math.min(height, width);
  if (patch > side) {
    fail(
      'patch',
      `patch ${patch} is larger than the ${height}x${width} image, which leaves no whole patch: ` +
        `use a patch of at most ${side}`,
    );
  }
}

/** ViT patching (Dosovitskiy et al. 2021, §3.1): ⌊h/p⌋·⌊w/p⌋ patches, plus an optional [CLS] token. */
export function imageTokens(input: ImageInput): TokenCount {
  const {height, width, patch, cls = false} = input;
  positiveInteger(height, 'size', 'image height');
  positiveInteger(width, 'size', 'image width');
  positiveInteger(patch, 'patch', 'patch');
  checkPatch(patch, height, width);
  const rows = Math.floor(height / patch);
  const cols = Math.floor(width / patch);
  const extra = cls ? 1 : 0;
  const tokens = rows * cols + extra;
  const plus = cls ? ' + 1' : '';
  return {
    modality: 'image',
    tokens,
    formula: `⌊${height}/${patch}⌋·⌊${width}/${patch}⌋${plus} = ${rows}·${cols}${plus} = ${tokens}`,
  };
}

/**
 * Raw audio is one token per sample (as Perceiver IO feeds it): round(seconds·rate). With a hop,
 * a framing front end emits one token per whole hop: ⌊samples/hop⌋ (no padding of the last frame).
 */
export function audioTokens(input: AudioInput): TokenCount {
  const {seconds, rate, hop} = input;
  positiveNumber(seconds, 'seconds', 'duration (seconds)');
  positiveNumber(rate, 'rate', 'sample rate (Hz)');
  const samples = Math.round(seconds * rate);
  if (samples < 1) {
    fail('seconds', `${seconds} s at ${rate} Hz is less than one sample: use a longer clip or a higher rate`);
  }
  const product = `round(${seconds}·${rate})`;
  if (hop === undefined) return {modality: 'audio', tokens: samples, formula: `${product} = ${samples}`};
  positiveInteger(hop, 'hop', 'hop');
  if (hop > samples) {
    fail(
      'hop',
      `hop ${hop} is longer than the clip's ${samples} samples, which leaves no whole frame: use a hop of at most ${samples}`,
    );
  }
  const frames = Math.floor(samples / hop);
  return {
    modality: 'audio',
    tokens: frames,
    formula: `⌊${product}/${hop}⌋ = ⌊${samples}/${hop}⌋ = ${frames}`,
  };
}

/** Tubelet embedding (ViViT, Arnab et al. 2021, §3.2): ⌊frames/t⌋·⌊h/p⌋·⌊w/p⌋. */
export function videoTokens(input: VideoInput): TokenCount {
  const {frames, height, width, patch, tubelet = 1} = input;
  positiveInteger(frames, 'frames', 'frames');
  positiveInteger(height, 'size', 'frame height');
  positiveInteger(width, 'size', 'frame width');
  positiveInteger(patch, 'patch', 'patch');
  positiveInteger(tubelet, 'tubelet', 'tubelet');
  checkPatch(patch, height, width);
  if (tubelet > frames) {
    fail(
      'tubelet',
      `tubelet ${tubelet} is longer than the ${frames} frames, which leaves no whole tubelet: use a tubelet of at most ${frames}`,
    );
  }
  const steps = Math.floor(frames / tubelet);
  const rows = Math.floor(height / patch);
  const cols = Math.floor(width / patch);
  const tokens = steps * rows * cols;
  return {
    modality: 'video',
    tokens,
    formula: `⌊${frames}/${tubelet}⌋·⌊${height}/${patch}⌋·⌊${width}/${patch}⌋ = ${steps}·${rows}·${cols} = ${tokens}`,
  };
}

/**
 * Byte-level text (Perceiver IO, Jaegle et al. 2022, §4.1: UTF-8 bytes, no tokenizer): one token
 * per byte. From a character count, bytes = round(chars·bytesPerChar); bytesPerChar defaults to 1
 * (ASCII) — UTF-8 text in other scripts averages up to 3–4.
 */
export function textTokens(input: TextInput): TokenCount {
  if ('bytes' in input) {
    positiveInteger(input.bytes, 'bytes', 'bytes');
    return {modality: 'text', tokens: input.bytes, formula: `${input.bytes} bytes = ${input.bytes}`};
  }
  const {chars, bytesPerChar = 1} = input;
  positiveInteger(chars, 'chars', 'characters');
  positiveNumber(bytesPerChar, 'bytes-per-char', 'bytes per character');
  const tokens = Math.round(chars * bytesPerChar);
  if (!Number.isSafeInteger(tokens))
    fail(
      'bytes-per-char',
      `${chars} characters at ${bytesPerChar} bytes each exceed 2^53 bytes, the largest exact count: use a real bytes-per-char (1 for ASCII, up to 4 for UTF-8)`,
    );
  if (tokens < 1)
    fail('chars', `${chars} characters at ${bytesPerChar} bytes each round to 0 bytes: use more characters`);
  const formula = Number.isInteger(bytesPerChar)
    ? `${chars}·${bytesPerChar} = ${tokens}`
    : `round(${chars}·${bytesPerChar}) = ${tokens}`;
  return {modality: 'text', tokens, formula};
}

// ---------------------------------------------------------------------------------------------
// The shorthand accepted wherever a sequence length is (docs/design.md §2.1, §6).

const PREFIX = /^\s*(image|audio|video|bytes|text)\s*:(.*)$/is;
const INT = String.raw`(\d+)`;
const DEC = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const X = '[xX×]';

const GRAMMAR: Record<string, string> = {
  image:
    'use image:HEIGHTxWIDTH/PATCH[+cls] (or image:SIDE/PATCH), e.g. image:1024x1024/16 or image:224x224/16+cls',
  audio:
    'use audio:DURATION@RATE[/HOP] with DURATION in s, ms or min and RATE in Hz (k = ×1000), ' +
    'e.g. audio:10s@16k or audio:10s@16000/320',
  video: 'use video:FRAMESxHEIGHTxWIDTH/PATCH[tTUBELET], e.g. video:32x224x224/16t2',
  bytes: 'use bytes:N with an optional k (×1024) or M (×1024²) suffix, e.g. bytes:2048 or bytes:2k',
  text: 'use text:N (N bytes; an optional k (×1024) or M (×1024²) suffix), e.g. text:2048',
};

const IMAGE = new RegExp(`^${INT}(?:\\s*${X}\\s*${INT})?\\s*/\\s*${INT}\\s*(\\+\\s*cls)?$`, 'i');
const AUDIO = new RegExp(`^${DEC}\\s*(s|ms|min)?\\s*@\\s*${DEC}\\s*(k)?(?:hz)?\\s*(?:/\\s*${INT})?$`, 'i');
const VIDEO = new RegExp(
  `^${INT}\\s*${X}\\s*${INT}\\s*${X}\\s*${INT}\\s*/\\s*${INT}\\s*(?:t\\s*${INT})?$`,
  'i',
);
const BYTES = /^(\d+)\s*([kM]?)$/i;

/** Drops binary floating-point noise from a decimal scaling (0.1 min · 60 = 6, not 6.000000000000001). */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

const SECONDS_PER_UNIT: Record<string, number> = {s: 1, ms: 1e-3, min: 60};

function count(modality: string, body: string): TokenCount | undefined {
  switch (modality) {
    case 'image': {
      const m = IMAGE.exec(body);
      if (!m) return undefined;
      const height = Number(m[1]);
      return imageTokens({
        height,
        width: m[2] === undefined ? height : Number(m[2]),
        patch: Number(m[3]),
        cls: !!m[4],
      });
    }
    case 'audio': {
      const m = AUDIO.exec(body);
      if (!m) return undefined;
      const seconds = tidy(Number(m[1]) * SECONDS_PER_UNIT[(m[2] ?? 's').toLowerCase()]!);
      const rate = tidy(Number(m[3]) * (m[4] ? 1000 : 1));
      return audioTokens({seconds, rate, hop: m[5] === undefined ? undefined : Number(m[5])});
    }
    case 'video': {
      const m = VIDEO.exec(body);
      if (!m) return undefined;
      return videoTokens({
        frames: Number(m[1]),
        height: Number(m[2]),
        width: Number(m[3]),
        patch: Number(m[4]),
        tubelet: m[5] === undefined ? 1 : Number(m[5]),
      });
    }
    default: {
      const m = BYTES.exec(body);
      if (!m) return undefined;
      if (m[2] === 'm') return undefined;
      const scale = m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1024 : 1024 * 1024;
      return textTokens({bytes: Number(m[1]) * scale});
    }
  }
}

/**
 * Parses the modality shorthand: `image:1024x1024/16`, `image:224x224/16+cls`, `audio:10s@16k`,
 * `audio:10s@16000/320`, `video:32x224x224/16t2`, `bytes:2048`, `text:2048`. Returns undefined
 * when `text` does not start with a modality prefix (so the caller tries other grammars), and
 * throws InvalidInputError (path [flag]) when it does but is malformed or out of range.
 *
 * Audio rates use k = ×1000 (sample rates are decimal: 16k = 16,000 Hz), unlike token counts
 * (`bytes:2k` = 2,048), where k = ×1024 as in `--seq`.
 */
export function parseModality(text: string, flag = 'seq'): TokenCount | undefined {
  const prefix = PREFIX.exec(text);
  if (!prefix) return undefined;
  const modality = prefix[1]!.toLowerCase();
  const body = prefix[2]!.trim();
  const shown = text.trim();
  let result: TokenCount | undefined;
  try {
    result = count(modality, body);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw new InvalidInputError(`--${flag} '${shown}': ${error.message}`, {
        path: [flag],
        hint: GRAMMAR[modality],
      });
    }
    throw error;
  }
  if (result === undefined) {
    throw new InvalidInputError(
      `--${flag} '${shown}' is not a valid ${modality} shorthand: ${GRAMMAR[modality]}`,
      {
        path: [flag],
        hint: GRAMMAR[modality],
      },
    );
  }
  return result;
}
