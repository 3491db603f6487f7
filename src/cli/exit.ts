/**
 * The exit code of what escaped a command (docs/json.md, "Exit codes"): commands print their own
 * errors, so this prints only oclif's errors outside a command and internal errors.
 */
import {Errors} from '@oclif/core';

export function exitCodeOf(error: unknown): number {
  if (error instanceof Errors.ExitError) return error.oclif.exit ?? 1;
  const exit = (error as {oclif?: {exit?: number}} | null)?.oclif?.exit;
  if (error instanceof Errors.CLIError && typeof exit === 'number') {
    // oclif's own errors outside a command (its config or hooks): message only, no stack.
    process.stderr.write(`attncap: ${error.message}\n`);
    return exit;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`attncap: internal error (this is a bug in attncap): ${message}\n`);
  if (process.env.ATTNCAP_STACK && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 70;
}
