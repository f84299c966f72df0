/** The free period of a hospital waiver starts at the person's first waived bill (§9). */
import type { Queryable } from '../../db/db.ts';
import type { IsoDate } from '../../kernel/period.ts';

/**
 * The date of the person's first waived bill under the programme still standing, or null. Only
 * bills of the rule's visit types count: the free drugs a programme also waives (outpatient
 * bills) do not start its free inpatient period.
 */
export async function waiverStart(
  q: Queryable,
  certno: string,
  programme: string,
  visitTypes: readonly string[],
): Promise<IsoDate | null> {
  const r = await q.query<{ start: string | null }>(
    `SELECT min(bill_date)::text AS start FROM settlement
      WHERE certno = $1 AND waiver_programme = $2 AND kind = 'settle' AND cancelled_by IS NULL
        AND hosp_part_amt > 0 AND visit_type = ANY ($3::text[])`,
    [certno, programme, [...visitTypes]],
  );
  return r.rows[0]?.start ?? null;
}
