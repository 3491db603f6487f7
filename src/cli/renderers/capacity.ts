/** Human output of `max-seq`, `memory`, `latency` and `crossover`. */
import type {CrossoverQuery} from '../../queries/crossover.js';
import type {LatencyQuery} from '../../queries/latency.js';
import type {MaxSeqQuery, MaxSeqRow} from '../../queries/max-seq.js';
import type {MemoryQuery} from '../../queries/memory.js';
import {
  type ByteUnits,
  formatBytes,
  formatCount,
  formatFlops,
  formatInt,
  formatPercent,
  formatSeconds,
  formatTokens,
} from '../../units.js';
import type {RenderContext} from '../base.js';
import {formatTable, paint, type TableFormat} from '../render.js';
import {modelHeadline} from './cost.js';

export interface RenderOptions {
  format: TableFormat;
  units: ByteUnits;
}

function headline(
  q: {ctx: MaxSeqQuery['ctx']; inputs: Record<string, unknown>},
  opts: RenderOptions,
  ctx: RenderContext,
): string[] {
  return opts.format === 'table' ? [modelHeadline({model: q.ctx.model, inputs: q.inputs}, ctx), ''] : [];
}

/** Which implementation each device's attention kernels are costed as (`--impl`). */
function kernelsLine(hardware: MaxSeqQuery['ctx']['hardware']): string {
  const parts = hardware
    .filter(h => h.impls !== undefined)
    .map(
      h =>
        `${h.id} ${h.impls?.['attention-fused']} (fused), ${h.impls?.['attention-materialized']} (materialised)`,
    );
  return parts.length > 0 ? `kernels: ${parts.join('; ')}` : 'kernels: as calibrated on this machine';
}

export function maxSeqAnswer(r: MaxSeqRow): string {
  if (r.binding === 'unbounded') return '> 2^40';
  if (!r.fits) return 'none fits';
  const v = r.solve === 'seq' ? r.maxSeq : r.maxBatch;
  return v === null ? '–' : formatInt(v);
}

export function renderMaxSeq(q: MaxSeqQuery, opts: RenderOptions, ctx: RenderContext): string {
  const out = headline(q, opts, ctx);
  const what = q.solve === 'seq' ? 'max seq (tokens)' : 'max batch';
  // Answers capped at the model's context length also show what memory alone allows.
  const capped = q.rows.some(r => r.binding === 'context');
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'hardware',
          what,
          ...(capped ? ['memory allows'] : []),
          ...(q.solve === 'batch' ? ['n'] : []),
          'binding',
          'largest term',
          'memory',
          'of capacity',
          'latency',
        ],
        align: [
          'left',
          'left',
          'right',
          ...(capped ? (['right'] as const) : []),
          ...(q.solve === 'batch' ? (['right'] as const) : []),
          'left',
          'left',
          'right',
          'right',
          'right',
        ],
        rows: q.rows.map(r => {
          const ok =
            q.min === undefined ||
            r.binding === 'unbounded' ||
            ((q.solve === 'seq' ? r.maxSeq : r.maxBatch) ?? 0) >= q.min;
          const answer = maxSeqAnswer(r);
          return [
            r.variantLabel,
            r.hardware,
            ok ? answer : paint(answer, 'red', ctx),
            ...(capped
              ? [
                  r.binding !== 'context'
                    ? '–'
                    : r.maxSeqMemory === null
                      ? '> 2^40'
                      : formatInt(r.maxSeqMemory),
                ]
              : []),
            ...(q.solve === 'batch' ? [r.seq === null ? '–' : formatTokens(r.seq)] : []),
            r.binding,
            r.dominantTerm ?? '–',
            r.memory ? formatBytes(r.memory.totalBytes, opts.units) : '–',
            r.memory ? formatPercent(r.memory.fraction) : '–',
            r.seconds === null ? '–' : formatSeconds(r.seconds),
          ];
        }),
      },
      opts.format,
      ctx,
    ),
  );
  if (opts.format === 'table' && q.min !== undefined && !q.failure)
    out.push('', paint(`PASS: every answer is at least ${formatInt(q.min)}`, 'green', ctx));
  return out.join('\n');
}

