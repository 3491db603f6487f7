/**
 * Resolution of `--hardware` (presets, files, `local`) with what-if overrides into what the
 * capacity model needs: capacity and reserve, peaks for the dtype in use, and the expected
 * per-kernel-family rates from a calibration profile (docs/design.md §4.4, §4.5, §7).
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {InvalidInputError} from './errors.js';
import {type DeviceGeneration, IMPL_DEFS, type Impl, type ImplChoice, resolveImpls} from './model/impl.js';
import {idealRates, type Peaks} from './model/roofline.js';
import {loadHardware, loadHardwareFile} from './presets/load.js';
import {packageRoot} from './presets/paths.js';
import {matrixPeak} from './presets/peaks.js';
import {prevalidated} from './presets/prevalidated.js';
import {parseDataFile} from './presets/validate.js';
import {type Warning, warning} from './scenario/warnings.js';
import type {Dtype, HardwarePreset} from './schema/presets.js';
import {type DeviceRates, type Profile, profileSchema, ratesFromProfile} from './schema/profile.js';

export const DEFAULT_HARDWARE = ['rtx-3090', 'a100-40gb', 'a100-80gb', 'h100-sxm'];
/** docs/design.md §4.4: default fraction of capacity kept free beyond the runtime reserve. */
export const DEFAULT_MEMORY_RESERVE = 0.1;

/** The devices of a scenario, with units already parsed (src/scenario/resolve.ts). */
export interface HardwareInput {
  /** Preset ids, or `local` (this machine's calibration profile). Default: the command's list. */
  ids?: string[];
  /** A hardware file, or a device given inline: used instead of preset ids. */
  file?: string;
  inline?: HardwarePreset;
  /** What-ifs applied to every device. */
  peakFlopsPerSec?: number;
  bandwidthBytesPerSec?: number;
  memoryBytes?: number;
  /** Fraction of capacity kept free beyond the runtime reserve (default 0.1). */
  memoryReserveFraction?: number;
  /** Calibration profile for `local`. */
  profilePath?: string;
  /** `--impl`: the attention kernel implementation (undefined: each device's default). */
  impl?: Impl;
}

export interface ResolvedHardware {
  id: string;
  name: string;
  /** Marketed memory in the vendor's GB (the textbook profile's capacity). */
  memoryMarketedGB: number;
  capacityBytes: number;
  /** CUDA/ROCm context, workspaces: taken before any tensor. */
  runtimeReserveBytes: number;
  /** `--memory-reserve` fraction of capacity kept free. */
  memoryReserveFraction: number;
  peaks: Peaks;
  /** Expected rates per kernel family (peaks × calibrated efficiencies). */
  rates: DeviceRates;
  /** The floor: peaks, η = 1, no launch overhead. */
  ideal: DeviceRates;
  /** Where the efficiencies come from. */
  profileSource: string;
  /** Multi-GPU links (docs/parallelism.md); undefined for `local` and files without them. */
  links?: HardwarePreset['links'];
  /** The kernel implementation each attention family runs as on this device (`--impl`). */
  impls?: ImplChoice;
  warnings: Warning[];
}

/** Dense matrix peak of a preset for a dtype (fallbacks: src/presets/peaks.ts), with a warning on fallback. */
function dtypePeak(hw: HardwarePreset, dtype: Dtype, warnings: Warning[]): number {
  const peak = matrixPeak(hw, dtype);
  if (peak.fallback) {
    warnings.push(
      warning(
        'dtype-fallback',
        `${hw.id} has no ${dtype} matrix peak: ${dtype} matrix products are costed at its ${peak.dtype} rate`,
      ),
    );
  }
  return peak.flopsPerSec;
}

/** The shipped efficiency profile of a preset: calibration/<id>.json, or calibration/default.json. */
const profiles = new Map<string, {profile: Profile; source: string; own: boolean}>();

export function presetProfile(id: string): {profile: Profile; source: string; own: boolean} {
  const hit = profiles.get(id);
  if (hit) return hit;
  const loaded = readPresetProfile(id);
  profiles.set(id, loaded);
  return loaded;
}

