/**
 * The employee ledger (Wenshang seed, problem 4): people of the key assistance categories who are
 * insured as employees in a year, with whether their employee insurance has stopped and whether
 * they are enrolled in resident insurance since — so the bureau checks it regularly (定期核对).
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import type { Queryable } from '../../db/db.ts';
import type { Category } from '../../policy/index.ts';
import { KEY_CATEGORIES } from '../model.ts';

export interface LedgerEntry {
  certno: string;
  name: string;
  regionCode: string;
  categories: Category[];
  employeeBenefitFrom: string;
  /** Null while the employee insurance runs. */
  employeeBenefitTo: string | null;
  residentEnrolled: boolean;
}

export async function employeeLedger(
  q: Queryable,
  scope: DataScope,
  year: number,
): Promise<LedgerEntry[]> {
  const s = personScopeSql(scope, 'p', 5);
  const r = await q.query<LedgerEntry>(
    `SELECT * FROM (
       SELECT p.certno::text AS certno, p.name, p.region_code AS "regionCode",
         ARRAY(SELECT DISTINCT f.category FROM person_flag f WHERE f.certno = p.certno
           AND f.category = ANY($2::text[]) AND f.from_month <= $4
           AND (f.to_month IS NULL OR (f.to_month >= $3 AND f.to_month >= f.from_month))
           ORDER BY f.category) AS categories,
         e.benefit_from::text AS "employeeBenefitFrom", e.benefit_to::text AS "employeeBenefitTo",
         EXISTS (SELECT 1 FROM enrolment r WHERE r.certno = p.certno
           AND r.medical_year = e.medical_year AND r.scheme = 'resident') AS "residentEnrolled"
       FROM enrolment e JOIN person p ON p.certno = e.certno
       WHERE e.scheme = 'employee' AND e.medical_year = $1 AND ${s.sql}
     ) t WHERE cardinality(t.categories) > 0
     ORDER BY t."regionCode", t.certno`,
    [year, KEY_CATEGORIES, `${year}-01`, `${year}-12`, ...s.params],
  );
  return r.rows;
}
