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
import {getArchitecture} from '../../model/architectures/index.js';
import {layerPlan, planCostGroups, planSummary} from '../../model/plan.js';
import {presetData} from '../../presets/catalog.js';
import {listModels, loadModel} from '../../presets/load.js';
import {modelVariantLabel, runCost} from '../../queries/cost.js';
import {resolveScenario} from '../../scenario/resolve.js';
import type {ModelPreset} from '../../schema/presets.js';
import {formatCount, formatInt, formatTokens} from '../../units.js';
import {renderSources} from './hardware.js';

export default class PresetsModels extends BaseCommand {
  static override summary = 'Model presets: architecture, width, heads, layers, context, with their sources.';
  static override description =
    'Without ID, one row per shipped model, with its layer plan in short. With ID, every field of that preset (stages, layer plan group by group, ' +
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

  protected async compute(): Promise<Outcome<ModelRow>> {
    const {args, flags} = await this.parse(PresetsModels);
    const format = flags.format as TableFormat;
    if (args.id !== undefined) {
      const model = loadModel(args.id);
      // What attncap counts for it (the `params` of `attncap cost --model ID`), next to the published figure.
      const row = runCost(await resolveScenario({model: args.id}, {defaultHardware: false}), {
        breakdown: false,
      }).rows[0]!;
      const counted = {params: row.params, activeParams: row.activeParams};
      return {
        inputs: {kind: 'models', id: args.id},
        results: [modelRow(model)],
        render: ctx => renderOne(model, counted, ctx),
      };
    }
    const all = listModels();
    return {
      inputs: {kind: 'models', id: null},
      results: all.map(modelRow),
      render: ctx => renderList(all, format, ctx),
    };
  }
}

const dash = (value: number | undefined, format: (n: number) => string = formatInt): Cell =>
  value === undefined ? {text: '–', value: null} : {text: format(value), value};

/** Parameter counts as people write them: 124M, 1.56B (not 1.56G). */
const formatParams = (n: number) => formatCount(n).replace(/G$/, 'B');

/** A model preset as data, with its layer plan (attention architectures) group by group. */
type ModelRow = Omit<ModelPreset, '$schema'> & {layerPlan?: LayerPlanData};

interface LayerPlanData {
  summary: string;
  groups: {
    firstLayer: number;
    repeat: number;
    kind: string;
    name: string;
    variant: string | null;
    heads: number | null;
    kvHeads: number | null;
    headDim: number | null;
    mlp: string;
    sinks: boolean;
  }[];
}

export function modelRow(model: ModelPreset): ModelRow {
  if (!getArchitecture(model.architecture).takesVariant || model.stages || model.perceiver)
    return presetData(model);
  let first = 0;
  const groups = layerPlan(model).map(g => {
    const attention = g.kind === 'attention';
    const row = {
      firstLayer: first,
      repeat: g.repeat,
      kind: g.kind,
      name: g.name,
      variant: g.variant ? g.variant.label : null,
      heads: attention ? g.heads : null,
      kvHeads: attention ? g.kvHeads : null,
      headDim: attention ? g.headDim : null,
      mlp: g.mlp,
      sinks: g.sinks,
    };
    first += g.repeat;
    return row;
  });
  return {...presetData(model), layerPlan: {summary: planSummary(model), groups}};
}

/** The attention a model runs: its layer plan in short, or the stages' variants. */
function attentionOf(model: ModelPreset): string {
  if (model.architecture === 'mamba') return '– (state space)';
  if (model.stages)
    return [...new Set(model.stages.map(stage => stage.variant ?? model.variant))].join(' + ');
  return modelVariantLabel(model);
}

