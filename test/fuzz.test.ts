/**
 * Robustness under arbitrary input (docs/design.md §10, issue 7): generated argument vectors over every
 * command — wrong types, huge and tiny numbers, negatives, NaN strings, unicode, empty values,
 * unknown variants and presets, malformed files. Every run must exit 0–3, never print a stack
 * trace, print exactly one parseable JSON document under --json, and never show NaN, Infinity
 * or a negative quantity. Runs in-process (helpers/inprocess.ts); a failure prints the shrunk
 * argument vector to reproduce with bin/run.js. FUZZ_SEED and FUZZ_RUNS override the defaults.
 */
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import fc from 'fast-check';
import {QUERY_LOADERS} from '../src/cli/query-commands.js';
import {INPUTS, intact, OUTPUTS} from './helpers/hostile.js';
import {runInProcess} from './helpers/inprocess.js';

const QUERY_IDS = new Set(Object.keys(QUERY_LOADERS));

const fixture = (path: string) => fileURLToPath(new URL(`../../test/fixtures/${path}`, import.meta.url));

// Calibration and bench run real kernels for seconds; their bad-input paths are tested in their own suites.
const COMMANDS = [
  [],
  ['report'],
  ['cost'],
  ['compare'],
  ['sweep'],
  ['latency'],
  ['memory'],
  ['max-seq'],
  ['crossover'],
  ['serve'],
  ['complexity'],
  ['tokens', 'image'],
  ['tokens', 'audio'],
  ['tokens', 'video'],
  ['tokens', 'text'],
  ['check'],
  ['presets', 'hardware'],
  ['presets', 'models'],
  ['presets', 'variants'],
  ['help'],
  ['nosuch'],
];

const FLAGS = [
  '--seq',
  '--batch',
  '--model',
  '--model-file',
  '--variant',
  '--hardware',
  '--hardware-file',
  '--dtype',
  '--kv-dtype',
  '--mode',
  '--scope',
  '--recompute',
  '--assumptions',
  '--d-model',
  '--heads',
  '--kv-heads',
  '--head-dim',
  '--layers',
  '--d-ff',
  '--vocab',
  '--memory',
  '--bandwidth',
  '--peak-flops',
  '--memory-reserve',
  '--usable',
  '--max-latency',
  '--min',
  '--solve',
  '--metric',
  '--a',
  '--b',
  '--range',
  '--over',
  '--baseline',
  '--size',
  '--patch',
  '--seconds',
  '--rate',
  '--hop',
  '--frames',
  '--tubelet',
  '--bytes',
  '--chars',
  '--format',
  '--units',
  '--softmax-ops',
  '--flops-per-mac',
  '--nosuch',
  '--junit',
  '--max-points',
  '--bytes-per-char',
];
const SWITCHES = [
  '--json',
  '--breakdown',
  '--causal',
  '--no-causal',
  '--count-masked',
  '--cls',
  '--no-chart',
  '--no-color',
  '--force',
  '--help',
  '-h',
  '--version',
];

const VALUES = [
  '',
  ' ',
  '0',
  '-1',
  '1',
  '3',
  '7',
  '64',
  '512',
  '4k',
  '32k',
  '128k',
  '2M',
  '1e9',
  '1e999',
  '1e-308',
  '5e-324',
  '1e308',
  '1.7976931348623157e308',
  '1e21',
  '9007199254740993',
  '0.5',
  '-0.5',
  'NaN',
  'Infinity',
  '-Infinity',
  '12q',
  'abc',
  '🙂',
  'é',
  '∞',
  '1,2',
  '512,2k,8k',
  '512..8k',
  '8k..512',
  '1..10:+3',
  '1..10:x1',
  'image:1024x1024/16',
  'image:0x0/0',
  'image:224x224/300',
  'audio:10s@16k',
  'video:32x224x224/16t2',
  'bytes:2048',
  'bytes:',
  '80GB',
  '80GiB',
  '-5GB',
  '2s',
  '50ms',
  '0s',
  '10%',
  '150%',
  'standard',
  'flash',
  'window:w=0',
  'window:w=4k',
  'window:w=',
  'performer:r=-1',
  'flash:block=abc',
  'linear',
  'nystrom',
  'swin',
  'paca',
  'xl',
  'bigbird:random_blocks=0,global_blocks=0',
  'windw',
  'gpt2-small',
  'llama-3.1-8b',
  'mamba-130m',
  'perceiver-io-bytes',
  'paca-vit-tiny',
  'swin-t',
  'vit-b-16',
  'gpt2-smal',
  'h100-sxm',
  'a100-40gb',
  't4',
  'h100',
  'local',
  'fp8',
  'fp32',
  'train',
  'decode',
  'prefill',
  'textbook',
  'rnn',
  'mamba',
  'flops',
  'memory',
  'latency',
  'bytes',
  'batch',
  'd-model',
  'csv',
  'markdown',
  'si',
  'selective',
  'full',
  'attention',
  'layer',
  '1024x1024',
  '10x',
  '/nonexistent/file.json',
  fixture('presets/wrong-type-and-missing.json'),
  fixture('presets/syntax-error-yaml.broken'),
  fixture('presets/unknown-keys.json'),
  fixture('check/typo.yaml'),
  fixture('check/passing.yaml'),
  fixture('check/unknown.yaml'),
  fixture('models/hyena-small.json'),
  ...INPUTS,
];

