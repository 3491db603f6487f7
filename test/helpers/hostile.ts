/**
 * Hostile files for the fuzz suite (issue 16), made once in a temporary folder: special files
 * (devices, a FIFO, symbolic links, a directory), a file over 1 MiB, YAML alias bombs and
 * cycles, null and empty documents, duplicate keys, deep nesting, and names with control
 * characters. INPUTS are read by attncap; OUTPUTS are where it is asked to write (--junit);
 * `intact()` says whether the special files are still what they were (nothing replaced).
 */
import {spawnSync} from 'node:child_process';
import {lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'attncap-hostile-'));
const at = (name: string) => join(dir, name);
const write = (name: string, text: string | Buffer) => {
  writeFileSync(at(name), text);
  return at(name);
};

const fixture = (path: string) => fileURLToPath(new URL(`../../../test/fixtures/${path}`, import.meta.url));
const model = JSON.parse(readFileSync(fixture('models/hyena-small.json'), 'utf8')) as Record<string, unknown>;

const fifo = at('fifo');
const hasFifo = spawnSync('mkfifo', [fifo]).status === 0;
const folder = at('folder');
mkdirSync(folder);
const linkTarget = write('link-target.xml', 'previous');
symlinkSync(linkTarget, at('link.xml'));
symlinkSync('/dev/zero', at('link-to-zero.json'));

const capacity = (names: string[]) =>
  [
    'schemaVersion: 1',
    'defaults: {model: gpt2-small, hardware: h100-sxm}',
    'checks:',
    ...names.map(
      (name, i) => `  - {name: ${JSON.stringify(name)}, seq: ${512 * (i + 1)}, expect: {maxLatency: 5ms}}`,
    ),
  ].join('\n');

const laughs = ['a: &a [1,1,1,1,1,1,1,1,1,1]'];
for (const [k, prev] of [...'bcdefghi'].map((c, i) => [c, 'abcdefgh'[i]]))
  laughs.push(`${k}: &${k} [${Array(10).fill(`*${prev}`).join(',')}]`);

/** Paths attncap reads: --model-file, --hardware-file, --profile, check FILE. */
export const INPUTS: string[] = [
  '/dev/null',
  '/dev/zero',
  ...(hasFifo ? [fifo] : []),
  folder,
  at('link-to-zero.json'),
  write('big.json', Buffer.alloc(1024 * 1024 + 10, 0x20)),
  write('laughs.yaml', `${laughs.join('\n')}\n`),
  write('alias.yaml', 'schemaVersion: 1\nchecks: *nowhere\n'),
  write('cycle.yaml', 'a: &x [1, *x]\n'),
  write('null.yaml', '~\n'),
  write('null.json', 'null'),
  write('empty.yaml', ''),
  write('comments.yaml', '# only a comment\n'),
  write('dup.json', '{"id": "a", "id": "b"}'),
  write('deep.json', '['.repeat(100_000)),
  write('secret.json', 'token=s3cr3t\n'),
  write(
    'reuse.yaml',
    capacity(Array.from({length: 4}, (_, i) => `c${i}`)).replace(
      'defaults: {model: gpt2-small, hardware: h100-sxm}',
      'defaults: &d {model: gpt2-small, hardware: h100-sxm}\nextra: *d',
    ),
  ),
  write(
    'evil-names.yaml',
    capacity(['\u001b[31mred\u001b[0m', 'bell\u0007', 'nul\u0000 and\nnewline', 'bidi\u202eevil']),
  ),
  write(
    'evil-model.json',
    JSON.stringify({...model, id: 'evil-model', name: 'evil \u001b[2J\u001b]0;title\u0007 model'}),
  ),
];

/** Where attncap is asked to write (--junit). No FIFO: `--force` would then wait for a reader. */
export const OUTPUTS: string[] = ['/dev/null', folder, at('link.xml'), '', at('reports/out.xml')];

/** Whether the special files are still what they were: nothing replaced by a rename. */
export function intact(): string | undefined {
  if (!lstatSync('/dev/null').isCharacterDevice()) return '/dev/null is no longer a character device';
  if (hasFifo && !lstatSync(fifo).isFIFO()) return `${fifo} is no longer a FIFO`;
  if (!lstatSync(at('link.xml')).isSymbolicLink()) return 'the symbolic link was replaced';
  if (!lstatSync(folder).isDirectory()) return 'the folder was replaced';
  return undefined;
}
