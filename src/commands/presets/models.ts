import {Args} from '@oclif/core';
import {BaseCommand, type Outcome, type RenderContext} from '../../cli/base.js';
import {formatFlag} from '../../cli/flags.js';
import {
  type Align,
  type Cell,
  type Column,
  formatTable,
  paint,
  prose,
  type TableFormat,
  table,
} from '../../cli/render.js';
import {presetData} from '../../presets/catalog.js';
import {listModels, loadModel} from '../../presets/load.js';
import {runCost} from '../../queries/cost.js';
import {resolveScenario} from '../../scenario/resolve.js';
import type {ModelPreset} from '../../schema/presets.js';
import {formatCount, formatInt, formatTokens} from '../../units.js';
import {renderSources} from './hardware.js';

export default class PresetsModels extends BaseCommand {
  static override summary = 'Model presets: architecture, width, heads, layers, context, with their sources.';
  static override description =
    'Without ID, one row per shipped model. With ID, every field of that preset (stages, layer schedule, ' +
    'vision, state-space and Perceiver blocks) and the papers and configs it comes from. Format: docs/presets.md.';
  static override examples = [
    '<%= config.bin %> presets models',
    '<%= config.bin %> presets models llama-3.1-8b',
    '<%= config.bin %> presets models perceiver-io-imagenet --json',
  ];
  static override args = {
    id: Args.string({description: 'A model preset id (e.g. llama-3.1-8b): show all its fields and sources.'}),
  };
  static override flags = {...formatFlag};

  protected async compute(): Promise<Outcome<Omit<ModelPreset, '$schema'>>> {
    const {args, flags} = await this.parse(PresetsModels);
    const format = flags.format as TableFormat;
    if (args.id !== undefined) {
      const model = loadModel(args.id);
      // What attncap counts for it (the `params` of `attncap cost --model ID`), next to the published figure.
      const counted = runCost(await resolveScenario({model: args.id}, {defaultHardware: false}), {
        breakdown: false,
      }).rows[0]!.params;
      return {
        inputs: {kind: 'models', id: args.id},
        results: [presetData(model)],
        render: ctx => renderOne(model, counted, ctx),
      };
    }
    const all = listModels();
    return {
      inputs: {kind: 'models', id: null},
      results: all.map(presetData),
      render: ctx => renderList(all, format, ctx),
    };
  }
}

const dash = (value: number | undefined, format: (n: number) => string = formatInt): Cell =>
  value === undefined ? {text: '–', value: null} : {text: format(value), value};

/** Parameter counts as people write them: 124M, 1.56B (not 1.56G). */
const formatParams = (n: number) => formatCount(n).replace(/G$/, 'B');

/** The attention a model runs: its variant, or the stages' / schedule's variants when mixed. */
function attentionOf(model: ModelPreset): string {
  if (model.architecture === 'mamba') return '– (state space)';
  const kinds =
    model.schedule?.map(entry => entry.variant) ?? model.stages?.map(stage => stage.variant ?? model.variant);
  return kinds === undefined ? model.variant : [...new Set(kinds)].join(' + ');
}

function renderList(all: readonly ModelPreset[], format: TableFormat, ctx: RenderContext): string {
  const rows = all.map(m => [
    m.id,
    m.architecture,
    dash(m.paramsPublished, formatParams),
    dash(m.dModel),
    dash(m.heads),
    dash(m.kvHeads ?? m.heads),
    dash(m.layers),
    dash(m.contextLength, formatTokens),
    attentionOf(m),
  ]);
  const head: Column[] = [
    {label: 'id'},
    {label: 'architecture'},
    {label: 'params'},
    {label: 'd', csv: 'd_model'},
    {label: 'heads'},
    {label: 'kv', csv: 'kv_heads'},
    {label: 'layers'},
    {label: 'context', csv: 'context_tokens'},
    {label: 'attention'},
  ];
  const align: Align[] = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'];
  const out = formatTable({head, rows, align}, format, ctx);
  if (format !== 'table') return out;
  return `${out}\n${prose(`params: as the authors publish them. Details and sources: ${paint('attncap presets models ID', 'cyan', ctx)}`, ctx)}`;
}

