/**
 * Parsing of human-typed quantities (flags, file fields) into base SI numbers, and formatting of
 * base SI numbers for human output (docs/design.md §2.1, §2.2; STYLE 6: units in names, SI in data,
 * formatting at the edge). Pure: no I/O. The accepted grammar is documented in docs/units.md.
 *
 * Every parser throws InvalidInputError (exit 2) with `path: [flag]` and a message that names the
 * value, the rule and an example. Formatters throw a RangeError on NaN or ±Infinity: a
 * non-finite number reaching a renderer is a bug upstream, never something to print.
 */
import {InvalidInputError} from './errors.js';
import {parseModality} from './model/tokens.js';

/** The most points a `--seq` list or range may expand to. */
export const MAX_SEQ_POINTS = 100_000;

const KI = 1024;
const MI = 1024 * 1024;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A decimal number, optionally with an exponent: 12, 1.5, .5, 989.4e12. */
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const SIGNED_NUMBER_AND_UNIT = new RegExp(String.raw`^([+-]?${NUMBER})\s*(.*)$`, 's');
/** Counts (tokens, batch, heads): a decimal without exponent and an optional letter suffix. */
const COUNT = /^([+-]?)(\d+(?:\.\d+)?|\.\d+)\s*([A-Za-z]*)$/;

function invalid(flag: string, message: string, hint?: string): InvalidInputError {
  return new InvalidInputError(message, {path: [flag], hint});
}

