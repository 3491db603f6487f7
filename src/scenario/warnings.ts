/**
 * Warnings: answers that stand but could mislead. Each has a stable `code` (scripts filter on
 * it) and a sentence for people; human output prints the sentence on stderr, `--json` carries
 * both in the envelope's `warnings`. Every code is listed in docs/warnings.md.
 */
export type WarningCode =
  | 'does-not-fit'
  | 'beyond-context'
  | 'context-capped'
  | 'non-causal-variant'
  | 'variant-scope'
  | 'variant-ignored'
  | 'dtype-fallback'
  | 'default-calibration'
  | 'impl-uncalibrated'
  | 'model-import'
  | 'calibration'
  | 'kv-heads-replicated';

export interface Warning {
  code: WarningCode;
  message: string;
}

export function warning(code: WarningCode, message: string): Warning {
  return {code, message};
}

/** Warnings without repeats (same code and message), in first-seen order. */
export function uniqueWarnings(list: readonly Warning[]): Warning[] {
  const seen = new Set<string>();
  const out: Warning[] = [];
  for (const w of list) {
    const key = `${w.code}\u0000${w.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(w);
  }
  return out;
}
