/**
 * The scenario: one typed description of a question's inputs, shared by the command line (flags
 * map into it at the edge, src/cli/scenario.ts), capacity files (every check IS a scenario plus
 * its name and `expect`, src/schema/capacity.ts) and the library (`resolve()` in src/index.ts).
 * Nothing below the CLI sees a flag. Parsed strictly: an unknown field anywhere is an error that
 * names it. Values that take units (`seq: 128k`, `whatIf.bandwidth: 3.35TB/s`) may be strings,
 * parsed with the same parsers as the flags, so a file and the command line accept the same
 * spellings. docs/scenarios.md describes every field.
 *
 * The inline model and hardware formats are the preset schemas, built only when a scenario gives
 * one inline (`lazyObject`): a union tries its options in order and stops at the first that
 * parses, so a scenario naming preset ids, as every query from the command line does, never builds
 * them (test/schema/lazy.test.ts).
 */
import {z} from 'zod';
import {IMPLS} from '../model/impl.js';
import {lazyObject} from '../schema/lazy.js';
import {dtypeSchema, hardwarePresetSchema, modelPresetSchema} from '../schema/presets.js';

const positiveInt = z.number().int().positive();
/** A number in base units, or a string with a unit parsed later (e.g. `8k`, `3.35TB/s`, `80GiB`). */
const quantity = (example: string) =>
  z
    .union([z.number().positive(), z.string().min(1)])
    .describe(`A number in base units, or a string with a unit, e.g. ${example}.`);
const count = (example: string) =>
  z
    .union([positiveInt, z.string().min(1)])
    .describe(`A whole number, or a string with a k/M suffix, e.g. ${example}.`);

export const modelOverridesSchema = z
  .strictObject({
    dModel: count('768').describe('d: model width.'),
    heads: count('12').describe('h: query heads.'),
    kvHeads: count('8').describe('h_kv: key/value heads (GQA/MQA).'),
    headDim: count('128').describe('d_h: head dimension.'),
    layers: count('32').describe('L: layers (a layer pattern is re-cycled over them).'),
    dFf: count('14336').describe('d_ff: FFN width.'),
    vocab: count('32000').describe('V: vocabulary size.'),
  })
  .partial()
  .describe("Changes to the model's shape; a preset with overrides is shown as `id (field=value, …)`.");
export type ModelOverrides = z.infer<typeof modelOverridesSchema>;

export const accountingSwitchesSchema = z
  .strictObject({
    flopsPerMac: z.union([z.literal(1), z.literal(2)]).describe('FLOPs per multiply-accumulate.'),
    softmaxOps: z
      .union([z.number().int().nonnegative(), z.string().min(1)])
      .describe('Vector FLOPs per attention score for the softmax.'),
    countMasked: z.boolean().describe('Count causally masked pairs as computed work.'),
  })
  .partial()
  .describe('Individual switches of the accounting, applied over the profile (docs/assumptions.md).');

export const whatIfSchema = z
  .strictObject({
    peakFlops: quantity('"500T" or 5e14').describe('Matrix peak, FLOP/s.'),
    bandwidth: quantity('"3.35TB/s"').describe('Memory bandwidth, bytes/s.'),
    memory: quantity('"80GiB"').describe('Memory capacity, bytes.'),
  })
  .partial()
  .describe('What-if changes to every device of the scenario.');

export const parallelSchema = z
  .strictObject({
    gpus: count('8').describe('GPUs in all (default tp × pp × cp); more make data-parallel replicas.'),
    tp: count('8').describe('Tensor-parallel ranks (default gpus / (pp × cp)).'),
    pp: count('2').describe('Pipeline stages (default 1).'),
    cp: count('2').describe('Context-parallel (ring attention) ranks (default 1).'),
    ep: count('8').describe('Expert-parallel ranks, mixture-of-experts models (default 1).'),
    microBatches: count('4').describe('Micro-batches in the pipeline (default pp).'),
    nodes: count('2').describe('Nodes the GPUs span (default ⌈gpus / 8⌉).'),
    interconnect: z
      .string()
      .min(1)
      .describe(
        "GPU-to-GPU link inside a node: nvlink, pcie, or a bandwidth per GPU per direction (default: the preset's).",
      ),
    network: quantity('"50GB/s"').describe(
      "Network between nodes, bandwidth per GPU (default: the preset's).",
    ),
  })
  .partial()
  .describe(
    'The model split across GPUs (docs/parallelism.md): memory, max-seq and latency answer per GPU; serve per deployment.',
  );

