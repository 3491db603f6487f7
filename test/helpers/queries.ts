/**
 * The queries as the command line runs them: flags → scenario → resolved scenario → query, so
 * that query tests state their inputs the way users type them.
 */
import {resolveFlags, type ScenarioFlags} from '../../src/cli/scenario.js';
import {DEFAULT_HARDWARE} from '../../src/hardware.js';
import {DEFAULT_VARIANTS, runCompare} from '../../src/queries/compare.js';
import {runCost} from '../../src/queries/cost.js';
import {type CrossoverMetric, runCrossover} from '../../src/queries/crossover.js';
import {runLatency} from '../../src/queries/latency.js';
import {runMaxSeq, type Solve} from '../../src/queries/max-seq.js';
import {runMemory} from '../../src/queries/memory.js';
import {runReport} from '../../src/queries/report.js';
import {runSweep, type SweepMetric, type SweepOver} from '../../src/queries/sweep.js';

export async function memoryQ(flags: ScenarioFlags) {
  return runMemory(await resolveFlags(flags));
}

export async function latencyQ(flags: ScenarioFlags) {
  return runLatency(await resolveFlags(flags));
}

export async function maxSeqQ(flags: ScenarioFlags & {solve?: string; 'max-latency'?: string; min?: string}) {
  const {solve, 'max-latency': maxLatency, min, ...rest} = flags;
  return runMaxSeq(await resolveFlags(rest), {solve: solve as Solve | undefined, maxLatency, min});
}

export async function reportQ(flags: ScenarioFlags) {
  return runReport(
    await resolveFlags(flags, {defaultVariants: DEFAULT_VARIANTS, defaultHardware: DEFAULT_HARDWARE}),
  );
}

export async function sweepQ(flags: ScenarioFlags & {metric?: string; over?: string; range?: string}) {
  const {metric, over, range, ...rest} = flags;
  const device =
    metric === 'latency' || (metric === 'memory' && rest.assumptions === 'textbook') || rest.hardware;
  const r = await resolveFlags(rest, {
    defaultVariants: DEFAULT_VARIANTS,
    defaultHardware: device ? ['h100-sxm'] : false,
  });
  return runSweep(r, {metric: metric as SweepMetric | undefined, over: over as SweepOver | undefined, range});
}

export async function crossoverQ(
  flags: ScenarioFlags & {a?: string; b?: string; metric?: string; range?: string},
) {
  const {a, b, metric, range, ...rest} = flags;
  const r = await resolveFlags(rest, {
    reheadOnWiden: true,
    defaultHardware: metric === 'latency' ? ['h100-sxm'] : false,
  });
  return runCrossover(r, {a, b, metric: metric as CrossoverMetric | undefined, range});
}

export async function costQ(flags: ScenarioFlags, opts: {breakdown: boolean} = {breakdown: false}) {
  return runCost(await resolveFlags(flags, {defaultHardware: false}), opts);
}

export async function compareQ(flags: ScenarioFlags, opts: {baseline: string; breakdown: boolean}) {
  return runCompare(
    await resolveFlags(flags, {defaultVariants: DEFAULT_VARIANTS, defaultHardware: false}),
    opts,
  );
}
