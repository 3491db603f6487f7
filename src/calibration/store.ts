/**
 * Where calibration profiles live and how they are read and written (docs/design.md §7). Default:
 * `<config dir>/attncap/profile.json` (env-paths: $XDG_CONFIG_HOME or ~/.config on Linux,
 * ~/Library/Preferences on macOS, %APPDATA% on Windows); `--profile FILE` chooses another.
 * Reading validates strictly (zod); a missing, corrupt or foreign-version profile is an
 * EnvironmentError (exit 3) that says how to recalibrate. Writing is atomic (write-file-atomic:
 * temp file, fsync, rename), so an interrupted run — Ctrl-C included — leaves the previous profile
 * intact.
 */
import {mkdir, writeFile} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import envPaths from 'env-paths';
import {writeFileAtomic} from '../atomic.js';
import {EnvironmentError} from '../errors.js';
import {checkOutputPath, readDataFile} from '../files.js';
import {parseDataFile, parseDataText} from '../presets/validate.js';
import {PROFILE_SCHEMA_VERSION, type Profile, profileSchema} from '../schema/profile.js';

/** The default profile path: the user's config directory for attncap. */
export function defaultProfilePath(): string {
  return join(envPaths('attncap', {suffix: ''}).config, 'profile.json');
}

/** `--profile FILE` (resolved against the working directory) or the default path. */
export function resolveProfilePath(flag?: string): string {
  return flag ? resolve(flag) : defaultProfilePath();
}

function recalibrateHint(path: string, flag?: string): string {
  const where = flag ? ` --profile ${flag}` : '';
  return `Recalibrate this machine with: attncap calibrate${where} (writes ${path}).`;
}

/**
 * Reads and validates a profile. Missing file, unreadable file, syntax errors, schema violations
 * and another schemaVersion are all EnvironmentError, each with the way to recalibrate.
 */
export async function readProfile(path: string, flag?: string): Promise<Profile> {
  const hint = recalibrateHint(path, flag);
  // A device, FIFO, directory or file over 1 MiB is invalid input (exit 2, src/files.ts).
  const text = readDataFile(path, {
    noun: 'calibration profile',
    path: ['profile'],
    hint,
    openError: error =>
      error.code === 'ENOENT'
        ? new EnvironmentError(`no calibration profile at ${path}: this machine has not been calibrated`, {
            path: ['profile'],
            hint,
          })
        : new EnvironmentError(
            `cannot read the calibration profile ${path} (${error.code ?? error.message})`,
            {
              path: ['profile'],
              hint,
            },
          ),
  });
  const options = {errorClass: EnvironmentError, hint};
  const data = parseDataText(text, path, options);
  const version = (data as {schemaVersion?: unknown} | null)?.schemaVersion;
  if (data !== null && typeof data === 'object' && version !== PROFILE_SCHEMA_VERSION) {
    throw new EnvironmentError(
      `${path}: schemaVersion ${JSON.stringify(version ?? null)} is not a profile version this attncap reads (it reads ${PROFILE_SCHEMA_VERSION})`,
      {path: ['profile', 'schemaVersion'], hint},
    );
  }
  return parseDataFile(text, path, profileSchema(), options) as Profile;
}

/** The interface `--hardware local` uses (src/hardware.ts): the profile and where it came from. */
export async function loadProfileForPrediction(flag?: string): Promise<{profile: Profile; source: string}> {
  const path = resolveProfilePath(flag);
  return {profile: await readProfile(path, flag), source: path};
}

export interface WriteHooks {
  /** Called once the temporary file exists, before it is written and renamed (tests simulate failures here). */
  tmpfileCreated?: (tmpfile: string) => void | Promise<void>;
  /** --force: write into a device or FIFO, or through a symbolic link (src/files.ts rules). */
  force?: boolean;
}

/**
 * Validates and writes a profile atomically. The directory is created if needed. Errors (no
 * permission, disk full) are EnvironmentError naming the path; the previous file is untouched.
 */
export async function writeProfile(path: string, profile: Profile, hooks: WriteHooks = {}): Promise<void> {
  const checked = profileSchema().parse(profile);
  const text = `${JSON.stringify(checked, null, 2)}\n`;
  // Regular files only (a refused path is exit 2); calibrate checks this before it measures, too.
  const mode = checkOutputPath(path, {flag: 'profile', force: hooks.force});
  try {
    if (mode === 'stream') {
      await writeFile(path, text);
      return;
    }
    await mkdir(dirname(path), {recursive: true});
    await writeFileAtomic()(path, text, {
      encoding: 'utf8',
      fsync: true,
      tmpfileCreated: hooks.tmpfileCreated,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EnvironmentError(
      `cannot write the calibration profile ${path} (${code ?? (error as Error).message}); the previous profile, if any, is unchanged`,
      {path: ['profile'], hint: 'Choose a writable location with --profile FILE.'},
    );
  }
}
