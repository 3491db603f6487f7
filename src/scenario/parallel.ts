/**
 * The scenario's `parallel` field resolved (docs/parallelism.md): degrees checked against the model
 * (`--tp 3` with 64 heads exits 2 naming the rule) and the links each device's replica talks over.
 * Errors name the flag (`--tp 3 …`); resolveScenario renames it for files and library calls.
 */
import {InvalidInputError} from '../errors.js';
import type {ResolvedHardware} from '../hardware.js';
import {
  LINK_LATENCY_SECONDS,
  type Link,
  type Parallelism,
  type Topology,
  tpUnits,
} from '../model/parallel.js';
import type {ModelPreset} from '../schema/presets.js';
import {parseBandwidth} from '../units.js';
import {type Warning, warning} from './warnings.js';

/** The `parallel` field with its counts parsed. */
export interface ParallelSpec {
  gpus?: number;
  tp?: number;
  pp?: number;
  cp?: number;
  ep?: number;
  microBatches?: number;
  nodes?: number;
  /** nvlink, pcie, or a bandwidth per GPU per direction. */
  interconnect?: string;
  /** Bandwidth per GPU between nodes: bytes/s, or a string with a unit. */
  network?: number | string;
}

/** Where a scenario's model runs: its degrees, GPUs, and the links of each device. */
export interface Placement {
  p: Parallelism;
  /** GPUs in all: tp · pp · cp · dp. */
  gpus: number;
  /** More than one GPU, or a degree above 1: memory and time are per GPU (docs/parallelism.md). */
  split: boolean;
  /** The links a replica talks over on `hw` (checked for the scenario's devices when resolved). */
  topology(hw: ResolvedHardware): Topology;
}

/** Whether the spec asks for more than one GPU (or a degree above 1). */
export function splits(p: Parallelism, gpus: number): boolean {
  return gpus > 1 || p.tp > 1 || p.pp > 1 || p.cp > 1 || p.ep > 1;
}

/** The spec resolved against the model and devices; throws InvalidInputError naming the flag. */
export function resolvePlacement(
  spec: ParallelSpec,
  model: ModelPreset,
  hardware: readonly ResolvedHardware[],
  warnings: Warning[],
): Placement {
  const {p, gpus} = resolveParallelism(spec, model, warnings);
  const topologies = new Map<ResolvedHardware, Topology>();
  for (const hw of hardware) topologies.set(hw, resolveTopology(spec, hw, gpus));
  return {
    p,
    gpus,
    split: splits(p, gpus),
    topology: hw => topologies.get(hw) ?? resolveTopology(spec, hw, gpus),
  };
}

