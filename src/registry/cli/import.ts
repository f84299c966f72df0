/** `triguard registry import FILE [--rejects OUT]`: import a CSV or XLSX, write the reject file. */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import type { CliIo } from '../../cli/command.ts';
import type { Db } from '../../db/db.ts';
import { invalid } from '../../kernel/errors.ts';
import { formatOf } from '../../tabular/read.ts';
import { openRejectFile, type RejectFile } from '../import/reject-file.ts';
import { runImport } from '../import/run-import.ts';
import { registryContext } from '../service/context.ts';

export async function importCommand(
  db: Db,
  io: CliIo,
  file: string,
  rejectsPath: string | undefined,
): Promise<number> {
  const path = resolve(io.cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw invalid('cli.no_file', 'FILE', `文件不存在：${file}`, `no such file: ${file}`);
  }
  const out = resolve(io.cwd, rejectsPath ?? `${file}.rejects.csv`);
  let rejects: RejectFile | null = null;
  let lastReport = 0;
  const counts = await runImport(registryContext(db), SYSTEM_ACTOR, path, {
    fileName: basename(path),
    format: formatOf(path),
    // The reject file is created with the first rejected row, so a clean import leaves none.
    onReject: (r) => (rejects ??= openRejectFile(out)).write(r),
    onProgress: (c) => {
      if (c.rowsRead - lastReport >= 10_000) {
        lastReport = c.rowsRead;
        io.err(`import: ${c.rowsRead} rows read, ${c.imported} imported, ${c.rejected} rejected`);
      }
    },
  });
  await (rejects as RejectFile | null)?.close();
  io.err(
    `读取 ${counts.rowsRead} 行，导入 ${counts.imported} 行，拒绝 ${counts.rejected} 行 / ` +
      `rows read ${counts.rowsRead}, imported ${counts.imported}, rejected ${counts.rejected}` +
      (counts.rejected > 0 ? `; rejects: ${out}` : ''),
  );
  io.out(JSON.stringify({ ...counts, rejectsFile: counts.rejected > 0 ? out : null }));
  return counts.rejected > 0 ? 1 : 0;
}
