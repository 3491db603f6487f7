/**
 * Human output: tables (cli-table3) and charts (asciichart). Formatting of numbers lives in
 * src/units.ts; this module only lays them out. Nothing here is used under --json.
 *
 * A table cell is either text or a number with its display text (`bytesCell`, `secondsCell`, …):
 * tables and markdown show the text, `--format csv` the raw number, under a header that ends in its
 * unit (docs/csv.md). Tables fit the terminal: long text columns wrap, then the columns of lowest
 * priority are left out with a note, unless --wide.
 */
import asciichart from 'asciichart';
import Table from 'cli-table3';
import {
  type ByteUnits,
  formatBytes,
  formatCount,
  formatFlops,
  formatInt,
  formatPercent,
  formatSeconds,
  formatTokens,
} from '../units.js';
import type {RenderContext} from './base.js';

export type Align = 'left' | 'right';

/** The unit of a cell's raw value, as the suffix its CSV header carries. */
export type CellUnit =
  | 'bytes'
  | 's'
  | 'flops'
  | 'tokens'
  | 'fraction'
  | 'ratio'
  | 'count'
  | 'tokens_per_s'
  | 'flop_per_byte';

/** A value with its display text; CSV prints `value` (empty for null), tables print `text`. */
export interface Cell {
  text: string;
  value: number | boolean | string | null;
  unit?: CellUnit;
}

export type CellInput = string | Cell;

/** A column: its table heading, its CSV header (default: the heading in snake_case plus the unit), and how soon it is left out of a narrow table (lowest first; default 0; the first column is never left out). */
export interface Column {
  label: string;
  csv?: string;
  priority?: number;
  /** Only in CSV (e.g. the unit of a column whose rows differ in unit); tables show it in the text. */
  csvOnly?: boolean;
}

export interface TableSpec {
  head: (string | Column)[];
  rows: CellInput[][];
  /** Per column; default: first column left, the rest right (numbers). */
  align?: Align[];
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Bytes, shown in engineering units of `units`. */
export function bytesCell(x: number | null | undefined, units: ByteUnits): Cell {
  return finite(x) ? {text: formatBytes(x, units), value: x, unit: 'bytes'} : missing('bytes');
}
export function flopsCell(x: number | null | undefined): Cell {
  return finite(x) ? {text: formatFlops(x), value: x, unit: 'flops'} : missing('flops');
}
export function secondsCell(x: number | null | undefined): Cell {
  return finite(x) ? {text: formatSeconds(x), value: x, unit: 's'} : missing('s');
}
export function tokensCell(x: number | null | undefined): Cell {
  return finite(x) ? {text: formatTokens(x), value: x, unit: 'tokens'} : missing('tokens');
}
/** A plain count (MACs, pairs, parameters) in engineering notation. */
export function countCell(x: number | null | undefined, unit: CellUnit = 'count'): Cell {
  return finite(x) ? {text: formatCount(x), value: x, unit} : missing(unit);
}
/** A whole number with thousands separators. */
export function intCell(x: number | null | undefined, unit: CellUnit = 'count'): Cell {
  return finite(x) ? {text: formatInt(x), value: x, unit} : missing(unit);
}
/** A fraction (0.25), shown as a percentage (25.0%). */
export function fractionCell(x: number | null | undefined): Cell {
  return finite(x) ? {text: formatPercent(x), value: x, unit: 'fraction'} : missing('fraction');
}
/** A number with text of the caller's choosing (ratios, intensities). */
export function numberCell(x: number | null | undefined, text: (x: number) => string, unit: CellUnit): Cell {
  return finite(x) ? {text: text(x), value: x, unit} : missing(unit);
}
/** A yes/no answer; CSV prints true/false. */
export function boolCell(yes: boolean, text: string): Cell {
  return {text, value: yes};
}
function missing(unit: CellUnit): Cell {
  return {text: '–', value: null, unit};
}

const ANSI = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  reset: '\u001b[0m',
};
export type Colour = Exclude<keyof typeof ANSI, 'reset'>;

export function paint(text: string, colour: Colour, ctx: RenderContext): string {
  return ctx.color ? `${ANSI[colour]}${text}${ANSI.reset}` : text;
}