function readPresetProfile(id: string): {profile: Profile; source: string; own: boolean} {
  const ownPath = join(packageRoot, 'calibration', `${id}.json`);
  const own = existsSync(ownPath);
  const path = own ? ownPath : join(packageRoot, 'calibration', 'default.json');
  const label = path.slice(packageRoot.length + 1);
  const text = readFileSync(path, 'utf8');
  return {
    profile: (prevalidated(label, text) ?? parseDataFile(text, label, profileSchema())) as Profile,
    source: label,
    own,
  };
}

/**
 * What-if rates are held to a physical range (docs/limits.md): far beyond any device in either
 * direction, yet narrow enough that no time or rate computed from them overflows a double
 * (`--peak-flops 1e-308` would make every latency Infinity).
 */
export const WHAT_IF_RANGES = {
  'peak-flops': {min: 1e6, max: 1e21, unit: 'FLOP/s', low: '1M', high: '1000E'},
  bandwidth: {min: 1e6, max: 1e18, unit: 'B/s', low: '1MB/s', high: '1000PB/s'},
} as const;

/** A parsed what-if rate, refused (exit 2 naming the flag) outside its physical range. */
export function whatIfInRange(value: number, text: string, flag: keyof typeof WHAT_IF_RANGES): number {
  const range = WHAT_IF_RANGES[flag];
  if (value < range.min || value > range.max) {
    throw new InvalidInputError(
      `--${flag} '${text}' is ${value.toExponential(3)} ${range.unit}, outside the physical range ${range.low} to ${range.high} (${range.min}–${range.max} ${range.unit})`,
      {path: [flag], hint: 'The limits are in docs/limits.md.'},
    );
  }
  return value;
}

function withOverrides(hw: HardwarePreset, input: HardwareInput): HardwarePreset {
  if (input.memoryBytes === undefined) return hw;
  const memoryBytes = input.memoryBytes;
  return {...hw, memoryBytes, memoryMarketedGB: memoryBytes / 2 ** 30};
}

export async function loadLocalProfile(
  path: string | undefined,
): Promise<{profile: Profile; source: string}> {
  // Loaded on demand: only `--hardware local` reads a device profile.
  const store = await import('./calibration/store.js');
  return store.loadProfileForPrediction(path);
}

/** One resolved device per preset id (or the file / inline device), for the given compute dtype. */
export async function resolveHardware(
  input: HardwareInput,
  dtype: Dtype,
  defaults: string[] = DEFAULT_HARDWARE,
): Promise<ResolvedHardware[]> {
  const reserve = input.memoryReserveFraction ?? DEFAULT_MEMORY_RESERVE;
  const own = input.file !== undefined || input.inline !== undefined;
  const ids = own ? [] : input.ids && input.ids.length > 0 ? input.ids : defaults;
  const out: ResolvedHardware[] = [];
  const presets: HardwarePreset[] = [];
  if (input.file !== undefined) presets.push(loadHardwareFile(input.file));
  if (input.inline !== undefined) presets.push(input.inline);
  for (const id of ids) {
    if (id === 'local') {
      out.push(await resolveLocal(input, reserve));
      continue;
    }
    presets.push(loadHardware(id));
  }
  for (const preset of presets) {
    const hw = withOverrides(preset, input);
    const warnings: Warning[] = [];
    const peaks: Peaks = {
      matrixFlopsPerSec: input.peakFlopsPerSec ?? dtypePeak(hw, dtype, warnings),
      vectorFlopsPerSec: hw.vectorFlopsPerSec,
      bandwidthBytesPerSec: input.bandwidthBytesPerSec ?? hw.bandwidthBytesPerSec,
    };
    const {profile, source, own: calibrated} = presetProfile(hw.id);
    const impls = deviceImpls(hw, input.impl, profile, warnings);
    if (!calibrated) {
      warnings.push(
        warning(
          'default-calibration',
          `${hw.id} has no shipped efficiency profile: its latencies use ${source}, the generic efficiencies (docs/calibration-presets.md)`,
        ),
      );
    }
    out.push({
      id: hw.id,
      name: hw.name,
      memoryMarketedGB: hw.memoryMarketedGB,
      capacityBytes: hw.memoryBytes,
      runtimeReserveBytes: hw.runtimeReserveBytes,
      memoryReserveFraction: reserve,
      peaks,
      rates: ratesFromProfile(
        profile,
        {
          matrix: peaks.matrixFlopsPerSec,
          vector: peaks.vectorFlopsPerSec,
          bandwidth: peaks.bandwidthBytesPerSec,
        },
        {impls, slots: hw.streamingMultiprocessors},
      ),
      ideal: idealRates(peaks),
      profileSource: source,
      links: hw.links,
      impls,
      warnings,
    });
  }
  return out;
}