/** Every field of a scenario; capacity-file checks and their `defaults` take the same fields. */
export const scenarioFields = {
  model: z
    .union([z.string().min(1), lazyObject(modelPresetSchema)])
    .optional()
    .describe('A model preset id (attncap presets models), or a whole model inline (the preset schema).'),
  modelFile: z
    .string()
    .min(1)
    .optional()
    .describe('A model file (JSON or YAML, the preset schema); relative to the file that names it.'),
  overrides: modelOverridesSchema.optional(),
  variant: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe(
      "Attention variant(s): NAME or NAME:key=value (one result each), or SELECTOR=SPEC to change only the layer groups of that name (e.g. global=flash). Default: the model's own layers.",
    ),
  seq: z
    .union([positiveInt, z.string().min(1)])
    .optional()
    .describe('Sequence length(s): 4096, "128k", "512,2k,8k", "512..64k", "image:1024x1024/16".'),
  batch: count('8').optional().describe('Batch size (default 1).'),
  dtype: dtypeSchema().optional().describe('Compute dtype (default bf16).'),
  kvDtype: z
    .enum(['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'])
    .optional()
    .describe('KV-cache dtype (default: the compute dtype); int8/int4 with their scales (docs/serving.md).'),
  weights: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Weight storage: bf16, fp16, fp8, int8, int4[:g=128], nf4, mxfp4, nvfp4, awq, gptq (default: the model's quantised checkpoint format, else the compute dtype; docs/serving.md).",
    ),
  embeddingWeights: z
    .string()
    .min(1)
    .optional()
    .describe('Storage of embeddings, LM head and final norm (default: the compute dtype).'),
  kvBlock: count('16').optional().describe('Paged KV cache: tokens per block (default 1, unpaged).'),
  mode: z.enum(['prefill', 'decode', 'train']).optional().describe('Workload mode (default prefill).'),
  causal: z.boolean().optional().describe("Causal masking (default: the model's)."),
  recompute: z
    .enum(['none', 'selective', 'full'])
    .optional()
    .describe('Activation recomputation in training (default none).'),
  scope: z
    .enum(['attention', 'layer', 'model'])
    .optional()
    .describe('The attention core of one layer, one full layer, or the whole model (default).'),
  hardware: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1), lazyObject(hardwarePresetSchema)])
    .optional()
    .describe(
      'Hardware preset id(s) (attncap presets hardware), local (this machine), or a whole device inline.',
    ),
  hardwareFile: z.string().min(1).optional().describe('A hardware file (JSON or YAML, the preset schema).'),
  whatIf: whatIfSchema.optional(),
  memoryReserve: z
    .union([z.number().min(0).max(1), z.string().min(1)])
    .optional()
    .describe('Fraction of capacity kept free: 0.1 (default) or "10%".'),
  usable: z
    .union([z.number().positive().max(1), z.string().min(1)])
    .optional()
    .describe('Fraction of capacity usable (= 1 − memoryReserve).'),
  memoryUtilization: z
    .union([z.number().positive().max(1), z.string().min(1)])
    .optional()
    .describe("Fraction of device memory the engine may take, as vLLM's gpu_memory_utilization (= usable)."),
  assumptions: z
    .enum(['detailed', 'textbook'])
    .optional()
    .describe('Accounting profile (docs/assumptions.md; default detailed).'),
  accounting: accountingSwitchesSchema.optional(),
  impl: z
    .enum(IMPLS)
    .optional()
    .describe(
      'Attention kernel implementation (docs/calibration-presets.md): eager (materialised), or sdpa, fa1, fa2, fa3, cudnn, triton (fused). Default: per device.',
    ),
  dropout: z
    .union([z.number().min(0).lt(1), z.string().min(1)])
    .optional()
    .describe(
      'Attention dropout probability on in this run, any mode (materialised attention adds its dropout pass and mask); default off.',
    ),
  calibrationProfile: z
    .string()
    .min(1)
    .optional()
    .describe('Calibration profile file for hardware local (default: the one attncap calibrate wrote).'),
  ignoreContext: z
    .boolean()
    .optional()
    .describe("Answer beyond the model's trained context length (max-seq caps at it by default)."),
  parallel: parallelSchema.optional(),
};

export const scenarioSchema = z
  .strictObject({$schema: z.string().optional(), ...scenarioFields})
  .describe('An attncap scenario: the inputs of one question (docs/scenarios.md).');

/** A scenario as written by a user or a script: every field optional. */
export type Scenario = z.input<typeof scenarioSchema>;
export type ScenarioField = keyof typeof scenarioFields;