/** A cell's text with its colour (a painted Cell keeps its raw value for CSV). */
export function paintCell(cell: Cell, colour: Colour, ctx: RenderContext): Cell {
  return {...cell, text: paint(cell.text, colour, ctx)};
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const ANSI_SEQUENCE = /\u001b\[[0-9;]*m/g;

/** Columns a string takes on a terminal (its longest line, without colour codes). */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const line of text.split('\n')) width = Math.max(width, [...line.replace(ANSI_SEQUENCE, '')].length);
  return width;
}

/** Word-wraps one line of text to `width` columns (words longer than the width stay whole). */
export function wrapText(text: string, width: number): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && visibleWidth(`${line} ${word}`) > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** A line of prose (headlines, notes) wrapped to the terminal when tables are fitted to it. */
export function prose(text: string, ctx: RenderContext): string {
  return ctx.fitWidth === undefined ? text : wrapText(text, ctx.fitWidth);
}

/**
 * How human output looks here. Colour: only on a terminal, and not with NO_COLOR (any non-empty
 * value, no-color.org), TERM=dumb or --no-color. Width: COLUMNS when set (a positive integer),
 * else the terminal's; tables and prose are fitted to it unless --wide, and not at all when output
 * goes to a pipe or file with no COLUMNS (nothing to fit). Charts use `width` (80 when unknown).
 */
export function outputStyle(opts: {
  isTTY: boolean;
  columns: number | undefined;
  env: Record<string, string | undefined>;
  noColor: boolean;
  wide: boolean;
}): Pick<RenderContext, 'color' | 'width' | 'fitWidth'> {
  const envColumns = /^\d+$/.test(opts.env.COLUMNS ?? '') ? Number(opts.env.COLUMNS) : 0;
  // A terminal that reports no size (0, e.g. a bare pseudo-terminal) is treated as unknown.
  const ttyColumns = opts.isTTY && opts.columns !== undefined && opts.columns > 0 ? opts.columns : undefined;
  const columns = envColumns > 0 ? envColumns : ttyColumns;
  return {
    color: opts.isTTY && !opts.noColor && (opts.env.NO_COLOR ?? '') === '' && opts.env.TERM !== 'dumb',
    width: columns ?? 80,
    ...(columns !== undefined && !opts.wide ? {fitWidth: columns} : {}),
  };
}

const cellText = (cell: CellInput) => (typeof cell === 'string' ? cell : cell.text);
const column = (head: string | Column): Column => (typeof head === 'string' ? {label: head} : head);

/** cli-table3's width of a table with these content widths: a border and two spaces of padding per column. */
const tableWidth = (widths: number[]) => 1 + widths.reduce((sum, w) => sum + w + 3, 0);

/** Narrowest a wrapped text column gets. */
const MIN_WRAP = 16;

/**
 * Fits a table to `limit` columns: first wraps the widest left-aligned text column (not the first)
 * down to what is missing, never below MIN_WRAP; then leaves out columns, lowest priority and
 * rightmost first, until the rest fit. Returns the table to draw and the headings left out.
 */
function fitTable(
  spec: TableSpec,
  align: Align[],
  limit: number,
): {spec: TableSpec; align: Align[]; hidden: string[]} {
  const head = spec.head.map(column);
  const rows = spec.rows.map(row => row.map(cellText));
  const widths = head.map((h, i) =>
    rows.reduce((w, r) => Math.max(w, visibleWidth(r[i] ?? '')), visibleWidth(h.label)),
  );
  const wrapTo = widths.slice();
  for (;;) {
    const excess = tableWidth(wrapTo) - limit;
    if (excess <= 0) break;
    let widest = -1;
    for (let i = 1; i < head.length; i++)
      if (align[i] === 'left' && wrapTo[i] > MIN_WRAP && (widest < 0 || wrapTo[i] > wrapTo[widest]))
        widest = i;
    if (widest < 0) break;
    wrapTo[widest] = Math.max(MIN_WRAP, wrapTo[widest] - excess);
  }
  // Words longer than a wrapped width stay whole: measure what wrapping actually gave.
  const wrapped = rows.map(r =>
    r.map((text, i) => (wrapTo[i] < widths[i] ? wrapText(text, wrapTo[i]) : text)),
  );
  const actual = head.map((h, i) =>
    wrapped.reduce((w, r) => Math.max(w, visibleWidth(r[i] ?? '')), visibleWidth(h.label)),
  );
  const keep = head.map(() => true);
  const order = head
    .map((h, i) => ({i, priority: h.priority ?? 0}))
    .slice(1)
    .sort((a, b) => a.priority - b.priority || b.i - a.i);
  for (const {i} of order) {
    if (tableWidth(actual.filter((_, j) => keep[j])) <= limit) break;
    keep[i] = false;
  }
  const kept = (_: unknown, i: number) => keep[i];
  return {
    spec: {
      head: spec.head.filter(kept),
      rows: wrapped.map(r => r.filter(kept)),
    },
    align: align.filter(kept),
    hidden: head.filter((_, i) => !keep[i]).map(h => h.label),
  };
}

