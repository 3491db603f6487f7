import {BaseCommand, type Outcome} from '../cli/base.js';
import {capacityFlags, parallelFlags} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {renderReport} from '../cli/renderers/report.js';
import {resolveFlags} from '../cli/scenario.js';
import {DEFAULT_HARDWARE} from '../hardware.js';
import {DEFAULT_VARIANTS} from '../queries/compare.js';
import {runReport} from '../queries/report.js';
import type {ByteUnits} from '../units.js';

export default class Report extends BaseCommand {
  static override summary =
    'The capacity overview (default command): longest sequence that fits per variant and device, cost at a reference length, memory vs n.';
  static override description =
    'Defaults: model gpt2-small; hardware rtx-3090, a100-40gb, a100-80gb, h100-sxm; variants standard, flash, window, linformer, performer; reference length 8,192 (--seq). Latency is the expected roofline latency on the last device.';
  static override examples = [
    '<%= config.bin %>',
    '<%= config.bin %> report --model llama-3.1-8b --hardware a100-80gb --hardware h100-sxm --seq 32k',
    '<%= config.bin %> report --mode train --variant standard --variant flash --json',
    '<%= config.bin %> report --model llama-3.1-70b --mode decode --hardware h100-sxm --hardware mi300x --tp 8',
  ];
  static override flags = {
    ...capacityFlags,
    ...parallelFlags,
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Report);
    const q = runReport(
      await resolveFlags(flags, {defaultVariants: DEFAULT_VARIANTS, defaultHardware: DEFAULT_HARDWARE}),
    );
    return {
      inputs: q.inputs,
      results: q.rows,
      warnings: q.warnings,
      render: ctx =>
        renderReport(q, {format: flags.format as TableFormat, units: flags.units as ByteUnits}, ctx),
    };
  }
}
