/**
 * The JSON output contract (docs/design.md §2.2, STYLE 3). One zod schema per command's `results`
 * entries, wrapped in the shared envelope. `npm run schemas` writes their JSON Schemas to
 * docs/schema/<command>.json; `npm test` fails when the committed files drift. Fields are added,
 * never renamed or removed without a schemaVersion bump. Objects are open (extra fields allowed)
 * so that adding a field is not a breaking change for validators.
 */
import {z} from 'zod';

const num = z.number().describe('A plain finite number in base SI units.');
const count = z.number().nonnegative();
const nullableNum = z.number().nullable();

export const errorSchema = z.object({
  code: z.enum(['INVALID_INPUT', 'CHECK_FAILED', 'ENVIRONMENT', 'INTERNAL']),
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])),
  hint: z.string().optional(),
});

/** A warning: a stable code for scripts and a sentence for people (docs/warnings.md). */
export const warningSchema = z.object({
  code: z.string().describe('Stable warning code, e.g. does-not-fit, beyond-context (docs/warnings.md).'),
  message: z.string(),
});

/** The attention of a row: the variant id, its parameters and its display label. */
const variantFields = {
  variant: z
    .string()
    .describe(
      "Variant id (flash, window, …); 'model' for a model's mixed layers; the architecture id for models without attention.",
    ),
  variantParams: z
    .record(z.string(), z.unknown())
    .describe('The variant parameters, with defaults filled in.'),
  variantLabel: z.string().describe("Display name, e.g. 'window w=512'."),
};

/** Whether a set-up fits its device (rows that show a speed or a device). */
const fitFields = {
  fits: z.boolean().describe('The set-up fits the device memory (a speed shown for it is achievable).'),
  memoryBytes: count.describe('Peak memory the set-up needs, without the reserve.'),
  usableBytes: count.describe('Device capacity less the runtime reserve and the memory kept free.'),
};

/** A model split across GPUs (docs/parallelism.md): its GPUs; the row's memory is one GPU's. */
const gpusField = {
  gpus: count.optional().describe('A split model: GPUs in all; memory (and fit) is then per GPU.'),
};

const stepSchema = z
  .looseObject({
    seconds: num,
    computeSeconds: num,
    bandwidthSeconds: num,
    engineOverheadSeconds: num,
    tensorParallelSeconds: num,
    pipelineSendSeconds: num,
    pipelineBubbleSeconds: num,
    contextParallelSeconds: num,
    expertParallelSeconds: num,
    bound: z.enum(['compute', 'bandwidth', 'launch', 'communication', 'pipeline bubble']),
  })
  .nullable();

export function envelopeSchema<R extends z.ZodType>(command: string, result: R) {
  return z.union([
    z.object({
      schemaVersion: z.literal(2),
      command: z.literal(command),
      ok: z.literal(true),
      inputs: z.record(z.string(), z.unknown()),
      results: z.array(result),
      warnings: z.array(warningSchema),
    }),
    z.object({
      schemaVersion: z.literal(2),
      command: z.literal(command),
      ok: z.literal(false),
      inputs: z.record(z.string(), z.unknown()).optional(),
      results: z.array(result).optional(),
      warnings: z.array(warningSchema).optional(),
      error: errorSchema,
    }),
  ]);
}

const flopsFields = {
  flops: count.describe('matmulFlops + vectorFlops.'),
  macs: count.describe('Multiply-accumulates of matrix products.'),
  matmulFlops: count.describe('macs × flops-per-mac (2 in the detailed accounting).'),
  vectorFlops: count.describe('Elementwise FLOPs (softmax, norms, activations).'),
};

export const componentRowSchema = z.looseObject({
  name: z.string(),
  part: z.string(),
  ...flopsFields,
  hbmBytes: count,
  pairs: count,
  savedBytes: count,
  transientBytes: count,
});

