/**
 * Human output for people and for spreadsheets: `--format csv` carries raw numbers under
 * unit-suffixed headers, tables fit COLUMNS (or the terminal) unless --wide, and NO_COLOR or
 * TERM=dumb give plain text.
 */
import {spawnSync} from 'node:child_process';
import test from 'ava';
import {
  bytesCell,
  csv,
  flopsCell,
  formatTable,
  outputStyle,
  secondsCell,
  table,
  tokensCell,
  visibleWidth,
} from '../../src/cli/render.js';
import {BIN, ROOT, runCli, runJson} from '../helpers/cli.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const ESCAPE = /\u001b\[/;

/** RFC 4180: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Headers whose cells must be numbers: a unit suffix, or a plain count. */
const NUMERIC_HEADER =
  /(^|_)(flops|bytes|s|tokens|fraction|ratio|per_s|flop_per_byte|macs|pairs|params|d_model|heads|layers|sms|hops)$/;
/** What a display string looks like: a number followed by an engineering unit. */
const DISPLAY_UNIT = /\d\s*(?:[KMGT]i?B|[KMGTP]?FLOP|ms|µs|ns|%|×|[kMGT]\b)/;

const CSV_COMMANDS: string[][] = [
  ['cost', '--breakdown'],
  ['compare'],
  ['max-seq'],
  ['memory', '--mode', 'train'],
  ['latency', '--breakdown'],
  ['sweep', '--metric', 'latency', '--seq', '1k..16k'],
  ['crossover', '--a', 'standard', '--b', 'linear', '--metric', 'flops'],
  ['complexity'],
  ['report'],
  ['presets', 'hardware'],
  ['presets', 'models'],
];

for (const args of CSV_COMMANDS) {
  test(`${args.join(' ')} --format csv: raw numbers under unit-suffixed headers`, t => {
    const r = runCli([...args, '--format', 'csv']);
    t.is(r.code, 0, r.stderr);
    t.notRegex(r.stdout, ESCAPE);
    // Several tables (e.g. cost --breakdown) are separated by a blank line.
    const tables = r.stdout
      .trimEnd()
      .split(/\n\n+/)
      .map(block => parseCsv(`${block}\n`));
    let numericColumns = 0;
    for (const [header, ...rows] of tables) {
      t.true(rows.length > 0, `a table without rows: ${header}`);
      t.is(new Set(header).size, header.length, `duplicate headers: ${header}`);
      for (const h of header) t.regex(h, /^[a-z0-9_]+$/, `header '${h}' is not snake_case`);
      for (const row of rows) t.is(row.length, header.length, row.join(','));
      header.forEach((h, i) => {
        if (!NUMERIC_HEADER.test(h)) return;
        numericColumns++;
        for (const row of rows) {
          const cell = row[i];
          t.false(DISPLAY_UNIT.test(cell), `${h}: '${cell}' is a display string`);
          if (cell !== '') t.true(Number.isFinite(Number(cell)), `${h}: '${cell}' is not a number`);
        }
      });
    }
    t.true(numericColumns > 0);
  });
}

test('cost --format csv: the numbers are the --json numbers', t => {
  const args = ['cost', '--model', 'llama-3.1-8b', '--seq', '4k,32k', '--variant', 'flash'];
  const [header, ...rows] = parseCsv(runCli([...args, '--format', 'csv']).stdout);
  t.deepEqual(header, [
    'variant',
    'n_tokens',
    'flops',
    'macs',
    'vector_flops',
    'pairs',
    'hbm_bytes',
    'params',
  ]);
  const json = runJson<{results: {seq: number; flops: number; hbmBytes: number; params: number}[]}>(
    args,
  ).json;
  t.deepEqual(
    rows.map(r => [Number(r[1]), Number(r[2]), Number(r[6]), Number(r[7])]),
    json.results.map(r => [r.seq, r.flops, r.hbmBytes, r.params]),
  );
});

const WIDTH_COMMANDS: string[][] = [
  ['compare'],
  ['cost', '--breakdown'],
  ['memory', '--mode', 'train'],
  ['latency', '--breakdown'],
  ['max-seq'],
  ['report'],
  ['sweep', '--metric', 'flops', '--seq', '1k..64k'],
  ['complexity'],
  ['presets', 'hardware'],
  ['presets', 'models'],
  ['presets', 'variants'],
];

const longest = (text: string) => visibleWidth(text);

for (const args of WIDTH_COMMANDS) {
  test(`${args.join(' ')} under COLUMNS=80: no line is wider than 80 columns`, t => {
    const r = runCli(args, {env: {COLUMNS: '80'}});
    t.is(r.code, 0, r.stderr);
    const wide = r.stdout.split('\n').filter(line => visibleWidth(line) > 80);
    t.deepEqual(wide, []);
  });
}

test('compare: at 80 columns the low-priority columns are left out and named; --wide keeps them', t => {
  const narrow = runCli(['compare'], {env: {COLUMNS: '80'}}).stdout;
  t.notRegex(narrow, /│ what it gives up/);
  t.regex(
    narrow,
    /left out to fit 80 columns: family, exact, pairs, what it gives up; --wide or\s+--format csv/,
  );
  const wide = runCli(['compare', '--wide'], {env: {COLUMNS: '80'}}).stdout;
  t.regex(wide, /what it gives up/);
  t.true(longest(wide) > 80);
  // A wide terminal shows everything without --wide.
  t.regex(runCli(['compare'], {env: {COLUMNS: '300'}}).stdout, /│ what it gives up/);
});

test('output to a pipe without COLUMNS is not fitted (nothing to fit to)', t => {
  const out = runCli(['compare'], {env: {COLUMNS: ''}}).stdout;
  t.regex(out, /what it gives up/);
  t.notRegex(out, /left out to fit/);
});