/** Values that make sense for a flag, so that many runs get past parsing into the model. */
const PLAUSIBLE: Record<string, string[]> = {
  '--seq': [
    '1',
    '512',
    '4k',
    '32k',
    '128k',
    '512,2k,8k',
    '512..8k',
    'image:1024x1024/16',
    'audio:10s@16k',
    'bytes:2048',
  ],
  '--batch': ['1', '2', '8', '64'],
  '--model': [
    'gpt2-small',
    'llama-3.1-8b',
    'mistral-7b',
    'mamba-130m',
    'perceiver-io-bytes',
    'paca-vit-tiny',
    'swin-t',
    'vit-b-16',
    'bert-base',
  ],
  '--variant': [
    'standard',
    'flash',
    'window:w=4k',
    'linformer',
    'performer:r=64',
    'linear',
    'nystrom',
    'swin',
    'paca',
    'xl',
    'strided',
    'longformer',
    'bigbird',
  ],
  '--hardware': ['h100-sxm', 'a100-40gb', 't4', 'mi300x', 'rtx-3090'],
  '--dtype': ['fp32', 'bf16', 'fp8'],
  '--mode': ['prefill', 'decode', 'train'],
  '--scope': ['attention', 'layer', 'model'],
  '--recompute': ['none', 'selective', 'full'],
  '--assumptions': ['detailed', 'textbook'],
  '--d-model': ['512', '768', '4096'],
  '--heads': ['8', '12'],
  '--kv-heads': ['1', '4'],
  '--layers': ['1', '12'],
  '--memory': ['24GB', '80GiB'],
  '--max-latency': ['2s', '50ms'],
  '--min': ['8k', '1M'],
  '--metric': ['flops', 'memory', 'latency', 'bytes'],
  '--a': ['standard', 'flash'],
  '--b': ['rnn', 'window', 'linformer', 'mamba'],
  '--size': ['224x224', '1024x1024'],
  '--patch': ['14', '16'],
  '--seconds': ['1', '10'],
  '--bytes': ['2048'],
  '--format': ['table', 'csv', 'markdown'],
  '--model-file': INPUTS,
  '--hardware-file': INPUTS,
  '--profile': INPUTS,
  '--junit': OUTPUTS,
  '--peak-flops': ['1e-308', '1e308', '989T', '1'],
  '--bandwidth': ['1e-308', '1e308', '3.35TB/s'],
  '--bytes-per-char': ['1e308', '4', '0.5'],
  '--max-points': ['0', '1', '100', '9999999999'],
};

interface ManifestFlag {
  name: string;
  type: 'option' | 'boolean';
  options?: string[];
  allowNo?: boolean;
}
const manifest = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../oclif.manifest.json', import.meta.url)), 'utf8'),
) as {
  commands: Record<string, {flags: Record<string, ManifestFlag>}>;
};

/** A value for a flag: its declared options, a plausible value, or anything from the hostile pool. */
function valueFor(flag: ManifestFlag): fc.Arbitrary<string> {
  const plausible = flag.options ?? PLAUSIBLE[`--${flag.name}`];
  const hostile = fc.constantFrom(...VALUES);
  return plausible
    ? fc.oneof({weight: 4, arbitrary: fc.constantFrom(...plausible)}, {weight: 1, arbitrary: hostile})
    : hostile;
}

