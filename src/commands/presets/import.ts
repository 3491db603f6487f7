import {Args, Flags} from '@oclif/core';
import {BaseCommand, type Outcome} from '../../cli/base.js';
import {presetData} from '../../presets/catalog.js';
import {importModelFile} from '../../presets/load.js';
import {warning} from '../../scenario/warnings.js';
import type {ModelPreset} from '../../schema/presets.js';

export default class PresetsImport extends BaseCommand {
  static override summary = 'Print a model preset made from a Hugging Face config.json (nothing is written).';
  static override description =
    'Reads a local config.json (no network), maps its fields onto the model preset format and prints the ' +
    'preset as JSON, with the file as its source, ready to save as presets/models/<id>.json. Fields that ' +
    'change cost but that attncap does not model are warned about on stderr. Supported model types and the ' +
    'field mapping: docs/import.md. The same file works directly with --model-file.';
  static override examples = [
    '<%= config.bin %> presets import path/to/config.json',
    '<%= config.bin %> presets import path/to/config.json --id qwen3-8b > presets/models/qwen3-8b.json',
    '<%= config.bin %> presets import path/to/config.json --json',
  ];
  static override args = {
    file: Args.string({description: 'A Hugging Face config.json (or a model preset file).', required: true}),
  };
  static override flags = {
    id: Flags.string({
      description: 'The preset id (default: from the config, else the file or folder name).',
    }),
  };

  protected async compute(): Promise<Outcome<Omit<ModelPreset, '$schema'>>> {
    const {args, flags} = await this.parse(PresetsImport);
    const {preset, warnings} = importModelFile(args.file, flags.id);
    const data = presetData(preset);
    return {
      inputs: {file: args.file, id: flags.id ?? null},
      results: [data],
      warnings: warnings.map(message => warning('model-import', message)),
      render: () => JSON.stringify({$schema: '../../docs/schema/model-preset.json', ...data}, null, 2),
    };
  }
}
