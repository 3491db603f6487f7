import {Args, Flags} from '@oclif/core';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {accountingFlags, formatFlag} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {junitXml, renderCheck} from '../cli/renderers/check.js';
import {runCheck, writeReport} from '../queries/check.js';
import type {ByteUnits} from '../units.js';

export default class Check extends BaseCommand {
  static override summary = 'CI capacity checks from a JSON or YAML file of assertions; exit 1 if any fails.';
  static override description =
    'Each check names a configuration (model, hardware, variant, seq, batch, dtype, mode) and what it must meet: fits, maxMemoryFraction, maxMemory, maxLatency, minMaxSeq, minTokensPerSec. ' +
    'Prints measured value, bound and margin per expectation. Exit 0 when every check passes, 1 when any fails, 2 when the file is invalid (every problem listed as file: path: message), 3 when the JUnit report cannot be written. ' +
    'The file format and a CI workflow: docs/ci.md.';
  static override examples = [
    '<%= config.bin %> check capacity.yaml',
    '<%= config.bin %> check capacity.yaml --junit reports/capacity.xml',
    '<%= config.bin %> check capacity.yaml --json',
  ];
  static override args = {
    file: Args.string({description: 'Capacity file (JSON, or YAML for .yaml/.yml).', required: true}),
  };
  static override flags = {
    junit: Flags.string({
      description: 'Also write a JUnit XML report to this file (its folder is created).',
      helpGroup: 'OUTPUT',
    }),
    units: accountingFlags.units,
    ...formatFlag,
  };

  protected async compute(): Promise<Outcome> {
    const {args, flags} = await this.parse(Check);
    const units = flags.units as ByteUnits;
    const q = await runCheck(args.file);
    if (flags.junit) writeReport(flags.junit, await junitXml(q, units), 'junit');
    return {
      inputs: {...q.inputs, junit: flags.junit ?? null},
      results: q.rows,
      warnings: q.warnings,
      failure: q.failure,
      render: ctx => renderCheck(q, {format: flags.format as TableFormat, units}, ctx),
    };
  }
}