/** Flags of the command (from the oclif manifest) most of the time; any flag sometimes. */
function flagsFor(command: string[]): fc.Arbitrary<string[]> {
  const own = Object.values(manifest.commands[command.join(':') || 'report']?.flags ?? {}).filter(
    f => f.name !== 'json' && f.name !== 'help',
  );
  const anyFlag = fc.tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => [f, v]);
  if (own.length === 0) return anyFlag;
  const ownFlag = fc
    .constantFrom(...own)
    .chain(f =>
      f.type === 'boolean'
        ? fc.boolean().map((no): string[] => [`--${f.allowNo && no ? 'no-' : ''}${f.name}`])
        : valueFor(f).map((v): string[] => [`--${f.name}`, v]),
    );
  return fc.oneof({weight: 5, arbitrary: ownFlag}, {weight: 1, arbitrary: anyFlag});
}

const argvOf = (commands: readonly string[][]) =>
  fc
    .constantFrom(...commands)
    .chain(command =>
      fc.tuple(
        fc.constant(command),
        fc.array(flagsFor(command), {maxLength: 4}),
        fc.subarray(SWITCHES, {maxLength: 1}),
        fc.oneof(
          {weight: 6, arbitrary: fc.constant(undefined)},
          {weight: 1, arbitrary: fc.constantFrom(...VALUES)},
        ),
        fc.boolean(),
      ),
    )
    .map(([command, flags, switches, positional, json]) => {
      const argv = [...command];
      if (positional !== undefined) argv.push(positional);
      // A report file goes where the fuzz may write (a fixture or the checkout is never replaced);
      // an empty name stays empty, to reach its error.
      for (const f of flags)
        argv.push(
          ...(f[0] === '--junit' && f[1] ? ['--junit', join(WRITABLE, f[1].replaceAll('/', '_'))] : f),
        );
      argv.push(...switches.filter(s => s !== '--json'));
      if (json) argv.push('--json');
      return argv;
    });
const argvArb = argvOf(COMMANDS);
/** Where generated runs may write files (--junit): a fresh temporary directory. */
const WRITABLE = mkdtempSync(join(tmpdir(), 'attncap-fuzz-'));

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
/**
 * Fields that may legitimately be negative: relative margins and errors, exponents; serve's KV
 * room, negative by what the weights are short (docs/serving.md).
 */
const SIGNED = /margin|error|exponent|ratio|delta|kvRoom/i;

function badNumbers(value: unknown, path: string, out: string[]): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${path} = ${value}`);
    else if (value < 0 && !SIGNED.test(path)) out.push(`${path} = ${value} (negative)`);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) badNumbers(v, `${path}[${i}]`, out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) badNumbers(v, `${path}.${k}`, out);
}

test.serial(
  'fuzz: any argument vector exits 0–3, no stack trace, one JSON document under --json',
  async t => {
    t.timeout(20 * 60_000);
    const runs = Number(process.env.FUZZ_RUNS ?? 1000);
    const seed = Number(process.env.FUZZ_SEED ?? 20261123);
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(argvArb, async argv => {
        const r = await runInProcess(argv);
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        const where = `attncap ${argv.map(a => JSON.stringify(a)).join(' ')}`;
        if (![0, 1, 2, 3].includes(r.code)) throw new Error(`${where}: exit ${r.code}\n${r.stderr}`);
        const replaced = intact();
        if (replaced) throw new Error(`${where}: ${replaced}`);
        // Colour is off in-process (stdout is no TTY): any escape came from a user's name.
        if (r.stdout.includes('\u001b') || r.stderr.includes('\u001b'))
          throw new Error(`${where}: an escape sequence reached the terminal`);
        if (/s3cr3t/.test(r.stdout + r.stderr)) throw new Error(`${where}: a file's contents were echoed`);
        if (STACK.test(r.stderr) || STACK.test(r.stdout))
          throw new Error(`${where}: stack trace\n${r.stderr}`);
        if (/\bNaN\b|\bInfinity\b/.test(argv.includes('--json') ? '' : r.stdout))
          throw new Error(`${where}: NaN/Infinity in output\n${r.stdout}`);
        // Help, version and topics too print one JSON document under --json (docs/json.md).
        if (argv.includes('--json')) {
          let doc: {ok?: boolean; results?: unknown};
          try {
            doc = JSON.parse(r.stdout);
          } catch {
            throw new Error(
              `${where}: stdout is not one JSON document (exit ${r.code})\n${r.stdout.slice(0, 400)}`,
            );
          }
          if (typeof doc.ok !== 'boolean') throw new Error(`${where}: no ok field`);
          if (r.code === 0 && doc.ok !== true) throw new Error(`${where}: exit 0 with ok false`);
          const bad: string[] = [];
          badNumbers(doc.results, 'results', bad);
          if (bad.length > 0) throw new Error(`${where}: ${bad.slice(0, 5).join('; ')}`);
        }
      }),
      {numRuns: runs, seed, endOnFailure: true},
    );
    t.log(
      `exit codes over ${runs} runs: ${[...codes]
        .sort()
        .map(([c, n]) => `${c}: ${n}`)
        .join(', ')}`,
    );
    // The generator must get deep into the model, not only bounce off the parser.
    t.true((codes.get(0) ?? 0) >= runs / 10, 'at least 10% of the runs succeed');
    t.true((codes.get(2) ?? 0) >= runs / 10, 'at least 10% of the runs are invalid input');
  },
);

