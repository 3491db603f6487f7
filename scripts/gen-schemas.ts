/**
 * Writes the JSON Schemas of attncap's data contracts to docs/schema/ (from their zod schemas):
 * one per command's JSON output, and the preset, profile and capacity-file formats.
 * `--check` writes nothing and exits 1 when a committed file differs (the drift gate in npm test).
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {z} from 'zod';
import {scenarioSchema} from '../src/scenario/schema.js';
import {capacityFileSchema} from '../src/schema/capacity.js';
import {envelopeSchema, RESULT_SCHEMAS} from '../src/schema/output.js';
import {hardwarePresetSchema, modelPresetSchema} from '../src/schema/presets.js';
import {profileSchema} from '../src/schema/profile.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'docs', 'schema');

function schemas(): Record<string, z.ZodType> {
  const files: Record<string, z.ZodType> = {
    'hardware-preset': hardwarePresetSchema(),
    'model-preset': modelPresetSchema(),
    profile: profileSchema(),
    'capacity-file': capacityFileSchema,
    scenario: scenarioSchema,
  };
  for (const [command, result] of Object.entries(RESULT_SCHEMAS)) {
    files[`output-${command.replaceAll(':', '-')}`] = envelopeSchema(command.replaceAll(':', ' '), result);
  }
  return files;
}

function render(schema: z.ZodType): string {
  return `${JSON.stringify(z.toJSONSchema(schema, {io: 'input', unrepresentable: 'any'}), null, 2)}\n`;
}

const check = process.argv.includes('--check');
const drift: string[] = [];
if (!check) mkdirSync(outDir, {recursive: true});
for (const [name, schema] of Object.entries(schemas())) {
  const path = join(outDir, `${name}.json`);
  const text = render(schema);
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) drift.push(`docs/schema/${name}.json`);
  } else writeFileSync(path, text);
}
if (drift.length > 0) {
  process.stderr.write(
    `JSON Schemas drifted from their zod sources: ${drift.join(', ')}\nRun \`npm run schemas\` and commit the result.\n`,
  );
  process.exit(1);
}
if (!check) process.stdout.write(`wrote ${outDir}\n`);
