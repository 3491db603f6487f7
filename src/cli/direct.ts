/**
 * The query commands and how one starts without oclif's configuration (docs/startup.md, "How a
 * command starts"). A query uses nothing of oclif's Config but the parser, the `--json` flag and
 * the environment prefix; `Config.load` (package.json, manifest, theme, plugins) and oclif's
 * module graph are a large part of a query's start-up. bin/run.js runs these through the query
 * bundle (src/cli/query.ts); everything else goes through oclif (src/cli/main.ts).
 */
import {readFileSync} from 'node:fs';
import {QUERY_LOADERS} from './query-commands.js';
import {HELP_FLAGS} from './route.js';

/** Commands that start directly: the query commands. */
const DIRECT = new Set(Object.keys(QUERY_LOADERS));

/**
 * The id of a routed argument vector that starts directly, or undefined when it needs oclif:
 * help anywhere before `--`, topics, unknown commands, words after the command (`memory extra`,
 * which oclif reads as the command id `memory extra`), and `DEBUG` logging.
 */
export function directId(argv: readonly string[]): string | undefined {
  const [id, ...rest] = argv;
  if (id === undefined || !DIRECT.has(id) || process.env.DEBUG) return undefined;
  if (rest.length > 0 && !rest[0].startsWith('-')) return undefined;
  for (const arg of rest) {
    if (arg === '--') break;
    // oclif's `run` answers help itself, as a flag or a word.
    if (HELP_FLAGS.has(arg) || arg === 'help') return undefined;
  }
  return id;
}

/** The command class surface a direct start needs: oclif's `Command.run(argv, config)` without Config.load. */
export interface DirectCommandClass {
  id?: string;
  new (argv: string[], config: unknown): {_run(): Promise<unknown>};
}

/** Constructs `Cmd` as oclif's explicit discovery and `Command.run` would, and runs it (init, run, catch, finally). */
export async function runDirect(Cmd: DirectCommandClass, id: string, argv: readonly string[]): Promise<void> {
  Cmd.id = id;
  await new Cmd(argv.slice(1), directConfig())._run();
}

/** oclif's Config members read on a query command's path (src/commands/*, src/cli/query-command.ts). */
function directConfig() {
  const bin = 'attncap';
  const scopedEnvVarKeys = (k: string): string[] => [`${bin}_${k}`.toUpperCase()];
  const scopedEnvVar = (k: string): string | undefined =>
    process.env[scopedEnvVarKeys(k).find(key => process.env[key]) ?? ''];
  return {
    bin,
    binAliases: undefined,
    topicSeparator: ' ',
    theme: undefined,
    /** oclif's `attncap/0.1.0 linux-x64 node-v20.19.0`; the bundle's package.json is one folder up. */
    get userAgent(): string {
      let version = '';
      try {
        ({version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')));
      } catch {
        version = 'unknown';
      }
      return `${bin}/${version} ${process.platform}-${process.arch} node-${process.version}`;
    },
    scopedEnvVar,
    scopedEnvVarKey: (k: string): string => scopedEnvVarKeys(k)[0],
    scopedEnvVarKeys,
    scopedEnvVarTrue: (k: string): boolean => ['1', 'true'].includes(scopedEnvVar(k) ?? ''),
    runHook: async () => ({successes: [], failures: []}),
  };
}
