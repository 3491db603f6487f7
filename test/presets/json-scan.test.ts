import test from 'ava';
import fc from 'fast-check';
import {MAX_DEPTH, scanJson} from '../../src/presets/json-scan.js';

test('valid JSON with unique keys passes', t => {
  for (const text of [
    '{}',
    '[]',
    '0',
    '-1.5e+3',
    '"a\\u00e9\\n"',
    'true',
    ' null ',
    '{"a": [1, {"b": false}], "c": "x"}',
  ])
    t.is(scanJson(text), undefined, text);
});

test('syntax errors: the offset and what was expected, quoting one character at most', t => {
  t.deepEqual(scanJson('{"a": 1,}'), {
    kind: 'syntax',
    offset: 8,
    message: "expected a key in double quotes, found '}'",
  });
  t.deepEqual(scanJson('{"a" 1}'), {
    kind: 'syntax',
    offset: 5,
    message: "expected ':' after a key, found '1'",
  });
  t.deepEqual(scanJson('[1 2]'), {
    kind: 'syntax',
    offset: 3,
    message: "expected ',' or ']' after a value, found '2'",
  });
  t.deepEqual(scanJson('{"a": 1'), {
    kind: 'syntax',
    offset: 7,
    message: "expected ',' or '}' after a value, found the end of the file",
  });
  t.deepEqual(scanJson('secret text'), {kind: 'syntax', offset: 0, message: "expected a value, found 's'"});
  t.deepEqual(scanJson('{} x'), {
    kind: 'syntax',
    offset: 3,
    message: "expected the end of the file after the value, found 'x'",
  });
  t.deepEqual(scanJson('"a\u0001"'), {
    kind: 'syntax',
    offset: 2,
    message: 'control character in a string (escape it, e.g. \\n)',
  });
  t.deepEqual(scanJson('"\u0000'), {
    kind: 'syntax',
    offset: 1,
    message: 'control character in a string (escape it, e.g. \\n)',
  });
  t.deepEqual(scanJson('\u0007'), {kind: 'syntax', offset: 0, message: 'expected a value, found U+0007'});
  t.deepEqual(scanJson('01'), {
    kind: 'syntax',
    offset: 1,
    message: "expected the end of the file after the value, found '1'",
  });
});

test('duplicate keys are found with their path, escaped spellings included', t => {
  t.deepEqual(scanJson('{"a": {"b": 1, "b": 2}}'), {
    kind: 'duplicate',
    offset: 15,
    path: ['a', 'b'],
    key: 'b',
  });
  t.deepEqual(scanJson('[{}, {"x": 1, "\\u0078": 2}]'), {
    kind: 'duplicate',
    offset: 14,
    path: [1, 'x'],
    key: 'x',
  });
  t.is(scanJson('[{"x": 1}, {"x": 2}]'), undefined, 'the same key in sibling objects is fine');
});

test(`nesting deeper than ${MAX_DEPTH} levels is a syntax error, not a stack overflow`, t => {
  const deep = '['.repeat(200_000);
  t.like(scanJson(deep), {kind: 'syntax', message: `nesting deeper than ${MAX_DEPTH} levels`});
  t.is(scanJson(`${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`), undefined);
});

test('property: agrees with JSON.parse on what is valid (for texts without duplicate keys)', t => {
  fc.assert(
    fc.property(fc.oneof(fc.json(), fc.string()), text => {
      const problem = scanJson(text);
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      if (problem?.kind === 'duplicate') return valid;
      return (problem === undefined) === valid;
    }),
    {numRuns: 2000},
  );
  t.pass();
});
