/**
 * A syntax check of JSON text that JSON.parse does not give: the first error's exact offset with
 * a message that quotes at most one character (V8's own messages quote the surrounding text, and
 * Node 20's give no position for an unexpected token), nesting deeper than MAX_DEPTH refused, and
 * duplicate keys found with their path (JSON.parse keeps the last silently; RFC 8259 §4 says
 * names SHOULD be unique, and a duplicated field in a preset is almost always a mistake). One
 * linear pass without allocation per character; JSON.parse then builds the value.
 */

/** Deeper nesting than any attncap file needs; the limit keeps the check off the call stack's edge. */
export const MAX_DEPTH = 256;

export type JsonProblem =
  | {kind: 'syntax'; offset: number; message: string}
  | {kind: 'duplicate'; offset: number; path: (string | number)[]; key: string};

class Stop {
  constructor(readonly problem: JsonProblem) {}
}

/** The first syntax error or duplicate key in `text`, or undefined for valid JSON with unique keys. */
export function scanJson(text: string): JsonProblem | undefined {
  let i = 0;
  const n = text.length;
  const path: (string | number)[] = [];

  const fail = (message: string, offset = i): never => {
    throw new Stop({kind: 'syntax', offset, message});
  };
  /** `expected ',' or '}' after a value, found ']'`: what the grammar wanted and the one character found. */
  const unexpected = (expected: string): never => fail(`expected ${expected}, found ${found(text, i)}`);
  const space = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

  /** A string starting at text[i] === '"'; returns the offset after the closing quote. */
  const string = (): void => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character in a string (escape it, e.g. \\n)');
      if (c === 0x5c) {
        const e = text.charCodeAt(i + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++)
            if (!isHex(text.charCodeAt(i + k))) fail('bad \\u escape in a string', i);
          i += 6;
        } else if ('"\\/bfnrt'.includes(text[i + 1] ?? 'x')) i += 2;
        else fail('bad escape in a string', i);
      } else i++;
    }
  };

  const number = (): void => {
    if (text.charCodeAt(i) === 0x2d) i++;
    if (text.charCodeAt(i) === 0x30) i++;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else unexpected('a digit');
    if (text.charCodeAt(i) === 0x2e) {
      i++;
      if (!isDigit(text.charCodeAt(i))) unexpected('a digit after the decimal point');
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(text.charCodeAt(i))) unexpected('a digit in the exponent');
      while (isDigit(text.charCodeAt(i))) i++;
    }
  };

  const value = (depth: number): void => {
    space();
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
      if (c === 0x7b) object(depth + 1);
      else array(depth + 1);
    } else if (c === 0x22) string();
    else if (c === 0x2d || isDigit(c)) number();
    else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else unexpected('a value');
  };

  const object = (depth: number): void => {
    i++;
    space();
    if (text.charCodeAt(i) === 0x7d) {
      i++;
      return;
    }
    const keys = new Set<string>();
    for (;;) {
      space();
      if (text.charCodeAt(i) !== 0x22) unexpected('a key in double quotes');
      const start = i;
      string();
      const raw = text.slice(start + 1, i - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(start, i)) as string) : raw;
      if (keys.has(key)) throw new Stop({kind: 'duplicate', offset: start, path: [...path, key], key});
      keys.add(key);
      space();
      if (text.charCodeAt(i) !== 0x3a) unexpected("':' after a key");
      i++;
      path.push(key);
      value(depth);
      path.pop();
      space();
      const next = text.charCodeAt(i);
      if (next === 0x2c) i++;
      else if (next === 0x7d) {
        i++;
        return;
      } else unexpected("',' or '}' after a value");
    }
  };

  const array = (depth: number): void => {
    i++;
    space();
    if (text.charCodeAt(i) === 0x5d) {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      path.push(index);
      value(depth);
      path.pop();
      space();
      const next = text.charCodeAt(i);
      if (next === 0x2c) i++;
      else if (next === 0x5d) {
        i++;
        return;
      } else unexpected("',' or ']' after a value");
    }
  };

  try {
    value(0);
    space();
    if (i < n) fail(`expected the end of the file after the value, found ${found(text, i)}`);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.problem;
    throw error;
  }
}

/** The character at `offset`, quoted when printable, as U+XXXX otherwise; or the end of the file. */
function found(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const code = text.codePointAt(offset) ?? 0;
  return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f)
    ? `'${String.fromCodePoint(code)}'`
    : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
