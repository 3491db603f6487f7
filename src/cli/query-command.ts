/**
 * oclif's `Command` as the query bundle has it (src/cli/oclif-query.ts, docs/startup.md): the
 * members a query command uses — construction, `_run` (init, run, catch, finally), `parse` with
 * oclif's own parser and `--json` flag, `jsonEnabled` — without oclif's Config, help, ux and
 * logger modules, which a query never calls but which oclif's command module loads. Each member
 * does what oclif's does (@oclif/core lib/command.js); test/cli/bundle.test.ts holds the query
 * bundle to the full CLI byte for byte, results and errors alike.
 */
import type {Interfaces} from '@oclif/core';
import {boolean} from '@oclif/core/flags';
import {parse} from '@oclif/core/parser';

/** oclif's Config members a query reads (src/cli/direct.ts builds them). */
interface QueryConfig {
  bin: string;
  scopedEnvVar(key: string): string | undefined;
  scopedEnvVarKeys(key: string): string[];
}

/** A closed stdout (`attncap … | head`) is not an error; oclif's command module does the same. */
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err?.code === 'EPIPE') return;
  throw err;
});

/** oclif's global `--json` flag (lib/util/aggregate-flags.js). */
const json = boolean({description: 'Format output as json.', helpGroup: 'GLOBAL'});

export abstract class Command {
  static id: string | undefined;
  static summary?: string;
  static description?: string;
  static examples?: unknown[];
  static flags: Interfaces.FlagInput = {};
  static baseFlags: Interfaces.FlagInput = {};
  static args: Interfaces.ArgInput = {};
  static enableJsonFlag = false;
  static strict = true;
  static hidden?: boolean;

  id: string | undefined;

  constructor(
    public argv: string[],
    public config: QueryConfig,
  ) {
    this.id = this.ctor.id;
  }

  protected get ctor(): typeof Command {
    return this.constructor as typeof Command;
  }

  abstract run(): Promise<unknown>;

  async _run(): Promise<unknown> {
    let err: Error | undefined;
    let result: unknown;
    try {
      for (const key of this.config.scopedEnvVarKeys('REDIRECTED')) delete process.env[key];
      await this.init();
      result = await this.run();
    } catch (error) {
      err = error as Error;
      await this.catch(err);
    } finally {
      await this.finally(err);
    }
    // oclif would print a returned value under --json; attncap's commands print their own envelope
    // and return nothing (src/cli/base.ts).
    return result;
  }

  async init(): Promise<void> {}

  async catch(err: Error): Promise<unknown> {
    process.exitCode = process.exitCode ?? (err as {exitCode?: number}).exitCode ?? 1;
    throw err;
  }

  async finally(_err: Error | undefined): Promise<unknown> {
    return undefined;
  }

  /** `--json` before any `--`, or ATTNCAP_CONTENT_TYPE=json, on a command that has the flag. */
  jsonEnabled(): boolean {
    if (!this.ctor.enableJsonFlag) return false;
    if (this.config.scopedEnvVar('CONTENT_TYPE')?.toLowerCase() === 'json') return true;
    const end = this.argv.indexOf('--');
    const at = this.argv.indexOf('--json');
    return at !== -1 && (end === -1 || at < end);
  }

  async parse(options: typeof Command = this.ctor, argv: string[] = this.argv) {
    const flags = {...options.baseFlags, ...options.flags};
    this.argv = [...argv];
    const results = await parse(argv, {
      context: this,
      ...options,
      flags: options.enableJsonFlag ? {json, ...flags} : flags,
      // oclif's parser hands its context to flags' parse functions; attncap's read none of it.
    } as unknown as Interfaces.Input<Interfaces.FlagInput, Interfaces.FlagInput, Interfaces.ArgInput>);
    return results;
  }
}