test('outputStyle: colour only on a terminal without NO_COLOR, TERM=dumb or --no-color', t => {
  const base = {isTTY: true, columns: 120, env: {TERM: 'xterm-256color'}, noColor: false, wide: false};
  t.true(outputStyle(base).color);
  t.false(outputStyle({...base, isTTY: false}).color);
  t.false(outputStyle({...base, env: {TERM: 'dumb'}}).color);
  t.false(outputStyle({...base, env: {TERM: 'xterm', NO_COLOR: '1'}}).color);
  t.true(outputStyle({...base, env: {TERM: 'xterm', NO_COLOR: ''}}).color);
  t.false(outputStyle({...base, noColor: true}).color);
});

test('outputStyle: COLUMNS wins over the terminal; --wide and unknown widths fit nothing', t => {
  const base = {isTTY: true, columns: 120, env: {}, noColor: false, wide: false};
  t.like(outputStyle(base), {width: 120, fitWidth: 120});
  t.like(outputStyle({...base, env: {COLUMNS: '80'}}), {width: 80, fitWidth: 80});
  t.like(outputStyle({...base, env: {COLUMNS: 'wide'}}), {width: 120, fitWidth: 120});
  t.is(outputStyle({...base, wide: true}).fitWidth, undefined);
  t.deepEqual(outputStyle({...base, isTTY: false}), {color: false, width: 80});
  t.deepEqual(outputStyle({...base, columns: 0}), {color: true, width: 80});
  t.like(outputStyle({...base, isTTY: false, env: {COLUMNS: '100'}}), {fitWidth: 100});
});

const plain = {color: false, chart: false, width: 80};

test('table: a long text column wraps before any column is left out', t => {
  const spec = {
    head: ['variant', 'FLOPs', 'note'],
    rows: [['standard', flopsCell(2.5e12), 'one two three four five six seven eight nine ten eleven twelve']],
    align: ['left', 'right', 'left'] as const,
  };
  const out = table({...spec, align: [...spec.align]}, {...plain, fitWidth: 50});
  t.true(longest(out) <= 50, out);
  t.regex(out, /2\.50 TFLOP/);
  t.regex(out, /eleven/);
  t.notRegex(out, /left out/);
});

test('table: columns of lowest priority go first, rightmost first among equals; the first never', t => {
  const spec = {
    head: ['variant', {label: 'memory', priority: -1}, 'latency', {label: 'pairs', priority: -1}],
    rows: [['a-rather-long-variant-name', bytesCell(3 * 2 ** 30, 'binary'), secondsCell(0.0125), '123']],
  };
  // Widths 26, 8, 7 and 5, each plus a border and two spaces, plus one border: 59 columns.
  t.regex(table(spec, {...plain, fitWidth: 59}), /│ pairs │/);
  const one = table(spec, {...plain, fitWidth: 55});
  t.regex(one, /│ +memory │/);
  t.notRegex(one, /│ pairs/);
  t.regex(one, /left out to fit 55 columns: pairs;/);
  const two = table(spec, {...plain, fitWidth: 45});
  t.notRegex(two, /│ +memory|│ pairs/);
  t.regex(two, /left out to fit 45 columns: memory, pairs;/);
  t.regex(two, /12\.5 ms/);
  t.regex(table(spec, {...plain, fitWidth: 10}), /a-rather-long-variant-name/);
  t.regex(table(spec, plain), /pairs/);
});

test('csv: raw values, unit suffixes from the cells, explicit names, csv-only columns', t => {
  const spec = {
    head: [
      'variant',
      'n',
      'memory',
      {label: 'HBM traffic', csv: 'hbm_bytes'},
      {label: 'unit', csvOnly: true},
    ],
    rows: [
      ['standard', tokensCell(4096), bytesCell(1.5e9, 'binary'), bytesCell(2e9, 'si'), 'bytes'],
      ['none', tokensCell(null), bytesCell(undefined, 'binary'), bytesCell(0, 'si'), 'bytes'],
    ],
  };
  t.is(
    csv(spec),
    'variant,n_tokens,memory_bytes,hbm_bytes,unit\nstandard,4096,1500000000,2000000000,bytes\nnone,,,0,bytes',
  );
  const human = formatTable(spec, 'table', plain);
  t.notRegex(human, /unit/);
  t.regex(human, /1\.40 GiB/);
  t.regex(formatTable(spec, 'markdown', plain), /^\| variant \| n \| memory \| HBM traffic \|$/m);
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`), so that stdout is a TTY. */
function onTerminal(env: Record<string, string>, args: string[]): string | undefined {
  const probe = spawnSync('script', ['--version'], {encoding: 'utf8'});
  if (probe.status !== 0) return undefined;
  const command = [process.execPath, BIN, ...args].map(a => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COLUMNS: '120', ...env},
  });
  return r.stdout;
}

test('on a terminal: colour by default, none with TERM=dumb or NO_COLOR', t => {
  const colour = onTerminal({TERM: 'xterm-256color'}, ['cost']);
  if (colour === undefined) {
    t.log('util-linux script is not installed: the pseudo-terminal check is skipped');
    t.pass();
    return;
  }
  t.regex(colour, ESCAPE);
  t.regex(colour, /gpt2-small/);
  const dumb = onTerminal({TERM: 'dumb'}, ['cost']) ?? '';
  t.regex(dumb, /gpt2-small/);
  t.notRegex(dumb, ESCAPE);
  t.notRegex(onTerminal({TERM: 'xterm-256color', NO_COLOR: '1'}, ['cost']) ?? '', ESCAPE);
});
