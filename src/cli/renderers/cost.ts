/** Human output of `cost` and `compare`. */
import type {ComparedRow} from '../../queries/compare.js';
import type {CostQuery} from '../../queries/cost.js';
import {type ByteUnits, formatInt} from '../../units.js';
import type {RenderContext} from '../base.js';
import {
  boolCell,
  bytesCell,
  countCell,
  flopsCell,
  formatTable,
  numberCell,
  paint,
  prose,
  type TableFormat,
  tokensCell,
} from '../render.js';
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
  return prose(
    paint(
      `attncap · ${(q.inputs.model as {label?: string} | undefined)?.label ?? m.id} (${shape}) · ${i.dtype}${storage} · ${i.mode} · batch ${i.batch} · scope ${i.scope} · ${i.assumptions.profile}`,
      'bold',
      ctx,
    ),
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
          {label: 'MACs', csv: 'macs', priority: -1},
          {label: 'vector FLOPs', priority: -2},
          {label: 'pairs', priority: -1},
          {label: 'HBM traffic', csv: 'hbm_bytes'},
          {label: 'params', priority: -1},
          ...(moe ? [{label: 'active params', csv: 'active_params', priority: -1}] : []),
          ...(withFit ? ['hardware', 'fits'] : []),
        ],
        rows: q.rows.map(r => [
          r.variantLabel,
          tokensCell(r.seq),
          flopsCell(r.flops),
          countCell(r.macs),
          flopsCell(r.vectorFlops),
          countCell(r.pairs),
          bytesCell(r.hbmBytes, opts.units),
          countCell(r.params),
          ...(moe ? [countCell(r.activeParams)] : []),
          ...(withFit ? [r.hardware ?? '–', fitCell(r, opts.units, ctx)] : []),
        ]),
      },
      opts.format,
      ctx,
    ),
  );
  if (opts.format === 'csv') {
    // CSV is data only: every row's components in one table, keyed by variant and n.
    const rows = q.rows.flatMap(r =>
      (r.components ?? []).map(c => [
        r.variantLabel,
        tokensCell(r.seq),
        c.name,
        flopsCell(c.flops),
        countCell(c.macs),
        flopsCell(c.vectorFlops),
        bytesCell(c.hbmBytes, opts.units),
        bytesCell(c.transientBytes, opts.units),
        bytesCell(c.savedBytes, opts.units),
      ]),
    );
    if (rows.length > 0)
      out.push(
        '',
        formatTable(
          {
            head: [
              'variant',
              'n',
              'component',
              'FLOPs',
              {label: 'MACs', csv: 'macs'},
              'vector FLOPs',
              {label: 'HBM traffic', csv: 'hbm_bytes'},
              {label: 'transient', csv: 'transient_bytes'},
              {label: 'saved', csv: 'saved_bytes'},
            ],
            rows,
          },
          'csv',
          ctx,
        ),
      );
    return out.join('\n');
  }
  for (const r of q.rows) {
    if (!r.components) continue;
    out.push('', paint(`${r.variantLabel} at n = ${formatInt(r.seq)}: breakdown`, 'bold', ctx));
    out.push(
      formatTable(
        {
          head: [
            'component',
            'FLOPs',
            {label: 'share', csv: 'flops_share_fraction'},
            {label: 'MACs', csv: 'macs', priority: -1},
            {label: 'vector FLOPs', priority: -2},
            {label: 'HBM traffic', csv: 'hbm_bytes'},
            {label: 'transient', csv: 'transient_bytes'},
            {label: 'saved', csv: 'saved_bytes'},
          ],
          rows: r.components.map(c => [
            c.name,
            flopsCell(c.flops),
            numberCell(r.flops > 0 ? c.flops / r.flops : null, x => `${(100 * x).toFixed(1)}%`, 'fraction'),
            countCell(c.macs),
            flopsCell(c.vectorFlops),
            bytesCell(c.hbmBytes, opts.units),
            bytesCell(c.transientBytes, opts.units),
            bytesCell(c.savedBytes, opts.units),
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
    numberCell(x, x => `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`, 'ratio');
  const out: string[] = [];
  const withFit = q.rows.some(r => r.fits !== undefined);
  if (opts.format === 'table') out.push(modelHeadline(q, ctx), '');
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'n',
          {label: 'family', priority: -1},
          {label: 'exact', priority: -1},
          'FLOPs',
          {label: `vs ${q.baseline}`, csv: 'flops_ratio'},
          {label: 'HBM traffic', csv: 'hbm_bytes'},
          {label: `vs ${q.baseline}`, csv: 'hbm_bytes_ratio'},
          {label: 'pairs', priority: -2},
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
          tokensCell(r.seq),
          r.family,
          boolCell(r.exact, r.exact ? 'exact' : 'approx.'),
          flopsCell(r.flops),
          ratio(r.flopsRatio),
          bytesCell(r.hbmBytes, opts.units),
          ratio(r.hbmBytesRatio),
          countCell(r.pairs),
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
