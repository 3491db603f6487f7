/** Human output of `serve`: one row per deployment, then each deployment's step breakdown. */
import type {ServeQuery, ServeRow, StepBreakdown} from '../../queries/serve.js';
import {
  type ByteUnits,
  formatBytes,
  formatCount,
  formatInt,
  formatSeconds,
  formatTokens,
} from '../../units.js';
import type {RenderContext} from '../base.js';
import {formatTable, paint, type TableFormat} from '../render.js';

export interface ServeRenderOptions {
  format: TableFormat;
  units: ByteUnits;
}

function layout(r: ServeRow): string {
  const p = r.parallelism;
  const parts = [
    `tp ${p.tp}`,
    p.pp > 1 ? `pp ${p.pp}` : '',
    p.cp > 1 ? `cp ${p.cp}` : '',
    p.ep > 1 ? `ep ${p.ep}` : '',
  ];
  const replica = parts.filter(Boolean).join('·');
  return p.dp > 1 ? `${r.gpus} (${p.dp} × ${replica})` : `${r.gpus} (${replica})`;
}

function headline(q: ServeQuery, ctx: RenderContext): string {
  const i = q.inputs as {
    input: number;
    output: number;
    engine: string;
    dtype: string;
    weightFormat: string;
    kvDtype: string;
    kvBlock?: number;
  };
  const m = q.ctx.model;
  const block = i.kvBlock && i.kvBlock > 1 ? ` · KV block ${i.kvBlock}` : '';
  return paint(
    `attncap serve · ${m.id} · ${i.dtype} · weights ${i.weightFormat} · KV ${i.kvDtype}${block} · input ${formatTokens(i.input)} → output ${formatTokens(i.output)} · engine ${i.engine}`,
    'bold',
    ctx,
  );
}

const BREAKDOWN: [keyof StepBreakdown, string][] = [
  ['computeSeconds', 'kernels: compute-bound'],
  ['bandwidthSeconds', 'kernels: bandwidth-bound'],
  ['engineOverheadSeconds', 'engine overhead (launches)'],
  ['tensorParallelSeconds', 'TP all-reduce'],
  ['pipelineSendSeconds', 'PP sends'],
  ['pipelineBubbleSeconds', 'PP bubble'],
  ['contextParallelSeconds', 'CP ring / merge'],
  ['expertParallelSeconds', 'EP all-to-all'],
  ['seconds', 'total'],
];

export function renderServe(q: ServeQuery, opts: ServeRenderOptions, ctx: RenderContext): string {
  const out: string[] = opts.format === 'table' ? [headline(q, ctx), ''] : [];
  const b = (x: number) => formatBytes(x, opts.units);
  const s = (x: number | null) => (x === null ? '–' : formatSeconds(x));
  out.push(
    formatTable(
      {
        head: [
          'variant',
          'hardware',
          'GPUs',
          'weights/GPU',
          'KV room/GPU',
          'KV blocks',
          'KV tokens',
          'max seqs',
          'seqs',
          'TTFT',
          'TPOT',
          'tokens/s',
          'fits',
          'limited by',
          'decode bound',
        ],
        align: [
          'left',
          'left',
          'left',
          'right',
          'right',
          'right',
          'right',
          'right',
          'right',
          'right',
          'right',
          'right',
          'left',
          'left',
          'left',
        ],
        rows: q.rows.map(r => [
          r.variantLabel,
          r.hardware,
          layout(r),
          b(r.memory.weightsBytes),
          r.memory.kvRoomBytes > 0
            ? b(r.memory.kvRoomBytes)
            : paint(`−${b(-r.memory.kvRoomBytes)}`, 'red', ctx),
          formatInt(r.kv.blocks),
          formatTokens(r.kv.tokens),
          formatInt(r.maxConcurrency),
          formatInt(r.concurrency),
          s(r.ttftSeconds),
          s(r.tpotSeconds),
          r.outputTokensPerSec === null ? '–' : formatCount(r.outputTokensPerSec),
          r.fits ? paint('yes', 'green', ctx) : paint('no', 'red', ctx),
          r.limitedBy,
          r.decode?.bound ?? '–',
        ]),
      },
      opts.format,
      ctx,
    ),
  );
  if (opts.format !== 'table') return out.join('\n');
  for (const r of q.rows) {
    if (!r.prefill || !r.decode) continue;
    const shown = BREAKDOWN.filter(
      ([k]) => k === 'seconds' || (r.prefill?.[k] as number) > 0 || (r.decode?.[k] as number) > 0,
    );
    out.push(
      '',
      `${r.variantLabel} on ${r.hardware} × ${layout(r)} at ${formatInt(r.concurrency)} sequences: one prefill step (TTFT) and one decode step (TPOT)`,
      formatTable(
        {
          head: ['term', 'prefill', 'decode'],
          align: ['left', 'right', 'right'],
          rows: shown.map(([k, label]) => [label, s(r.prefill?.[k] as number), s(r.decode?.[k] as number)]),
        },
        opts.format,
        ctx,
      ),
    );
    if (r.ringOverlapTokens !== null) {
      const chunk = r.input / r.parallelism.cp;
      out.push(
        `ring attention: K/V passes hide behind compute while each rank's chunk is at least ${formatInt(Math.ceil(r.ringOverlapTokens))} tokens (here ${formatInt(chunk)}: ${chunk >= r.ringOverlapTokens ? 'hidden' : 'exposed'})`,
      );
    }
  }
  return out.join('\n');
}