/**
 * The implementations a preset device runs: `--impl` for its family, the device default for the
 * other. An implementation that cannot run there exits 2 saying why; one without an efficiency
 * profile for the device runs at its family's efficiencies, with a warning.
 */
function deviceImpls(
  hw: HardwarePreset,
  chosen: Impl | undefined,
  profile: Profile,
  warnings: Warning[],
): ImplChoice {
  const gen: DeviceGeneration = {vendor: hw.vendor, computeCapability: hw.computeCapability};
  if (chosen !== undefined) {
    const why = IMPL_DEFS[chosen].unsupported(gen);
    if (why !== undefined) {
      throw new InvalidInputError(`--impl ${chosen} cannot run on ${hw.id} (${hw.name}): ${why}`, {
        path: ['impl'],
        hint: `Choose another implementation (${implsFor(gen).join(', ')} run on ${hw.id}) or another --hardware.`,
      });
    }
    if (profile.implementations?.[chosen] === undefined) {
      warnings.push(
        warning(
          'impl-uncalibrated',
          `${hw.id} has no efficiency profile for --impl ${chosen}: it is costed at the ${IMPL_DEFS[chosen].family} family's efficiencies`,
        ),
      );
    }
  }
  return resolveImpls(gen, chosen);
}

function implsFor(gen: DeviceGeneration): Impl[] {
  return (Object.keys(IMPL_DEFS) as Impl[]).filter(id => IMPL_DEFS[id].unsupported(gen) === undefined);
}

async function resolveLocal(input: HardwareInput, reserve: number): Promise<ResolvedHardware> {
  const {profile, source} = await loadLocalProfile(input.profilePath);
  if (!profile.peaks || !profile.device) {
    throw new InvalidInputError(`${source} is not a device profile`, {
      path: ['profile'],
      hint: 'Run attncap calibrate to measure this machine.',
    });
  }
  const peaks: Peaks = {
    matrixFlopsPerSec: input.peakFlopsPerSec ?? profile.peaks.matrixFlopsPerSec,
    vectorFlopsPerSec: profile.peaks.vectorFlopsPerSec,
    bandwidthBytesPerSec: input.bandwidthBytesPerSec ?? profile.peaks.bandwidthBytesPerSec,
  };
  // CPU backends compute in host memory: the machine's memory is the capacity.
  const capacityBytes = input.memoryBytes ?? profile.device.memoryBytes;
  return {
    id: 'local',
    name: `this machine (${profile.device.backend}: ${profile.device.adapter ?? profile.device.cpuModel})`,
    memoryMarketedGB: capacityBytes / 2 ** 30,
    capacityBytes,
    runtimeReserveBytes: 0,
    memoryReserveFraction: reserve,
    peaks,
    rates: ratesFromProfile(profile, {
      matrix: peaks.matrixFlopsPerSec,
      vector: peaks.vectorFlopsPerSec,
      bandwidth: peaks.bandwidthBytesPerSec,
    }),
    ideal: idealRates(peaks),
    profileSource: source,
    warnings: [],
  };
}

export function echoHardware(hw: ResolvedHardware): Record<string, unknown> {
  const {rates: _r, ideal: _i, warnings: _w, ...rest} = hw;
  return rest;
}