export function table(spec: TableSpec, ctx: RenderContext): string {
  const align = spec.head.map((_, i) => spec.align?.[i] ?? (i === 0 ? 'left' : 'right'));
  const fitted = ctx.fitWidth === undefined ? {spec, align, hidden: []} : fitTable(spec, align, ctx.fitWidth);
  const t = new Table({
    head: fitted.spec.head.map(h => paint(column(h).label, 'bold', ctx)),
    colAligns: fitted.align,
    // cli-table3 colours borders and heads even when piped unless told otherwise.
    style: ctx.color ? {head: [], border: ['grey']} : {head: [], border: []},
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
  });
  for (const row of fitted.spec.rows) t.push(row.map(cellText));
  if (fitted.hidden.length === 0) return t.toString();
  const note = `(left out to fit ${ctx.fitWidth} columns: ${fitted.hidden.join(', ')}; --wide or --format csv shows them)`;
  return `${t.toString()}\n${prose(paint(note, 'dim', ctx), ctx)}`;
}

/** A column's CSV header: given, or its heading in snake_case followed by its cells' unit. */
function csvHeader(head: string | Column, cells: CellInput[]): string {
  const c = column(head);
  if (c.csv) return c.csv;
  const slug = c.label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const unit = cells.find((cell): cell is Cell => typeof cell !== 'string' && cell.unit !== undefined)?.unit;
  return unit === undefined || unit === 'count' || slug === unit || slug.endsWith(`_${unit}`)
    ? slug
    : `${slug}_${unit}`;
}

/** Rows as comma-separated values (RFC 4180 quoting): raw numbers, unit-suffixed headers. */
export function csv(spec: TableSpec): string {
  const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const raw = (cell: CellInput) =>
    typeof cell === 'string'
      ? cell.replace(ANSI_SEQUENCE, '')
      : cell.value === null
        ? ''
        : String(cell.value);
  const header = spec.head.map((h, i) =>
    csvHeader(
      h,
      spec.rows.map(r => r[i] ?? ''),
    ),
  );
  return [header, ...spec.rows.map(row => row.map(raw))].map(row => row.map(quote).join(',')).join('\n');
}

/** A GitHub-flavoured markdown table. */
export function markdown(spec: TableSpec): string {
  const align = spec.head.map((_, i) => spec.align?.[i] ?? (i === 0 ? 'left' : 'right'));
  const esc = (cell: string) =>
    cell.replace(ANSI_SEQUENCE, '').replaceAll('|', '\\|').replaceAll('\n', '<br>');
  const lines = [
    `| ${spec.head.map(h => esc(column(h).label)).join(' | ')} |`,
    `| ${align.map(a => (a === 'right' ? '---:' : ':---')).join(' | ')} |`,
    ...spec.rows.map(row => `| ${row.map(cell => esc(cellText(cell))).join(' | ')} |`),
  ];
  return lines.join('\n');
}

export type TableFormat = 'table' | 'csv' | 'markdown';

export function formatTable(spec: TableSpec, format: TableFormat, ctx: RenderContext): string {
  if (format === 'csv') return csv(spec);
  const shown = (_: unknown, i: number) => !column(spec.head[i]).csvOnly;
  const human = spec.head.some(h => column(h).csvOnly)
    ? {
        head: spec.head.filter(shown),
        rows: spec.rows.map(row => row.filter(shown)),
        ...(spec.align ? {align: spec.align.filter(shown)} : {}),
      }
    : spec;
  if (format === 'markdown') return markdown(human);
  return table(human, ctx);
}

