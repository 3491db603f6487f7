/**
 * Layer kinds of a plan (docs/layer-plans.md): each kind builds one layer group of its own —
 * attention (./attention.ts), Mamba-1 (../architectures/mamba.ts), Mamba-2 (./mamba2.ts), Gated
 * DeltaNet (./gated-deltanet.ts), a feed-forward alone (mlp) — and every per-layer quantity (parameters, FLOPs, cache, saved
 * activations) is then summed over the plan by the engine. Shared code never branches on a kind
 * beyond this table.
 */
import type {LayerKind, ModelPreset} from '../../schema/presets.js';
import {normsBlock} from '../architectures/layer.js';
import {mambaMixer} from '../architectures/mamba.js';
import type {LayerComponent, LayerGroup} from '../architectures/types.js';
import {groupLabel, type PlanGroup} from '../plan.js';
import type {ResolvedVariant} from '../types.js';
import type {Workload} from '../workload.js';
import {attentionLayer} from './attention.js';
import {groupFfn} from './ffn.js';
import {gatedDeltaNetMixer} from './gated-deltanet.js';
import {mamba2Mixer} from './mamba2.js';

/** A token mixer that is not attention: its components, weights, decode state and saved tensors. */
export interface Mixer {
  components: LayerComponent[];
  params: number;
  /** Fixed-size state per layer (whole batch) kept between decode steps; 0 in training. */
  cacheBytes: number;
  activationBytes: number;
  /** Steps per sequence: n, or 1 in decode. */
  tokens: number;
}

/** An mlp layer (Nemotron-H's '-' layers) has no token mixer: its norm and feed-forward only. */
function noMixer(_model: ModelPreset, w: Workload): Mixer {
  return {
    components: [],
    params: 0,
    cacheBytes: 0,
    activationBytes: 0,
    tokens: w.mode === 'decode' ? 1 : w.seq,
  };
}

type MixerBuilder = (model: ModelPreset, w: Workload) => Mixer;

/** The token mixer of each non-attention kind; null: none (the layer is its feed-forward). */
const MIXERS: Readonly<Record<Exclude<LayerKind, 'attention'>, MixerBuilder | null>> = {
  mamba: mambaMixer,
  mamba2: mamba2Mixer,
  'gated-deltanet': gatedDeltaNetMixer,
  mlp: null,
};

/**
 * A mixer layer: pre-norm and the mixer, then the group's feed-forward with its own norm (unless
 * 'none'); an mlp layer is one norm and the feed-forward.
 */
function mixerLayer(
  model: ModelPreset,
  g: PlanGroup,
  w: Workload,
  mixer: Mixer,
  hasMixer: boolean,
): LayerGroup {
  const ffn = groupFfn(model, g, mixer.tokens, w);
  const count = (hasMixer ? 1 : 0) + (g.mlp === 'none' ? 0 : 1);
  const norms = normsBlock(mixer.tokens, model.dModel, count, w, model.norm);
  return {
    label: groupLabel(g),
    repeat: g.repeat,
    tokens: mixer.tokens,
    components: [norms.component, ...mixer.components, ...ffn.components],
    params: mixer.params + ffn.params + norms.params,
    inactiveParams: ffn.inactiveParams,
    cacheBytes: mixer.cacheBytes,
    activationBytes: mixer.activationBytes + ffn.activationBytes + norms.activationBytes,
    inputBytes: w.batch * mixer.tokens * model.dModel * w.bytes,
  };
}

/**
 * One layer group of the plan. `override` (a plain --variant) replaces the attention of attention
 * groups only; Mamba and Gated DeltaNet groups keep their mixers.
 */
export function planLayerGroup(
  model: ModelPreset,
  g: PlanGroup,
  w: Workload,
  override: ResolvedVariant | undefined,
): LayerGroup {
  if (g.kind === 'attention') {
    const variant = override ?? g.variant!;
    // A group named after its own variant takes the new variant's name; a named one keeps its name.
    const label = !override
      ? groupLabel(g)
      : g.name === g.variant?.def.id
        ? `${override.label}${g.sinks ? ' + sinks' : ''}`
        : `${g.name} ${override.label}${g.sinks ? ' + sinks' : ''}`;
    return attentionLayer(model, g, w, variant, label);
  }
  const build = MIXERS[g.kind];
  return mixerLayer(model, g, w, (build ?? noMixer)(model, w), build !== null);
}
