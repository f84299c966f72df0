/** Test fixture: resident enrolments for 2022 with benefits all year, for people tests settle. */
import type { Queryable } from '../../db/db.ts';

export async function enrolForYear(
  q: Queryable,
  certnos: readonly string[],
  year = 2022,
): Promise<void> {
  for (const certno of certnos) {
    await q.query(
      `INSERT INTO enrolment (certno, medical_year, scheme, contribution_type, contribution,
         enrolled_on, benefit_from)
       VALUES ($1, $2, 'resident', 'paid', 35000, $3::date, $4::date)`,
      [certno, year, `${year - 1}-12-01`, `${year}-01-01`],
    );
  }
}
