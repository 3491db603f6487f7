/** Human output of `attncap check`: the PASS/FAIL table, and the JUnit XML report for CI systems. */
import {basename} from 'node:path';
import type {CheckQuery, CheckRow, ExpectationResult} from '../../queries/check.js';
import {
  type ByteUnits,
  formatBytes,
  formatCount,
  formatInt,
  formatPercent,
  formatSeconds,
  formatTokens,
} from '../../units.js';
import type {RenderContext} from '../base.js';
import {boolCell, type CellInput, formatTable, fractionCell, paint, type TableFormat} from '../render.js';
import {terminalName, xmlAttribute, xmlText} from '../safe-text.js';

export interface CheckRenderOptions {
  format: TableFormat;
  units: ByteUnits;
}

/** `maxLatency` etc. are the file's own keys, so a failing row points straight at its line. */
function value(e: ExpectationResult, x: number, units: ByteUnits): string {
  switch (e.unit) {
    case 'bytes':
      return formatBytes(x, units);
    case 'fraction':
      return formatPercent(x);
    case 'seconds':
      return formatSeconds(x);
    case 'tokens':
      return e.kind === 'minMaxSeq' && x >= 2 ** 40 ? '≥ 2^40 (unbounded)' : formatInt(x);
    case 'tokensPerSec':
      return formatCount(x);
    case 'count':
      return formatInt(x);
  }
}

export function measuredText(e: ExpectationResult, units: ByteUnits = 'binary'): string {
  // The peak includes the reserve (runtime + the fraction kept free): that is what must fit.
  if (e.kind === 'fits')
    return `${e.measured <= e.bound ? 'fits' : 'does not fit'}: ${formatBytes(e.measured, units)} with reserve`;
  return value(e, e.measured, units);
}

export function boundText(e: ExpectationResult, units: ByteUnits = 'binary'): string {
  if (e.kind === 'fits') return `${e.expected ? '≤' : '>'} ${formatBytes(e.bound, units)}`;
  const upper = e.kind.startsWith('max');
  return `${upper ? '≤' : '≥'} ${value(e, e.bound, units)}`;
}

export function marginText(e: ExpectationResult): string {
  return `${e.margin > 0 ? '+' : ''}${formatPercent(e.margin)}`;
}

export function configText(r: CheckRow): string {
  return `${terminalName(r.model)} · ${terminalName(r.hardware)} · ${terminalName(r.variantLabel)} · n ${formatTokens(r.seq)} · batch ${r.batch} · ${r.dtype} · ${r.mode}`;
}

/** `maxLatency 3.10 s vs ≤ 2 s`: one expectation, measured next to bound. */
export function expectationLine(e: ExpectationResult, units: ByteUnits = 'binary'): string {
  return `${e.kind} ${measuredText(e, units)} vs ${boundText(e, units)}`;
}

export function renderCheck(q: CheckQuery, opts: CheckRenderOptions, ctx: RenderContext): string {
  const rows: CellInput[][] = [];
  for (const r of q.rows) {
    for (const [i, e] of r.expectations.entries()) {
      const checkName = terminalName(r.name);
      const name =
        i === 0 && opts.format === 'table' ? `${checkName}\n${paint(configText(r), 'dim', ctx)}` : checkName;
      rows.push([
        boolCell(e.pass, e.pass ? paint('PASS', 'green', ctx) : paint('FAIL', 'red', ctx)),
        name,
        e.kind,
        {text: measuredText(e, opts.units), value: e.measured},
        {text: boundText(e, opts.units), value: e.bound},
        e.unit,
        {...fractionCell(e.margin), text: marginText(e)},
      ]);
    }
  }
  const out = [
    formatTable(
      {
        head: [
          {label: 'result', csv: 'pass'},
          'check',
          'expectation',
          'measured',
          'bound',
          // Measured and bound are in this unit (base SI: bytes, seconds, tokens, …); CSV only.
          {label: 'unit', csvOnly: true},
          {label: 'margin', csv: 'margin_fraction'},
        ],
        align: ['left', 'left', 'left', 'right', 'right', 'left', 'right'],
        rows,
      },
      opts.format,
      ctx,
    ),
  ];
  if (opts.format === 'table') {
    const failed = q.rows.filter(r => !r.pass).length;
    const summary = `${q.rows.length - failed} of ${q.rows.length} checks passed${failed > 0 ? `, ${failed} failed` : ''} (${terminalName(q.file)})`;
    out.push('', paint(summary, failed > 0 ? 'red' : 'green', ctx));
  }
  return out.join('\n');
}

