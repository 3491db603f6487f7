/**
 * write-file-atomic (temp file, fsync, rename: an interrupted write leaves the old file intact),
 * loaded on the first write rather than at start-up — most commands never write a file.
 */
import {createRequire} from 'node:module';

type WriteFileAtomic = typeof import('write-file-atomic').default;

let loaded: WriteFileAtomic | undefined;

export function writeFileAtomic(): WriteFileAtomic {
  loaded ??= createRequire(import.meta.url)('write-file-atomic') as WriteFileAtomic;
  return loaded;
}
