/**
 * Calibration profiles (docs/design.md §7): what `attncap calibrate` measured on this device, or the
 * default efficiencies shipped for a hardware preset (`calibration/<id>.json`). The roofline
 * (docs/design.md §4.5) reads per-kernel-family efficiencies from here: effective rate = peak × efficiency.
 *
 * Units: rates in FLOP/s and bytes/s, times in seconds, errors in percent (4.2 = 4.2 %).
 *
 * Each schema is built on its first use (`once`, src/schema/lazy.ts): `profileSchema().parse(…)`.
 * A query with shipped profiles builds none of them; the build validated those files.
 */
import {z} from 'zod';
import {IMPL_DEFS, IMPLS, type Impl, type ImplChoice} from '../model/impl.js';
import {KERNEL_FAMILIES, type KernelFamily} from '../model/types.js';
import {once} from './lazy.js';

export const PROFILE_SCHEMA_VERSION = 1;

export const kernelFamilySchema = once(() => z.enum(KERNEL_FAMILIES as [KernelFamily, ...KernelFamily[]]));

const positive = once(() => z.number().positive());
const nonNegative = once(() => z.number().nonnegative());
/**
 * Efficiency relative to the profile's peaks. Above 1 is allowed up to 1.5: a kernel family can
 * beat the micro-benchmark that defined the peak (caches, fusion), but not by an implausible margin.
 */
const efficiency = once(() =>
  z
    .number()
    .gt(0, 'an efficiency is a fraction of the peak and must be > 0')
    .lte(1.5, 'an efficiency above 1.5 × the peak is implausible; recalibrate or fix the peak'),
);

export const fingerprintSchema = once(() =>
  z.strictObject({
    backend: z.string().min(1).describe('gpu.js backend that ran: headlessgl, webgpu, webasm or cpu.'),
    adapter: z.string().optional().describe('GPU adapter / GL renderer string, when a GPU backend ran.'),
    cpuModel: z.string(),
    cores: z.number().int().positive(),
    os: z.string().describe('e.g. "linux 6.1.0 x64".'),
    node: z.string().describe('Node.js version, e.g. "v20.20.2".'),
    memoryBytes: z.number().int().positive().describe('Host memory in bytes.'),
  }),
);
export type DeviceFingerprint = z.infer<ReturnType<typeof fingerprintSchema>>;

export const peaksSchema = once(() =>
  z.strictObject({
    matrixFlopsPerSec: positive(),
    vectorFlopsPerSec: positive(),
    bandwidthBytesPerSec: positive(),
  }),
);
export type Peaks = z.infer<ReturnType<typeof peaksSchema>>;

export const familyEfficiencySchema = once(() =>
  z.strictObject({
    matrixEfficiency: efficiency(),
    vectorEfficiency: efficiency(),
    memoryEfficiency: efficiency(),
    launchSeconds: nonNegative().describe('Fixed overhead per kernel launch.'),
    source: z.string().min(1).describe('Citation of a published measurement, or "fitted on this device".'),
    r2: z.number().lte(1).optional().describe('Goodness of fit (R² of log time) when fitted on this device.'),
  }),
);
export type FamilyEfficiency = z.infer<ReturnType<typeof familyEfficiencySchema>>;

/**
 * One kernel implementation's efficiencies on this device (docs/calibration-presets.md "Kernel time
 * model"): they replace its family's when that implementation runs.
 */
