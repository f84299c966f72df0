/**
 * Lists the web app drills into from the dashboard and the person page: the people holding a
 * category this month, a person's settlements, and the regions below a code (names for the
 * header and the search form). Every people-reading query takes the caller's data scope.
 */
import { personScopeSql } from '../kernel/access/scope.ts';
import type { DataScope } from '../kernel/access/actor.ts';
import type { Queryable } from '../db/db.ts';
import type { Category } from '../policy/index.ts';

export interface FlaggedPerson {
  certno: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  regionCode: string;
  status: string;
  categories: Category[];
}

export async function flaggedPeople(
  db: Queryable,
  scope: DataScope,
  category: Category,
  month: string,
  page: { page: number; pageSize: number },
): Promise<{ items: FlaggedPerson[]; total: number }> {
  const s = personScopeSql(scope, 'p', 3);
  const where = `EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = p.certno AND f.category = $1
      AND f.from_month <= $2 AND (f.to_month IS NULL OR f.to_month >= $2)) AND ${s.sql}`;
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM person p WHERE ${where}`,
    [category, month, ...s.params],
  );
  const limit = s.params.length + 3;
  const rows = await db.query<FlaggedPerson>(
    `SELECT p.certno::text AS certno, p.name, p.gender, p.birth_date::text AS "birthDate",
            p.region_code AS "regionCode", p.status,
            ARRAY(SELECT DISTINCT g.category FROM person_flag g WHERE g.certno = p.certno
              AND g.from_month <= $2 AND (g.to_month IS NULL OR g.to_month >= $2)
              ORDER BY g.category) AS categories
       FROM person p WHERE ${where}
      ORDER BY p.region_code, p.certno LIMIT $${limit} OFFSET $${limit + 1}`,
    [category, month, ...s.params, page.pageSize, (page.page - 1) * page.pageSize],
  );
  return { items: rows.rows, total: total.rows[0]?.n ?? 0 };
}

export interface SettlementSummary {
  settlementId: number;
  kind: 'settle' | 'cancel';
  status: 'settled' | 'cancelled' | 'cancellation';
  date: string;
  visitType: string;
  hospitalLevel: number;
  diagnosis: string;
  fixmedinsCode: string | null;
  /** Fen. */
  medicalFees: number;
  fundPaid: number;
  cashPaid: number;
  createdAt: string;
}

interface SummaryRow {
  settlement_id: number;
  kind: 'settle' | 'cancel';
  cancelled_by: number | null;
  bill_date: string;
  visit_type: string;
  hospital_level: number;
  diagnosis: string;
  fixmedins_code: string | null;
  medfee_sumamt: number;
  fund_pay_sumamt: number;
  psn_cash_pay: number;
  created_at: string;
}

/**
 * A person's settlements, newest first; empty when the person is outside the scope. An
 * institution sees only its own settlements, as the settlement service decides for one.
 */
export async function personSettlements(
  db: Queryable,
  scope: DataScope,
  certno: string,
  limit: number,
): Promise<SettlementSummary[] | null> {
  const s = personScopeSql(scope, 'p', 2);
  const seen = await db.query(`SELECT 1 FROM person p WHERE p.certno = $1 AND ${s.sql}`, [
    certno,
    ...s.params,
  ]);
  if (seen.rows.length === 0) return null;
  const own = scope.kind === 'institution' ? scope.fixmedinsCode : null;
  const r = await db.query<SummaryRow>(
    `SELECT settlement_id, kind, cancelled_by, bill_date::text AS bill_date, visit_type,
            hospital_level, diagnosis, fixmedins_code, medfee_sumamt, fund_pay_sumamt,
            psn_cash_pay, created_at::text AS created_at
       FROM settlement WHERE certno = $1 AND ($2::text IS NULL OR fixmedins_code = $2)
      ORDER BY settlement_id DESC LIMIT $3`,
    [certno, own, limit],
  );
  return r.rows.map((x) => ({
    settlementId: Number(x.settlement_id),
    kind: x.kind,
    status: x.kind === 'cancel' ? 'cancellation' : x.cancelled_by ? 'cancelled' : 'settled',
    date: x.bill_date,
    visitType: x.visit_type,
    hospitalLevel: x.hospital_level,
    diagnosis: x.diagnosis,
    fixmedinsCode: x.fixmedins_code,
    medicalFees: Number(x.medfee_sumamt),
    fundPaid: Number(x.fund_pay_sumamt),
    cashPaid: Number(x.psn_cash_pay),
    createdAt: x.created_at,
  }));
}

export interface RegionRow {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** One region and its children (townships of a county, villages of a township). */
export async function regionWithChildren(
  db: Queryable,
  code: string,
): Promise<{ region: RegionRow | null; children: RegionRow[] }> {
  const cols = `code, name, level, parent_code AS "parentCode"`;
  const one = await db.query<RegionRow>(`SELECT ${cols} FROM region WHERE code = $1`, [code]);
  const children = await db.query<RegionRow>(
    `SELECT ${cols} FROM region WHERE parent_code = $1 ORDER BY code`,
    [code],
  );
  return { region: one.rows[0] ?? null, children: children.rows };
}
