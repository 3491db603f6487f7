/**
 * gpu.js backends (docs/design.md §7): detection, with the reason each unavailable one was skipped, and the
 * choice for `--backend auto|webgpu|headlessgl|webasm|cpu`. gpu.js (and the optional `gl` and
 * `webgpu` packages it can drive) is imported here dynamically, on demand: nothing a normal command
 * loads imports this module at its top level.
 *
 * `auto` takes the first that works of webgpu (compute shaders over storage buffers, gpu.js's
 * fastest), headlessgl (WebGL 1 through the `gl` package), webasm (WebAssembly with f32x4 SIMD,
 * on worker threads) and cpu (JavaScript). A backend counts as working only once a small smoke
 * kernel has run on it and matched the reference; one that fails is skipped with its error.
 */
import {arch, availableParallelism, cpus, platform, release, totalmem} from 'node:os';
import type {GPU} from 'gpu.js';
import {EnvironmentError, InvalidInputError} from '../errors.js';
import type {DeviceFingerprint} from '../schema/profile.js';
import {buildCase, type KernelOptions, seededRandom} from './kernels.js';
import {checkCase} from './reference.js';

export const BACKENDS = ['webgpu', 'headlessgl', 'webasm', 'cpu'] as const;
export type BackendId = (typeof BACKENDS)[number];
export const BACKEND_CHOICES = ['auto', 'headlessgl', 'webgpu', 'webasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** What detection found out about one backend. */
export interface BackendProbe {
  id: BackendId;
  available: boolean;
  /** Why it cannot be used (when not available). */
  reason?: string;
  /** GPU adapter or GL renderer, when known. */
  adapter?: string;
}

/** A live backend: a gpu.js instance in that mode. `release()` frees it (and lets Node exit). */
export interface BackendHandle {
  id: BackendId;
  gpu: GPU;
  /** How its kernels are called (WebGPU needs asyncMode; WebAssembly runs on one thread without it). */
  kernels: KernelOptions;
  adapter?: string;
  release(): Promise<void>;
}

/** Detection and opening of backends; injectable so the fallback logic is testable without gpu.js. */
export interface BackendDriver {
  probe(id: BackendId): Promise<BackendProbe>;
  open(id: BackendId): Promise<BackendHandle>;
}

export interface Selection {
  handle: BackendHandle;
  /** Every backend considered, in order, with the reason it was skipped. */
  probes: BackendProbe[];
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // node-bindings ends its first line with "Tried:" before listing paths.
  return text
    .split('\n')[0]
    .replace(/\s*Tried:$/, '')
    .trim();
}

/** Runs a tiny matrix product and attention on the backend and checks them (a wrong GPU is no GPU). */
export async function smokeTest(handle: BackendHandle): Promise<void> {
  const random = seededRandom(7);
  for (const spec of [
    {kernel: 'matmul', n: 64} as const,
    {kernel: 'standard', queries: 64, keys: 64, heads: 2, headDim: 16} as const,
  ]) {
    const c = buildCase(handle.gpu, spec, random, handle.kernels);
    try {
      for (const stage of c.stages) await stage.run();
      const check = checkCase(c);
      if (!check.ok) {
        throw new Error(
          `${spec.kernel} results differ from the reference by ${check.maxError.toExponential(2)}`,
        );
      }
    } finally {
      await c.destroy();
    }
  }
}

/**
 * Picks a backend. `auto`: the first of BACKENDS whose probe succeeds and whose smoke test passes;
 * EnvironmentError (exit 3) listing every reason when none does. An explicit choice that is not
 * available is an EnvironmentError with its reason and the ones that are.
 */
export async function selectBackend(
  choice: BackendChoice,
  driver: BackendDriver = gpuJsDriver(),
): Promise<Selection> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new InvalidInputError(
      `--backend '${choice}' is not a backend. Valid: ${BACKEND_CHOICES.join(', ')}`,
      {
        path: ['backend'],
      },
    );
  }
  const order: BackendId[] = choice === 'auto' ? [...BACKENDS] : [choice];
  const probes: BackendProbe[] = [];
  for (const id of order) {
    const probe = await driver.probe(id);
    if (!probe.available) {
      probes.push(probe);
      continue;
    }
    let handle: BackendHandle | undefined;
    try {
      handle = await driver.open(id);
      await smokeTest(handle);
      const adapter = handle.adapter ?? probe.adapter;
      probes.push({id, available: true, ...(adapter ? {adapter} : {})});
      return {handle, probes};
    } catch (error) {
      await handle?.release().catch(() => undefined);
      probes.push({
        id,
        available: false,
        reason: `failed its smoke test: ${firstLine(error)}`,
        ...(probe.adapter ? {adapter: probe.adapter} : {}),
      });
    }
  }
  const reasons = probes.map(p => `${p.id}: ${p.reason}`).join('; ');
  if (choice !== 'auto') {
    throw new EnvironmentError(`the ${choice} backend cannot run here (${reasons})`, {
      path: ['backend'],
      hint: 'Run attncap calibrate --backend auto to use the best backend that works (docs/calibration.md: enabling GPU backends).',
    });
  }
  throw new EnvironmentError(`no gpu.js backend can run on this machine (${reasons})`, {
    path: ['backend'],
    hint: 'gpu.js needs WebAssembly or at least its JavaScript (cpu) backend; reinstall attncap, and see docs/calibration.md.',
  });
}

