import test from 'ava';
import gpujs from 'gpu.js';
import {
  type BackendDriver,
  type BackendHandle,
  type BackendId,
  type BackendProbe,
  fingerprint,
  gpuJsDriver,
  selectBackend,
} from '../../src/calibration/backends.js';
import {EnvironmentError, InvalidInputError} from '../../src/errors.js';
import {fingerprintSchema} from '../../src/schema/profile.js';

/** A gpu stand-in whose kernels all return zeros: it fails every reference check. */
const WRONG_GPU = {
  createKernel: (_source: unknown, settings: {output: number[]}) => {
    const run = async () => {
      const [w, h] = settings.output;
      if (h === undefined) return new Float32Array(w);
      return Array.from({length: h}, () => new Float32Array(w));
    };
    return Object.assign(run, {destroy: async () => undefined});
  },
};

interface FakeBackend {
  probe: Omit<BackendProbe, 'id'>;
  /** 'ok': a real gpu.js cpu instance; 'wrong': wrong results; 'throws': open fails. */
  open?: 'ok' | 'wrong' | 'throws';
}

function fakeDriver(backends: Partial<Record<BackendId, FakeBackend>>, log: string[]): BackendDriver {
  return {
    async probe(id) {
      log.push(`probe ${id}`);
      const b = backends[id];
      return b ? {id, ...b.probe} : {id, available: false, reason: 'not installed'};
    },
    async open(id): Promise<BackendHandle> {
      log.push(`open ${id}`);
      const how = backends[id]?.open ?? 'ok';
      if (how === 'throws') throw new Error('context lost\nstack…');
      const gpu = how === 'ok' ? new gpujs.GPU({mode: 'cpu'}) : WRONG_GPU;
      return {
        id,
        gpu: gpu as unknown as gpujs.GPU,
        kernels: {asyncMode: false},
        adapter: how === 'ok' ? undefined : 'Fake GPU 9000',
        release: async () => {
          log.push(`release ${id}`);
          if (how === 'ok') await (gpu as gpujs.GPU).destroy();
        },
      };
    },
  };
}

test('auto: skips unavailable backends and ones that fail to open or compute wrongly, with their reasons', async t => {
  const log: string[] = [];
  const driver = fakeDriver(
    {
      webgpu: {probe: {available: true, adapter: 'Fake GPU 9000'}, open: 'wrong'},
      headlessgl: {probe: {available: true}, open: 'throws'},
      webasm: {probe: {available: false, reason: 'this Node.js has no WebAssembly'}},
      cpu: {probe: {available: true}},
    },
    log,
  );
  const {handle, probes} = await selectBackend('auto', driver);
  t.is(handle.id, 'cpu');
  await handle.release();
  t.deepEqual(probes, [
    {
      id: 'webgpu',
      available: false,
      reason: 'failed its smoke test: matmul results differ from the reference by 1.00e+0',
      adapter: 'Fake GPU 9000',
    },
    {id: 'headlessgl', available: false, reason: 'failed its smoke test: context lost'},
    {id: 'webasm', available: false, reason: 'this Node.js has no WebAssembly'},
    {id: 'cpu', available: true},
  ]);
  // Failed backends are released before the next one is tried.
  t.deepEqual(log, [
    'probe webgpu',
    'open webgpu',
    'release webgpu',
    'probe headlessgl',
    'open headlessgl',
    'probe webasm',
    'probe cpu',
    'open cpu',
    'release cpu',
  ]);
});

test('auto with nothing that runs: EnvironmentError (exit 3) listing every reason', async t => {
  const error = await t.throwsAsync(selectBackend('auto', fakeDriver({}, [])));
  t.true(error instanceof EnvironmentError);
  t.is((error as EnvironmentError).exitCode, 3);
  t.is(
    error?.message,
    'no gpu.js backend can run on this machine (webgpu: not installed; headlessgl: not installed; webasm: not installed; cpu: not installed)',
  );
});

test('an explicit backend that cannot run is an EnvironmentError with its reason; an unknown one is invalid input', async t => {
  const log: string[] = [];
  const error = await t.throwsAsync(
    selectBackend(
      'headlessgl',
      fakeDriver(
        {headlessgl: {probe: {available: false, reason: "the optional 'gl' package is not built"}}},
        log,
      ),
    ),
  );
  t.true(error instanceof EnvironmentError);
  t.is(
    error?.message,
    "the headlessgl backend cannot run here (headlessgl: the optional 'gl' package is not built)",
  );
  t.deepEqual(log, ['probe headlessgl']);
  const bad = await t.throwsAsync(selectBackend('opencl' as 'cpu', fakeDriver({}, [])));
  t.true(bad instanceof InvalidInputError);
  t.is(bad?.message, "--backend 'opencl' is not a backend. Valid: auto, headlessgl, webgpu, webasm, cpu");
});

test('the real driver: cpu always works; an unavailable backend gives a reason', async t => {
  const driver = gpuJsDriver();
  t.deepEqual(await driver.probe('cpu'), {id: 'cpu', available: true});
  for (const id of ['webgpu', 'headlessgl'] as const) {
    const probe = await driver.probe(id);
    if (!probe.available) t.true((probe.reason ?? '').length > 10, `${id}: ${probe.reason}`);
  }
  const handle = await driver.open('cpu');
  t.is(handle.id, 'cpu');
  await handle.release();
});

test('the fingerprint satisfies the profile schema', t => {
  const fp = fingerprint({id: 'webasm'});
  t.true(fingerprintSchema().safeParse(fp).success);
  t.is(fp.backend, 'webasm');
  t.is(fp.node, process.version);
  t.deepEqual(fingerprint({id: 'webgpu', adapter: 'NVIDIA H100'}).adapter, 'NVIDIA H100');
});
