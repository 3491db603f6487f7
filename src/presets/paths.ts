/**
 * Where the shipped data lives. The package root is the nearest directory above this module that
 * holds package.json, so it is found from the bundle (dist/attncap.js), the compiled tree
 * (dist/src/presets/paths.js) and the sources (src/presets/paths.ts) alike, wherever installed.
 */
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export type PresetKind = 'hardware' | 'models';

function findPackageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(dirname(start)); // not installed as a package: src/presets -> root
  }
}

/** Absolute path of the package root (the directory holding package.json, presets/, calibration/). */
export const packageRoot: string = findPackageRoot();

/** Absolute path of presets/hardware or presets/models. */
export function presetsDir(kind: PresetKind): string {
  return join(packageRoot, 'presets', kind);
}
