/**
 * The small set of error classes that map to attncap's documented exit codes (docs/design.md §2.2):
 * 1 a check or capacity assertion failed, 2 invalid input, 3 environment. Anything else that
 * escapes a command is a bug and is reported as one.
 */
export type ErrorCode = 'INVALID_INPUT' | 'CHECK_FAILED' | 'ENVIRONMENT' | 'INTERNAL';

export interface ErrorDetails {
  /** Where the bad value sits, e.g. ['seq'] for a flag or ['checks', 2, 'expect'] in a file. */
  path?: (string | number)[];
  /** The way out: an example, the valid choices, or the command that fixes it. */
  hint?: string;
}

export abstract class AttncapError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly exitCode: number;
  readonly path: (string | number)[];
  readonly hint?: string;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.path = details.path ?? [];
    this.hint = details.hint;
  }
}

/** Bad flags, values, files or preset ids: exit 2. */
export class InvalidInputError extends AttncapError {
  readonly code = 'INVALID_INPUT' as const;
  readonly exitCode = 2;
}

/** A check or capacity assertion failed (`check`, `max-seq --min`): exit 1. */
export class CheckFailedError extends AttncapError {
  readonly code = 'CHECK_FAILED' as const;
  readonly exitCode = 1;
}

/** No usable calibration backend, unreadable or corrupt profile, unwritable file: exit 3. */
export class EnvironmentError extends AttncapError {
  readonly code = 'ENVIRONMENT' as const;
  readonly exitCode = 3;
}
