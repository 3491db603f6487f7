/** Human output of `cost` and `compare`. */
import type {ComparedRow} from '../../queries/compare.js';
import type {CostQuery} from '../../queries/cost.js';
import {type ByteUnits, formatBytes, formatCount, formatFlops, formatInt, formatTokens} from '../../units.js';
import type {RenderContext} from '../base.js';
import {formatTable, paint, type TableFormat} from '../render.js';
import {fitCell} from './capacity.js';

export function modelHeadline(
  q: {model: CostQuery['model']; inputs: Record<string, unknown>},
  ctx: RenderContext,
): string {
  const m = q.model;
  const i = q.inputs as {
    dtype: string;
    mode: string;
    batch: number;
    scope: string;
    assumptions: {profile: string};
    weightFormat?: string;
    kvDtype?: string;
    kvBlock?: number;
  };
  // Storage: weight format, KV dtype and KV block size (docs/serving.md), where the inputs have them.
  const storage = [
    i.weightFormat ? ` · weights ${i.weightFormat}` : '',
    i.kvDtype ? ` · KV ${i.kvDtype}` : '',
    i.kvBlock && i.kvBlock > 1 ? ` · KV block ${i.kvBlock}` : '',
  ].join('');
  const shape = [
    m.architecture,
    `${m.layers} layers`,
    `d ${m.dModel}`,
    m.heads ? `${m.heads} heads` : '',
    m.kvHeads && m.kvHeads !== m.heads ? `${m.kvHeads} kv heads` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return paint(
    `attncap · ${(q.inputs.model as {label?: string} | undefined)?.label ?? m.id} (${shape}) · ${i.dtype}${storage} · ${i.mode} · batch ${i.batch} · scope ${i.scope} · ${i.assumptions.profile}`,
    'bold',
    ctx,
  );
}

export function renderCost(
  q: CostQuery,
  opts: {format: TableFormat; units: ByteUnits},
  ctx: RenderContext,
): string {
  const out: string[] = [];
  const withFit = q.rows.some(r => r.fits !== undefined);
  if (opts.format === 'table') out.push(modelHeadline(q, ctx), '');
  // Mixture-of-experts models: the parameters one token uses, beside all of them.
  const moe = q.rows.some(r => r.activeParams !== r.params);
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'n',
          'FLOPs',
          'MACs',
          'vector FLOPs',
          'pairs',
          'HBM traffic',
          'params',
          ...(moe ? ['active params'] : []),
          ...(withFit ? ['hardware', 'fits'] : []),
        ],
        rows: q.rows.map(r => [
          r.variantLabel,
          formatTokens(r.seq),
          formatFlops(r.flops),
          formatCount(r.macs),
          formatFlops(r.vectorFlops),
          formatCount(r.pairs),
          formatBytes(r.hbmBytes, opts.units),
          formatCount(r.params),
          ...(moe ? [formatCount(r.activeParams)] : []),
          ...(withFit ? [r.hardware ?? '–', fitCell(r, opts.units, ctx)] : []),
        ]),
      },
      opts.format,
      ctx,
    ),
  );
  for (const r of q.rows) {
    if (!r.components) continue;
    out.push('', paint(`${r.variantLabel} at n = ${formatInt(r.seq)}: breakdown`, 'bold', ctx));
    out.push(
      formatTable(
        {
          head: ['component', 'FLOPs', 'share', 'MACs', 'vector FLOPs', 'HBM traffic', 'transient', 'saved'],
          rows: r.components.map(c => [
            c.name,
            formatFlops(c.flops),
            r.flops > 0 ? `${((100 * c.flops) / r.flops).toFixed(1)}%` : '–',
            formatCount(c.macs),
            formatFlops(c.vectorFlops),
            formatBytes(c.hbmBytes, opts.units),
            formatBytes(c.transientBytes, opts.units),
            formatBytes(c.savedBytes, opts.units),
          ]),
        },
        opts.format,
        ctx,
      ),
    );
  }
  return out.join('\n');
}

export function renderCompare(
  q: {model: CostQuery['model']; inputs: Record<string, unknown>; rows: ComparedRow[]; baseline: string},
  opts: {format: TableFormat; units: ByteUnits},
  ctx: RenderContext,
): string {
  const ratio = (x: number) =>
    Number.isFinite(x) ? `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×` : '–';
  const out: string[] = [];
  const withFit = q.rows.some(r => r.fits !== undefined);
  if (opts.format === 'table') out.push(modelHeadline(q, ctx), '');
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'n',
          'family',
          'exact',
          'FLOPs',
          `vs ${q.baseline}`,
          'HBM traffic',
          `vs ${q.baseline}`,
          'pairs',
          ...(withFit ? ['hardware', 'fits'] : []),
          'what it gives up',
        ],
        align: [
          'left',
          'right',
          'left',
          'left',
          'right',
          'right',
          'right',
          'right',
          'right',
          ...(withFit ? (['left', 'left'] as const) : []),
          'left',
        ],
        rows: q.rows.map(r => [
          r.variantLabel,
          formatTokens(r.seq),
          r.family,
          r.exact ? 'exact' : 'approx.',
          formatFlops(r.flops),
          ratio(r.flopsRatio),
          formatBytes(r.hbmBytes, opts.units),
          ratio(r.hbmBytesRatio),
          formatCount(r.pairs),
          ...(withFit ? [r.hardware ?? '–', fitCell(r, opts.units, ctx)] : []),
          r.tradeoff,
        ]),
      },
      opts.format,
      ctx,
    ),
  );
  return out.join('\n');
}
