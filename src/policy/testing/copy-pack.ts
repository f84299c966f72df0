/**
 * Tests edit a copy of a shipped pack: copy it to a temporary root, replace text in one of its
 * files, and learn the line the edit landed on, so assertions name the exact line without
 * hard-coding line numbers of the shipped YAML.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ROOT } from '../loader.ts';

export interface PackCopy {
  root: string;
  dir: string;
  /** Replaces the first occurrence of `from` (which must exist) and returns its 1-based line. */
  edit(file: string, from: string, to: string): Promise<number>;
  /** The 1-based line of the first occurrence of `text` in a file of the copy. */
  lineOf(file: string, text: string): Promise<number>;
  remove(): Promise<void>;
}

export async function copyPack(name: string, as: string = name): Promise<PackCopy> {
  const root = await mkdtemp(join(tmpdir(), 'triguard-pack-'));
  const dir = join(root, as);
  await cp(join(DEFAULT_ROOT, name), dir, { recursive: true });
  const lineOf = async (file: string, text: string) => {
    const content = await readFile(join(dir, file), 'utf8');
    const at = content.indexOf(text);
    if (at < 0) throw new Error(`${file} does not contain ${JSON.stringify(text)}`);
    return content.slice(0, at).split('\n').length;
  };
  return {
    root,
    dir,
    lineOf,
    async edit(file, from, to) {
      const line = await lineOf(file, from);
      const content = await readFile(join(dir, file), 'utf8');
      await writeFile(join(dir, file), content.replace(from, to));
      return line;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
