import test from 'ava';
import {runCli, runJson} from '../helpers/cli.js';

test('attncap with no arguments prints the report', t => {
  const r = runCli([]);
  t.is(r.code, 0);
  t.regex(r.stdout, /Longest sequence that fits/);
  t.regex(r.stdout, /At n = 8,192/);
  t.regex(r.stdout, /Next: attncap max-seq/);
});

test('report --json: variant × hardware rows with maxSeq, binding and reference numbers', t => {
  const r = runJson<{
    command: string;
    results: {variant: string; hardware: string; maxSeq: number | null; binding: string; seconds: number}[];
  }>(['report']);
  t.is(r.code, 0);
  t.is(r.json.results.length, 20);
  t.false(/NaN|Infinity/.test(r.stdout));
  t.true(r.json.results.every(x => x.seconds > 0 && typeof x.binding === 'string'));
  t.is(runCli(['report', '--seq', '1k,2k']).code, 2);
});

test('report --format csv: the capped answer in <device>_max_seq_tokens, the memory answer beside it, as max-seq', t => {
  const r = runCli(['report', '--format', 'csv']);
  t.is(r.code, 0);
  const [head, ...lines] = r.stdout.split('\n\n')[0]!.trim().split('\n');
  const cols = head!.split(',');
  const flash = lines.find(l => l.startsWith('flash,'))!.split(',');
  const at = (name: string) => flash[cols.indexOf(name)];
  // gpt2-small's context is 1,024 tokens; memory alone allows ~1.5M on an H100.
  t.is(at('h100_sxm_max_seq_tokens'), '1024');
  t.true(Number(at('h100_sxm_memory_max_seq_tokens')) > 1_000_000);
  t.is(at('h100_sxm_binding'), 'context');
  // The same two numbers as max-seq's CSV.
  const maxSeq = runCli(['max-seq', '--variant', 'flash', '--hardware', 'h100-sxm', '--format', 'csv']);
  const [mHead, mRow] = maxSeq.stdout.trim().split('\n');
  const m = Object.fromEntries(mHead!.split(',').map((k, i) => [k, mRow!.split(',')[i]]));
  t.deepEqual(
    [m.max_seq_tokens, m.memory_max_seq_tokens],
    [at('h100_sxm_max_seq_tokens'), at('h100_sxm_memory_max_seq_tokens')],
  );
});