function renderOne(m: ModelPreset, counted: number, ctx: RenderContext): string {
  const rows: string[][] = [
    ['name', m.name],
    ['architecture', m.architecture],
    ['d (dModel)', formatInt(m.dModel)],
  ];
  // Stages and the Perceiver block state their own heads and widths (rows below).
  const ownBlocks = m.stages !== undefined || m.perceiver !== undefined;
  if (m.heads !== undefined && !ownBlocks) {
    const kv = m.kvHeads === undefined ? `${formatInt(m.heads)} (= heads)` : formatInt(m.kvHeads);
    const headDim =
      m.headDim === undefined ? `${formatInt(m.dModel / m.heads)} (d / heads)` : formatInt(m.headDim);
    rows.push(['heads', formatInt(m.heads)], ['kv heads', kv], ['head dim', headDim]);
  }
  rows.push(['layers', formatInt(m.layers)]);
  if (m.architecture !== 'mamba') {
    const dFf =
      m.dFf !== undefined
        ? formatInt(m.dFf)
        : m.stages !== undefined
          ? '4 × each stage width'
          : `${formatInt(4 * m.dModel)} (4 d)`;
    rows.push(['FFN', `${m.ffn}, d_ff ${dFf}`]);
    if (m.perceiver === undefined) rows.push(['attention', attentionOf(m)]);
  }
  rows.push(['causal', m.causal ? 'yes (decoder)' : 'no (bidirectional)']);
  if (m.vocab !== undefined)
    rows.push(['vocab', `${formatInt(m.vocab)}${m.tiedEmbeddings ? ', tied embeddings' : ''}`]);
  if (m.contextLength !== undefined) rows.push(['context', `${formatInt(m.contextLength)} tokens`]);
  if (m.positions !== undefined) rows.push(['positions', `${formatInt(m.positions)} learned`]);
  if (m.tokenTypes !== undefined) rows.push(['token types', formatInt(m.tokenTypes)]);
  rows.push(['norm', m.norm === 'rmsnorm' ? 'RMSNorm (d weights)' : 'LayerNorm (2·d weights)']);
  rows.push(['linear biases', m.linearBias ? 'yes' : 'no']);
  if (m.pooler) rows.push(['pooler', 'Linear(d → d) on the first token']);
  for (const [i, entry] of (m.schedule ?? []).entries()) {
    const shape = [
      entry.heads === undefined ? '' : `heads ${entry.heads}`,
      entry.kvHeads === undefined ? '' : `kv ${entry.kvHeads}`,
      entry.headDim === undefined ? '' : `head dim ${entry.headDim}`,
    ].filter(Boolean);
    rows.push([
      `schedule[${i}]`,
      `${entry.repeat} × ${entry.variant}${shape.length > 0 ? ` (${shape.join(', ')})` : ''}`,
    ]);
  }
  for (const [i, stage] of (m.stages ?? []).entries()) {
    const headDim = stage.headDim ?? stage.dModel / stage.heads;
    rows.push([
      `stage ${i + 1}`,
      `${stage.depth} blocks, d ${stage.dModel}, ${stage.heads} heads × ${headDim}, ${stage.variant ?? m.variant}`,
    ]);
  }
  if (m.vision !== undefined) {
    const v = m.vision;
    const grid = `${Math.floor(v.imageSize[0] / v.patch)} × ${Math.floor(v.imageSize[1] / v.patch)}`;
    rows.push([
      'vision',
      `${v.imageSize[0]} × ${v.imageSize[1]} × ${v.channels}, patch ${v.patch} → ${grid} tokens` +
        `${v.classToken ? ' + class token' : ''}${v.classes === undefined ? '' : `, ${formatInt(v.classes)} classes`}`,
    ]);
  }
  if (m.ssm !== undefined) {
    rows.push([
      'ssm',
      `state ${m.ssm.state}, expand ${m.ssm.expand}, conv ${m.ssm.conv}, dt rank ${m.ssm.dtRank ?? `${Math.ceil(m.dModel / 16)} (⌈d/16⌉)`}`,
    ]);
  }
  if (m.perceiver !== undefined) rows.push(...perceiverRows(m.perceiver));
  if (m.paramsPublished !== undefined) rows.push(['params (published)', formatParams(m.paramsPublished)]);
  rows.push(['params (counted)', formatInt(counted)]);
  return [
    paint(`${m.id} · ${m.name}`, 'bold', ctx),
    table({head: ['field', 'value'], rows, align: ['left', 'left']}, ctx),
    ...(m.notes ? [`${paint('Notes', 'bold', ctx)}\n${m.notes}`] : []),
    renderSources(m.sources, ctx),
  ].join('\n');
}

function perceiverRows(p: NonNullable<ModelPreset['perceiver']>): string[][] {
  const attend = (heads: number, qk: number | undefined, v: number | undefined, widening: number) =>
    `${heads} head${heads === 1 ? '' : 's'}, qk ${qk ?? 'default'}, v ${v ?? 'default'}, MLP ×${widening}`;
  const rows = [
    ['inputs', `${formatInt(p.inputs)} × ${formatInt(p.inputDim)}`],
    ['latents', `${formatInt(p.latents)} × ${formatInt(p.latentDim)}`],
    [
      'encoder',
      `${p.reads} cross-attend${p.reads === 1 ? '' : 's'}, ${attend(p.crossHeads, p.crossQkDim, p.crossVDim, p.crossWidening)}`,
    ],
    [
      'process',
      `${p.processLayers} self-attends${p.uniqueProcessLayers === undefined ? '' : ` (${p.uniqueProcessLayers} unique, weights shared)`}, ` +
        attend(p.processHeads, p.processQkDim, p.processVDim, p.processWidening),
    ],
    [
      'decoder',
      p.outputs === 0
        ? 'average of the latents'
        : `${formatInt(p.outputs)} output quer${p.outputs === 1 ? 'y' : 'ies'} × ${p.outputDim ?? 'default'}, ` +
          attend(p.decoderHeads, p.decoderQkDim, p.decoderVDim, p.decoderWidening),
    ],
  ];
  if (p.classes !== undefined) rows.push(['classes', formatInt(p.classes)]);
  return rows;
}
