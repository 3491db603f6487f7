/**
 * `attncap` with no command runs the default report (docs/design.md §2): a bare invocation, or one that
 * starts with a flag other than help/version, is routed to `report`. Under `--json`, help,
 * version and bare topics (`attncap presets --json`) are routed to the `help` and `version`
 * commands, so they print one JSON document like every other command (docs/json.md).
 */
const PASS_THROUGH = new Set(['--help', '-h', '--version', '-v', 'help']);
export const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h']);
const VERSION_ARGS = new Set(['--version', '-v', '--json']);
/** Topics: command groups that have no command of their own (package.json oclif.topics). */
const TOPICS = new Set(['presets', 'tokens']);

let last: readonly string[] = [];

/** The argument vector of the last routed invocation, as the user typed it. */
export function routedArgv(): readonly string[] {
  return last;
}

export function route(argv: readonly string[]): string[] {
  last = argv;
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  if (options.includes('--json')) {
    if (options.some(a => a === '--version' || a === '-v') && options.every(a => VERSION_ARGS.has(a)))
      return ['version', '--json'];
    const leading = leadingWords(options);
    if (options.some(a => HELP_FLAGS.has(a)) || (leading.length === 1 && TOPICS.has(leading[0])))
      return ['help', ...leading.filter(w => w !== 'help'), '--json'];
  }
  const first = argv[0];
  if (first === undefined || (first.startsWith('-') && !PASS_THROUGH.has(first))) return ['report', ...argv];
  return [...argv];
}

/** The command words before the first flag: `tokens image` of `tokens image --size 224x224`. */
function leadingWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  return words;
}
