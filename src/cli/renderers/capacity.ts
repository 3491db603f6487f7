/** Human output of `max-seq`, `memory`, `latency` and `crossover`. */
import type {CrossoverQuery} from '../../queries/crossover.js';
import type {LatencyQuery} from '../../queries/latency.js';
import type {MaxSeqQuery, MaxSeqRow} from '../../queries/max-seq.js';
import type {MemoryQuery} from '../../queries/memory.js';
import {type ByteUnits, formatBytes, formatInt, formatTokens} from '../../units.js';
import type {RenderContext} from '../base.js';
import {
  boolCell,
  bytesCell,
  type Cell,
  countCell,
  flopsCell,
  formatTable,
  fractionCell,
  intCell,
  numberCell,
  paint,
  paintCell,
  prose,
  secondsCell,
  type TableFormat,
  tokensCell,
} from '../render.js';
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
  if (opts.format !== 'table') return [];
  const split = q.ctx.parallel.split ? [prose(placementLine(q.ctx.parallel), ctx)] : [];
  return [modelHeadline({model: q.ctx.model, inputs: q.inputs}, ctx), ...split, ''];
}

/** What a split model's numbers are (docs/parallelism.md): one GPU's memory, one replica's step. */
export function placementLine(placement: MaxSeqQuery['ctx']['parallel']): string {
  const {p, gpus} = placement;
  const degrees = (['tp', 'pp', 'cp', 'ep'] as const)
    .filter(k => p[k] > 1 || k === 'tp')
    .map(k => `${k} ${p[k]}`)
    .join(' · ');
  const replicas = p.dp > 1 ? `, ${p.dp} data-parallel replicas` : '';
  return `per GPU: ${gpus} GPUs (${degrees}${replicas}); memory and fit are one GPU's, latency one replica's forward with its collectives (docs/parallelism.md)`;
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

/** The answer as a cell: the number, or empty in CSV when there is none (the binding column says why). */
function maxSeqAnswerCell(r: MaxSeqRow): Cell {
  const v = r.solve === 'seq' ? r.maxSeq : r.maxBatch;
  const value = r.binding === 'unbounded' || !r.fits ? null : v;
  return {text: maxSeqAnswer(r), value, unit: r.solve === 'seq' ? 'tokens' : 'count'};
}

export function renderMaxSeq(q: MaxSeqQuery, opts: RenderOptions, ctx: RenderContext): string {
  const out = headline(q, opts, ctx);
  const what = q.solve === 'seq' ? {label: 'max seq (tokens)', csv: 'max_seq_tokens'} : 'max batch';
  // Answers capped at the model's context length also show what memory alone allows.
  const capped = q.rows.some(r => r.binding === 'context');
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'hardware',
          what,
          ...(capped ? [{label: 'memory allows', csv: 'memory_max_seq_tokens'}] : []),
          ...(q.solve === 'batch' ? ['n'] : []),
          'binding',
          {label: 'largest term', priority: -1},
          'memory',
          {label: 'of capacity', csv: 'memory_fraction', priority: -1},
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
          const answer = maxSeqAnswerCell(r);
          return [
            r.variantLabel,
            r.hardware,
            ok ? answer : paintCell(answer, 'red', ctx),
            ...(capped
              ? [
                  r.binding !== 'context'
                    ? intCell(null, 'tokens')
                    : r.maxSeqMemory === null
                      ? {text: '> 2^40', value: null, unit: 'tokens' as const}
                      : intCell(r.maxSeqMemory, 'tokens'),
                ]
              : []),
            ...(q.solve === 'batch' ? [tokensCell(r.seq)] : []),
            r.binding,
            r.dominantTerm ?? '–',
            bytesCell(r.memory?.totalBytes, opts.units),
            fractionCell(r.memory?.fraction),
            secondsCell(r.seconds),
          ];
        }),
      },
      opts.format,
      ctx,
    ),
  );
  if (opts.format === 'table' && q.min !== undefined && !q.failure)
    out.push('', prose(paint(`PASS: every answer is at least ${formatInt(q.min)}`, 'green', ctx), ctx));
  return out.join('\n');
}

export function renderMemory(q: MemoryQuery, opts: RenderOptions, ctx: RenderContext): string {
  const out = headline(q, opts, ctx);
  const b = (x: number) => bytesCell(x, opts.units);
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
          {label: 'KV cache', csv: 'kv_cache_bytes'},
          {label: 'transient', priority: -1},
          {label: 'reserve', priority: -2},
          'peak',
          {label: 'capacity', priority: -1},
          {label: 'used', csv: 'used_fraction'},
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
            tokensCell(r.seq),
            r.hardware,
            b(core ? m.tensorsBytes : m.weightsBytes),
            ...(train ? [b(m.gradientBytes), b(m.optimizerBytes), b(m.activationBytes)] : []),
            b(m.kvCacheBytes),
            b(m.transientBytes),
            b(m.reserveBytes),
            b(m.totalBytes),
            b(m.capacityBytes),
            fractionCell(m.fraction),
            boolCell(m.fits, m.fits ? paint('yes', 'green', ctx) : paint('no', 'red', ctx)),
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
      prose(
        'textbook: attention memory L·s·(3nd + h·n² + nd) per sample; capacity = marketed GB × 10⁹, 30% kept back (reserve).',
        ctx,
      ),
    );
  }
  return out.join('\n');
}

