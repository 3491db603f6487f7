/**
 * Shipped data files validated at build time (docs/startup.md). `npm run build` parses every
 * shipped preset and calibration profile with its zod schema and rules (scripts/prevalidate.ts) and
 * stores the result beside a copy of the file's text in dist/prevalidated/<the file's path>. A
 * command loading a shipped file whose text is unchanged takes the stored result instead of
 * parsing the file again; an edited, new or unbuilt file is parsed as usual, so the answer and
 * every error are the same either way.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {packageRoot} from './paths.js';

/** Where the build writes the results, under the package root. */
export const PREVALIDATED_DIR = join('dist', 'prevalidated');

/** What the build stored for one file: its text, and what parsing that text gave. */
export interface PrevalidatedEntry {
  text: string;
  value: unknown;
}

/**
 * The build's parse of the shipped file at `path` (relative to the package root, e.g.
 * presets/models/gpt2-small.json) when `text` is exactly what was validated; undefined otherwise.
 */
export function prevalidated(path: string, text: string): unknown {
  let entry: PrevalidatedEntry;
  try {
    entry = JSON.parse(readFileSync(join(packageRoot, PREVALIDATED_DIR, path), 'utf8'));
  } catch {
    return undefined; // not built, or not validated at build: parse the file
  }
  return entry.text === text ? entry.value : undefined;
}