test.serial(
  'differential fuzz: the query bundle answers every query argument vector as the full CLI does through oclif',
  async t => {
    t.timeout(20 * 60_000);
    const runs = Number(process.env.FUZZ_RUNS ?? 1000) / 2;
    const seed = Number(process.env.FUZZ_SEED ?? 20261123) + 1;
    const queries = COMMANDS.filter(c => c.length === 0 || QUERY_IDS.has(c[0]!));
    t.true(queries.length >= 8);
    let direct = 0;
    await fc.assert(
      fc.asyncProperty(argvOf(queries), async argv => {
        const cli = await runInProcess(argv);
        const oclif = await runInProcess(argv, {via: 'oclif'});
        const where = `attncap ${argv.map(a => JSON.stringify(a)).join(' ')}`;
        if (cli.code !== oclif.code || cli.stdout !== oclif.stdout || cli.stderr !== oclif.stderr)
          throw new Error(
            `${where}: the query bundle and the full CLI differ\n--- query bundle (exit ${cli.code}):\n${cli.stdout}${cli.stderr}\n--- full CLI (exit ${oclif.code}):\n${oclif.stdout}${oclif.stderr}`,
          );
        if (!argv.some(a => ['--help', '-h', 'help', '--version'].includes(a))) direct++;
      }),
      {numRuns: runs, seed, endOnFailure: true},
    );
    t.true(direct >= runs / 2, `${direct} of ${runs} runs reached the query bundle`);
  },
);

test.serial(
  'every hostile file, as every kind of input and as --junit: exit 2 or better, nothing replaced',
  async t => {
    const runs: string[][] = [];
    for (const file of INPUTS) {
      runs.push(['check', file], ['latency', '--model-file', file], ['memory', '--hardware-file', file]);
      runs.push(['latency', '--hardware', 'local', '--profile', file]);
    }
    for (const out of OUTPUTS) {
      runs.push(['check', fixture('check/passing.yaml'), '--junit', out]);
      runs.push(['check', fixture('check/typo.yaml'), '--junit', out, '--force']);
    }
    for (const argv of runs) {
      for (const json of [false, true]) {
        const args = json ? [...argv, '--json'] : argv;
        const r = await runInProcess(args);
        const where = `attncap ${args.map(a => JSON.stringify(a)).join(' ')}`;
        t.true([0, 1, 2, 3].includes(r.code), `${where}: exit ${r.code}\n${r.stderr}`);
        t.false(STACK.test(r.stderr), `${where}: stack trace\n${r.stderr}`);
        t.is(intact(), undefined, where);
        t.false(r.stdout.includes('\u001b') || r.stderr.includes('\u001b'), `${where}: escape sequence`);
        t.false(/s3cr3t/.test(r.stdout + r.stderr), `${where}: echoed contents`);
        if (json) t.notThrows(() => JSON.parse(r.stdout), `${where}: not one JSON document`);
      }
    }
  },
);
