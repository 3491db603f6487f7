/**
 * `attncap crossover`: every sequence length in a range where design A and design B cost the
 * same, by FLOPs, peak memory or expected latency (docs/design.md §4.6), each refined to the token. A side
 * is an attention variant (on the current model) or an architecture such as `rnn`, `lstm`,
 * `gru` or `mamba`, built with the current model's d and layers. In the textbook profile the
 * FLOPs metric compares the leading-order terms with constant 1 (docs/design.md §5.1: attention n²·d vs
 * RNN n·d², crossing at n = d).
 */
import {InvalidInputError} from '../errors.js';
import {echoHardware, type ResolvedHardware} from '../hardware.js';
import {echoModel, echoWorkload} from '../inputs.js';
import {getArchitecture, listArchitectures} from '../model/architectures/index.js';
import {evaluate} from '../model/engine.js';
import {attentionShape, memoryOf} from '../model/memory.js';
import {crossings} from '../model/solvers.js';
import type {ResolvedVariant} from '../model/types.js';
import {getVariant, resolveVariant, VARIANT_IDS} from '../model/variants/index.js';
import {atSeq, type Workload} from '../model/workload.js';
import type {ResolvedScenario} from '../scenario/resolve.js';
import {uniqueWarnings, type Warning} from '../scenario/warnings.js';
import {type Architecture, type ModelPreset, modelPresetSchema} from '../schema/presets.js';
import {didYouMean} from '../suggest.js';
import {parseSeq} from '../units.js';
import {keepsCache, secondsOf} from './capacity.js';
import type {AccountingProfile} from './profiles.js';

export type CrossoverMetric = 'flops' | 'memory' | 'latency';

export interface CrossoverOptions {
  /** Side A: an attention variant spec or an architecture id (default standard). */
  a?: string;
  /** Side B (required). */
  b?: string;
  metric?: CrossoverMetric;
  /** START..END, e.g. 16..16M. */
  range?: string;
}

export interface CrossingPoint {
  n: number;
  a: number;
  b: number;
  /** The side that is cheaper just after the crossing ('tie' if they stay equal). */
  cheaperAfter: string;
}

export interface CrossoverRow {
  a: string;
  b: string;
  metric: CrossoverMetric;
  hardware: string | null;
  crossings: number[];
  points: CrossingPoint[];
  /** The side that is cheaper at the start of the range, or 'tie' where they cost the same. */
  cheaperAtStart: string;
}

export interface CrossoverQuery {
  inputs: Record<string, unknown>;
  rows: CrossoverRow[];
  range: [number, number];
  metric: CrossoverMetric;
  warnings: Warning[];
}

/** One side of the comparison: its label and its cost at n. */
interface Side {
  label: string;
  cost(n: number): number;
}

const NO_RESERVE = {capacityBytes: 1, runtimeReserveBytes: 0, memoryReserveFraction: 0};

function isArchitectureId(id: string): boolean {
  return listArchitectures().some(a => a.id === id) && !VARIANT_IDS.includes(id);
}