export function renderMemory(q: MemoryQuery, opts: RenderOptions, ctx: RenderContext): string {
  const out = headline(q, opts, ctx);
  const b = (x: number) => formatBytes(x, opts.units);
  const train = q.rows.some(
    r => r.memory.gradientBytes + r.memory.optimizerBytes + r.memory.activationBytes > 0,
  );
  // The attention scope shows the core's Q, K, V, O where the other scopes show weights.
  const core = q.rows.some(r => r.memory.tensorsBytes > 0);
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'n',
          'hardware',
          core ? 'Q,K,V,O' : 'weights',
          ...(train ? ['gradients', 'optimizer', 'activations'] : []),
          'KV cache',
          'transient',
          'reserve',
          'peak',
          'capacity',
          'used',
          'fits',
        ],
        align: [
          'left',
          'right',
          'left',
          'right',
          ...(train ? (['right', 'right', 'right'] as const) : []),
          'right',
          'right',
          'right',
          'right',
          'right',
          'right',
          'left',
        ],
        rows: q.rows.map(r => {
          const m = r.memory;
          return [
            r.variantLabel,
            formatTokens(r.seq),
            r.hardware,
            b(core ? m.tensorsBytes : m.weightsBytes),
            ...(train ? [b(m.gradientBytes), b(m.optimizerBytes), b(m.activationBytes)] : []),
            b(m.kvCacheBytes),
            b(m.transientBytes),
            b(m.reserveBytes),
            b(m.totalBytes),
            b(m.capacityBytes),
            formatPercent(m.fraction),
            m.fits ? paint('yes', 'green', ctx) : paint('no', 'red', ctx),
          ];
        }),
      },
      opts.format,
      ctx,
    ),
  );
  if (opts.format === 'table' && q.ctx.profile.id === 'textbook') {
    out.push(
      '',
      'textbook: attention memory L·s·(3nd + h·n² + nd) per sample; capacity = marketed GB × 10⁹, 30% kept back (reserve).',
    );
  }
  return out.join('\n');
}

/** 'yes', or 'does not fit (needs X of Y)' in red: a speed next to it cannot be had as set up. */
export function fitCell(
  r: {fits?: boolean; memoryBytes?: number; usableBytes?: number},
  units: ByteUnits,
  ctx: RenderContext,
): string {
  if (r.fits === undefined) return '–';
  if (r.fits) return 'yes';
  return paint(
    `does not fit (needs ${formatBytes(r.memoryBytes ?? 0, units)} of ${formatBytes(r.usableBytes ?? 0, units)})`,
    'red',
    ctx,
  );
}

export function renderLatency(
  q: LatencyQuery,
  opts: RenderOptions & {breakdown: boolean},
  ctx: RenderContext,
): string {
  const out = headline(q, opts, ctx);
  if (opts.format === 'table') out.push(kernelsLine(q.ctx.hardware), '');
  out.push(
    formatTable(
      {
        head: ['variant', 'n', 'hardware', 'expected', 'ideal', 'tokens/s', 'bound', 'fits'],
        align: ['left', 'right', 'left', 'right', 'right', 'right', 'left', 'left'],
        rows: q.rows.map(r => [
          r.variantLabel,
          formatTokens(r.seq),
          r.hardware,
          formatSeconds(r.seconds),
          formatSeconds(r.idealSeconds),
          formatCount(r.tokensPerSec),
          r.bound,
          fitCell(r, opts.units, ctx),
        ]),
      },
      opts.format,
      ctx,
    ),
  );
  if (!opts.breakdown) return out.join('\n');
  for (const r of q.rows) {
    out.push(
      '',
      paint(`${r.variantLabel} at n = ${formatInt(r.seq)} on ${r.hardware}: per component`, 'bold', ctx),
    );
    out.push(
      formatTable(
        {
          head: ['component', 'kernel', 'expected', 'share', 'ideal', 'bound', 'FLOP/byte'],
          align: ['left', 'left', 'right', 'right', 'right', 'left', 'right'],
          rows: r.components.map(c => [
            c.name,
            c.kernel,
            formatSeconds(c.seconds),
            r.seconds > 0 ? formatPercent(c.seconds / r.seconds) : '–',
            formatSeconds(c.idealSeconds),
            c.bound,
            c.intensity > 0 ? c.intensity.toFixed(1) : '–',
          ]),
        },
        opts.format,
        ctx,
      ),
    );
  }
  return out.join('\n');
}

export function renderCrossover(q: CrossoverQuery, opts: RenderOptions, ctx: RenderContext): string {
  const out: string[] = [];
  const value = (x: number) =>
    q.metric === 'flops'
      ? formatFlops(x)
      : q.metric === 'memory'
        ? formatBytes(x, opts.units)
        : formatSeconds(x);
  for (const r of q.rows) {
    const range = `${formatTokens(q.range[0])}..${formatTokens(q.range[1])}`;
    if (r.crossings.length === 0) {
      out.push(
        `${r.a} and ${r.b} never cost the same ${r.metric} for n in ${range}: ${r.cheaperAtStart} is cheaper throughout.`,
      );
      continue;
    }
    const on = r.hardware ? ` on ${r.hardware}` : '';
    out.push(paint(`${r.a} vs ${r.b} by ${r.metric}${on}, n in ${range}`, 'bold', ctx));
    out.push(
      formatTable(
        {
          head: ['crossing n', `${r.a}`, `${r.b}`, 'cheaper after'],
          align: ['right', 'right', 'right', 'left'],
          rows: r.points.map(p => [formatInt(p.n), value(p.a), value(p.b), p.cheaperAfter]),
        },
        opts.format,
        ctx,
      ),
    );
  }
  return out.join('\n');
}