/** Parallel degrees, checked against the model: `--tp 3` with 64 heads exits 2 naming the rule. */
export function resolveParallelism(
  spec: ParallelSpec,
  model: ModelPreset,
  warnings: Warning[],
): {p: Parallelism; gpus: number} {
  const pp = spec.pp ?? 1;
  const cp = spec.cp ?? 1;
  const ep = spec.ep ?? 1;
  const given = spec.gpus;
  let tp = spec.tp;
  if (tp === undefined) tp = given !== undefined && given % (pp * cp) === 0 ? given / (pp * cp) : 1;
  const gpus = given ?? tp * pp * cp;
  if (gpus % (tp * pp * cp) !== 0) {
    throw new InvalidInputError(
      `--gpus ${gpus} is not a multiple of --tp ${tp} × --pp ${pp} × --cp ${cp} = ${tp * pp * cp}: every replica needs all of its ranks`,
      {
        path: ['gpus'],
        hint: `Use --gpus ${tp * pp * cp} (one replica) or a multiple of it (data-parallel replicas).`,
      },
    );
  }
  const units = tpUnits(model);
  if (units.mixer && units.mixer.count % tp !== 0) {
    throw new InvalidInputError(
      `--tp ${tp} does not divide the ${units.mixer.count} ${units.mixer.what} of ${model.id}: each tensor-parallel rank holds whole ones`,
      {path: ['tp'], hint: `Valid: ${divisors(units.mixer.count).join(', ')}.`},
    );
  }
  if (units.attention) checkAttentionTp(units.attention, tp, model, warnings);
  if (pp > model.layers) {
    throw new InvalidInputError(
      `--pp ${pp} exceeds the ${model.layers} layers of ${model.id}: a stage holds at least one layer`,
      {
        path: ['pp'],
        hint: `Use --pp ${model.layers} or fewer.`,
      },
    );
  }
  if (ep > 1 && !model.moe) {
    throw new InvalidInputError(
      `--ep ${ep} needs a mixture-of-experts model; ${model.id} has no routed experts`,
      {path: ['ep'], hint: 'Drop --ep, or pick a mixture-of-experts model.'},
    );
  }
  if (model.moe && model.moe.experts % ep !== 0) {
    throw new InvalidInputError(
      `--ep ${ep} does not divide the ${model.moe.experts} routed experts of ${model.id}: each expert-parallel rank holds whole experts`,
      {path: ['ep'], hint: `Valid: ${divisors(model.moe.experts).join(', ')}.`},
    );
  }
  if (ep > 1 && ep % tp !== 0) {
    throw new InvalidInputError(
      `--ep ${ep} is not a multiple of --tp ${tp}: expert-parallel groups are whole tensor-parallel groups (ep = tp × data-parallel ranks)`,
      {path: ['ep'], hint: `Use --ep ${tp}, ${2 * tp}, … up to --gpus.`},
    );
  }
  if (ep > gpus) {
    throw new InvalidInputError(`--ep ${ep} exceeds --gpus ${gpus}: each expert-parallel rank is a GPU`, {
      path: ['ep'],
      hint: `Use --ep ${gpus} or fewer, or more GPUs.`,
    });
  }
  if (model.mla && tp > 1) {
    warnings.push(
      warning(
        'kv-heads-replicated',
        `${model.id} caches one shared latent per token (multi-head latent attention): every tensor-parallel rank keeps the whole cache`,
      ),
    );
  }
  const microBatches = spec.microBatches ?? pp;
  return {p: {tp, pp, cp, ep, dp: gpus / (tp * pp * cp), microBatches}, gpus};
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= n; k++) if (n % k === 0) out.push(k);
  return out;
}

/**
 * The links a replica talks over: `--interconnect nvlink|pcie|BANDWIDTH` inside a node (default:
 * the preset's NVLink where it has one), `--network BANDWIDTH` between nodes (default: the
 * preset's reference network), `--nodes` (default ⌈gpus / 8⌉).
 */