/** Thousands separators for whole numbers: '8,192'. (Intl.NumberFormat costs ~20 ms to create.) */
function groupDigits(n: number | bigint): string {
  const text = (typeof n === 'bigint' ? n : BigInt(Math.round(n))).toString();
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

// ---------------------------------------------------------------------------------------------
// Integers with k (×1024) and M (×1024²) suffixes: sequence lengths, batch, heads, layers.

type Count = {value: number} | {problem: string} | undefined;

/** Parses `512`, `2k`, `1.5k`, `3M`; undefined when the text is not of that shape. */
function parseCount(text: string): Count {
  const m = COUNT.exec(text);
  if (!m) return undefined;
  const [, sign, digits, suffix] = m as unknown as [string, string, string, string];
  if (suffix === 'm') {
    const n = Number(digits);
    return {
      problem:
        `'m' is ambiguous (milli or mega?): use M for ×1024² (${digits}M = ${groupDigits(n * MI)}) ` +
        `or k for ×1024 (${digits}k = ${groupDigits(n * KI)})`,
    };
  }
  const scale = suffix === '' ? 1 : suffix === 'k' || suffix === 'K' ? KI : suffix === 'M' ? MI : undefined;
  if (scale === undefined) return undefined;
  const value = (sign === '-' ? -1 : 1) * Number(digits) * scale;
  if (!Number.isInteger(value)) {
    const whole = Math.round(value);
    return {
      problem: `${digits}${suffix} = ${value} is not a whole number: use an integer such as ${groupDigits(whole)}`,
    };
  }
  return {value};
}

const SEQ_RULE =
  'use an integer with an optional k (×1024) or M (×1024²) suffix, a list 512,2k,8k, ' +
  'a range 512..64k[:x4|:+1000], or a modality such as image:1024x1024/16';
const SEQ_HINT = 'e.g. 128k, 512,2k,8k, 512..64k:x4, 1000..10000:+1000 or image:1024x1024/16';

/** `subject` is how the message names the value: `--seq '12q'` or `--seq '512,12q': '12q'`. */
function seqValue(item: string, flag: string, subject: string): number {
  const modality = parseModality(item, flag);
  if (modality) return modality.tokens;
  const parsed = parseCount(item);
  if (parsed === undefined) throw invalid(flag, `${subject} is not a sequence length: ${SEQ_RULE}`, SEQ_HINT);
  if ('problem' in parsed)
    throw invalid(flag, `${subject} is not a sequence length: ${parsed.problem}`, SEQ_HINT);
  if (parsed.value < 1) {
    throw invalid(
      flag,
      `${subject} is not a sequence length: it must be at least 1 token, e.g. 512 or 2k`,
      SEQ_HINT,
    );
  }
  if (parsed.value > MAX_SAFE) {
    throw invalid(
      flag,
      `${subject} is too long: ${parsed.value.toPrecision(3)} tokens exceeds the largest exact integer ` +
        `${groupDigits(MAX_SAFE)} (2⁵³ − 1)`,
      SEQ_HINT,
    );
  }
  return parsed.value;
}

/**
 * One sequence length: `8192`, `128k` (×1024), `2M` (×1024²), `1.5k` (= 1536; decimals only when
 * the result is whole), or a modality shorthand such as `image:1024x1024/16` (docs/design.md §6).
 */
export function parseSeq(text: string, flag = 'seq'): number {
  const item = text.trim();
  return seqValue(item, flag, `--${flag} '${item}'`);
}

const RANGE = /^(.*?)\.\.(.*?)(?::(.*))?$/s;

function rangePoints(item: string, flag: string, subject: string, budget: number): number[] {
  const [, startText, endText, stepText] = RANGE.exec(item) as unknown as [string, string, string, string?];
  const bound = (text: string, which: string): number => {
    const t = text.trim();
    if (t === '' || /^[a-z]+\s*:/i.test(t)) {
      throw invalid(
        flag,
        `${subject} is not a range: its ${which} must be a plain length such as 512 or 64k ` +
          `(ranges take no modality shorthand), e.g. 512..64k`,
        SEQ_HINT,
      );
    }
    return seqValue(t, flag, `${subject}: the range ${which} '${t}'`);
  };
  const start = bound(startText, 'start');
  const end = bound(endText, 'end');
  if (start > end) {
    throw invalid(
      flag,
      `${subject}: the range start ${groupDigits(start)} is larger than its end ${groupDigits(end)}: ` +
        `write the smaller bound first, e.g. 512..64k`,
      SEQ_HINT,
    );
  }
  const tooMany = (n: string) =>
    invalid(
      flag,
      `${subject} expands to ${n} points, more than the limit of ${groupDigits(MAX_SEQ_POINTS)}: ` +
        `use a larger step or factor, e.g. 512..64k:x2`,
      SEQ_HINT,
    );
  const step = stepText?.trim() ?? 'x2';
  const geometric = /^[x×*]\s*(.*)$/.exec(step);
  if (geometric) {
    const factorText = geometric[1]!.trim();
    const factor = new RegExp(`^${NUMBER}$`).test(factorText) ? Number(factorText) : Number.NaN;
    if (!(factor > 1) || !Number.isFinite(factor)) {
      throw invalid(
        flag,
        `${subject}: the factor '${factorText}' must be a number greater than 1, e.g. 512..64k:x4`,
        SEQ_HINT,
      );
    }
    // start·factor^i, rounded to whole tokens; duplicates from rounding are removed later.
    const points: number[] = [];
    for (let i = 0; ; i++) {
      const value = Math.round(start * factor ** i);
      if (value > end) break;
      if (points.length >= budget) throw tooMany(`more than ${groupDigits(MAX_SEQ_POINTS)}`);
      points.push(value);
    }
    return points;
  }
  const linear = /^\+\s*(.*)$/.exec(step);
  if (linear) {
    const stepValue = parseCount(linear[1]!.trim());
    if (stepValue === undefined || 'problem' in stepValue || stepValue.value < 1) {
      throw invalid(
        flag,
        `${subject}: the step '${linear[1]!.trim()}' must be a whole number of at least 1, e.g. 1000..10000:+1000`,
        SEQ_HINT,
      );
    }
    const n = Math.floor((end - start) / stepValue.value) + 1;
    if (n > budget) throw tooMany(groupDigits(n));
    return Array.from({length: n}, (_, i) => start + i * stepValue.value);
  }
  throw invalid(
    flag,
    `${subject}: the range step '${step}' is neither a factor (:x4) nor an increment (:+1000), ` +
      `e.g. 512..64k:x4 or 1000..10000:+1000`,
    SEQ_HINT,
  );
}

/**
 * A set of sequence lengths: comma-separated items, each a length (as `parseSeq`) or a range
 * `START..END` (×2 steps), `START..END:xF` (factor F > 1) or `START..END:+S` (increment S ≥ 1).
 * A range starts at START and includes every point of its progression up to END (END itself
 * only when it falls on the progression). The result is sorted ascending without duplicates;
 * at most MAX_SEQ_POINTS points.
 */
export function parseSeqList(text: string, flag = 'seq'): number[] {
  const whole = text.trim();
  const items = whole.split(',').map(item => item.trim());
  const single = items.length === 1;
  const all: number[] = [];
  for (const item of items) {
    const subject = single ? `--${flag} '${item}'` : `--${flag} '${whole}': '${item}'`;
    if (item === '') {
      throw invalid(
        flag,
        single
          ? `--${flag} is empty: ${SEQ_RULE}`
          : `--${flag} '${whole}' has an empty item: separate lengths with single commas, e.g. 512,2k,8k`,
        SEQ_HINT,
      );
    }
    if (item.includes('..')) {
      all.push(...rangePoints(item, flag, subject, MAX_SEQ_POINTS - all.length));
    } else {
      all.push(seqValue(item, flag, subject));
    }
    if (all.length > MAX_SEQ_POINTS) {
      throw invalid(
        flag,
        `--${flag} '${whole}' expands to more than ${groupDigits(MAX_SEQ_POINTS)} points: use fewer items or larger steps`,
        SEQ_HINT,
      );
    }
  }
  return [...new Set(all)].sort((a, b) => a - b);
}

export interface IntegerOptions {
  /** Smallest accepted value (default 1). */
  min?: number;
  /** Largest accepted value (default 2⁵³ − 1). */
  max?: number;
}

/** A whole number with an optional k (×1024) or M (×1024²) suffix: `--batch 8`, `--d-model 4k`. */
export function parseInteger(text: string, flag: string, options: IntegerOptions = {}): number {
  const {min = 1, max = MAX_SAFE} = options;
  const item = text.trim();
  const subject = `--${flag} '${item}'`;
  const parsed = parseCount(item);
  if (parsed === undefined) {
    throw invalid(
      flag,
      `${subject} is not an integer: use a whole number with an optional k (×1024) or M (×1024²) suffix, e.g. 8 or 4k`,
    );
  }
  if ('problem' in parsed) throw invalid(flag, `${subject} is not an integer: ${parsed.problem}`);
  if (parsed.value < min) throw invalid(flag, `${subject} must be at least ${groupDigits(min)}`);
  if (parsed.value > max) throw invalid(flag, `${subject} must be at most ${groupDigits(max)}`);
  return parsed.value;
}

// ---------------------------------------------------------------------------------------------
// Durations, byte sizes, fractions, rates.

function splitNumber(text: string): {value: number; unit: string; number: string} | undefined {
  const m = SIGNED_NUMBER_AND_UNIT.exec(text.trim());
  if (!m) return undefined;
  return {value: Number(m[1]), unit: m[2]!.trim(), number: m[1]!};
}

/** Seconds per unit, as [multiplier, divisor]: dividing by 1e9 keeps 100ns exactly 1e-7. */
const SECONDS: Record<string, readonly [number, number]> = {
  ns: [1, 1e9],
  us: [1, 1e6],
  µs: [1, 1e6], // U+00B5 MICRO SIGN
  μs: [1, 1e6], // U+03BC GREEK SMALL LETTER MU
  ms: [1, 1e3],
  s: [1, 1],
  sec: [1, 1],
  min: [60, 1],
  h: [3600, 1],
};

/** Seconds from `2s`, `50ms`, `250us`/`250µs`, `100ns`, `1.5min`, `1h`; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const item = text.trim();
  const subject = `--${flag} '${item}'`;
  const parsed = splitNumber(item);
  const rule =
    'use a number with a unit ns, us (µs), ms, s, min or h (a bare number is seconds), e.g. 2s, 50ms or 250us';
  if (parsed === undefined) throw invalid(flag, `${subject} is not a duration: ${rule}`);
  if (parsed.unit === 'm' || parsed.unit === 'M') {
    throw invalid(
      flag,
      `${subject} is ambiguous: 'm' could mean minutes or milliseconds: write ${parsed.number}min or ${parsed.number}ms`,
    );
  }
  const scale = parsed.unit === '' ? SECONDS['s'] : SECONDS[parsed.unit.toLowerCase()];
  if (scale === undefined) throw invalid(flag, `${subject} is not a duration: ${rule}`);
  const seconds = (parsed.value * scale[0]) / scale[1];
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw invalid(flag, `${subject} must be a duration greater than 0, e.g. 2s or 50ms`);
  }
  return seconds;
}

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  eb: 1e18,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  pib: 2 ** 50,
  eib: 2 ** 60,
};

interface ByteKind {
  noun: string;
  /** '' for sizes, '/s' for rates. */
  per: string;
  examples: string;
}

