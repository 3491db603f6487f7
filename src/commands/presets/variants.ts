import {Args} from '@oclif/core';
import {BaseCommand, type Outcome, type RenderContext} from '../../cli/base.js';
import {formatFlag} from '../../cli/flags.js';
import {type Align, formatTable, paint, prose, type TableFormat, table, wrapText} from '../../cli/render.js';
import {findVariantSummary, listVariantSummaries, type VariantSummary} from '../../presets/catalog.js';

export default class PresetsVariants extends BaseCommand {
  static override summary =
    'Attention variants: family, exactness, complexity, parameters, and the price each pays.';
  static override description =
    'Without ID, one row per variant with its big-O time and memory and its parameters (defaults), then what each ' +
    'gives up for its efficiency. With ID, every declared fact of that variant and its citation. Parameters are set ' +
    'as --variant NAME:key=value.';
  static override examples = [
    '<%= config.bin %> presets variants',
    '<%= config.bin %> presets variants window',
    '<%= config.bin %> presets variants --json',
  ];
  static override args = {
    id: Args.string({description: 'A variant id (e.g. window): show its facts, parameters and citation.'}),
  };
  static override flags = {...formatFlag};

  protected async compute(): Promise<Outcome<VariantSummary>> {
    const {args, flags} = await this.parse(PresetsVariants);
    const format = flags.format as TableFormat;
    if (args.id !== undefined) {
      const variant = findVariantSummary(args.id);
      return {
        inputs: {kind: 'variants', id: args.id},
        results: [variant],
        render: ctx => renderOne(variant, ctx),
      };
    }
    const all = listVariantSummaries();
    return {inputs: {kind: 'variants', id: null}, results: all, render: ctx => renderList(all, format, ctx)};
  }
}

function paramList(v: VariantSummary): string {
  if (v.params.length === 0) return '–';
  return v.params.map(p => `${p.name}=${p.default === null ? '(from input)' : String(p.default)}`).join(', ');
}

function renderList(all: readonly VariantSummary[], format: TableFormat, ctx: RenderContext): string {
  const head = ['id', 'family', 'exact', 'time', 'memory', 'parameters (defaults)', 'trade-off'];
  const rows = all.map(v => [
    v.id,
    v.family,
    v.exact ? 'yes' : 'no',
    v.timeComplexity,
    v.memoryComplexity,
    paramList(v),
    v.tradeoff,
  ]);
  if (format !== 'table') return formatTable({head, rows}, format, ctx);
  // The trade-offs are sentences: listed under the table rather than squeezed into a column.
  const align: Align[] = ['left', 'left', 'left', 'left', 'left', 'left'];
  const out = table({head: head.slice(0, -1), rows: rows.map(row => row.slice(0, -1)), align}, ctx);
  const width = Math.max(...all.map(v => v.id.length));
  // Each sentence wraps under itself, indented past the id, when the terminal is narrower.
  const indent = ' '.repeat(width + 4);
  const tradeoffs = all.map(v => {
    const text =
      ctx.fitWidth === undefined
        ? v.tradeoff
        : wrapText(v.tradeoff, Math.max(20, ctx.fitWidth - indent.length));
    return `  ${v.id.padEnd(width)}  ${text.replaceAll('\n', `\n${indent}`)}`;
  });
  return [
    out,
    paint('What each gives up for its efficiency', 'bold', ctx),
    ...tradeoffs,
    prose(`Details and citation: ${paint('attncap presets variants ID', 'cyan', ctx)}`, ctx),
  ].join('\n');
}

function renderOne(v: VariantSummary, ctx: RenderContext): string {
  const rows: string[][] = [
    ['title', v.title],
    ['family', v.family],
    ['exact', v.exact ? 'yes (same output as standard attention)' : 'no (an approximation)'],
    ['time', v.timeComplexity],
    ['memory', v.memoryComplexity],
    ['causal mask reduces work', v.causalReducesWork ? 'yes' : 'no'],
    ['backward / forward', `${v.backwardFactor}×`],
    ['trade-off', v.tradeoff],
    ['citation', v.citation.url ? `${v.citation.text} <${v.citation.url}>` : v.citation.text],
  ];
  const parts = [
    paint(`${v.id} · ${v.title}`, 'bold', ctx),
    table({head: ['fact', 'value'], rows, align: ['left', 'left']}, ctx),
  ];
  if (v.params.length > 0) {
    parts.push(
      table(
        {
          head: ['parameter', 'default', 'meaning'],
          rows: v.params.map(p => [
            p.name,
            p.default === null ? '(from input)' : String(p.default),
            p.description,
          ]),
          align: ['left', 'right', 'left'],
        },
        ctx,
      ),
      `Set with --variant ${v.id}:${v.params.map(p => `${p.name}=…`).join(',')}`,
    );
  } else parts.push(`${v.id} takes no parameters.`);
  return parts.join('\n');
}
