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
import {DEFAULT_VARIANTS, runCompareModels} from '../queries/compare.js';
import type {ByteUnits} from '../units.js';

export default class Compare extends BaseCommand {
  static override summary = 'Several variants side by side at one configuration, with ratios to a baseline.';
  static override description =
    `Without --variant: ${DEFAULT_VARIANTS.join(', ')}. Each row shows what the variant gives up for its efficiency.`;
  static override examples = [
    '<%= config.bin %> compare --seq 128k --variant standard --variant flash --variant performer',
    '<%= config.bin %> compare --model llama-3.1-8b --seq 32k --baseline flash --variant window:w=4096 --variant linformer:k=256',
    '<%= config.bin %> compare --model llama-3.1-8b --model mistral-7b --seq 32k --variant flash --hardware a100-40gb',
  ];
  static override flags = {
    ...modelFlags,
    ...variantFlag,
    ...seqFlag,
    ...workloadFlags,
    ...accountingFlags,
    ...hardwareFlags,
    ...formatFlag,
    model: Flags.string({
      description: 'Model preset id (attncap presets models); repeat to compare models side by side.',
      multiple: true,
      helpGroup: 'MODEL',
    }),
    baseline: Flags.string({description: 'Variant the ratios are taken against.', default: 'standard'}),
    breakdown: Flags.boolean({description: 'Per-component rows in --json.'}),
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Compare);
    const models = flags.model && flags.model.length > 0 ? flags.model : [undefined];
    const scenarios = await Promise.all(
      models.map(model =>
        resolveFlags({...flags, model}, {defaultVariants: DEFAULT_VARIANTS, defaultHardware: false}),
      ),
    );
    const q = runCompareModels(scenarios, {baseline: flags.baseline, breakdown: flags.breakdown});
    const opts = {format: flags.format as TableFormat, units: flags.units as ByteUnits};
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      render: ctx => q.queries.map(one => renderCompare(one, opts, ctx)).join('\n\n'),
    };
  }
}