const SERIES_COLOURS = [
  asciichart.blue,
  asciichart.red,
  asciichart.green,
  asciichart.magenta,
  asciichart.cyan,
  asciichart.yellow,
  asciichart.lightred,
  asciichart.lightblue,
];

export interface ChartSeries {
  label: string;
  /** y values, one per x point; undefined where the series has no value (e.g. out of memory). */
  values: (number | undefined)[];
}

/**
 * A line chart of several series over shared x points. With `logY`, values are plotted as
 * log10; x points are assumed evenly spaced (log-spaced ranges plot as a log x axis).
 */
export function chart(
  series: ChartSeries[],
  opts: {title: string; xLabels: string[]; logY?: boolean; height?: number; yFormat: (v: number) => string},
  ctx: RenderContext,
): string {
  const usable = series.filter(s => s.values.some(v => v !== undefined && v > 0));
  if (usable.length === 0) return '';
  const transform = (v: number) => (opts.logY ? Math.log10(v) : v);
  const data = usable.map(s => {
    const vals = s.values.map(v => (v !== undefined && v > 0 ? transform(v) : Number.NaN));
    // asciichart cannot draw NaN gaps reliably: hold the last finite value flat is misleading,
    // so leave gaps as the series minimum and say so in the legend.
    return vals;
  });
  const {min, max} = extent(data.flat());
  const padded = data.map(vals => vals.map(v => (Number.isFinite(v) ? v : min)));
  // Stretch x to the terminal: repeat points so the plot is readable.
  // The y axis takes 12 columns and the series numbers at the right end up to two per series.
  const width = Math.max(10, Math.min(ctx.width - 14 - 2 * usable.length, 100));
  const stretch = Math.max(1, Math.floor(width / Math.max(1, padded[0].length)));
  const stretched = padded.map(vals => vals.flatMap(v => Array.from({length: stretch}, () => v)));
  const plot = asciichart.plot(stretched, {
    height: opts.height ?? 12,
    min,
    max: max === min ? min + 1 : max,
    colors: ctx.color ? usable.map((_, i) => SERIES_COLOURS[i % SERIES_COLOURS.length]) : undefined,
    format: (v: number) => (opts.logY ? opts.yFormat(10 ** v) : opts.yFormat(v)).padStart(10),
  });
  // Number each series at the right end of the row where it ends, so that series stay
  // distinguishable without colour (asciichart draws every series with the same glyphs).
  const top = max === min ? min + 1 : max;
  const height = opts.height ?? 12;
  const ratio = height / (top - min);
  const min2 = Math.round(min * ratio);
  const rows = Math.abs(Math.round(top * ratio) - min2);
  const lines = plot.split('\n');
  const ends = new Map<number, string[]>();
  data.forEach((vals, i) => {
    const lastFinite = [...vals].reverse().find(Number.isFinite);
    if (lastFinite === undefined) return;
    const row = rows - (Math.round(lastFinite * ratio) - min2);
    ends.set(row, [...(ends.get(row) ?? []), String(i + 1)]);
  });
  for (const [row, labels] of ends)
    if (lines[row] !== undefined) lines[row] = `${lines[row]} ${labels.join(',')}`;
  const axisPad = ' '.repeat(12);
  const first = opts.xLabels[0] ?? '';
  const last = opts.xLabels[opts.xLabels.length - 1] ?? '';
  const plotWidth = stretched[0].length;
  const xAxis = `${axisPad}${first}${' '.repeat(Math.max(1, plotWidth - first.length - last.length))}${last}`;
  const legend = usable
    .map((s, i) => {
      const mark = ctx.color ? `${SERIES_COLOURS[i % SERIES_COLOURS.length]}━━${asciichart.reset} ` : '';
      const gap = s.values.some(v => v === undefined || v <= 0) ? ' (gaps drawn at the floor)' : '';
      return `${i + 1} ${mark}${s.label}${gap}`;
    })
    .join('   ');
  return [prose(paint(opts.title, 'bold', ctx), ctx), lines.join('\n'), xAxis, prose(legend, ctx)].join('\n');
}

/**
 * The smallest and largest finite values, in one pass: `Math.min(...values)` passes every value
 * as an argument and overflows the stack past ~100k of them (a sweep can hold a million).
 */
export function extent(values: Iterable<number>): {min: number; max: number} {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {min, max};
}
