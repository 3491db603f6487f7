/**
 * The file-system rules of attncap (docs/limits.md):
 *
 * - Data files it reads (model, hardware, capacity, profile files) must be regular files of at
 *   most 1 MiB. Anything else — a device such as /dev/zero, a FIFO, a directory, a 50 MB file — is
 *   refused before it is read, so no input can exhaust the heap or block on a pipe. Errors name
 *   the path and the rule, never the file's contents.
 * - Files it writes (`--junit`, `calibrate --profile`) replace regular files only: a device, FIFO,
 *   socket or symbolic link is refused (exit 2) unless `--force`, a directory always. The write is
 *   atomic: a temporary file in the target's own folder, then a rename over the target.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {writeFileAtomic} from './atomic.js';
import {type AttncapError, InvalidInputError} from './errors.js';

/** The largest data file attncap reads: far above any real preset or capacity file (a few KiB). */
export const MAX_DATA_FILE_BYTES = 1024 * 1024;

/** What a file is, in words, for messages: 'a directory', 'a FIFO (named pipe)', … */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export interface ReadDataOptions {
  /** What the file is, for messages: 'model file', 'capacity file'. */
  noun: string;
  /** Where the bad value sits (the flag or file field that named the path). */
  path?: (string | number)[];
  /** The way out, shown under the message. */
  hint?: string;
  /** The error for a file that cannot be opened (missing, no permission); default: InvalidInputError naming the reason. */
  openError?: (error: NodeJS.ErrnoException) => AttncapError;
}

/** Why a path cannot be opened, in words. */
export function reason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

/**
 * The text of a data file, after checking that it is a regular file of at most 1 MiB. The file is
 * opened without blocking (a FIFO would otherwise wait for a writer) and read at most 1 MiB + 1
 * bytes, so even a file that grows while it is read cannot exceed the limit.
 */
export function readDataFile(file: string, options: ReadDataOptions): string {
  const details = {path: options.path ?? [], hint: options.hint};
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw (
      options.openError?.(error as NodeJS.ErrnoException) ??
      new InvalidInputError(`cannot read ${options.noun} '${file}': ${reason(error)}`, details)
    );
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new InvalidInputError(
        `${options.noun} '${file}' is ${fileKind(stats)}; attncap reads regular files only`,
        details,
      );
    }
    if (stats.size > MAX_DATA_FILE_BYTES) throw tooLarge(file, options, `${stats.size} bytes`);
    const buffer = Buffer.alloc(MAX_DATA_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_DATA_FILE_BYTES) throw tooLarge(file, options, 'more than 1 MiB');
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(file: string, options: ReadDataOptions, size: string): InvalidInputError {
  return new InvalidInputError(
    `${options.noun} '${file}' is ${size}; data files are limited to 1 MiB (${MAX_DATA_FILE_BYTES} bytes)`,
    {path: options.path ?? [], hint: options.hint},
  );
}

export interface OutputOptions {
  /** The flag that named the file, for messages: 'junit', 'profile'. */
  flag: string;
  /** --force: write into a device/FIFO, or through a symbolic link, instead of refusing. */
  force?: boolean;
}

/** How an output file will be written, once its path passed the rules. */
export type OutputMode = 'replace' | 'stream';

/**
 * Checks an output path before any work is done: absent or a regular file is replaced atomically
 * ('replace'); a directory is refused; a symbolic link, device, FIFO or socket is refused unless
 * `force` — then a link is followed (its target replaced atomically) and a special file written
 * into ('stream'). Refusals are InvalidInputError (exit 2) naming the path and the rule.
 */
export function checkOutputPath(file: string, options: OutputOptions): OutputMode {
  const subject = `--${options.flag} '${file}'`;
  const details = {
    path: [options.flag],
    hint: `Point --${options.flag} at a regular file (it is replaced atomically), e.g. --${options.flag} reports/out.xml.`,
  };
  if (file.trim() === '')
    throw new InvalidInputError(`--${options.flag} is empty: give a file path`, details);
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch {
    // Absent: created. Unreachable (a part of the path is a file, no permission): the write
    // fails and says why, as an environment error (exit 3).
    return 'replace';
  }
  if (stats.isSymbolicLink()) {
    if (!options.force) {
      throw new InvalidInputError(
        `${subject} is a symbolic link; attncap replaces only regular files (--force writes to the link's target)`,
        details,
      );
    }
    try {
      stats = statSync(file);
    } catch {
      return 'replace'; // a dangling link: its target is created (or the write says why not)
    }
  }
  if (stats.isFile()) return 'replace';
  if (stats.isDirectory())
    throw new InvalidInputError(`${subject} is a directory; give a file path, e.g. inside it`, details);
  if (!options.force) {
    throw new InvalidInputError(
      `${subject} is ${fileKind(stats)}; attncap replaces only regular files (--force writes into it)`,
      details,
    );
  }
  return 'stream';
}

/**
 * Writes an output file by the rules of checkOutputPath: atomically (write-file-atomic: a
 * temporary file beside the target, fsync, rename) for regular files, creating the folder; into
 * the file itself for a device or FIFO under --force. Throws InvalidInputError for a refused
 * path, and the file system's own error (the caller maps it to exit 3) for a failed write.
 */
export function writeOutputFile(file: string, text: string, options: OutputOptions): void {
  const mode = checkOutputPath(file, options);
  if (mode === 'stream') {
    writeFileSync(file, text);
    return;
  }
  mkdirSync(dirname(resolve(file)), {recursive: true});
  writeFileAtomic().sync(file, text, {fsync: true});
}