/** The fingerprint a profile records of the machine and backend that were measured. */
export function fingerprint(handle: Pick<BackendHandle, 'id' | 'adapter'>): DeviceFingerprint {
  const cpu = cpus()[0];
  return {
    backend: handle.id,
    ...(handle.adapter ? {adapter: handle.adapter} : {}),
    cpuModel: cpu?.model.trim() || 'unknown CPU',
    cores: availableParallelism(),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    memoryBytes: totalmem(),
  };
}

/* ------------------------------------------------------------------ the real driver */

type GpuModule = typeof import('gpu.js');

let gpuModule: Promise<GpuModule> | undefined;

async function loadGpuJs(): Promise<GpuModule> {
  gpuModule ??= import('gpu.js').then(
    m => ((m as unknown as {default?: GpuModule}).default ?? m) as GpuModule,
  );
  return gpuModule;
}

interface WebGpuGlobal {
  navigator?: {gpu?: unknown};
}

/**
 * Node has no `navigator.gpu`: the optional `webgpu` package (Dawn) provides one. It is installed
 * on globalThis only while a webgpu backend is open, since a live Dawn instance keeps Node from
 * exiting.
 */
async function installWebGpu(): Promise<{adapter?: string; uninstall(): void}> {
  const dawn = (await import('webgpu' as string)) as {
    create(flags: string[]): unknown;
    globals: Record<string, unknown>;
  };
  const g = globalThis as unknown as WebGpuGlobal;
  const gpu = dawn.create([]) as {
    requestAdapter(): Promise<{info?: {vendor?: string; description?: string; architecture?: string}} | null>;
  };
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis))
      Object.defineProperty(globalThis, key, {value, configurable: true, writable: true});
  }
  const hadNavigator = g.navigator !== undefined;
  if (!hadNavigator)
    Object.defineProperty(globalThis, 'navigator', {value: {}, configurable: true, writable: true});
  Object.defineProperty(g.navigator as object, 'gpu', {value: gpu, configurable: true, writable: true});
  const uninstall = () => {
    if (g.navigator) delete (g.navigator as {gpu?: unknown}).gpu;
    if (!hadNavigator) delete (globalThis as {navigator?: unknown}).navigator;
  };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) {
    uninstall();
    throw new Error(
      'the webgpu package loaded but no WebGPU adapter is available (no Vulkan, Metal or D3D12 device)',
    );
  }
  const info = adapter.info;
  const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ').trim();
  return {adapter: name || undefined, uninstall};
}

/** The GL renderer of the context gpu.js probed headless-gl with, e.g. "ANGLE (NVIDIA …)". */
function glRenderer(module: GpuModule): string | undefined {
  const context = (
    module.HeadlessGLKernel as unknown as {testContext?: {RENDERER: number; getParameter(p: number): unknown}}
  ).testContext;
  const renderer = context?.getParameter(context.RENDERER);
  return typeof renderer === 'string' && renderer !== '' ? renderer : undefined;
}

/** The driver over the installed gpu.js. */
export function gpuJsDriver(): BackendDriver {
  return {
    async probe(id) {
      let module: GpuModule;
      try {
        module = await loadGpuJs();
      } catch (error) {
        return {id, available: false, reason: `gpu.js cannot be loaded: ${firstLine(error)}`};
      }
      const GPUClass = module.GPU;
      switch (id) {
        case 'cpu':
          return {id, available: true};
        case 'webasm':
          return GPUClass.isWebAssemblySupported
            ? {id, available: true}
            : {id, available: false, reason: 'this Node.js has no WebAssembly'};
        case 'headlessgl': {
          if (GPUClass.isHeadlessGLSupported) return {id, available: true, adapter: glRenderer(module)};
          let why = 'headless-gl could not create a WebGL context (no GPU driver or display?)';
          try {
            const {createRequire} = await import('node:module');
            createRequire(import.meta.url)('gl');
          } catch (error) {
            why = `the optional 'gl' package is not built (${firstLine(error)}); see docs/calibration.md to build it`;
          }
          return {id, available: false, reason: why};
        }
        case 'webgpu': {
          try {
            const installed = await installWebGpu();
            installed.uninstall();
            return {id, available: true, adapter: installed.adapter};
          } catch (error) {
            // `webgpu` is an optional dependency: absent after `npm install --omit=optional`, or
            // where npm could not install it.
            const notInstalled = /Cannot find (module|package) 'webgpu'/.test(firstLine(error));
            return {
              id,
              available: false,
              reason: notInstalled
                ? "the optional 'webgpu' package is not installed; see docs/calibration.md to add it"
                : `WebGPU is not available: ${firstLine(error)}`,
            };
          }
        }
      }
    },
    async open(id) {
      const {GPU: GPUClass} = await loadGpuJs();
      if (id === 'webgpu') {
        const installed = await installWebGpu();
        const gpu = new GPUClass({mode: 'webgpu'});
        return {
          id,
          gpu,
          kernels: {asyncMode: true},
          adapter: installed.adapter,
          release: async () => {
            await gpu.destroy();
            installed.uninstall();
          },
        };
      }
      const gpu = new GPUClass({mode: id});
      return {
        id,
        gpu,
        kernels: {asyncMode: id === 'headlessgl'},
        ...(id === 'headlessgl' ? {adapter: glRenderer(await loadGpuJs())} : {}),
        release: async () => {
          await gpu.destroy();
        },
      };
    },
  };
}