/** Shared by byte sizes and bandwidths; `unit` has any `/s` already removed. */
function byteQuantity(item: string, flag: string, kind: ByteKind, allowZero: boolean): number {
  const subject = `--${flag} '${item}'`;
  const rule =
    `use a number with a unit B, kB, MB, GB, TB, PB (powers of 1000) or KiB, MiB, GiB, TiB, PiB ` +
    `(powers of 1024)${kind.per}, e.g. ${kind.examples}; a bare number is bytes${kind.per}`;
  let text = item;
  if (kind.per !== '') text = text.replace(/\s*\/\s*(s|sec)$/i, '');
  const parsed = splitNumber(text);
  if (parsed === undefined) throw invalid(flag, `${subject} is not a ${kind.noun}: ${rule}`);
  const {unit, number} = parsed;
  const prefix = /^([kmgtpe]i?)?([bB]?)$/i.exec(unit);
  if (prefix && unit !== '' && prefix[2] !== 'B') {
    const p = prefix[1] ?? '';
    const letter = p[0] ?? '';
    const si = `${number}${letter.toLowerCase() === 'k' ? 'k' : letter.toUpperCase()}B${kind.per}`;
    const binary = `${number}${letter.toUpperCase()}iB${kind.per}`;
    const choices =
      p === '' ? si : p.length === 2 ? binary : `${si} (powers of 1000) or ${binary} (powers of 1024)`;
    const problem =
      prefix[2] === 'b'
        ? `'${unit}' means bits; attncap takes bytes (B)`
        : p.length === 2
          ? 'lacks the unit B'
          : 'is ambiguous';
    throw invalid(
      flag,
      prefix[2] === 'b'
        ? `${subject}: ${problem}: write ${choices}`
        : `${subject} ${problem}: write ${choices}`,
      `e.g. ${kind.examples}`,
    );
  }
  const scale = unit === '' ? 1 : BYTE_UNITS[unit.toLowerCase()];
  if (scale === undefined) throw invalid(flag, `${subject} is not a ${kind.noun}: ${rule}`);
  const value = parsed.value * scale;
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw invalid(
      flag,
      `${subject} must be ${allowZero ? 'at least 0' : 'greater than 0'}, e.g. ${kind.examples.split(' or ')[0]}`,
    );
  }
  return value;
}

