/**
 * oclif `command_not_found` hook: an unknown command is invalid input (exit 2) with the nearest
 * commands suggested, and under --json still exactly one JSON document on stdout (docs/design.md §2.2).
 */
import {Errors, type Hook} from '@oclif/core';
import {nearest} from '../../suggest.js';
import {SCHEMA_VERSION} from '../base.js';
import {routedArgv} from '../route.js';

const hook: Hook<'command_not_found'> = async opts => {
  const typed = opts.id.replaceAll(':', ' ');
  const commands = opts.config.commandIDs.map(id => id.replaceAll(':', ' '));
  const best = nearest(typed, commands);
  const message = `'${typed}' is not an attncap command${best.length > 0 ? `; did you mean '${best[0]}'?` : ''}`;
  const hint = 'Run attncap --help for the list of commands.';
  // oclif can drop the arguments after an odd id ('cost bytes: --json'): also read what the user typed.
  if ((opts.argv ?? []).includes('--json') || routedArgv().includes('--json')) {
    const envelope = {
      schemaVersion: SCHEMA_VERSION,
      command: typed,
      ok: false,
      error: {code: 'INVALID_INPUT', message, path: ['command'], hint},
    };
    process.stdout.write(`${JSON.stringify(envelope, null, 2)}\n`);
  } else {
    process.stderr.write(`attncap: ${message}\nhint: ${hint}\n`);
  }
  throw new Errors.ExitError(2);
};

export default hook;
