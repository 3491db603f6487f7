import {Args} from '@oclif/core';
import {BaseCommand, type Outcome, type RenderContext} from '../../cli/base.js';
import {formatFlag} from '../../cli/flags.js';
import {
  type Align,
  type Column,
  formatTable,
  paint,
  prose,
  type TableFormat,
  table,
} from '../../cli/render.js';
import {presetData} from '../../presets/catalog.js';
import {listHardware, loadHardware} from '../../presets/load.js';
import {matrixPeak} from '../../presets/peaks.js';
import {DTYPES, type HardwarePreset, type Source} from '../../schema/presets.js';
import {formatBandwidth, formatBytes, formatInt, formatRate} from '../../units.js';

export default class PresetsHardware extends BaseCommand {
  static override summary = 'GPU presets: memory, dense matrix peaks, bandwidth, with their sources.';
  static override description =
    'Without ID, one row per shipped GPU. With ID, every field of that preset and the datasheets it comes from. ' +
    'Peaks are dense (2:4-sparse datasheet figures halved); GeForce FP16/BF16 is the FP32-accumulate rate; ' +
    'fp32 is the CUDA-core rate. Conventions: docs/presets.md.';
  static override examples = [
    '<%= config.bin %> presets hardware',
    '<%= config.bin %> presets hardware h100-sxm',
    '<%= config.bin %> presets hardware --json',
  ];
  static override args = {
    id: Args.string({description: 'A hardware preset id (e.g. h100-sxm): show all its fields and sources.'}),
  };
  static override flags = {...formatFlag};

  protected async compute(): Promise<Outcome<Omit<HardwarePreset, '$schema'>>> {
    const {args, flags} = await this.parse(PresetsHardware);
    const format = flags.format as TableFormat;
    if (args.id !== undefined) {
      const hw = loadHardware(args.id);
      return {
        inputs: {kind: 'hardware', id: args.id},
        results: [presetData(hw)],
        render: ctx => renderOne(hw, ctx),
      };
    }
    const all = listHardware();
    return {
      inputs: {kind: 'hardware', id: null},
      results: all.map(presetData),
      render: ctx => renderList(all, format, ctx),
    };
  }
}

function renderList(all: readonly HardwarePreset[], format: TableFormat, ctx: RenderContext): string {
  let fallback = false;
  const rows = all.map(hw => {
    const bf16 = matrixPeak(hw, 'bf16');
    fallback ||= bf16.fallback;
    const fp8 = hw.matrixPeakFlopsPerSec.fp8;
    const rate = (x: number | undefined, mark = '') =>
      x === undefined ? {text: '–', value: null} : {text: `${formatRate(x)}${mark}`, value: x};
    return [
      hw.id,
      hw.name,
      {text: `${hw.memoryMarketedGB} GB ${hw.memoryType}`, value: hw.memoryBytes},
      hw.memoryType,
      {text: formatBandwidth(hw.bandwidthBytesPerSec), value: hw.bandwidthBytesPerSec},
      rate(bf16.flopsPerSec, bf16.fallback ? '*' : ''),
      rate(fp8),
      rate(hw.matrixPeakFlopsPerSec.fp32),
      {text: formatInt(hw.streamingMultiprocessors), value: hw.streamingMultiprocessors},
    ];
  });
  const head: Column[] = [
    {label: 'id'},
    {label: 'name', priority: -1},
    {label: 'memory', csv: 'memory_bytes'},
    {label: 'memory type', csvOnly: true},
    {label: 'bandwidth', csv: 'bandwidth_bytes_per_s'},
    {label: 'bf16 (dense)', csv: 'bf16_dense_flops_per_s'},
    {label: 'fp8 (dense)', csv: 'fp8_dense_flops_per_s'},
    {label: 'fp32', csv: 'fp32_flops_per_s', priority: -1},
    {label: 'SMs', csv: 'sms', priority: -1},
  ];
  const align: Align[] = ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'];
  const out = formatTable({head, rows, align}, format, ctx);
  if (format !== 'table') return out;
  const notes = [
    fallback ? '* no bf16 matrix units: the fp16 rate is used for bf16.' : '',
    'Dense peaks (sparse datasheet figures halved); memory "GB" are binary (80 GB = 80 GiB).',
    `Details and sources: ${paint('attncap presets hardware ID', 'cyan', ctx)}`,
  ].filter(Boolean);
  return `${out}\n${notes.map(note => prose(note, ctx)).join('\n')}`;
}

function renderOne(hw: HardwarePreset, ctx: RenderContext): string {
  const peaks = DTYPES.map(dtype => {
    const value = hw.matrixPeakFlopsPerSec[dtype];
    return [
      `matrix peak ${dtype}`,
      value === undefined ? `– (falls back to ${matrixPeak(hw, dtype).dtype})` : formatRate(value),
    ];
  });
  const rows: string[][] = [
    ['name', hw.name],
    ['vendor', hw.vendor],
    [
      'memory',
      `${hw.memoryMarketedGB} GB ${hw.memoryType} = ${formatBytes(hw.memoryBytes)} (${formatInt(hw.memoryBytes)} bytes)`,
    ],
    ['bandwidth', formatBandwidth(hw.bandwidthBytesPerSec)],
    ...peaks,
    ['vector fp32', formatRate(hw.vectorFlopsPerSec)],
    [hw.vendor === 'amd' ? 'compute units' : 'SMs', formatInt(hw.streamingMultiprocessors)],
    ['L2 cache', formatBytes(hw.l2CacheBytes)],
    ['shared memory per SM', formatBytes(hw.sharedMemoryPerSmBytes)],
    ['interconnect', hw.interconnect ?? '–'],
    ['runtime reserve', `${formatBytes(hw.runtimeReserveBytes)} (before --memory-reserve)`],
  ];
  return [
    paint(`${hw.id} · ${hw.name}`, 'bold', ctx),
    table({head: ['field', 'value'], rows, align: ['left', 'left']}, ctx),
    ...(hw.notes ? [`${paint('Notes', 'bold', ctx)}\n${hw.notes}`] : []),
    renderSources(hw.sources, ctx),
  ].join('\n');
}

/** Numbered sources with their addresses and conversion notes. */
export function renderSources(sources: readonly Source[], ctx: RenderContext): string {
  const lines = [paint('Sources', 'bold', ctx)];
  sources.forEach((source, i) => {
    lines.push(`${i + 1}. ${source.title}${source.url ? ` <${source.url}>` : ''}`);
    if (source.note) lines.push(`   ${source.note}`);
  });
  return lines.join('\n');
}
