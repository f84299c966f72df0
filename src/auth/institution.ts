/**
 * The people a designated institution has treated: its data scope (scope.ts). Settlement records
 * the pair when it settles a bill for an institution; the demo county seeds a few.
 */
import type { Queryable } from '../db/db.ts';

/** Idempotent: the first treatment date stays. Call inside the settlement's transaction. */
export async function recordInstitutionPatient(
  q: Queryable,
  fixmedinsCode: string,
  certno: string,
  date: string,
): Promise<void> {
  await q.query(
    `INSERT INTO institution_patient (certno, fixmedins_code, first_seen) VALUES ($1, $2, $3::date)
     ON CONFLICT (certno, fixmedins_code) DO NOTHING`,
    [certno, fixmedinsCode, date],
  );
}
