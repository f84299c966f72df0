/** The free period of a hospital waiver starts at the person's first waived bill (§9). */
import type { Queryable } from '../../db/db.ts';
import type { IsoDate } from '../../kernel/period.ts';

/** The date of the person's first waived bill under the programme still standing, or null. */
export async function waiverStart(
  q: Queryable,
  certno: string,
  programme: string,
): Promise<IsoDate | null> {
  const r = await q.query<{ start: string | null }>(
    `SELECT min(bill_date)::text AS start FROM settlement
      WHERE certno = $1 AND waiver_programme = $2 AND kind = 'settle' AND cancelled_by IS NULL
        AND hosp_part_amt > 0`,
    [certno, programme],
  );
  return r.rows[0]?.start ?? null;
}
