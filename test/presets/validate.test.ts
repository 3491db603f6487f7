import {readFileSync} from 'node:fs';
import test from 'ava';
import {z} from 'zod';
import {EnvironmentError, InvalidInputError} from '../../src/errors.js';
import {formatPath, isYamlFile, parseDataFile, parseDataText} from '../../src/presets/validate.js';
import {hardwarePresetSchema} from '../../src/schema/presets.js';

const fixture = (name: string) => new URL(`../../../test/fixtures/presets/${name}`, import.meta.url);
const read = (name: string) => readFileSync(fixture(name), 'utf8');

const small = z.strictObject({
  name: z.string(),
  count: z.number().int().positive(),
  kind: z.enum(['alpha', 'beta', 'gamma']),
  layers: z.array(z.strictObject({variant: z.string(), repeat: z.number().optional()})).optional(),
});

test('formatPath writes dotted keys and bracketed indices', t => {
  t.is(formatPath(['matrixPeakFlopsPerSec', 'fp16']), 'matrixPeakFlopsPerSec.fp16');
  t.is(formatPath(['layers', 2, 'variant']), 'layers[2].variant');
  t.is(formatPath(['sources', 0]), 'sources[0]');
  t.is(formatPath(['odd key']), '["odd key"]');
  t.is(formatPath([]), '(top level)');
});

test('isYamlFile picks YAML by extension only', t => {
  t.true(isYamlFile('a/b.yaml'));
  t.true(isYamlFile('B.YML'));
  t.false(isYamlFile('model.json'));
  t.false(isYamlFile('yaml'));
});

test('a valid JSON and a valid YAML text give the same data', t => {
  const json = parseDataFile('{"name": "x", "count": 3, "kind": "beta"}', 'a.json', small);
  const yaml = parseDataFile('name: x\ncount: 3\nkind: beta\n', 'a.yaml', small);
  t.deepEqual(json, {name: 'x', count: 3, kind: 'beta'});
  t.deepEqual(yaml, json);
});

test('a wrong type and a missing required field are both reported, one line each', t => {
  const path = 'test/fixtures/presets/wrong-type-and-missing.json';
  const error = t.throws(
    () => parseDataFile(read('wrong-type-and-missing.json'), path, hardwarePresetSchema()),
    {
      instanceOf: InvalidInputError,
    },
  );
  t.is(
    error.message,
    [
      `${path}: memoryBytes: expected number, received string "80GB"`,
      `${path}: vectorFlopsPerSec: missing required field (expected number)`,
    ].join('\n'),
  );
  t.deepEqual(error.path, ['memoryBytes']);
});

test('every issue is reported, with array indices in the path', t => {
  const text = JSON.stringify({
    name: 1,
    count: 0,
    kind: 'beta',
    layers: [{variant: 'a'}, {variant: 'b'}, {repeat: 2}],
  });
  const error = t.throws(() => parseDataFile(text, 'f.json', small), {instanceOf: InvalidInputError});
  t.is(
    error.message,
    [
      'f.json: name: expected string, received number 1',
      'f.json: count: too small: expected number to be >0 (received number 0)',
      'f.json: layers[2].variant: missing required field (expected string)',
    ].join('\n'),
  );
});

test('unknown keys suggest the schema key they were probably meant to be', t => {
  const path = 'unknown-keys.json';
  const error = t.throws(() => parseDataFile(read(path), path, hardwarePresetSchema()), {
    instanceOf: InvalidInputError,
  });
  t.is(
    error.message,
    [
      `${path}: bandwidthBytesPerSec: missing required field (expected number)`,
      `${path}: matrixPeakFlopsPerSec.fp16: missing required field (expected number)`,
      `${path}: matrixPeakFlopsPerSec.fp61: unknown key 'fp61'; did you mean 'fp16'?`,
      `${path}: bandwidth: unknown key 'bandwidth'; did you mean 'bandwidthBytesPerSec'?`,
    ].join('\n'),
  );
});

test('an unknown key with no near match lists the valid keys', t => {
  const error = t.throws(() =>
    parseDataFile('{"name": "x", "count": 1, "kind": "beta", "zzzzzz": 1}', 'f.json', small),
  );
  t.is(error.message, "f.json: zzzzzz: unknown key 'zzzzzz'; valid keys: name, count, kind, layers");
});

test('an enum value that is close to a valid one is suggested', t => {
  const error = t.throws(() => parseDataFile('{"name": "x", "count": 1, "kind": "gamme"}', 'f.json', small));
  t.is(error.message, `f.json: kind: string "gamme" is not one of alpha, beta, gamma; did you mean 'gamma'?`);
});

// Fixtures with syntax errors are stored as *.broken so that the repository's linter skips them;
// the label passed in says which format they are.
test('a YAML syntax error names its line and column', t => {
  const path = 'syntax-error.yaml';
  const error = t.throws(() => parseDataFile(read('syntax-error-yaml.broken'), path, small), {
    instanceOf: InvalidInputError,
  });
  // The flow sequence opened on line 4 ("dModel: [768") is never closed; the parser notices at
  // the start of line 5.
  t.is(
    error.message,
    'syntax-error.yaml:5:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  );
});

test('a JSON syntax error names its line and column', t => {
  const path = 'trailing-comma.json';
  const error = t.throws(() => parseDataFile(read('trailing-comma-json.broken'), path, small), {
    instanceOf: InvalidInputError,
  });
  // Line 4 is the closing brace after the trailing comma on line 3.
  t.is(error.message, "trailing-comma.json:4:1: invalid JSON: expected a key in double quotes, found '}'");
});

test('truncated JSON points at the end of the text', t => {
  const error = t.throws(() => parseDataText('{\n  "a": 1', 'f.json'));
  t.is(
    error.message,
    "f.json:2:9: invalid JSON: expected ',' or '}' after a value, found the end of the file",
  );
  const cut = t.throws(() => parseDataText('{\n  "a": ', 'f.json'));
  t.is(cut.message, 'f.json:2:8: invalid JSON: expected a value, found the end of the file');
});

test('an empty file says so', t => {
  const error = t.throws(() => parseDataText('  \n', 'empty.yaml'));
  t.is(error.message, 'empty.yaml:1:1: the file is empty; expected a YAML object');
});

test('a byte-order mark is ignored', t => {
  t.deepEqual(parseDataText('\uFEFF{"a": 1}', 'bom.json'), {a: 1});
});

test('the error class can be chosen (profiles are environment errors, exit 3)', t => {
  const error = t.throws(
    () => parseDataFile('{}', 'profile.json', small, {errorClass: EnvironmentError, hint: 'recalibrate'}),
    {
      instanceOf: EnvironmentError,
    },
  );
  t.is(error.exitCode, 3);
  t.is((error as EnvironmentError).hint, 'recalibrate');
});

test('a long string is described, not quoted: a whole file read as one YAML string is never echoed', t => {
  const text = 'token=s3cr3t-and-a-long-line-of-text-that-is-not-yaml-at-all\n';
  const error = t.throws(() => parseDataFile(text, 'f.yaml', small));
  t.is(error.message, 'f.yaml: (top level): expected object, received a string of 60 characters');
});

test('a missing enum field says it is missing and lists the choices', t => {
  const error = t.throws(() => parseDataFile('{"name": "x", "count": 1}', 'f.json', small));
  t.is(error.message, 'f.json: kind: missing required field (one of alpha, beta, gamma)');
});
