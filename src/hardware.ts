/**
 * Resolution of `--hardware` (presets, files, `local`) with what-if overrides into what the
 * capacity model needs: capacity and reserve, peaks for the dtype in use, and the expected
 * per-kernel-family rates from a calibration profile (SPEC §4.4, §4.5, §7).
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {InvalidInputError} from './errors.js';
import {idealRates, type Peaks} from './model/roofline.js';
import {loadHardware, loadHardwareFile} from './presets/load.js';
import {packageRoot} from './presets/paths.js';
import {matrixPeak} from './presets/peaks.js';
import {parseDataFile} from './presets/validate.js';
import type {Dtype, HardwarePreset} from './schema/presets.js';
import {type DeviceRates, type Profile, profileSchema, ratesFromProfile} from './schema/profile.js';
import {parseBandwidth, parseBytes, parseFlopsRate, parseFraction} from './units.js';

export const DEFAULT_HARDWARE = ['rtx-3090', 'a100-40gb', 'a100-80gb', 'h100-sxm'];
/** SPEC §4.4: default fraction of capacity kept free beyond the runtime reserve. */
export const DEFAULT_MEMORY_RESERVE = 0.1;

export interface HardwareFlags {
  hardware?: string[];
  'hardware-file'?: string;
  'peak-flops'?: string;
  bandwidth?: string;
  memory?: string;
  'memory-reserve'?: string;
  usable?: string;
  'memory-utilization'?: string;
  profile?: string;
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
  warnings: string[];
}

/** Dense matrix peak of a preset for a dtype (fallbacks: src/presets/peaks.ts), with a warning on fallback. */
function dtypePeak(hw: HardwarePreset, dtype: Dtype, warnings: string[]): number {
  const peak = matrixPeak(hw, dtype);
  if (peak.fallback) {
    warnings.push(
      `${hw.id} has no ${dtype} matrix peak: ${dtype} matrix products are costed at its ${peak.dtype} rate`,
    );
  }
  return peak.flopsPerSec;
}

/** The shipped efficiency profile of a preset: calibration/<id>.json, or calibration/default.json. */
const profiles = new Map<string, {profile: Profile; source: string}>();

export function presetProfile(id: string): {profile: Profile; source: string} {
  const hit = profiles.get(id);
  if (hit) return hit;
  const loaded = readPresetProfile(id);
  profiles.set(id, loaded);
  return loaded;
}

function readPresetProfile(id: string): {profile: Profile; source: string} {
  const own = join(packageRoot, 'calibration', `${id}.json`);
  const path = existsSync(own) ? own : join(packageRoot, 'calibration', 'default.json');
  const label = path.slice(packageRoot.length + 1);
  return {profile: parseDataFile(readFileSync(path, 'utf8'), label, profileSchema) as Profile, source: label};
}

function withOverrides(hw: HardwarePreset, flags: HardwareFlags): HardwarePreset {
  if (!flags.memory) return hw;
  const memoryBytes = parseBytes(flags.memory, 'memory');
  return {...hw, memoryBytes, memoryMarketedGB: memoryBytes / 2 ** 30};
}

export async function loadLocalProfile(
  path: string | undefined,
): Promise<{profile: Profile; source: string}> {
  // Loaded on demand: only `--hardware local` reads a device profile.
  const store = await import('./calibration/store.js');
  return store.loadProfileForPrediction(path);
}

/** One resolved device per `--hardware` (or `--hardware-file`), for the given compute dtype. */
export async function resolveHardware(
  flags: HardwareFlags,
  dtype: Dtype,
  defaults: string[] = DEFAULT_HARDWARE,
): Promise<ResolvedHardware[]> {
  const usable = flags['memory-utilization'] !== undefined ? 'memory-utilization' : 'usable';
  const reserve =
    flags[usable] !== undefined
      ? 1 - parseFraction(flags[usable] as string, usable, {allowOne: true})
      : flags['memory-reserve'] !== undefined
        ? parseFraction(flags['memory-reserve'], 'memory-reserve')
        : DEFAULT_MEMORY_RESERVE;
  const ids = flags['hardware-file']
    ? []
    : flags.hardware && flags.hardware.length > 0
      ? flags.hardware
      : defaults;
  const out: ResolvedHardware[] = [];
  const presets: HardwarePreset[] = flags['hardware-file'] ? [loadHardwareFile(flags['hardware-file'])] : [];
  for (const id of ids) {
    if (id === 'local') {
      out.push(await resolveLocal(flags, reserve));
      continue;
    }
    presets.push(loadHardware(id));
  }
  for (const preset of presets) {
    const hw = withOverrides(preset, flags);
    const warnings: string[] = [];
    const peaks: Peaks = {
      matrixFlopsPerSec: flags['peak-flops']
        ? parseFlopsRate(flags['peak-flops'], 'peak-flops')
        : dtypePeak(hw, dtype, warnings),
      vectorFlopsPerSec: hw.vectorFlopsPerSec,
      bandwidthBytesPerSec: flags.bandwidth
        ? parseBandwidth(flags.bandwidth, 'bandwidth')
        : hw.bandwidthBytesPerSec,
    };
    const {profile, source} = presetProfile(hw.id);
    out.push({
      id: hw.id,
      name: hw.name,
      memoryMarketedGB: hw.memoryMarketedGB,
      capacityBytes: hw.memoryBytes,
      runtimeReserveBytes: hw.runtimeReserveBytes,
      memoryReserveFraction: reserve,
      peaks,
      rates: ratesFromProfile(profile, {
        matrix: peaks.matrixFlopsPerSec,
        vector: peaks.vectorFlopsPerSec,
        bandwidth: peaks.bandwidthBytesPerSec,
      }),
      ideal: idealRates(peaks),
      profileSource: source,
      links: hw.links,
      warnings,
    });
  }
  return out;
}

async function resolveLocal(flags: HardwareFlags, reserve: number): Promise<ResolvedHardware> {
  const {profile, source} = await loadLocalProfile(flags.profile);
  if (!profile.peaks || !profile.device) {
    throw new InvalidInputError(`${source} is not a device profile`, {
      path: ['profile'],
      hint: 'Run attncap calibrate to measure this machine.',
    });
  }
  const peaks: Peaks = {
    matrixFlopsPerSec: flags['peak-flops']
      ? parseFlopsRate(flags['peak-flops'], 'peak-flops')
      : profile.peaks.matrixFlopsPerSec,
    vectorFlopsPerSec: profile.peaks.vectorFlopsPerSec,
    bandwidthBytesPerSec: flags.bandwidth
      ? parseBandwidth(flags.bandwidth, 'bandwidth')
      : profile.peaks.bandwidthBytesPerSec,
  };
  // CPU backends compute in host memory: the machine's memory is the capacity.
  const capacityBytes = flags.memory ? parseBytes(flags.memory, 'memory') : profile.device.memoryBytes;
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
