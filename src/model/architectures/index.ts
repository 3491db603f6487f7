/**
 * Registry of architectures (docs/design.md §4.2). A model preset names its architecture; the engine
 * looks it up here. Shared code never branches on an architecture's id.
 */
import type {Architecture, ModelPreset} from '../../schema/presets.js';
import {kindsUsed} from '../plan.js';
import {hyenaArchitecture} from './hyena.js';
import {mambaArchitecture} from './mamba.js';
import {pacaVitArchitecture} from './paca-vit.js';
import {perceiverArchitecture, perceiverIoArchitecture} from './perceiver.js';
import {gruArchitecture, lstmArchitecture, rnnArchitecture} from './recurrent.js';
import {swinArchitecture} from './swin.js';
import {transformerArchitecture} from './transformer.js';
import type {ArchitectureDef} from './types.js';
import {vitArchitecture} from './vit.js';

// In the order of the preset schema's enum (ARCHITECTURES in src/schema/presets.ts).
const ARCHITECTURES: readonly ArchitectureDef[] = [
  transformerArchitecture,
  vitArchitecture,
  swinArchitecture,
  pacaVitArchitecture,
  perceiverArchitecture,
  perceiverIoArchitecture,
  rnnArchitecture,
  lstmArchitecture,
  gruArchitecture,
  mambaArchitecture,
  hyenaArchitecture,
];

const byId = new Map<string, ArchitectureDef>(ARCHITECTURES.map(a => [a.id, a]));

export function listArchitectures(): readonly ArchitectureDef[] {
  return ARCHITECTURES;
}

export function getArchitecture(id: Architecture): ArchitectureDef {
  const arch = byId.get(id);
  // Unreachable for validated presets: the schema's enum lists every architecture registered here.
  if (!arch) throw new Error(`architecture '${id}' is in the preset schema but not registered`);
  return arch;
}

/**
 * Whether `model` has attention layers, which a variant changes (docs/layer-plans.md): Mamba, RNN
 * and Hyena models have none, nor does a layer plan of Mamba-2 layers.
 */
export function hasAttentionLayers(model: ModelPreset): boolean {
  return getArchitecture(model.architecture).takesVariant && kindsUsed(model).has('attention');
}
