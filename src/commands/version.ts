import {BaseCommand, type Outcome} from '../cli/base.js';

export interface VersionRow {
  name: string;
  version: string;
  platform: string;
  arch: string;
  node: string;
}

/**
 * `attncap --version --json` (routed here by src/cli/route.ts): the version as one JSON document.
 * bin/run.js answers the same question without loading the bundle and prints the same document.
 */
export default class Version extends BaseCommand {
  static override summary = 'The attncap version, platform and Node version (also: --version).';
  static override hidden = true;
  static override examples = ['<%= config.bin %> --version', '<%= config.bin %> --version --json'];

  protected async compute(): Promise<Outcome<VersionRow>> {
    await this.parse(Version);
    const row: VersionRow = {
      name: 'attncap',
      version: this.config.version,
      platform: process.platform,
      arch: process.arch,
      node: process.version,
    };
    return {inputs: {}, results: [row], render: () => this.config.userAgent};
  }
}
