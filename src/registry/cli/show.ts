/** `triguard registry show CERTNO [--as-of YYYY-MM-DD]`: one person as JSON, now or as of a day. */
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import type { CliIo } from '../../cli/command.ts';
import type { Db } from '../../db/db.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import { parseDate } from '../../kernel/period.ts';
import { endOfDay } from '../../kernel/clock.ts';
import { toRecordView } from '../http/views.ts';
import { loadRecordAsOf } from '../repo/as-of.ts';
import { loadRecord } from '../repo/read.ts';
import { personNotFound } from '../service/with-person.ts';

export async function showCommand(
  db: Db,
  io: CliIo,
  certnoText: string,
  asOfText: string | undefined,
): Promise<number> {
  const certno = normalizeId(certnoText, 'CERTNO');
  const asOf = asOfText === undefined ? null : parseDate(asOfText, '--as-of');
  const rec = asOf
    ? await loadRecordAsOf(db, SYSTEM_ACTOR.scope, certno, endOfDay(asOf))
    : await loadRecord(db, SYSTEM_ACTOR.scope, certno);
  if (!rec) throw personNotFound(certno);
  io.out(JSON.stringify(toRecordView(SYSTEM_ACTOR, rec, asOf), null, 2));
  return 0;
}
