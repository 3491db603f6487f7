/** Human output of `report`, the default command (docs/design.md §2.0). */
import type {ReportQuery, ReportRow} from '../../queries/report.js';
import {type ByteUnits, formatBytes, formatCount, formatInt, formatTokens} from '../../units.js';
import type {RenderContext} from '../base.js';
import {
  boolCell,
  bytesCell,
  type Cell,
  chart,
  flopsCell,
  formatTable,
  paint,
  prose,
  secondsCell,
  type TableFormat,
} from '../render.js';
import {placementLine} from './capacity.js';

/** The longest sequence, short; in CSV the number, empty when none fits or there is no bound. */
function shortTokens(r: ReportRow): Cell {
  if (r.binding === 'unbounded') return {text: '> 2^40', value: null, unit: 'tokens'};
  // Capped at the model's context: the cell shows what memory alone allows, marked with *, so the
  // report still shows the wall; the footnote and maxSeq (JSON) give the capped answer.
  const capped = r.binding === 'context';
  const n = capped ? r.maxSeqMemory : r.maxSeq;
  if (capped && n === null) return {text: '> 2^40*', value: null, unit: 'tokens'};
  if (n === null) return {text: 'none fits', value: null, unit: 'tokens'};
  return {
    text: `${n >= 10_000 ? formatCount(n) : formatInt(n)}${capped ? '*' : ''}`,
    value: n,
    unit: 'tokens',
  };
}

/** A token count as a CSV number; empty when there is none (nothing fits, or no bound). */
function tokensCell(n: number | null): Cell {
  return {text: n === null ? '' : String(n), value: n, unit: 'tokens'};
}