export interface BytesOptions {
  /** Accept 0 (default: sizes must be greater than 0). */
  allowZero?: boolean;
}

/**
 * Bytes from `80GB` (SI: 80·10⁹), `80GiB` (binary: 80·2³⁰), `512` (bytes), `1.5 TB`. Unit letters
 * are case-insensitive except the final B: a lowercase b means bits and is rejected.
 */
export function parseBytes(text: string, flag: string, options: BytesOptions = {}): number {
  return byteQuantity(
    text.trim(),
    flag,
    {noun: 'byte size', per: '', examples: '80GB or 80GiB'},
    options.allowZero ?? false,
  );
}

/** Bytes per second from `3.35TB/s`, `3350GB/s`, `900GiB/s`, `2039e9` (bare number = bytes/s). */
export function parseBandwidth(text: string, flag: string): number {
  return byteQuantity(
    text.trim(),
    flag,
    {noun: 'bandwidth', per: '/s', examples: '3.35TB/s or 900GiB/s'},
    false,
  );
}

const SI_PREFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  g: 1e9,
  T: 1e12,
  t: 1e12,
  P: 1e15,
  p: 1e15,
  E: 1e18,
};

/** FLOP/s from `989.4T`, `989.4e12`, `150 TFLOP/s`, `150TFLOPS`, `2.3G` (SI prefixes, powers of 1000). */
export function parseFlopsRate(text: string, flag: string): number {
  const item = text.trim();
  const subject = `--${flag} '${item}'`;
  const rule =
    'use FLOP/s with an optional k, M, G, T, P or E prefix (powers of 1000), e.g. 989.4T, 989.4e12 or 150TFLOP/s';
  const parsed = splitNumber(item);
  if (parsed === undefined) throw invalid(flag, `${subject} is not a FLOP rate: ${rule}`);
  const word = /(flop\/s|flop\/sec|flops)$/i.exec(parsed.unit);
  const prefix = (word ? parsed.unit.slice(0, -word[0].length) : parsed.unit).trim();
  if (!word && /flop$/i.test(parsed.unit)) {
    throw invalid(
      flag,
      `${subject} is an amount of work, not a rate: write ${parsed.number}${parsed.unit}/s`,
    );
  }
  if (prefix === 'm') {
    throw invalid(
      flag,
      `${subject} is ambiguous: lowercase 'm' means milli; write ${parsed.number}M for mega (×10⁶) FLOP/s`,
    );
  }
  const scale = SI_PREFIX[prefix];
  if (scale === undefined) throw invalid(flag, `${subject} is not a FLOP rate: ${rule}`);
  const value = parsed.value * scale;
  if (!(value > 0) || !Number.isFinite(value))
    throw invalid(flag, `${subject} must be greater than 0, e.g. 989.4T`);
  return value;
}