export const costRowSchema = z.looseObject({
  ...variantFields,
  hardware: z.string().optional().describe('With --hardware: the device of the fit fields.'),
  fits: fitFields.fits.optional(),
  memoryBytes: fitFields.memoryBytes.optional(),
  usableBytes: fitFields.usableBytes.optional(),
  seq: count,
  batch: count,
  ...flopsFields,
  pairs: count.describe('Query–key interactions, all heads and layers in scope.'),
  hbmBytes: count,
  readBytes: count,
  writeBytes: count,
  params: count,
  activeParams: count.describe(
    'Parameters one token uses: params less the routed experts it does not select (= params without MoE).',
  ),
  components: z.array(componentRowSchema).optional(),
});

export const compareRowSchema = costRowSchema.extend({
  model: z.string().describe("The row's model (its label; compare takes several --model)."),
  id: z.string(),
  family: z.string(),
  exact: z.boolean(),
  tradeoff: z.string(),
  flopsRatio: num,
  hbmBytesRatio: num,
  pairsRatio: num,
});

export const complexityRowSchema = z.looseObject({
  ...variantFields,
  kind: z.enum(['variant', 'architecture']),
  seq: count,
  dModel: count,
  ops: count,
  bigO: z.string(),
  speedupVsStandard: num,
  pathLengthMax: num,
  pathLengthMean: num,
});

export const tokensRowSchema = z.looseObject({modality: z.string(), tokens: count, formula: z.string()});

export const presetRowSchema = z.looseObject({id: z.string(), sources: z.array(z.unknown()).optional()});

export const memoryBreakdownSchema = z.looseObject({
  tensorsBytes: count
    .optional()
    .describe('--scope attention: Q, K, V, O of the attention core (0 in the other scopes).'),
  weightsBytes: count,
  gradientBytes: count.optional(),
  optimizerBytes: count.optional(),
  activationBytes: count,
  kvCacheBytes: count,
  transientBytes: count,
  reserveBytes: count,
  totalBytes: count,
  capacityBytes: count,
});

export const memoryRowSchema = z.looseObject({
  ...variantFields,
  seq: count,
  hardware: z.string(),
  ...gpusField,
  memory: memoryBreakdownSchema,
});

export const latencyRowSchema = z.looseObject({
  ...variantFields,
  ...fitFields,
  seq: count,
  hardware: z.string(),
  seconds: num,
  idealSeconds: num,
  tokensPerSec: num,
  components: z.array(z.looseObject({name: z.string(), bound: z.string(), seconds: num})).optional(),
  ...gpusField,
  step: stepSchema
    .unwrap()
    .optional()
    .describe(
      "A split model: one replica's step — kernels per GPU, collectives, pipeline (serve's breakdown).",
    ),
});

export const maxSeqRowSchema = z.looseObject({
  ...variantFields,
  hardware: z.string(),
  ...gpusField,
  maxSeq: nullableNum
    .optional()
    .describe("The answer, capped at the model's context length unless ignoreContext."),
  maxSeqMemory: nullableNum.optional().describe('What memory (and the latency budget) alone allow.'),
  contextLength: nullableNum.optional(),
  maxBatch: nullableNum.optional(),
  binding: z.enum(['memory', 'latency', 'context', 'none fits', 'unbounded']),
  fits: z.boolean(),
});

export const crossoverRowSchema = z.looseObject({
  a: z.string(),
  b: z.string(),
  metric: z.string(),
  crossings: z.array(count),
  cheaperAtStart: z.string().describe("The side cheaper at the start of the range, or 'tie'."),
});

export const sweepRowSchema = z.looseObject({
  ...variantFields,
  fits: fitFields.fits.optional(),
  usableBytes: fitFields.usableBytes.optional(),
});

export const reportRowSchema = z.looseObject({
  ...variantFields,
  ...fitFields,
  hardware: z.string(),
  maxSeq: nullableNum,
  maxSeqMemory: nullableNum,
  binding: z.string(),
});

