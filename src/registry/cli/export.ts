/** `triguard registry export [--name N] [--region R] [--certno C] OUT.xlsx`. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import type { CliIo } from '../../cli/command.ts';
import type { Db } from '../../db/db.ts';
import { localDate } from '../../kernel/clock.ts';
import { exportPersons } from '../export/export-xlsx.ts';
import { criteriaSql, type SearchCriteria } from '../repo/criteria.ts';

export async function exportCommand(
  db: Db,
  io: CliIo,
  criteria: SearchCriteria,
  file: string,
): Promise<number> {
  // A bad search fails before the file is created.
  criteriaSql(SYSTEM_ACTOR.scope, criteria);
  const path = resolve(io.cwd, file);
  const out = createWriteStream(path);
  const month = localDate(new Date()).slice(0, 7);
  const result = await exportPersons(db, SYSTEM_ACTOR, criteria, month, out);
  if (!out.closed) await once(out, 'close');
  io.err(
    `导出 ${result.rows} 人 / exported ${result.rows} people (${result.sheets} sheet(s)): ${path}`,
  );
  io.out(JSON.stringify({ ...result, file: path }));
  return 0;
}