export interface FractionOptions {
  /** Accept exactly 1 (100%) as well; the default range is [0, 1). */
  allowOne?: boolean;
}

/** A fraction from `0.1` or `10%`, in [0, 1) (or [0, 1] with allowOne). */
export function parseFraction(text: string, flag: string, options: FractionOptions = {}): number {
  const item = text.trim();
  const subject = `--${flag} '${item}'`;
  const top = options.allowOne ? 'to 1 (100%)' : 'up to but not including 1 (100%)';
  const parsed = splitNumber(item);
  if (parsed === undefined || (parsed.unit !== '' && parsed.unit !== '%')) {
    throw invalid(
      flag,
      `${subject} is not a fraction: use a number from 0 ${top} or a percentage, e.g. 0.1 or 10%`,
    );
  }
  const percent = parsed.unit === '%';
  const value = percent ? parsed.value / 100 : parsed.value;
  const tooHigh = options.allowOne ? value > 1 : value >= 1;
  if (value < 0 || tooHigh) {
    const wayOut =
      !percent && parsed.value >= 1 && parsed.value <= 100
        ? `; for ${parsed.number} percent write ${parsed.value / 100} or ${parsed.number}%`
        : options.allowOne
          ? ', e.g. 0.9 or 90%'
          : ', e.g. 0.1 or 10%';
    throw invalid(flag, `${subject} is out of range: a fraction must be from 0 ${top}${wayOut}`);
  }
  return value;
}

