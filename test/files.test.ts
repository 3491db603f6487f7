import {mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {checkBudget} from '../src/budget.js';
import {InvalidInputError} from '../src/errors.js';
import {checkOutputPath, MAX_DATA_FILE_BYTES, readDataFile, writeOutputFile} from '../src/files.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'attncap-files-'));

test('readDataFile reads a regular file up to 1 MiB and refuses one byte more', t => {
  const dir = tempDir();
  const ok = join(dir, 'ok.json');
  writeFileSync(ok, 'x'.repeat(MAX_DATA_FILE_BYTES));
  t.is(readDataFile(ok, {noun: 'model file'}).length, MAX_DATA_FILE_BYTES);
  const big = join(dir, 'big.json');
  writeFileSync(big, 'x'.repeat(MAX_DATA_FILE_BYTES + 1));
  const error = t.throws(() => readDataFile(big, {noun: 'model file', path: ['modelFile']}), {
    instanceOf: InvalidInputError,
  });
  t.is(
    error.message,
    `model file '${big}' is 1048577 bytes; data files are limited to 1 MiB (1048576 bytes)`,
  );
  t.deepEqual(error.path, ['modelFile']);
});

test('readDataFile refuses devices and directories, and names a missing file', t => {
  t.is(
    t.throws(() => readDataFile('/dev/zero', {noun: 'capacity file'})).message,
    "capacity file '/dev/zero' is a character device; attncap reads regular files only",
  );
  const dir = tempDir();
  t.is(
    t.throws(() => readDataFile(dir, {noun: 'model file'})).message,
    `model file '${dir}' is a directory; attncap reads regular files only`,
  );
  t.is(
    t.throws(() => readDataFile(join(dir, 'absent'), {noun: 'model file'})).message,
    `cannot read model file '${join(dir, 'absent')}': no such file`,
  );
});

test('checkOutputPath: absent and regular files are replaced; links and devices need force; directories never', t => {
  const dir = tempDir();
  const file = join(dir, 'r.xml');
  t.is(checkOutputPath(file, {flag: 'junit'}), 'replace');
  writeFileSync(file, 'x');
  t.is(checkOutputPath(file, {flag: 'junit'}), 'replace');
  const link = join(dir, 'l.xml');
  symlinkSync(file, link);
  t.throws(() => checkOutputPath(link, {flag: 'junit'}), {instanceOf: InvalidInputError});
  t.is(checkOutputPath(link, {flag: 'junit', force: true}), 'replace');
  t.throws(() => checkOutputPath('/dev/null', {flag: 'profile'}), {
    message:
      "--profile '/dev/null' is a character device; attncap replaces only regular files (--force writes into it)",
  });
  t.is(checkOutputPath('/dev/null', {flag: 'profile', force: true}), 'stream');
  t.throws(() => checkOutputPath(dir, {flag: 'junit', force: true}), {message: /is a directory/});
  t.throws(() => checkOutputPath(' ', {flag: 'junit'}), {message: '--junit is empty: give a file path'});
});

test('writeOutputFile writes atomically beside the target and leaves no temporary file', t => {
  const dir = tempDir();
  const file = join(dir, 'sub', 'r.xml');
  writeOutputFile(file, 'one', {flag: 'junit'});
  writeOutputFile(file, 'two', {flag: 'junit'});
  t.is(readFileSync(file, 'utf8'), 'two');
  t.deepEqual(readdirSync(join(dir, 'sub')), ['r.xml']);
});

test('checkBudget names the product, the limit and the way to raise it', t => {
  const budget = {
    command: 'sweep',
    unit: 'points',
    factors: '10 lengths × 2 variants × 1 hardware',
    limit: 10,
    ceiling: 100,
    advice: 'use fewer',
  };
  t.notThrows(() => checkBudget({...budget, product: 10}));
  t.is(
    t.throws(() => checkBudget({...budget, product: 20})).message,
    'sweep would evaluate 10 lengths × 2 variants × 1 hardware = 20 points, over the budget of 10: use fewer, or raise the budget with --max-points 20',
  );
  t.notThrows(() => checkBudget({...budget, product: 20, maxPoints: 20}));
  t.is(
    t.throws(() => checkBudget({...budget, product: 200})).message,
    'sweep would evaluate 10 lengths × 2 variants × 1 hardware = 200 points, over the budget of 10: use fewer',
  );
  t.throws(() => checkBudget({...budget, product: 1, maxPoints: 0}), {
    message: '--max-points 0 is out of range for sweep: 1 to 100',
  });
});
