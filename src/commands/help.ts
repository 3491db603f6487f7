import {Args, Flags, Help as OclifHelp} from '@oclif/core';
import {BaseCommand, type Outcome} from '../cli/base.js';
import {InvalidInputError} from '../errors.js';
import {nearest} from '../suggest.js';

export interface HelpRow {
  /** The command or topic, words separated by spaces ('' for attncap itself). */
  subject: string;
  /** The help text, as `attncap SUBJECT --help` prints it. */
  text: string;
  /** For attncap itself and for topics (presets, tokens): the commands under it. */
  commands?: {command: string; summary: string}[];
}

/**
 * `attncap help [COMMAND]`: oclif's help for attncap, a topic or a command. Part of the bundle
 * (rather than the @oclif/plugin-help plugin) so start-up loads no plugin; a base command, so an
 * unknown subject is invalid input with a suggestion and `--json` gives the text in the envelope.
 */
export default class Help extends BaseCommand {
  static override summary = 'Display help for attncap, a topic or a command.';
  static override examples = [
    '<%= config.bin %> help',
    '<%= config.bin %> help max-seq',
    '<%= config.bin %> help tokens image',
  ];
  static override strict = false;
  static override args = {
    command: Args.string({description: 'Command or topic to show help for (words, e.g. tokens image).'}),
  };
  static override flags = {
    'nested-commands': Flags.boolean({char: 'n', description: 'Include all nested commands in the output.'}),
  };

  protected async compute(): Promise<Outcome<HelpRow>> {
    const {argv, flags} = await this.parse(Help);
    const words = (argv as string[]).filter(word => !word.startsWith('-'));
    const id = words.join(':');
    if (id !== '' && !this.config.findCommand(id) && !this.config.findTopic(id)) {
      const known = [...this.config.commandIDs, ...this.config.topics.map(t => t.name)].map(c =>
        c.replaceAll(':', ' '),
      );
      const best = nearest(words.join(' '), known);
      throw new InvalidInputError(
        `'${words.join(' ')}' is not an attncap command or topic${best.length > 0 ? `; did you mean '${best[0]}'?` : ''}`,
        {path: ['command'], hint: 'Run attncap help for the list of commands.'},
      );
    }
    // A topic (or attncap itself) lists what it contains, so a script need not parse the text.
    // Read before showHelp, which rewrites the ids of the commands it lists.
    const commands =
      id === '' || !this.config.findCommand(id)
        ? this.config.commands
            .filter(c => !c.hidden && (id === '' || c.id.startsWith(`${id}:`)))
            .map(c => ({command: c.id.replaceAll(':', ' '), summary: c.summary ?? ''}))
            .sort((a, b) => a.command.localeCompare(b.command))
        : undefined;
    const lines: string[] = [];
    // oclif's Help prints through log(); collect it so the base command prints (or wraps) it.
    const Capture = class extends OclifHelp {
      protected override log(...args: string[]): void {
        lines.push(args.join(' '));
      }
    };
    await new Capture(this.config, {all: flags['nested-commands']}).showHelp(words);
    const row: HelpRow = {subject: words.join(' '), text: lines.join('\n')};
    if (commands) row.commands = commands;
    return {inputs: {command: row.subject}, results: [row], render: () => row.text};
  }
}
