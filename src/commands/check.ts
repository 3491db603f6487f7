import {Args, Flags} from '@oclif/core';
import {BaseCommand, firstNonFinite, nonFiniteError, type Outcome} from '../cli/base.js';
import {accountingFlags, forceFlag, formatFlag} from '../cli/flags.js';
import type {TableFormat} from '../cli/render.js';
import {junitErrorXml, junitXml, renderCheck} from '../cli/renderers/check.js';
import {AttncapError} from '../errors.js';
import {checkOutputPath} from '../files.js';
import {type CheckQuery, runCheck, writeReport} from '../queries/check.js';
import type {ByteUnits} from '../units.js';

export default class Check extends BaseCommand {
  static override summary = 'CI capacity checks from a JSON or YAML file of assertions; exit 1 if any fails.';
  static override description =
    'Each check names a configuration (model, hardware, variant, seq, batch, dtype, mode) and what it must meet: fits, maxMemoryFraction, maxMemory, maxLatency, minMaxSeq, minTokensPerSec. ' +
    'Prints measured value, bound and margin per expectation. Exit 0 when every check passes, 1 when any fails, 2 when the file is invalid (every problem listed as file: path: message), 3 when the JUnit report cannot be written. ' +
    'The JUnit report is written whatever the exit code (an invalid file gives one testcase with an <error>); it replaces regular files only (a device, FIFO or symbolic link needs --force). ' +
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
      description: 'Also write a JUnit XML report to this file (its folder is created), on every exit code.',
      helpGroup: 'OUTPUT',
    }),
    ...forceFlag,
    units: accountingFlags.units,
    ...formatFlag,
  };

  protected async compute(): Promise<Outcome> {
    const {args, flags} = await this.parse(Check);
    const units = flags.units as ByteUnits;
    const junit = flags.junit;
    // A refused --junit path (empty, a directory, a device without --force) fails before any work.
    if (junit !== undefined) checkOutputPath(junit, {flag: 'junit', force: flags.force});
    let q: CheckQuery;
    try {
      q = await runCheck(args.file);
      const bad = firstNonFinite(q.rows);
      if (bad) throw nonFiniteError(bad, this.argv);
    } catch (error) {
      // CI reads the report even when the run ends in exit 2 or 3: one testcase says why.
      if (junit !== undefined && error instanceof AttncapError)
        writeReport(junit, await junitErrorXml(args.file, error), 'junit', flags.force);
      throw error;
    }
    if (junit !== undefined) writeReport(junit, await junitXml(q, units), 'junit', flags.force);
    return {
      inputs: {...q.inputs, junit: flags.junit ?? null},
      results: q.rows,
      warnings: q.warnings,
      failure: q.failure,
      render: ctx => renderCheck(q, {format: flags.format as TableFormat, units}, ctx),
    };
  }
}