export const implementationEfficiencySchema = once(() =>
  z.strictObject({
    matrixEfficiency: efficiency().describe('Forward matrix throughput / the dtype peak.'),
    backwardMatrixEfficiency: efficiency()
      .optional()
      .describe('Backward matrix throughput / the dtype peak; omitted = the forward efficiency.'),
    vectorEfficiency: efficiency().optional().describe("Omitted: the family's (the exp-limited softmax)."),
    memoryEfficiency: efficiency(),
    launchSeconds: nonNegative().describe('Fixed overhead per kernel launch.'),
    hostSeconds: nonNegative()
      .default(0)
      .describe(
        'Host-side time per kernel call (Python, framework dispatch, launch): it overlaps the asynchronous GPU work, so a call takes at least this long.',
      ),
    tileOverheadSteps: nonNegative()
      .default(0)
      .describe(
        "Per-tile prologue/epilogue (load Q, rescale and write O) in units of one key-block step of the tile's inner loop.",
      ),
    source: z.string().min(1),
    fit: z
      .strictObject({
        rows: z.string().min(1).describe('The published rows it was fitted to.'),
        points: z.number().int().nonnegative(),
        medianAbsPctError: nonNegative(),
        maxAbsPctError: nonNegative(),
      })
      .optional()
      .describe('Fitted error on its source rows (npm run fidelity).'),
  }),
);
export type ImplementationEfficiency = z.infer<ReturnType<typeof implementationEfficiencySchema>>;

export const transferSchema = once(() =>
  z.strictObject({
    bytesPerSec: positive().describe('Host↔device copy throughput of kernel arguments and results.'),
    fixedSeconds: nonNegative().describe(
      'Fixed cost per kernel call on the host (argument set-up, dispatch, readback): an empty kernel call.',
    ),
  }),
);
export type Transfer = z.infer<ReturnType<typeof transferSchema>>;

export const sampleSchema = once(() =>
  z.strictObject({
    kernel: z.string().min(1).describe('Micro-benchmark kernel, e.g. "matmul", "standard.scores".'),
    family: kernelFamilySchema(),
    size: z
      .record(z.string(), z.number().int().nonnegative())
      .describe('Size parameters, e.g. {n: 512, d: 64}.'),
    macs: nonNegative(),
    vectorFlops: nonNegative(),
    bytes: nonNegative().describe('Memory traffic of the kernel: bytes read + written.'),
    transferBytes: nonNegative()
      .optional()
      .describe('Host↔device bytes per call (arguments in, result out); default = bytes.'),
    launches: z.number().int().positive().default(1).describe('Kernel launches the cost model counts.'),
    calls: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('gpu.js kernel calls the measured implementation made (default = launches).'),
    medianSeconds: positive(),
    spreadSeconds: nonNegative().describe('Interquartile range of the repetitions.'),
    reps: z.number().int().positive(),
    role: z
      .enum(['fit', 'validate'])
      .default('fit')
      .describe('Used to fit the model, or held out to validate it.'),
  }),
);
export type Sample = z.infer<ReturnType<typeof sampleSchema>>;
export type SampleInput = z.input<ReturnType<typeof sampleSchema>>;

export const errorStatsSchema = once(() =>
  z.strictObject({
    mape: nonNegative().describe('Mean absolute percentage error of predicted vs measured time, percent.'),
    maxAbsPctError: nonNegative().describe('Worst absolute percentage error, percent.'),
    points: z.number().int().nonnegative(),
  }),
);
export type ErrorStats = z.infer<ReturnType<typeof errorStatsSchema>>;

export const validationSchema = once(() =>
  z.strictObject({
    families: z.partialRecord(kernelFamilySchema(), errorStatsSchema()),
    mape: nonNegative(),
    maxAbsPctError: nonNegative(),
  }),
);
export type Validation = z.infer<ReturnType<typeof validationSchema>>;

