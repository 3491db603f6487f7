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
import {renderCost} from '../cli/renderers/cost.js';
import {resolveFlags} from '../cli/scenario.js';
import {runCost} from '../queries/cost.js';
import type {ByteUnits} from '../units.js';

export default class Cost extends BaseCommand {
  static override summary = 'FLOPs (and MACs), HBM traffic and query–key pairs of one configuration.';
  static override description =
    "One row per variant × sequence length. --breakdown adds the per-component rows (projections, attention, FFN, and each variant's own work). Formulas and citations: docs/variants/ and docs/architectures.md.";
  static override examples = [
    '<%= config.bin %> cost --model gpt2-small --seq 4k --variant standard --variant flash',
    '<%= config.bin %> cost --model llama-3.1-8b --seq 128k --variant window:w=4096 --breakdown',
    '<%= config.bin %> cost --d-model 768 --heads 12 --layers 1 --scope attention --seq 512..16k --assumptions textbook',
  ];
  static override flags = {
    ...modelFlags,
    ...variantFlag,
    ...seqFlag,
    ...workloadFlags,
    ...accountingFlags,
    ...hardwareFlags,
    ...formatFlag,
    breakdown: Flags.boolean({description: 'Per-component rows.'}),
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Cost);
    const q = runCost(await resolveFlags(flags, {defaultHardware: false}), {breakdown: flags.breakdown});
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      render: ctx =>
        renderCost(q, {format: flags.format as TableFormat, units: flags.units as ByteUnits}, ctx),
    };
  }
}