/** A positive finite number without units: `1.5`, `3`, `2e-3`. */
export function parsePositiveNumber(text: string, flag: string): number {
  const item = text.trim();
  const value = new RegExp(`^[+-]?${NUMBER}$`).test(item) ? Number(item) : Number.NaN;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw invalid(
      flag,
      `--${flag} '${item}' is not a positive number: use a number greater than 0, e.g. 1 or 1.5`,
    );
  }
  return value;
}

const HERTZ: Record<string, number> = {'': 1, hz: 1, k: 1e3, khz: 1e3, mhz: 1e6};

/** A sample rate in Hz: `16000`, `16k`, `44.1kHz` (k = ×1000: sample rates are decimal). */
export function parseSampleRate(text: string, flag: string): number {
  const item = text.trim();
  const subject = `--${flag} '${item}'`;
  const parsed = splitNumber(item);
  const scale = parsed === undefined ? undefined : HERTZ[parsed.unit.toLowerCase()];
  if (parsed === undefined || scale === undefined || parsed.unit === 'm' || parsed.unit === 'M') {
    throw invalid(
      flag,
      `${subject} is not a sample rate: use Hz with an optional k (×1000), e.g. 16000, 16k or 44.1kHz`,
    );
  }
  // toPrecision(12) drops binary noise of the decimal scaling: 44.1·1000 = 44100, not 44100.00000000001.
  const hz = Number((parsed.value * scale).toPrecision(12));
  if (!(hz > 0) || !Number.isFinite(hz))
    throw invalid(flag, `${subject} must be greater than 0 Hz, e.g. 16k`);
  return hz;
}

export interface ImageSize {
  height: number;
  width: number;
}

/** `1024x1024` (HEIGHTxWIDTH, also `×`), or one number for a square; k = ×1024 as for counts. */
export function parseSize(text: string, flag = 'size'): ImageSize {
  const item = text.trim();
  const subject = `--${flag} '${item}'`;
  const rule = 'use HEIGHTxWIDTH in pixels, e.g. 1024x1024 or 224x224 (one number for a square)';
  const parts = item.split(/\s*[xX×]\s*/);
  if (parts.length > 2) throw invalid(flag, `${subject} is not an image size: ${rule}`);
  const sides = parts.map(part => {
    const parsed = part === '' ? undefined : parseCount(part);
    if (parsed === undefined || 'problem' in parsed)
      throw invalid(flag, `${subject} is not an image size: ${rule}`);
    if (parsed.value < 1 || parsed.value > MAX_SAFE) {
      throw invalid(
        flag,
        `${subject} is not an image size: each side must be at least 1 pixel, e.g. 224x224`,
      );
    }
    return parsed.value;
  });
  return {height: sides[0]!, width: sides[1] ?? sides[0]!};
}

// ---------------------------------------------------------------------------------------------
// Variant specs: NAME[:key=value,key=value].

export type VariantParamValue = number | boolean | string;