/** A model of another architecture with the current model's width and depth. */
export function sameSizeModel(model: ModelPreset, architecture: string): ModelPreset {
  const parsed = modelPresetSchema().safeParse({
    id: `${architecture}-d${model.dModel}`,
    name: `${architecture} with d ${model.dModel}, ${model.layers} layers (built from ${model.id})`,
    architecture,
    dModel: model.dModel,
    layers: model.layers,
    causal: model.causal,
    ...(model.vocab ? {vocab: model.vocab} : {}),
    sources: [{title: `attncap crossover: same d and layers as ${model.id}`}],
  });
  if (!parsed.success) {
    throw new InvalidInputError(
      `cannot build a ${architecture} model from ${model.id}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      {
        path: ['b'],
        hint: 'Compare with an attention variant instead, or give a model file of that architecture.',
      },
    );
  }
  return parsed.data;
}

function side(
  spec: string,
  flag: 'a' | 'b',
  model: ModelPreset,
  base: Omit<Workload, 'seq'>,
  metric: CrossoverMetric,
  profile: AccountingProfile,
  hw: ResolvedHardware | undefined,
): Side {
  const id = spec.split(':')[0].trim().toLowerCase();
  let m = model;
  let variant: ResolvedVariant | undefined;
  let leading: (n: number) => number;
  if (isArchitectureId(id)) {
    m = sameSizeModel(model, id);
    const arch = getArchitecture(id as Architecture);
    leading = n => arch.leadingOps(n, m);
  } else {
    if (!VARIANT_IDS.includes(id)) {
      const archIds = listArchitectures().map(a => a.id);
      const all = [...VARIANT_IDS, ...archIds];
      throw new InvalidInputError(
        `--${flag} '${spec}' is neither an attention variant nor an architecture${didYouMean(id, all)}`,
        {
          path: [flag],
          hint: `Variants: ${VARIANT_IDS.join(', ')}. Architectures: ${archIds.join(', ')}.`,
        },
      );
    }
    getVariant(id, flag);
    variant = resolveVariant(spec, flag);
    const v = variant;
    leading = n => v.def.leadingOps(n, model.dModel, v.params);
  }
  const label = variant?.label ?? id;
  if (metric === 'flops')
    return {label, cost: n => profile.crossoverFlops(m, atSeq(base, n), variant, leading)};
  if (metric === 'memory') {
    return {
      label,
      cost: n => {
        const w = atSeq(base, n);
        return memoryOf(
          evaluate(m, w, variant, {scoped: false}),
          w,
          NO_RESERVE,
          keepsCache(m, w),
          attentionShape(m),
        ).totalBytes;
      },
    };
  }
  const device = hw as ResolvedHardware;
  return {
    label,
    cost: n => {
      const w = atSeq(base, n);
      return secondsOf(evaluate(m, w, variant), w, device);
    },
  };
}

export function parseRange(text: string): [number, number] {
  const parts = text.split('..');
  if (parts.length !== 2) {
    throw new InvalidInputError(`--range '${text}' is not a range: write START..END, e.g. 16..16M`, {
      path: ['range'],
      hint: 'e.g. --range 16..16M',
    });
  }
  const lo = parseSeq(parts[0], 'range');
  const hi = parseSeq(parts[1].split(':')[0], 'range');
  if (hi <= lo) {
    throw new InvalidInputError(`--range '${text}' ends before it starts: END must be greater than START`, {
      path: ['range'],
      hint: 'e.g. --range 16..16M',
    });
  }
  return [lo, hi];
}

export function runCrossover(r: ResolvedScenario, opts: CrossoverOptions): CrossoverQuery {
  const {model, workload} = r;
  const metric = opts.metric ?? 'flops';
  const range = parseRange(opts.range ?? '16..16M');
  if (opts.b === undefined) {
    throw new InvalidInputError('crossover needs --b, the design to compare with --a', {
      path: ['b'],
      hint: 'e.g. attncap crossover --a standard --b rnn',
    });
  }
  const hardware = metric === 'latency' ? r.hardware : [];
  const rows: CrossoverRow[] = [];
  const devices: (ResolvedHardware | undefined)[] = hardware.length > 0 ? hardware : [undefined];
  for (const hw of devices) {
    const a = side(opts.a ?? 'standard', 'a', model, workload.base, metric, r.profile, hw);
    const b = side(opts.b, 'b', model, workload.base, metric, r.profile, hw);
    const diff = (n: number) => a.cost(n) - b.cost(n);
    const found = crossings(diff, range[0], range[1]);
    // A tie is nobody's win (docs/capacity.md "crossover").
    const cheaper = (d: number) => (d < 0 ? a.label : d > 0 ? b.label : 'tie');
    rows.push({
      a: a.label,
      b: b.label,
      metric,
      hardware: hw?.id ?? null,
      crossings: found,
      points: found.map(n => ({
        n,
        a: a.cost(n),
        b: b.cost(n),
        cheaperAfter: cheaper(diff(n) === 0 ? diff(n + 1) : diff(n)),
      })),
      cheaperAtStart: cheaper(diff(range[0])),
    });
  }
  return {
    rows,
    range,
    metric,
    warnings: uniqueWarnings(metric === 'latency' ? r.warnings : r.warnings.filter(w => !isDeviceWarning(w))),
    inputs: {
      model: {...echoModel(model), label: r.modelLabel},
      ...echoWorkload(workload),
      a: opts.a ?? 'standard',
      b: opts.b,
      metric,
      range: {from: range[0], to: range[1]},
      hardware: hardware.map(echoHardware),
    },
  };
}

function isDeviceWarning(w: Warning): boolean {
  return w.code === 'dtype-fallback' || w.code === 'default-calibration';
}
