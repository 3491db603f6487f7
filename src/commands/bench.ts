import {Flags} from '@oclif/core';
import {renderBench, stderrProgress} from '../calibration/render.js';
import {
  bench,
  busyWarning,
  checkBenchBudget,
  DEFAULT_BENCH_SEQ,
  DEFAULT_BENCH_VARIANTS,
  parseBenchVariant,
} from '../calibration/run.js';
import {readProfile, resolveProfilePath} from '../calibration/store.js';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {maxPointsFlag} from '../cli/flags.js';
import {warning} from '../scenario/warnings.js';
import {parseSeqList} from '../units.js';

export default class Bench extends BaseCommand {
  static override summary =
    'Run attention kernels on this machine and compare measured time with the calibrated prediction.';
  static override description =
    `Runs the gpu.js kernels of each variant at each sequence length on the backend the profile was measured on, and prints measured time (median, IQR), the time the profile predicts (the roofline over the variant's own cost model, plus gpu.js's transfer), the error, and the fitted exponent of time vs n: standard ≈ 2, window, linear and perceiver cross-attention ≈ 1. Variants: standard, window[:w=…], linear, perceiver[:latents=…]. Default: ${DEFAULT_BENCH_VARIANTS.join(', ')}; --seq ${DEFAULT_BENCH_SEQ}.`;
  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --variant standard --variant window:w=64 --seq 512..4k',
    '<%= config.bin %> bench --variant linear --seq 1k,4k,16k --json',
  ];
  static override flags = {
    variant: Flags.string({
      description: 'Variant to run: standard, window[:w=N], linear, perceiver[:latents=N] (repeatable).',
      multiple: true,
    }),
    seq: Flags.string({
      description: `Sequence lengths (default ${DEFAULT_BENCH_SEQ}): 512,1k,2k or 256..4k.`,
    }),
    profile: Flags.string({description: 'Calibration profile (default: the one attncap calibrate wrote).'}),
    ...maxPointsFlag,
  };

  protected async compute(): Promise<Outcome> {
    const {flags} = await this.parse(Bench);
    const variants = (flags.variant ?? DEFAULT_BENCH_VARIANTS).map(parseBenchVariant);
    const seqs = parseSeqList(flags.seq ?? DEFAULT_BENCH_SEQ, 'seq');
    checkBenchBudget(variants, seqs, flags['max-points']);
    const profilePath = resolveProfilePath(flags.profile);
    const profile = await readProfile(profilePath, flags.profile);
    const warnings = busyWarning();
    const progress = stderrProgress();
    let result: Awaited<ReturnType<typeof bench>>;
    try {
      result = await bench({
        variants,
        seqs,
        profile,
        progress: message => progress.update(`bench: ${message}`),
      });
    } finally {
      progress.done();
    }
    return {
      inputs: {
        variants: variants.map(v => v.label),
        seq: seqs,
        profilePath,
        backend: result.backend,
        heads: result.heads,
        headDim: result.headDim,
      },
      results: result.rows.map(row => ({
        ...row,
        predictedExponent: result.variants.find(v => v.variant === row.variant)?.predictedExponent ?? 0,
        drift: result.drift,
      })),
      warnings: [...warnings, ...result.warnings].map(m => warning('calibration', m)),
      render: ctx => renderBench(result, ctx),
    };
  }
}
