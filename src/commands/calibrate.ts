import {Flags} from '@oclif/core';
import {BACKEND_CHOICES, type BackendChoice} from '../calibration/backends.js';
import {renderCalibrate, stderrProgress} from '../calibration/render.js';
import {busyWarning, calibrate, PLAN_NAMES, type PlanName} from '../calibration/run.js';
import {resolveProfilePath} from '../calibration/store.js';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {forceFlag} from '../cli/flags.js';
import {checkOutputPath} from '../files.js';
import {warning} from '../scenario/warnings.js';

export default class Calibrate extends BaseCommand {
  static override summary =
    'Measure this machine with gpu.js kernels, fit its device model and write a calibration profile.';
  static override description =
    'Runs micro-benchmarks (matrix product, triad, row softmax, empty kernel, argument upload) and the attention kernels of standard, window, linear and perceiver cross-attention on the best gpu.js backend (or --backend), checks every result against a float64 reference before timing it, fits per-kernel-family throughputs of the roofline model, validates them on held-out sizes and writes the profile atomically. `--hardware local` and `bench` read it. See docs/calibration.md.';
  static override examples = [
    '<%= config.bin %> calibrate --quick',
    '<%= config.bin %> calibrate --backend webasm --profile ./my-machine.json',
    '<%= config.bin %> calibrate --json',
  ];
  static override flags = {
    quick: Flags.boolean({description: 'A short run (≤ 30 s on 2 cores): fewer and smaller sizes.'}),
    backend: Flags.string({
      description: 'gpu.js backend; auto takes the best that works (webgpu, headlessgl, webasm, cpu).',
      options: [...BACKEND_CHOICES],
      default: 'auto',
    }),
    profile: Flags.string({
      description: 'Profile file to write (default: <config dir>/attncap/profile.json).',
    }),
    plan: Flags.string({
      description: 'Size plan (tests use tiny).',
      options: [...PLAN_NAMES],
      hidden: true,
      exclusive: ['quick'],
    }),
    ...forceFlag,
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Calibrate);
    const plan = (flags.plan ?? (flags.quick ? 'quick' : 'full')) as PlanName;
    if (flags.profile === '') checkOutputPath('', {flag: 'profile'});
    const profilePath = resolveProfilePath(flags.profile);
    // Refuse a device, FIFO, link or directory before measuring for seconds, not after.
    checkOutputPath(profilePath, {flag: 'profile', force: flags.force});
    const warnings = busyWarning();
    const progress = stderrProgress();
    let result: Awaited<ReturnType<typeof calibrate>>;
    try {
      result = await calibrate({
        plan,
        backend: flags.backend as BackendChoice,
        profilePath,
        force: flags.force,
        toolVersion: this.config.version,
        progress: message => progress.update(`calibrate: ${message}`),
      });
    } finally {
      progress.done();
    }
    const {profile, ...row} = result;
    return {
      inputs: {backend: flags.backend, plan, profilePath},
      results: [{...row, device: profile.device}],
      warnings: warnings.map(m => warning('calibration', m)),
      render: ctx => renderCalibrate(result, ctx),
    };
  }
}