export interface VariantSpec {
  /** Lowercased, trimmed variant id. */
  name: string;
  params: Record<string, VariantParamValue>;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
const PLAIN_NUMBER = new RegExp(`^[+-]?${NUMBER}$`);
const SUFFIXED_NUMBER = /^([+-]?(?:\d+(?:\.\d+)?|\.\d+))\s*([kKM])$/;

function paramValue(text: string): VariantParamValue {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (PLAIN_NUMBER.test(text)) return Number(text);
  const suffixed = SUFFIXED_NUMBER.exec(text);
  if (suffixed) return Number(suffixed[1]) * (suffixed[2] === 'M' ? MI : KI);
  return text;
}

/**
 * `window`, `window:w=512,fused=true`, `performer:features=256`, `window:w=4k` (k = ×1024, M =
 * ×1024²). Values `true`/`false` become booleans, numbers numbers, anything else a string. Names
 * and parameters are checked against the variant registry elsewhere.
 */
export function parseVariantSpec(text: string, flag = 'variant'): VariantSpec {
  const item = text.trim();
  const subject = `--${flag} '${item}'`;
  const example = 'e.g. window:w=512 or performer:features=256';
  const colon = item.indexOf(':');
  const name = (colon < 0 ? item : item.slice(0, colon)).trim().toLowerCase();
  if (name === '') {
    throw invalid(flag, `${subject} has no variant name: use NAME or NAME:key=value,key=value, ${example}`);
  }
  if (colon < 0 && /^[a-z][a-z0-9_-]*\s*=/.test(name)) {
    throw invalid(
      flag,
      `${subject} looks like a parameter without a variant name: use NAME:key=value, ${example}`,
    );
  }
  if (!NAME.test(name)) {
    throw invalid(
      flag,
      `${subject}: '${name}' is not a variant name (letters, digits, '.', '_', '-'); ` +
        `separate parameters from the name with ':', ${example}`,
    );
  }
  if (colon < 0) return {name, params: {}};
  const list = item.slice(colon + 1).trim();
  if (list === '') {
    throw invalid(
      flag,
      `${subject} has an empty parameter list after ':': drop the ':' or add key=value pairs, ${example}`,
    );
  }
  const entries: [string, VariantParamValue][] = [];
  const seen = new Set<string>();
  for (const raw of list.split(',')) {
    const pair = raw.trim();
    if (pair === '') {
      throw invalid(
        flag,
        `${subject} has an empty parameter: separate key=value pairs with single commas, ${example}`,
      );
    }
    const eq = pair.indexOf('=');
    if (eq < 0)
      throw invalid(flag, `${subject}: parameter '${pair}' has no value: write ${pair}=VALUE, ${example}`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (key === '')
      throw invalid(flag, `${subject}: parameter '${pair}' has no name: write key=value, ${example}`);
    if (!KEY.test(key)) {
      throw invalid(
        flag,
        `${subject}: '${key}' is not a parameter name (a letter, then letters, digits, '_' or '-'), ${example}`,
      );
    }
    if (value === '')
      throw invalid(
        flag,
        `${subject}: parameter '${key}' has an empty value: write ${key}=VALUE, ${example}`,
      );
    if (seen.has(key))
      throw invalid(flag, `${subject}: parameter '${key}' is given twice: give each parameter once`);
    seen.add(key);
    entries.push([key, paramValue(value)]);
  }
  return {name, params: Object.fromEntries(entries)};
}

// ---------------------------------------------------------------------------------------------
// Formatting for renderers: 3 significant digits, engineering units.

function assertFinite(value: number, fn: string): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${fn}(${value}): not a finite number; this is a bug in attncap, please report it`);
  }
}

/** Three significant digits; values that would need an exponent above 1000 are kept whole. */
function sig3(value: number): string {
  if (value === 0) return '0';
  if (value >= 999.5) return value < 1e6 ? String(Math.round(value)) : value.toPrecision(3);
  return value.toPrecision(3);
}

/** Scales by `base` until below it; exact integers in the base unit print whole (`512 B`). */
function scaled(value: number, base: number, units: readonly string[], sep: string): string {
  const sign = value < 0 ? '-' : '';
  let v = Math.abs(value);
  let i = 0;
  while (i < units.length - 1 && v >= base) {
    v /= base;
    i++;
  }
  let text = i === 0 && Number.isInteger(v) ? String(v) : sig3(v);
  // Rounding can carry into the next unit: 999.7 kB → "1000" → 1.00 MB.
  if (i < units.length - 1 && Number(text) >= base) {
    v /= base;
    i++;
    text = sig3(v);
  }
  return `${sign}${text}${sep}${units[i]}`;
}

const BINARY_BYTES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;
const SI_BYTES = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;
const FLOP_UNITS = ['FLOP', 'kFLOP', 'MFLOP', 'GFLOP', 'TFLOP', 'PFLOP', 'EFLOP'] as const;
const COUNT_UNITS = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;

export type ByteUnits = 'binary' | 'si';

/** `18.6 GiB` (binary, default) or `20.0 GB` (si); `512 B`. */
export function formatBytes(bytes: number, units: ByteUnits = 'binary'): string {
  assertFinite(bytes, 'formatBytes');
  return units === 'si' ? scaled(bytes, 1000, SI_BYTES, ' ') : scaled(bytes, 1024, BINARY_BYTES, ' ');
}

/** `1.61 GFLOP`. */
export function formatFlops(flops: number): string {
  assertFinite(flops, 'formatFlops');
  return scaled(flops, 1000, FLOP_UNITS, ' ');
}

/** `312 TFLOP/s`. */
export function formatRate(flopsPerSec: number): string {
  assertFinite(flopsPerSec, 'formatRate');
  return `${scaled(flopsPerSec, 1000, FLOP_UNITS, ' ')}/s`;
}

/** `2.04 TB/s` (si, default, as vendors quote bandwidth) or `1.86 TiB/s` (binary). */
export function formatBandwidth(bytesPerSec: number, units: ByteUnits = 'si'): string {
  assertFinite(bytesPerSec, 'formatBandwidth');
  return `${formatBytes(bytesPerSec, units)}/s`;
}

/** `124M`, `1.61G`, `12`: a dimensionless count with SI prefixes (powers of 1000). */
export function formatCount(n: number): string {
  assertFinite(n, 'formatCount');
  return scaled(n, 1000, COUNT_UNITS, '');
}

/** `8,192`: rounded to a whole number, with thousands separators. */
export function formatInt(n: number): string {
  assertFinite(n, 'formatInt');
  // BigInt keeps every digit above 2⁵³ (a double would be shown to 17 significant digits).
  return groupDigits(BigInt(Math.round(n) + 0));
}

/** `128k` / `2M` for exact multiples of 1024 / 1024² (as `--seq` reads them), else `8,000`. */
export function formatTokens(n: number): string {
  assertFinite(n, 'formatTokens');
  if (Number.isInteger(n) && n >= KI) {
    if (n % MI === 0) return `${n / MI}M`;
    if (n % KI === 0) return `${n / KI}k`;
  }
  return formatInt(n);
}

/** `12.5%` from 0.125. */
export function formatPercent(fraction: number): string {
  assertFinite(fraction, 'formatPercent');
  const sign = fraction < 0 ? '-' : '';
  return `${sign}${sig3(Math.abs(fraction) * 100)}%`;
}

/** `8.25 ms`, `412 µs`, `3.10 s`; from a minute on `2.5 min`, from an hour on `1.2 h`. */
export function formatSeconds(seconds: number): string {
  assertFinite(seconds, 'formatSeconds');
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s === 0) return '0 s';
  const small: readonly [number, string][] = [
    [1e-9, 'ns'],
    [1e-6, 'µs'],
    [1e-3, 'ms'],
    [1, 's'],
  ];
  let i = small.length - 1;
  while (i > 0 && s < small[i]![0]) i--;
  let text = sig3(s / small[i]![0]);
  if (i < small.length - 1 && Number(text) >= 1000) {
    i++;
    text = sig3(s / small[i]![0]);
  }
  if (i < small.length - 1 || Number(text) < 60) return `${sign}${text} ${small[i]![1]}`;
  const minutes = (s / 60).toFixed(1);
  if (Number(minutes) < 60) return `${sign}${minutes} min`;
  const hours = s / 3600;
  return `${sign}${hours < 999.95 ? hours.toFixed(1) : groupDigits(Math.round(hours))} h`;
}