export function resolveTopology(spec: ParallelSpec, hw: ResolvedHardware, gpus: number): Topology {
  const nodes = spec.nodes ?? Math.ceil(gpus / 8);
  if (gpus % nodes !== 0) {
    throw new InvalidInputError(
      `--nodes ${nodes} does not divide --gpus ${gpus}: every node holds the same number of GPUs`,
      {
        path: ['nodes'],
        hint: `Use a divisor of ${gpus}.`,
      },
    );
  }
  const links = hw.links;
  if (gpus === 1 && !links && spec.interconnect === undefined) {
    // One GPU talks to no one: no link is ever costed.
    const none: Link = {kind: 'none', bytesPerSec: 1, latencySeconds: 0};
    return {fast: none, fastGpus: 1, host: none, gpusPerNode: 1, network: none, nodes: 1};
  }
  const choice = spec.interconnect ?? (links?.nvlinkBytesPerSec ? 'nvlink' : 'pcie');
  const needLinks = (what: string) =>
    new InvalidInputError(`${hw.id} states no ${what} bandwidth`, {
      path: ['interconnect'],
      hint: 'Give it with --interconnect BANDWIDTH (e.g. 450GB/s per GPU per direction), or add `links` to the hardware file.',
    });
  let fast: Link;
  let fastGpus = gpus / nodes;
  if (choice === 'nvlink') {
    if (!links?.nvlinkBytesPerSec) throw needLinks('NVLink');
    fast = {
      kind: 'nvlink',
      bytesPerSec: links.nvlinkBytesPerSec,
      latencySeconds: LINK_LATENCY_SECONDS.nvlink,
    };
    fastGpus = links.nvlinkGpus ?? fastGpus;
  } else if (choice === 'pcie') {
    if (!links) throw needLinks('PCIe');
    fast = {kind: 'pcie', bytesPerSec: links.pcieBytesPerSec, latencySeconds: LINK_LATENCY_SECONDS.pcie};
  } else {
    if (!/^[\d.]/.test(choice)) {
      throw new InvalidInputError(
        `--interconnect '${choice}' is not a link: use nvlink, pcie or a bandwidth`,
        {
          path: ['interconnect'],
          hint: 'e.g. --interconnect pcie, or --interconnect 450GB/s (per GPU, per direction).',
        },
      );
    }
    fast = {
      kind: 'custom',
      bytesPerSec: parseBandwidth(choice, 'interconnect'),
      latencySeconds: LINK_LATENCY_SECONDS.nvlink,
    };
  }
  const host: Link = links
    ? {kind: 'pcie', bytesPerSec: links.pcieBytesPerSec, latencySeconds: LINK_LATENCY_SECONDS.pcie}
    : fast;
  let network: Link = {
    kind: 'network',
    bytesPerSec: links?.networkBytesPerSec ?? 0,
    latencySeconds: LINK_LATENCY_SECONDS.network,
  };
  if (spec.network !== undefined)
    network = {
      ...network,
      bytesPerSec: typeof spec.network === 'number' ? spec.network : parseBandwidth(spec.network, 'network'),
    };
  if (nodes > 1 && !(network.bytesPerSec > 0)) {
    throw new InvalidInputError(`${hw.id} states no network between nodes, and --nodes ${nodes} needs one`, {
      path: ['network'],
      hint: 'Give it with --network BANDWIDTH per GPU (e.g. 50GB/s for 400 Gb/s NICs).',
    });
  }
  const gpusPerNode = gpus / nodes;
  return {fast, fastGpus: Math.min(fastGpus, gpusPerNode), host, gpusPerNode, network, nodes};
}

/** TP over attention: whole query heads per rank; KV heads split, or replicated whole (warned). */
function checkAttentionTp(
  {heads, kvHeads}: {heads: number; kvHeads: number},
  tp: number,
  model: ModelPreset,
  warnings: Warning[],
): void {
  if (heads % tp !== 0) {
    throw new InvalidInputError(
      `--tp ${tp} does not divide the ${heads} query heads of ${model.id}: each tensor-parallel rank holds whole heads`,
      {path: ['tp'], hint: `Valid: ${divisors(heads).join(', ')}.`},
    );
  }
  if (model.mla) {
    // No KV-head rule: the latent cache is not split by heads.
  } else if (tp > kvHeads) {
    if (tp % kvHeads !== 0) {
      throw new InvalidInputError(
        `--tp ${tp} is neither a divisor nor a multiple of the ${kvHeads} KV heads of ${model.id}: KV heads are split or replicated whole`,
        {
          path: ['tp'],
          hint: `Valid: ${divisors(heads)
            .filter(t => t % kvHeads === 0 || kvHeads % t === 0)
            .join(', ')}.`,
        },
      );
    }
    warnings.push(
      warning(
        'kv-heads-replicated',
        `${model.id} has ${kvHeads} KV heads, fewer than --tp ${tp}: each KV head is replicated on ${tp / kvHeads} ranks, so the KV cache per GPU shrinks only to 1/${kvHeads}`,
      ),
    );
  } else if (kvHeads % tp !== 0) {
    throw new InvalidInputError(
      `--tp ${tp} does not divide the ${kvHeads} KV heads of ${model.id}: each tensor-parallel rank holds whole KV heads`,
      {
        path: ['tp'],
        hint: `Valid: ${divisors(kvHeads).join(', ')} (or multiples of ${kvHeads} that divide ${heads}).`,
      },
    );
  }
}
