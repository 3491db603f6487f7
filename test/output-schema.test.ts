import test from 'ava';
import {envelopeSchema, RESULT_SCHEMAS} from '../src/schema/output.js';
import {runJson} from './helpers/cli.js';

/** Every scenario command's --json output conforms to the schema docs/schema/ publishes for it. */
const RUNS: [string, string[]][] = [
  ['cost', ['cost', '--model', 'gpt2-small', '--seq', '4k', '--hardware', 'a100-80gb']],
  ['compare', ['compare', '--seq', '2k', '--hardware', 'rtx-3090']],
  [
    'latency',
    ['latency', '--model', 'llama-2-70b', '--mode', 'decode', '--seq', '4k', '--hardware', 'h100-sxm'],
  ],
  ['memory', ['memory', '--seq', '2k', '--hardware', 'a100-40gb']],
  ['max-seq', ['max-seq', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--variant', 'flash']],
  ['sweep', ['sweep', '--metric', 'latency', '--seq', '1k..4k', '--variant', 'flash']],
  [
    'crossover',
    ['crossover', '--a', 'flash', '--b', 'standard', '--metric', 'memory', '--model', 'llama-3.1-8b'],
  ],
  ['complexity', ['complexity', '--d-model', '512']],
  ['report', ['report']],
  ['check', ['check', 'examples/capacity.yaml']],
];

for (const [command, argv] of RUNS) {
  test(`${command} --json conforms to its published schema`, t => {
    const r = runJson<unknown>([...argv]);
    const parsed = envelopeSchema(command, RESULT_SCHEMAS[command]!).safeParse(r.json);
    t.true(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
  });
}

/** A split model's rows (per GPU, with the step) conform too, and carry what the schema adds. */
test('latency --tp 8 --json conforms, with gpus and the step', t => {
  const r = runJson<{results: {gpus?: number; step?: unknown}[]}>([
    'latency',
    '--model',
    'llama-3.1-70b',
    '--mode',
    'decode',
    '--seq',
    '4k',
    '--hardware',
    'h100-sxm',
    '--tp',
    '8',
  ]);
  const parsed = envelopeSchema('latency', RESULT_SCHEMAS.latency!).safeParse(r.json);
  t.true(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
  t.is(r.json.results[0].gpus, 8);
  t.truthy(r.json.results[0].step);
});
