/**
 * Human output: tables (cli-table3) and charts (asciichart). Formatting of numbers lives in
 * src/units.ts; this module only lays them out. Nothing here is used under --json.
 */
import asciichart from 'asciichart';
import Table from 'cli-table3';
import type {RenderContext} from './base.js';

export type Align = 'left' | 'right';

export interface TableSpec {
  head: string[];
  rows: string[][];
  /** Per column; default: first column left, the rest right (numbers). */
  align?: Align[];
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

export function table(spec: TableSpec, ctx: RenderContext): string {
  const align = spec.head.map((_, i) => spec.align?.[i] ?? (i === 0 ? 'left' : 'right'));
  const t = new Table({
    head: spec.head.map(h => paint(h, 'bold', ctx)),
    colAligns: align,
    // cli-table3 colours borders and heads even when piped unless told otherwise.
    style: ctx.color ? {head: [], border: ['grey']} : {head: [], border: []},
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
  });
  for (const row of spec.rows) t.push(row);
  return t.toString();
}

/** Rows as comma-separated values (RFC 4180 quoting). */
export function csv(spec: TableSpec): string {
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return [spec.head, ...spec.rows].map(row => row.map(quote).join(',')).join('\n');
}

/** A GitHub-flavoured markdown table. */
export function markdown(spec: TableSpec): string {
  const align = spec.head.map((_, i) => spec.align?.[i] ?? (i === 0 ? 'left' : 'right'));
  const esc = (cell: string) => cell.replaceAll('|', '\\|');
  const lines = [
    `| ${spec.head.map(esc).join(' | ')} |`,
    `| ${align.map(a => (a === 'right' ? '---:' : ':---')).join(' | ')} |`,
    ...spec.rows.map(row => `| ${row.map(esc).join(' | ')} |`),
  ];
  return lines.join('\n');
}

export type TableFormat = 'table' | 'csv' | 'markdown';

export function formatTable(spec: TableSpec, format: TableFormat, ctx: RenderContext): string {
  if (format === 'csv') return csv(spec);
  if (format === 'markdown') return markdown(spec);
  return table(spec, ctx);
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
  const width = Math.max(10, Math.min(ctx.width - 16, 100));
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
  return [paint(opts.title, 'bold', ctx), lines.join('\n'), xAxis, legend].join('\n');
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
