/**
 * Shared fixtures of the variant tests: the docs' worked-example shape and component lookups.
 */
import type {AttentionInput, ComponentCost, CostField} from '../../src/model/types.js';
import {DETAILED_ACCOUNTING} from '../../src/model/types.js';

/**
 * The worked example of docs/variants/*.md: b = 1, n = m = 1024, h = h_kv = 12, d_h = d_v = 64,
 * d = 768, s = 2 bytes, prefill, detailed accounting — with any field overridden.
 */
export function input(over: Partial<AttentionInput> = {}): AttentionInput {
  return {
    batch: 1,
    queries: 1024,
    keys: 1024,
    queryOffset: 0,
    heads: 12,
    kvHeads: 12,
    headDim: 64,
    valueDim: 64,
    dModel: 768,
    causal: false,
    bytes: 2,
    kvBytes: 2,
    training: false,
    accounting: DETAILED_ACCOUNTING,
    ...over,
  };
}

/** The component of that name; throws listing the names there are. */
export function get(list: ComponentCost[], name: string): ComponentCost {
  const found = list.find(c => c.name === name);
  if (!found) throw new Error(`no component ${name} in ${list.map(c => c.name).join(', ')}`);
  return found;
}

/** A numeric field summed over components. */
export function total(list: ComponentCost[], field: CostField): number {
  return list.reduce((sum, c) => sum + c[field], 0);
}

/** The numeric fields of a component that must never shrink as the sequence grows. */
export const GROWING_FIELDS = [
  'macs',
  'vectorFlops',
  'readBytes',
  'writeBytes',
  'savedBytes',
  'transientBytes',
  'pairs',
] as const;

/** Component by component, no growing field of `after` is below `before` (same component list). */
export function noneShrinks(before: ComponentCost[], after: ComponentCost[]): boolean {
  return before.every((c, i) => GROWING_FIELDS.every(f => after[i][f] >= c[f]));
}
