import test from 'ava';
import {firstNonFinite} from '../../src/cli/base.js';
import {terminalName, terminalSafe, xmlAttribute, xmlText} from '../../src/cli/safe-text.js';

test('terminalSafe shows control characters and escapes as \\uXXXX; keeps newlines and tabs', t => {
  t.is(terminalSafe('a\u001b[2Jb\u0007\tc\nd\u009b'), 'a\\u001b[2Jb\\u0007\tc\nd\\u009b');
  t.is(terminalSafe('right\u202eleft'), 'right\\u202eleft');
});

test('terminalSafe with colour keeps SGR sequences and only those', t => {
  t.is(
    terminalSafe('\u001b[31mred\u001b[39m \u001b]0;title\u0007', true),
    '\u001b[31mred\u001b[39m \\u001b]0;title\\u0007',
  );
});

test('terminalName puts a name on one line, control characters shown', t => {
  t.is(terminalName('two\nlines\r\tand \u001b[1mbold'), 'two lines  and \\u001b[1mbold');
});

test('xmlText replaces what XML 1.0 forbids (controls, lone surrogates, U+FFFE/F) and keeps the rest', t => {
  t.is(xmlText('a\u0000b\u000bc\td\ne\rf'), 'a\\u0000b\\u000bc\td\ne\rf');
  t.is(xmlText('x\ud800y'), 'x\\ud800y');
  t.is(xmlText('ok 🙂 \ufffe'), 'ok 🙂 \\ufffe');
  t.is(xmlAttribute('a\nb\tc'), 'a b c');
});

test('firstNonFinite finds the first NaN or Infinity with its path', t => {
  t.is(firstNonFinite([{a: 1, b: [2, 3]}]), undefined);
  t.deepEqual(firstNonFinite([{a: 1, b: [2, Number.POSITIVE_INFINITY]}]), {
    path: 'results[0].b[1]',
    value: Number.POSITIVE_INFINITY,
  });
  t.deepEqual(firstNonFinite([{x: {y: Number.NaN}}]), {path: 'results[0].x.y', value: Number.NaN});
});
