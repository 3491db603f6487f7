/**
 * The edge where flags stop: the parsed flags of a command → one scenario
 * (src/scenario/schema.ts). Nothing below the CLI sees a flag; a command passes the scenario to
 * `resolveScenario` with origin 'flags', so errors still name the flag the user typed.
 */
import {type ResolvedScenario, type ResolveOptions, resolveScenario} from '../scenario/resolve.js';
import type {Scenario} from '../scenario/schema.js';

/** The flags of src/cli/flags.ts as oclif hands them over (every value a string or boolean). */
export interface ScenarioFlags {
  model?: string;
  'model-file'?: string;
  'd-model'?: string;
  heads?: string;
  'kv-heads'?: string;
  'head-dim'?: string;
  layers?: string;
  'd-ff'?: string;
  vocab?: string;
  variant?: string[];
  seq?: string;
  batch?: string;
  dtype?: string;
  'kv-dtype'?: string;
  mode?: string;
  causal?: boolean;
  recompute?: string;
  scope?: string;
  hardware?: string[];
  'hardware-file'?: string;
  'peak-flops'?: string;
  bandwidth?: string;
  memory?: string;
  'memory-reserve'?: string;
  usable?: string;
  assumptions?: string;
  'flops-per-mac'?: string;
  'softmax-ops'?: string;
  'count-masked'?: boolean;
  profile?: string;
  'ignore-context'?: boolean;
  weights?: string;
  'embedding-weights'?: string;
  'kv-block'?: string;
  'memory-utilization'?: string;
  impl?: string;
  dropout?: string;
  gpus?: string;
  tp?: string;
  pp?: string;
  cp?: string;
  ep?: string;
  'micro-batches'?: string;
  nodes?: string;
  interconnect?: string;
  network?: string;
}

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

/** Maps flags to a scenario; oclif has checked the enumerated options already. */
export function scenarioFromFlags(flags: ScenarioFlags): Scenario {
  const s: Mutable<Scenario> = {};
  if (flags.model !== undefined) s.model = flags.model;
  if (flags['model-file'] !== undefined) s.modelFile = flags['model-file'];
  const overrides: NonNullable<Scenario['overrides']> = {};
  const o = overrides as Record<string, string>;
  if (flags['d-model'] !== undefined) o.dModel = flags['d-model'];
  if (flags.heads !== undefined) o.heads = flags.heads;
  if (flags['kv-heads'] !== undefined) o.kvHeads = flags['kv-heads'];
  if (flags['head-dim'] !== undefined) o.headDim = flags['head-dim'];
  if (flags.layers !== undefined) o.layers = flags.layers;
  if (flags['d-ff'] !== undefined) o.dFf = flags['d-ff'];
  if (flags.vocab !== undefined) o.vocab = flags.vocab;
  if (Object.keys(o).length > 0) s.overrides = overrides;
  if (flags.variant && flags.variant.length > 0) s.variant = flags.variant;
  if (flags.seq !== undefined) s.seq = flags.seq;
  if (flags.batch !== undefined) s.batch = flags.batch;
  if (flags.dtype !== undefined) s.dtype = flags.dtype as Scenario['dtype'];
  if (flags['kv-dtype'] !== undefined) s.kvDtype = flags['kv-dtype'] as Scenario['kvDtype'];
  if (flags.mode !== undefined) s.mode = flags.mode as Scenario['mode'];
  if (flags.causal !== undefined) s.causal = flags.causal;
  if (flags.recompute !== undefined) s.recompute = flags.recompute as Scenario['recompute'];
  if (flags.scope !== undefined) s.scope = flags.scope as Scenario['scope'];
  if (flags.hardware && flags.hardware.length > 0) s.hardware = flags.hardware;
  if (flags['hardware-file'] !== undefined) s.hardwareFile = flags['hardware-file'];
  const whatIf: NonNullable<Scenario['whatIf']> = {};
  const w = whatIf as Record<string, string>;
  if (flags['peak-flops'] !== undefined) w.peakFlops = flags['peak-flops'];
  if (flags.bandwidth !== undefined) w.bandwidth = flags.bandwidth;
  if (flags.memory !== undefined) w.memory = flags.memory;
  if (Object.keys(w).length > 0) s.whatIf = whatIf;
  if (flags['memory-reserve'] !== undefined) s.memoryReserve = flags['memory-reserve'];
  if (flags.usable !== undefined) s.usable = flags.usable;
  if (flags.assumptions !== undefined) s.assumptions = flags.assumptions as Scenario['assumptions'];
  const accounting: NonNullable<Scenario['accounting']> = {};
  if (flags['flops-per-mac'] !== undefined) accounting.flopsPerMac = Number(flags['flops-per-mac']) as 1 | 2;
  if (flags['softmax-ops'] !== undefined) accounting.softmaxOps = flags['softmax-ops'];
  if (flags['count-masked'] !== undefined) accounting.countMasked = flags['count-masked'];
  if (Object.keys(accounting).length > 0) s.accounting = accounting;
  if (flags.profile !== undefined) s.calibrationProfile = flags.profile;
  if (flags['ignore-context'] !== undefined) s.ignoreContext = flags['ignore-context'];
  if (flags.weights !== undefined) s.weights = flags.weights;
  if (flags['embedding-weights'] !== undefined) s.embeddingWeights = flags['embedding-weights'];
  if (flags['kv-block'] !== undefined) s.kvBlock = flags['kv-block'];
  if (flags['memory-utilization'] !== undefined) s.memoryUtilization = flags['memory-utilization'];
  if (flags.impl !== undefined) s.impl = flags.impl as Scenario['impl'];
  if (flags.dropout !== undefined) s.dropout = flags.dropout;
  const parallel: NonNullable<Scenario['parallel']> = {};
  const par = parallel as Record<string, string>;
  if (flags.gpus !== undefined) par.gpus = flags.gpus;
  if (flags.tp !== undefined) par.tp = flags.tp;
  if (flags.pp !== undefined) par.pp = flags.pp;
  if (flags.cp !== undefined) par.cp = flags.cp;
  if (flags.ep !== undefined) par.ep = flags.ep;
  if (flags['micro-batches'] !== undefined) par.microBatches = flags['micro-batches'];
  if (flags.nodes !== undefined) par.nodes = flags.nodes;
  if (flags.interconnect !== undefined) par.interconnect = flags.interconnect;
  if (flags.network !== undefined) par.network = flags.network;
  if (Object.keys(par).length > 0) s.parallel = parallel;
  return s;
}

/** Flags → scenario → resolved scenario: what every scenario command does first. */
export function resolveFlags(
  flags: ScenarioFlags,
  opts: Omit<ResolveOptions, 'origin'> = {},
): Promise<ResolvedScenario> {
  return resolveScenario(scenarioFromFlags(flags), {...opts, origin: {kind: 'flags'}});
}