/**
 * JUnit XML (the Ant/Surefire dialect that GitHub, GitLab and Jenkins read): one testsuite per
 * file, one testcase per check, a <failure> whose message puts each failed expectation's measured
 * value next to its bound. Built with xmlbuilder2, which escapes markup; characters XML 1.0
 * forbids (control characters from a check's name) are replaced first (safe-text.ts), so the
 * report is well-formed whatever the names. xmlbuilder2 is loaded only here, since its import
 * costs more start-up time than the rest of a command.
 */
export async function junitXml(q: CheckQuery, units: ByteUnits = 'binary'): Promise<string> {
  const {create} = await import('xmlbuilder2');
  const failures = q.rows.filter(r => !r.pass).length;
  const counts = {tests: q.rows.length, failures, errors: 0, skipped: 0, time: 0};
  const doc = create({version: '1.0', encoding: 'UTF-8'});
  const suite = doc
    .ele('testsuites', {name: 'attncap check', ...counts})
    .ele('testsuite', {name: xmlAttribute(q.file), ...counts});
  const classname = classnameOf(q.file);
  for (const r of q.rows) {
    const testcase = suite.ele('testcase', {name: xmlAttribute(r.name), classname, time: 0});
    const lines = r.expectations.map(
      e => `${e.pass ? 'PASS' : 'FAIL'} ${expectationLine(e, units)} (margin ${marginText(e)})`,
    );
    if (!r.pass) {
      const message = r.expectations
        .filter(e => !e.pass)
        .map(e => expectationLine(e, units))
        .join('; ');
      testcase.ele('failure', {message, type: 'CapacityCheckFailed'}).txt(xmlText(lines.join('\n')));
    }
    testcase.ele('system-out').txt(xmlText([configText(r), ...lines].join('\n')));
  }
  return `${doc.end({prettyPrint: true})}\n`;
}

function classnameOf(file: string): string {
  return xmlAttribute(`attncap.check.${basename(file).replace(/\.(ya?ml|json)$/i, '')}`);
}

/**
 * The JUnit report of a run that ended before any check ran (an invalid capacity file: exit 2;
 * an unusable environment: exit 3): one testcase, `capacity file`, with an <error> that carries
 * attncap's message, so a CI system shows why instead of a missing report.
 */
export async function junitErrorXml(
  file: string,
  error: {code: string; message: string; hint?: string},
): Promise<string> {
  const {create} = await import('xmlbuilder2');
  const counts = {tests: 1, failures: 0, errors: 1, skipped: 0, time: 0};
  const doc = create({version: '1.0', encoding: 'UTF-8'});
  const suite = doc
    .ele('testsuites', {name: 'attncap check', ...counts})
    .ele('testsuite', {name: xmlAttribute(file), ...counts});
  const testcase = suite.ele('testcase', {name: 'capacity file', classname: classnameOf(file), time: 0});
  const firstLine = error.message.split('\n')[0];
  testcase
    .ele('error', {message: xmlAttribute(firstLine), type: error.code})
    .txt(xmlText([error.message, ...(error.hint ? [`hint: ${error.hint}`] : [])].join('\n')));
  return `${doc.end({prettyPrint: true})}\n`;
}
