/**
 * The capacity file of `attncap check` (docs/design.md §8): a list of named checks, each a configuration
 * (model, hardware, variant, sequence length, workload) and the expectations it must meet.
 * Parsed strictly: an unknown key anywhere is a problem that names its path and the nearest key.
 * Values that take units (`seq: 128k`, `maxLatency: 2s`, `maxMemory: 70GiB`) stay strings here
 * and are parsed by src/queries/check.ts with the same parsers as the flags, so a file and the
 * command line accept exactly the same spellings.
 */
import {z} from 'zod';
import {scenarioFields} from '../scenario/schema.js';

const positiveInt = z.number().int().positive();

/** A number in base units, or a string with a unit parsed later (e.g. `8k`, `2s`, `70GiB`). */
const quantity = (example: string) =>
  z
    .union([z.number().positive(), z.string().min(1)])
    .describe(`A number in base units, or a string with a unit, e.g. ${example}.`);

export const expectSchema = z
  .strictObject({
    fits: z
      .boolean()
      .describe(
        'Whether the configuration fits in device memory (after the runtime reserve and the 10% kept free).',
      ),
    maxMemoryFraction: z
      .union([z.number().positive().max(1), z.string().min(1)])
      .describe(
        'Upper bound on the memory used, as a fraction of device capacity: 0.9 or "90%". The 10% kept free by default is not counted as used.',
      ),
    maxMemory: quantity('"70GiB" or "75GB"').describe(
      'Upper bound on the memory used: bytes, or "70GiB" / "75GB".',
    ),
    maxLatency: quantity('"2s" or "250ms"').describe(
      'Upper bound on the expected (calibrated) latency: seconds, or "2s" / "250ms".',
    ),
    minMaxSeq: quantity('"8k" or 32768').describe(
      'Lower bound on the longest sequence that fits in memory: tokens, or "8k" / "128k".',
    ),
    minTokensPerSec: z
      .number()
      .positive()
      .describe(
        'Lower bound on throughput at the expected latency (prefill/train: batch·n per second; decode: batch per second).',
      ),
    // Serving expectations (docs/serving.md): checks with a `serve` block.
    minConcurrency: positiveInt.describe(
      'serve: lower bound on the concurrent requests that fit the KV cache and meet maxTpot/maxTtft.',
    ),
    maxTpot: quantity('"50ms"').describe('serve: upper bound on the time per output token.'),
    maxTtft: quantity('"2s"').describe('serve: upper bound on the time to first token.'),
  })
  .partial();
export type Expectations = z.infer<typeof expectSchema>;
export const EXPECTATION_KINDS = [
  'fits',
  'maxMemoryFraction',
  'maxMemory',
  'maxLatency',
  'minMaxSeq',
  'minTokensPerSec',
  'minConcurrency',
  'maxTpot',
  'maxTtft',
] as const;
export type ExpectationKind = (typeof EXPECTATION_KINDS)[number];

/**
 * A check IS a scenario (src/scenario/schema.ts: model, overrides, variant, seq, workload,
 * hardware, what-ifs, assumptions) plus its name and expectations; `defaults` takes the same
 * fields. A check runs on one device and one sequence length.
 */
const configFields = {
  ...scenarioFields,
  // Serving checks (docs/serving.md, docs/ci.md): evaluated as `attncap serve` evaluates them.
  serve: z
    .strictObject({
      input: z.union([positiveInt, z.string().min(1)]).describe('Prompt tokens per request (default 1k).'),
      output: z
        .union([positiveInt, z.string().min(1)])
        .describe('Generated tokens per request (default 256).'),
      concurrency: positiveInt.describe(
        'Requests at once (default: the most that fit and meet the budgets).',
      ),
      gpus: positiveInt,
      tp: positiveInt,
      pp: positiveInt,
      cp: positiveInt,
      ep: positiveInt,
      nodes: positiveInt,
      engine: z.enum(['graphs', 'eager']),
    })
    .partial()
    .optional()
    .describe('Evaluate the check as `attncap serve` does: fits, minConcurrency, maxTpot, maxTtft.'),
};

export const checkDefaultsSchema = z
  .strictObject({...configFields, expect: expectSchema.optional()})
  .describe('Values every check takes unless it sets its own; `expect` is merged key by key.');
export type CheckDefaults = z.infer<typeof checkDefaultsSchema>;

export const checkSchema = z.strictObject({
  name: z.string().min(1).describe('Shown in the PASS/FAIL table and as the JUnit testcase name.'),
  ...configFields,
  expect: expectSchema.optional(),
});
export type CheckEntry = z.infer<typeof checkSchema>;

export const capacityFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    defaults: checkDefaultsSchema.optional(),
    checks: z.array(checkSchema).min(1),
  })
  .describe('An attncap capacity file (attncap check FILE; docs/ci.md).');
export type CapacityFile = z.infer<typeof capacityFileSchema>;
