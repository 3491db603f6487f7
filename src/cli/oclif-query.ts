/**
 * `@oclif/core` as the query bundle sees it (scripts/bundle.ts, docs/startup.md): oclif's own
 * flags, args, errors and parser, with src/cli/query-command.ts for its `Command`. The commands'
 * source is the same in both bundles; only this module differs.
 */
export * as Args from '@oclif/core/args';
export * as Errors from '@oclif/core/errors';
export * as Flags from '@oclif/core/flags';
export {Command} from './query-command.js';