/** One table row per plan entry: what it is, its shape and feed-forward, and how many layers it covers. */
export function planRows(m: ModelPreset): string[][] {
  const entries = m.schedule ?? m.pattern;
  if (!entries) return [];
  const rows: string[][] = [['layer plan', planSummary(m)]];
  const key = m.schedule ? 'schedule' : 'pattern';
  const distinct = planCostGroups(m);
  for (const [i, g] of distinct.entries()) {
    const entry = entries[g.entry]!;
    const shape = [
      entry.heads === undefined ? '' : `heads ${entry.heads}`,
      entry.kvHeads === undefined ? '' : `kv ${entry.kvHeads}`,
      entry.headDim === undefined ? '' : `head dim ${entry.headDim}`,
      g.mlp === 'dense' ? '' : `mlp ${g.mlp}`,
    ].filter(Boolean);
    const per = m.pattern ? `${entry.repeat} per cycle → ${g.repeat} layers` : `${g.repeat} layers`;
    rows.push([
      `${key}[${i}] ${g.name}`,
      `${per}: ${g.variant ? g.variant.label : g.kind}${g.sinks ? ' + sinks' : ''}${shape.length > 0 ? ` (${shape.join(', ')})` : ''}`,
    ]);
  }
  if (m.pattern) {
    const period = m.pattern.reduce((sum, e) => sum + e.repeat, 0);
    const cycles = Math.floor(m.layers / period);
    const rest = m.layers - cycles * period;
    rows.push([
      'layer order',
      `cycles of ${period} layers: ${cycles} whole${rest > 0 ? `, then the first ${rest} of the next` : ''}`,
    ]);
  }
  return rows;
}

function renderList(all: readonly ModelPreset[], format: TableFormat, ctx: RenderContext): string {
  const rows = all.map(m => [
    m.id,
    m.architecture,
    dash(m.paramsPublished, formatParams),
    dash(m.moe ? m.activeParamsPublished : undefined, formatParams),
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
    {label: 'active', csv: 'active_params', priority: -1},
    {label: 'd', csv: 'd_model'},
    {label: 'heads'},
    {label: 'kv', csv: 'kv_heads'},
    {label: 'layers'},
    {label: 'context', csv: 'context_tokens'},
    {label: 'attention'},
  ];
  const align: Align[] = [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
    'left',
  ];
  const out = formatTable({head, rows, align}, format, ctx);
  if (format !== 'table') return out;
  return `${out}\n${prose(`params: total as the authors publish them; active: the parameters one token uses in a mixture of experts, in the publisher's convention (counted figures beside them: ${paint('attncap presets models ID', 'cyan', ctx)})`, ctx)}`;
}

function renderOne(
  m: ModelPreset,
  counted: {params: number; activeParams: number},
  ctx: RenderContext,
): string {
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
  if (m.attentionBias !== undefined)
    rows.push([
      'attention biases',
      {none: 'none', qkv: 'Q, K, V (not the output)', qkvo: 'Q, K, V and output'}[m.attentionBias],
    ]);
  if (m.weightFormat !== undefined) rows.push(['weights (checkpoint)', m.weightFormat]);
  if (m.pooler) rows.push(['pooler', 'Linear(d → d) on the first token']);
  rows.push(...planRows(m));
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
  if (m.mla !== undefined) {
    const a = m.mla;
    rows.push([
      'mla',
      `q latent ${a.qLoraRank ?? '– (plain Q)'}, kv latent ${a.kvLoraRank}, q/k ${a.qkNopeHeadDim} + rope ${a.qkRopeHeadDim}, v ${a.vHeadDim}`,
    ]);
  }
  if (m.moe !== undefined) {
    const e = m.moe;
    rows.push([
      'moe',
      `${e.active} of ${e.experts} experts × d_ff ${formatInt(e.expertDim)}` +
        `${e.shared > 0 ? ` + ${e.shared} shared × d_ff ${formatInt(e.sharedDim ?? e.expertDim)}` : ''}` +
        `, ${e.router} router${e.routerBias ? ' with bias' : ''}` +
        `${e.denseLayers > 0 ? `, first ${e.denseLayers} layers dense` : ''}`,
    ]);
  }
  if (m.paramsPublished !== undefined) rows.push(['params (published)', formatParams(m.paramsPublished)]);
  rows.push(['params (counted)', formatInt(counted.params)]);
  if (m.moe !== undefined) {
    if (m.activeParamsPublished !== undefined)
      rows.push(['active params (published)', formatParams(m.activeParamsPublished)]);
    rows.push(['active params (counted)', formatInt(counted.activeParams)]);
  }
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
