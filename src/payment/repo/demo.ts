/** The demo's patients (docs/payment.md §2): enrolled people of an area, in a stable order. */
import type { Queryable } from '../../db/db.ts';

export async function demoPeople(
  q: Queryable,
  regionLike: string,
  year: number,
  severeMental: boolean,
  limit: number,
): Promise<string[]> {
  const r = await q.query<{ certno: string }>(
    `SELECT p.certno FROM person p
      WHERE p.region_code LIKE $1 AND p.death_date IS NULL
        AND EXISTS (SELECT 1 FROM enrolment e WHERE e.certno = p.certno AND e.medical_year = $2
                      AND e.scheme = 'resident' AND e.benefit_to IS NULL)
        AND ($3::boolean = EXISTS (SELECT 1 FROM person_flag f
                                    WHERE f.certno = p.certno AND f.category = 'severe_mental'))
      ORDER BY p.certno LIMIT $4`,
    [regionLike, year, severeMental, limit],
  );
  return r.rows.map((x) => x.certno);
}
