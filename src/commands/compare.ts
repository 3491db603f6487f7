import {Flags} from '@oclif/core';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {
  accountingFlags,
  formatFlag,
  hardwareFlags,
  modelFlags,
  seqFlag,
  variantFlag,
  workloadFlags,
} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {renderCompare} from '../cli/renderers/cost.js';
import {resolveFlags} from '../cli/scenario.js';
import {DEFAULT_VARIANTS, runCompare} from '../queries/compare.js';
import type {ByteUnits} from '../units.js';

export default class Compare extends BaseCommand {
  static override summary = 'Several variants side by side at one configuration, with ratios to a baseline.';
  static override description =
    `Without --variant: ${DEFAULT_VARIANTS.join(', ')}. Each row shows what the variant gives up for its efficiency.`;
  static override examples = [
    '<%= config.bin %> compare --seq 128k --variant standard --variant flash --variant performer',
    '<%= config.bin %> compare --model llama-3.1-8b --seq 32k --baseline flash --variant window:w=4096 --variant linformer:k=256',
  ];
  static override flags = {
    ...modelFlags,
    ...variantFlag,
    ...seqFlag,
    ...workloadFlags,
    ...accountingFlags,
    ...hardwareFlags,
    ...formatFlag,
    baseline: Flags.string({description: 'Variant the ratios are taken against.', default: 'standard'}),
    breakdown: Flags.boolean({description: 'Per-component rows in --json.'}),
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Compare);
    const r = await resolveFlags(flags, {defaultVariants: DEFAULT_VARIANTS, defaultHardware: false});
    const q = runCompare(r, {baseline: flags.baseline, breakdown: flags.breakdown});
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      render: ctx =>
        renderCompare(q, {format: flags.format as TableFormat, units: flags.units as ByteUnits}, ctx),
    };
  }
}