export const profileSchema = once(() =>
  z
    .strictObject({
      $schema: z.string().optional(),
      schemaVersion: z.literal(PROFILE_SCHEMA_VERSION),
      toolVersion: z.string().min(1),
      createdAt: z.iso.datetime({offset: true}),
      kind: z.enum(['device', 'preset']),
      hardware: z.string().min(1).optional().describe('Hardware preset id (kind = preset).'),
      device: fingerprintSchema().optional().describe('The machine that was measured (kind = device).'),
      peaks: peaksSchema()
        .optional()
        .describe('Device: fitted from the micro-benchmarks. Preset: omitted → the datasheet peaks.'),
      families: z.record(kernelFamilySchema(), familyEfficiencySchema()),
      implementations: z
        .partialRecord(z.enum(IMPLS), implementationEfficiencySchema())
        .optional()
        .describe(
          "Per kernel implementation (--impl); one that is absent runs at its family's efficiencies.",
        ),
      transfer: transferSchema().optional(),
      samples: z.array(sampleSchema()).optional(),
      validation: validationSchema().optional(),
    })
    .superRefine((profile, ctx) => {
      if (profile.kind === 'preset' && profile.hardware === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['hardware'],
          message: 'a preset profile names its hardware preset id',
        });
      }
      if (profile.kind === 'device' && profile.device === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['device'],
          message: 'a device profile records the device fingerprint',
        });
      }
      if (profile.kind === 'device' && profile.peaks === undefined) {
        ctx.addIssue({code: 'custom', path: ['peaks'], message: 'a device profile records the fitted peaks'});
      }
    }),
);
export type Profile = z.infer<ReturnType<typeof profileSchema>>;
export type ProfileInput = z.input<ReturnType<typeof profileSchema>>;

/** Effective throughputs per kernel family, as the roofline consumes them. */
export interface FamilyRates {
  matrixFlopsPerSec: number;
  vectorFlopsPerSec: number;
  bytesPerSec: number;
  launchSeconds: number;
  /** Backward matrix rate; omitted = matrixFlopsPerSec. */
  backwardMatrixFlopsPerSec?: number;
  /** Host time per launch; overlaps the device work (a component takes max(device, host)). */
  hostSeconds?: number;
  /** Per-tile fixed work, in key-block steps (tiled kernels). */
  tileOverheadSteps?: number;
  /** Softmax overlapped with the matrix products (max) or serial with them (sum); default overlapped. */
  overlapsSoftmax?: boolean;
  /**
   * Thread blocks that run at once (SMs × the implementation's blocks per SM): tiled kernels are
   * scheduled over this many slots.
   */
  slots?: number;
  /** Unequal tiles are handed out longest first (FA3's causal scheduler), not in grid order. */
  longestFirst?: boolean;
}
export type DeviceRates = Record<KernelFamily, FamilyRates>;

/**
 * Effective rates = peak × efficiency, per family. `peaks` is the profile's own (device) or the
 * hardware preset's datasheet figures for the dtype in use (preset).
 */
export function ratesFromProfile(
  profile: Pick<Profile, 'families' | 'implementations'>,
  peaks: {matrix: number; vector: number; bandwidth: number},
  /** `slots`: the device's SMs. */
  device: {impls?: ImplChoice; slots?: number} = {},
): DeviceRates {
  const rates = {} as DeviceRates;
  for (const family of KERNEL_FAMILIES) {
    const f = profile.families[family];
    rates[family] = {
      matrixFlopsPerSec: peaks.matrix * f.matrixEfficiency,
      vectorFlopsPerSec: peaks.vector * f.vectorEfficiency,
      bytesPerSec: peaks.bandwidth * f.memoryEfficiency,
      launchSeconds: f.launchSeconds,
      ...(device.slots !== undefined ? {slots: device.slots} : {}),
    };
  }
  for (const [family, impl] of Object.entries(device.impls ?? {}) as [KernelFamily, Impl][]) {
    const e = profile.implementations?.[impl];
    if (!e) continue;
    rates[family] = {
      matrixFlopsPerSec: peaks.matrix * e.matrixEfficiency,
      backwardMatrixFlopsPerSec: peaks.matrix * (e.backwardMatrixEfficiency ?? e.matrixEfficiency),
      vectorFlopsPerSec: peaks.vector * (e.vectorEfficiency ?? profile.families[family].vectorEfficiency),
      bytesPerSec: peaks.bandwidth * e.memoryEfficiency,
      launchSeconds: e.launchSeconds,
      hostSeconds: e.hostSeconds,
      tileOverheadSteps: e.tileOverheadSteps,
      overlapsSoftmax: IMPL_DEFS[impl].overlapsSoftmax,
      longestFirst: IMPL_DEFS[impl].longestFirst,
      ...(device.slots !== undefined ? {slots: device.slots * IMPL_DEFS[impl].ctasPerSm} : {}),
    };
  }
  return rates;
}
