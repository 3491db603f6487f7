/** Human output of `sweep`: a table (x by series) and a log-scale chart with a legend. */
import type {SweepQuery} from '../../queries/sweep.js';
import {
  type ByteUnits,
  formatBytes,
  formatFlops,
  formatInt,
  formatSeconds,
  formatTokens,
} from '../../units.js';
import type {RenderContext} from '../base.js';
import {
  bytesCell,
  type Cell,
  chart,
  extent,
  flopsCell,
  formatTable,
  intCell,
  paint,
  prose,
  secondsCell,
  type TableFormat,
  tokensCell,
} from '../render.js';
import {placementLine} from './capacity.js';
import {modelHeadline} from './cost.js';

/** Rows shown in the terminal table; csv and markdown carry every point. */
const TABLE_ROWS = 40;
/** Points drawn per series: a chart is as wide as the terminal. */
const CHART_POINTS = 96;

function sampleIndices(length: number, max: number): number[] {
  if (length <= max) return Array.from({length}, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (length - 1)) / (max - 1)));
  return [...out];
}

export function metricFormatter(metric: SweepQuery['metric'], units: ByteUnits): (v: number) => string {
  if (metric === 'flops') return formatFlops;
  if (metric === 'latency') return formatSeconds;
  return v => formatBytes(v, units);
}

function metricCell(metric: SweepQuery['metric'], units: ByteUnits): (v: number) => Cell {
  if (metric === 'flops') return flopsCell;
  if (metric === 'latency') return secondsCell;
  return v => bytesCell(v, units);
}

export function renderSweep(
  q: SweepQuery,
  opts: {format: TableFormat; units: ByteUnits},
  ctx: RenderContext,
): string {
  const fmt = metricFormatter(q.metric, opts.units);
  const cell = metricCell(q.metric, opts.units);
  const xFmt = q.over === 'seq' ? formatTokens : formatInt;
  const xCell = q.over === 'seq' ? tokensCell : (x: number) => intCell(x);
  const xHead = q.over === 'seq' ? 'n' : q.over;
  const label = (s: SweepQuery['series'][number]) =>
    s.hardware && q.ctx.hardware.length > 1 ? `${s.variantLabel} @ ${s.hardware}` : s.variantLabel;
  const all = opts.format !== 'table';
  const idx = all ? q.xs.map((_, i) => i) : sampleIndices(q.xs.length, TABLE_ROWS);
  const out: string[] = [];
  if (opts.format === 'table')
    out.push(
      modelHeadline({model: q.ctx.model, inputs: q.inputs}, ctx),
      ...(q.ctx.parallel.split ? [prose(placementLine(q.ctx.parallel), ctx)] : []),
      '',
    );
  out.push(
    formatTable(
      {
        head: [xHead, ...q.series.map(label)],
        align: ['right', ...q.series.map(() => 'right' as const)],
        rows: idx.map(i => [xCell(q.xs[i]), ...q.series.map(s => cell(s.values[i]))]),
      },
      opts.format,
      ctx,
    ),
  );
  if (!all && idx.length < q.xs.length)
    out.push(
      prose(
        paint(
          `(${idx.length} of ${formatInt(q.xs.length)} points shown; --format csv or --json for all)`,
          'dim',
          ctx,
        ),
        ctx,
      ),
    );
  if (opts.format === 'table' && ctx.chart && q.xs.length > 1) {
    const cidx = sampleIndices(q.xs.length, CHART_POINTS);
    // Over the positive values of every series, without spreading them (a sweep can hold 1M).
    const {min, max} = extent(
      (function* () {
        for (const s of q.series) for (const v of s.values) if (v > 0) yield v;
      })(),
    );
    const logY = max > 0 && max / min > 100;
    out.push(
      '',
      chart(
        q.series.map(s => ({label: label(s), values: cidx.map(i => s.values[i])})),
        {
          title: `${q.metric} vs ${xHead}${logY ? ' (log scale)' : ''}`,
          xLabels: cidx.map(i => xFmt(q.xs[i])),
          logY,
          yFormat: fmt,
        },
        ctx,
      ),
    );
  }
  return out.join('\n');
}