/** 'yes', or 'does not fit (needs X of Y)' in red: a speed next to it cannot be had as set up. */
export function fitCell(
  r: {fits?: boolean; memoryBytes?: number; usableBytes?: number},
  units: ByteUnits,
  ctx: RenderContext,
): Cell {
  if (r.fits === undefined) return {text: '–', value: null};
  if (r.fits) return {text: 'yes', value: true};
  return {
    text: paint(
      `does not fit (needs ${formatBytes(r.memoryBytes ?? 0, units)} of ${formatBytes(r.usableBytes ?? 0, units)})`,
      'red',
      ctx,
    ),
    value: false,
  };
}

export function renderLatency(
  q: LatencyQuery,
  opts: RenderOptions & {breakdown: boolean},
  ctx: RenderContext,
): string {
  const out = headline(q, opts, ctx);
  if (opts.format === 'table') out.push(prose(kernelsLine(q.ctx.hardware), ctx), '');
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'n',
          'hardware',
          {label: 'expected', csv: 'latency_s'},
          {label: 'ideal', csv: 'ideal_latency_s', priority: -1},
          {label: 'tokens/s', csv: 'tokens_per_s'},
          'bound',
          'fits',
        ],
        align: ['left', 'right', 'left', 'right', 'right', 'right', 'left', 'left'],
        rows: q.rows.map(r => [
          r.variantLabel,
          tokensCell(r.seq),
          r.hardware,
          secondsCell(r.seconds),
          secondsCell(r.idealSeconds),
          countCell(r.tokensPerSec, 'tokens_per_s'),
          r.bound,
          fitCell(r, opts.units, ctx),
        ]),
      },
      opts.format,
      ctx,
    ),
  );
  if (!opts.breakdown) return out.join('\n');
  if (opts.format === 'csv') {
    // CSV is data only: every row's components in one table, keyed by variant, n and hardware.
    out.push(
      '',
      formatTable(
        {
          head: [
            'variant',
            'n',
            'hardware',
            'component',
            'kernel',
            {label: 'expected', csv: 'latency_s'},
            {label: 'ideal', csv: 'ideal_latency_s'},
            'bound',
            {label: 'FLOP/byte', csv: 'flop_per_byte'},
          ],
          rows: q.rows.flatMap(r =>
            r.components.map(c => [
              r.variantLabel,
              tokensCell(r.seq),
              r.hardware,
              c.name,
              c.kernel,
              secondsCell(c.seconds),
              secondsCell(c.idealSeconds),
              c.bound,
              numberCell(c.intensity > 0 ? c.intensity : null, x => x.toFixed(1), 'flop_per_byte'),
            ]),
          ),
        },
        'csv',
        ctx,
      ),
    );
    return out.join('\n');
  }
  for (const r of q.rows) {
    out.push(
      '',
      prose(
        paint(`${r.variantLabel} at n = ${formatInt(r.seq)} on ${r.hardware}: per component`, 'bold', ctx),
        ctx,
      ),
    );
    out.push(
      formatTable(
        {
          head: [
            'component',
            'kernel',
            {label: 'expected', csv: 'latency_s'},
            {label: 'share', csv: 'latency_share_fraction'},
            {label: 'ideal', csv: 'ideal_latency_s', priority: -1},
            'bound',
            {label: 'FLOP/byte', csv: 'flop_per_byte', priority: -1},
          ],
          align: ['left', 'left', 'right', 'right', 'right', 'left', 'right'],
          rows: r.components.map(c => [
            c.name,
            c.kernel,
            secondsCell(c.seconds),
            fractionCell(r.seconds > 0 ? c.seconds / r.seconds : null),
            secondsCell(c.idealSeconds),
            c.bound,
            numberCell(c.intensity > 0 ? c.intensity : null, x => x.toFixed(1), 'flop_per_byte'),
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
    q.metric === 'flops' ? flopsCell(x) : q.metric === 'memory' ? bytesCell(x, opts.units) : secondsCell(x);
  for (const r of q.rows) {
    const range = `${formatTokens(q.range[0])}..${formatTokens(q.range[1])}`;
    if (r.crossings.length === 0) {
      // CSV is data only: no crossing is no row.
      if (opts.format !== 'csv')
        out.push(
          prose(
            `${r.a} and ${r.b} never cost the same ${r.metric} for n in ${range}: ${r.cheaperAtStart} is cheaper throughout.`,
            ctx,
          ),
        );
      continue;
    }
    const on = r.hardware ? ` on ${r.hardware}` : '';
    if (opts.format !== 'csv')
      out.push(prose(paint(`${r.a} vs ${r.b} by ${r.metric}${on}, n in ${range}`, 'bold', ctx), ctx));
    out.push(
      formatTable(
        {
          head: [{label: 'crossing n', csv: 'crossing_n_tokens'}, `${r.a}`, `${r.b}`, 'cheaper after'],
          align: ['right', 'right', 'right', 'left'],
          rows: r.points.map(p => [intCell(p.n, 'tokens'), value(p.a), value(p.b), p.cheaperAfter]),
        },
        opts.format,
        ctx,
      ),
    );
  }
  return out.join('\n');
}