export const checkExpectationSchema = z.looseObject({
  kind: z.enum([
    'fits',
    'maxMemoryFraction',
    'maxMemory',
    'maxLatency',
    'minMaxSeq',
    'minTokensPerSec',
    'minConcurrency',
    'maxTpot',
    'maxTtft',
  ]),
  unit: z
    .enum(['bytes', 'fraction', 'seconds', 'tokens', 'tokensPerSec', 'count'])
    .describe('Unit of measured and bound (base SI); fits: peak bytes vs capacity.'),
  measured: num,
  bound: num,
  margin: num.describe(
    'Relative, positive when the expectation holds: (bound − measured)/bound for max*, (measured − bound)/bound for min*.',
  ),
  pass: z.boolean(),
  expected: z.boolean().optional().describe('fits only: the expected answer.'),
});

export const checkRowSchema = z.looseObject({
  name: z.string(),
  pass: z.boolean(),
  model: z.string(),
  hardware: z.string(),
  ...variantFields,
  seq: count,
  batch: count,
  dtype: z.string(),
  mode: z.string(),
  expectations: z.array(checkExpectationSchema),
});

export const calibrateRowSchema = z.looseObject({
  backend: z.string(),
  fitted: z.unknown(),
  validation: z.looseObject({mape: num, maxAbsPctError: num}),
  profilePath: z.string(),
});

export const benchRowSchema = z.looseObject({
  variant: z.string(),
  seq: count,
  measuredSeconds: num,
  predictedSeconds: num,
  errorPct: num,
  exponent: nullableNum.optional(),
});

export const helpRowSchema = z.looseObject({
  subject: z.string(),
  text: z.string(),
  /** For attncap itself and topics: the commands under it, with their summaries. */
  commands: z.array(z.object({command: z.string(), summary: z.string()})).optional(),
});

export const versionRowSchema = z.looseObject({
  name: z.literal('attncap'),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  node: z.string(),
});

export const serveRowSchema = z.looseObject({
  ...variantFields,
  hardware: z.string(),
  gpus: count,
  parallelism: z.looseObject({tp: count, pp: count, cp: count, ep: count, dp: count, microBatches: count}),
  input: count,
  output: count,
  fits: z.boolean(),
  limitedBy: z.enum(['weights', 'kv-cache', 'tpot budget', 'ttft budget', 'concurrency']),
  memory: z
    .looseObject({
      capacityBytes: count,
      budgetBytes: num,
      reserveBytes: count,
      weightsBytes: count,
      transientBytes: count,
      kvRoomBytes: num.describe('Negative when the weights and working set alone exceed the budget.'),
    })
    .describe('Per GPU.'),
  kv: z.looseObject({
    dtype: z.string(),
    blockTokens: count,
    blockBytes: count,
    blocks: count,
    tokens: count,
    blocksPerSequence: count,
    sequenceBytes: count,
  }),
  maxConcurrency: count,
  concurrency: count,
  ttftSeconds: nullableNum,
  tpotSeconds: nullableNum,
  outputTokensPerSec: nullableNum,
  prefill: stepSchema,
  decode: stepSchema,
  ringOverlapTokens: nullableNum,
});

/** Result schema per command id (as oclif names them: topics joined by ':'). */
export const RESULT_SCHEMAS: Record<string, z.ZodType> = {
  report: reportRowSchema,
  cost: costRowSchema,
  compare: compareRowSchema,
  sweep: sweepRowSchema,
  latency: latencyRowSchema,
  memory: memoryRowSchema,
  'max-seq': maxSeqRowSchema,
  serve: serveRowSchema,
  crossover: crossoverRowSchema,
  complexity: complexityRowSchema,
  'tokens:image': tokensRowSchema,
  'tokens:audio': tokensRowSchema,
  'tokens:video': tokensRowSchema,
  'tokens:text': tokensRowSchema,
  check: checkRowSchema,
  calibrate: calibrateRowSchema,
  bench: benchRowSchema,
  help: helpRowSchema,
  version: versionRowSchema,
  'presets:hardware': presetRowSchema,
  'presets:import': presetRowSchema,
  'presets:models': presetRowSchema,
  'presets:variants': presetRowSchema,
};
