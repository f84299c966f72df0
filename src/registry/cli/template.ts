/** `triguard registry template OUT.xlsx`: write the published import template. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { CliIo } from '../../cli/command.ts';
import { writeTemplate } from '../import/template.ts';

export async function templateCommand(io: CliIo, file: string): Promise<number> {
  const path = resolve(io.cwd, file);
  const out = createWriteStream(path);
  await writeTemplate(out);
  if (!out.closed) await once(out, 'close');
  io.err(`导入模板已写入 / template written: ${path}`);
  return 0;
}