export function renderReport(
  q: ReportQuery,
  opts: {format: TableFormat; units: ByteUnits},
  ctx: RenderContext,
): string {
  const m = q.ctx.model;
  const w = q.ctx.workload.base;
  const hw = q.ctx.hardware;
  const last = hw[hw.length - 1];
  const byKey = new Map(q.rows.map(r => [`${r.variantLabel}\u0000${r.hardware}`, r]));
  const out: string[] = [];
  const params = q.params;
  const shape = [
    params > 0 ? `${formatCount(params)} params` : '',
    `${m.layers} layers`,
    `d ${m.dModel}`,
    m.heads ? `${m.heads} heads` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  if (opts.format === 'table') {
    out.push(
      prose(
        paint(
          `attncap · ${q.ctx.modelLabel} (${shape}) · ${w.dtype} · ${w.mode} · batch ${w.batch}${q.ctx.profile.id === 'textbook' ? ' · textbook' : ''}`,
          'bold',
          ctx,
        ),
        ctx,
      ),
      ...(q.ctx.parallel.split ? [prose(placementLine(q.ctx.parallel), ctx)] : []),
      '',
    );
    out.push(paint('Longest sequence that fits (tokens)', 'bold', ctx));
  }
  // CSV carries numbers a script can trust: the capped answer (JSON's maxSeq) in *_max_seq_tokens
  // and what memory alone allows (maxSeqMemory) in *_memory_max_seq_tokens; the table shows the
  // memory answer marked * with a footnote.
  const csv = opts.format === 'csv';
  const slug = (id: string) => id.replace(/[^a-z0-9]+/gi, '_');
  out.push(
    formatTable(
      {
        head: [
          'variant',
          ...hw.map(h => ({label: h.id, csv: `${slug(h.id)}_max_seq_tokens`})),
          ...(csv ? hw.map(h => ({label: h.id, csv: `${slug(h.id)}_memory_max_seq_tokens`})) : []),
          {label: `binding (${last.id})`, csv: `${slug(last.id)}_binding`},
        ],
        align: ['left', ...hw.map(() => 'right' as const), 'left'],
        rows: q.facts.map(f => {
          const cells = hw.map(h => byKey.get(`${f.label}\u0000${h.id}`));
          const tail = cells[cells.length - 1];
          return [
            f.label,
            ...cells.map(r => (r ? (csv ? tokensCell(r.maxSeq) : shortTokens(r)) : '–')),
            ...(csv ? cells.map(r => (r ? tokensCell(r.maxSeqMemory) : '–')) : []),
            tail?.binding === 'context'
              ? {text: `context (${formatInt(q.ctx.model.contextLength ?? 0)})`, value: 'context'}
              : (tail?.dominantTerm ?? tail?.binding ?? '–'),
          ];
        }),
      },
      opts.format,
      ctx,
    ),
  );
  const capped = q.rows.some(r => r.binding === 'context');
  if (capped && opts.format === 'table')
    out.push(
      prose(
        `* beyond ${q.ctx.modelLabel}'s trained context of ${formatInt(q.ctx.model.contextLength ?? 0)} tokens: memory alone allows it, the model was not trained for it (max-seq answers ${formatInt(q.ctx.model.contextLength ?? 0)}; --ignore-context lifts the cap)`,
        ctx,
      ),
    );
  out.push('');
  if (opts.format !== 'csv')
    out.push(
      prose(
        paint(
          `At n = ${formatInt(q.referenceSeq)} (memory and expected latency on ${last.name})`,
          'bold',
          ctx,
        ),
        ctx,
      ),
    );
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'FLOPs',
          'memory',
          'fits',
          'latency',
          {label: 'bound', priority: -1},
          {label: 'exact', priority: -1},
          'what it gives up',
        ],
        align: ['left', 'right', 'right', 'left', 'right', 'left', 'left', 'left'],
        rows: q.facts.map(f => {
          const r = byKey.get(`${f.label}\u0000${last.id}`);
          if (!r) return [f.label, '–', '–', '–', '–', '–', '–', f.tradeoff];
          return [
            f.label,
            flopsCell(r.flops),
            bytesCell(r.memory.totalBytes, opts.units),
            boolCell(r.memory.fits, r.memory.fits ? 'yes' : paint('no', 'red', ctx)),
            secondsCell(r.seconds),
            r.bound,
            boolCell(f.exact, f.exact ? 'exact' : 'approx.'),
            f.tradeoff.length > 72 ? `${f.tradeoff.slice(0, 71)}…` : f.tradeoff,
          ];
        }),
      },
      opts.format,
      ctx,
    ),
  );
  if (opts.format === 'table' && ctx.chart && q.curve.xs.length > 1) {
    // Clamp at 4× the largest capacity: above it the curves only say "does not fit".
    const ceiling = 4 * Math.max(...q.curve.capacities.map(c => c.usableBytes));
    const series = [
      ...q.curve.series.map(s => ({label: s.variant, values: s.values.map(v => Math.min(v, ceiling))})),
      ...q.curve.capacities.map(c => ({
        label: `${c.hardware} usable`,
        values: q.curve.xs.map(() => c.usableBytes),
      })),
    ];
    out.push(
      '',
      chart(
        series,
        {
          title:
            'Memory vs sequence length (log₂ n → log₁₀ bytes, clipped at 4× the largest capacity), usable capacity per device',
          xLabels: q.curve.xs.map(formatTokens),
          logY: true,
          height: 16,
          yFormat: v => formatBytes(v, opts.units),
        },
        ctx,
      ),
    );
  }
  if (opts.format === 'table') {
    const best = q.facts[1]?.label.split(' ')[0] ?? 'flash';
    out.push(
      '',
      prose(`Next: attncap max-seq --model ${m.id} --hardware ${last.id} --variant ${best}`, ctx),
      prose(`      attncap compare --model ${m.id} --seq 128k`, ctx),
      prose(
        `      attncap latency --model ${m.id} --seq ${formatTokens(q.referenceSeq)} --hardware ${last.id} --breakdown`,
        ctx,
      ),
    );
  }
  return out.join('\n');
}
