/**
 * The month's lists (docs/care.md §3) and the year's assessment counts (§5). A person is due in a
 * month under the contract in force on its last day; the record that answers it is any record
 * dated in the month.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Db, Queryable } from '../../db/db.ts';
import type { IsoDate, Month } from '../../kernel/period.ts';
import type { AssessmentCounts } from '../core/assessment.ts';
import { limitOffset, param, scoped, type Page } from './sql.ts';

export interface MonthFilter {
  month: Month;
  last: IsoDate;
  regionCode?: string | undefined;
  fixmedinsCode?: string | undefined;
  doctor?: string | undefined;
  team?: string | undefined;
}

/**
 * FROM and WHERE of the month: each contract in force on the month's last day, its person in
 * the scope, and the latest day of the month the person was visited (null: no record). Exported
 * for the benchmark, which times it against a bare scan of the same rows.
 */
export function monthRowsSql(
  scope: DataScope,
  f: MonthFilter,
  params: unknown[],
  /** Counts need only whether a record exists: the month's index alone answers that. */
  countsOnly = false,
): { from: string; where: string } {
  const month = param(params, f.month);
  const last = param(params, f.last);
  const conds = [
    `c.valid_from <= ${last}::date`,
    `(c.valid_to IS NULL OR c.valid_to >= ${last}::date)`,
    scoped(scope, params),
  ];
  if (f.regionCode !== undefined)
    conds.push(`p.region_code LIKE ${param(params, f.regionCode)} || '%'`);
  if (f.fixmedinsCode !== undefined)
    conds.push(`c.fixmedins_code = ${param(params, f.fixmedinsCode)}`);
  if (f.doctor !== undefined) conds.push(`c.doctor = ${param(params, f.doctor)}`);
  if (f.team !== undefined) conds.push(`c.team = ${param(params, f.team)}`);
  return {
    from: `care_contract c JOIN person p ON p.certno = c.certno
      LEFT JOIN (${
        countsOnly
          ? `SELECT DISTINCT certno, true AS visited_on FROM care_followup WHERE month = ${month}`
          : `SELECT certno, max(visited_on) AS visited_on FROM care_followup WHERE month = ${month} GROUP BY certno`
      }) f ON f.certno = c.certno`,
    where: conds.join(' AND '),
  };
}

export interface MonthGroupRow {
  townshipCode: string;
  fixmedinsCode: string;
  doctor: string;
  team: string;
  contracted: number;
  recorded: number;
}

/**
 * The month's pass runs in one process with room to hash a county's records in memory: a
 * parallel plan on a shared two-core server only adds its start-up (bench/README.md).
 */
export const MONTH_SETTINGS =
  "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0";

/** The summary's SELECT and its parameters (the benchmark times it as it is). */
export function monthSummarySql(
  scope: DataScope,
  f: MonthFilter,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const { from, where } = monthRowsSql(scope, f, params, true);
  return {
    params,
    sql: `SELECT c.township_code AS "townshipCode", c.fixmedins_code AS "fixmedinsCode", c.doctor, c.team,
            count(*)::int AS contracted, count(f.visited_on)::int AS recorded
       FROM ${from} WHERE ${where}
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  };
}

/** Counts per township, institution, doctor and team: contracted and recorded. */
export async function monthSummary(
  db: Db,
  scope: DataScope,
  f: MonthFilter,
): Promise<MonthGroupRow[]> {
  const { sql, params } = monthSummarySql(scope, f);
  return db.transaction(async (tx) => {
    await tx.exec(MONTH_SETTINGS);
    return (await tx.query<MonthGroupRow>(sql, params)).rows;
  });
}

export interface MonthPersonRow {
  certno: string;
  name: string;
  regionCode: string;
  contractId: number;
  doctor: string;
  team: string;
  fixmedinsCode: string;
  visitedOn: IsoDate | null;
}

export async function monthPeople(
  q: Queryable,
  scope: DataScope,
  f: MonthFilter & { recorded?: boolean | undefined },
  page: Page,
): Promise<{ items: MonthPersonRow[]; total: number }> {
  const params: unknown[] = [];
  const { from, where: base } = monthRowsSql(scope, f, params);
  const where =
    f.recorded === undefined
      ? base
      : `${base} AND f.visited_on IS ${f.recorded ? 'NOT NULL' : 'NULL'}`;
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${from} WHERE ${where}`,
    params,
  );
  const r = await q.query<MonthPersonRow>(
    `SELECT c.certno, p.name, p.region_code AS "regionCode", c.contract_id::int AS "contractId",
            c.doctor, c.team, c.fixmedins_code AS "fixmedinsCode", f.visited_on::text AS "visitedOn"
       FROM ${from} WHERE ${where}
      ORDER BY (f.visited_on IS NOT NULL), p.region_code, c.certno ${limitOffset(params, page)}`,
    params,
  );
  return { items: r.rows, total: total.rows[0]!.n };
}

export async function countyDue(q: Queryable, county: string, f: MonthFilter): Promise<number> {
  const params: unknown[] = [];
  const { from, where } = monthRowsSql({ kind: 'region', regionCode: county }, f, params);
  const r = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${from} WHERE ${where}`,
    params,
  );
  return r.rows[0]!.n;
}

export async function openMonth(
  q: Queryable,
  county: string,
  month: Month,
  due: number,
  by: string,
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO care_month (county, month, due, opened_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (county, month) DO NOTHING RETURNING month`,
    [county, month, due, by],
  );
  return r.rows.length > 0;
}

export interface AssessmentRow extends AssessmentCounts {
  fixmedinsCode: string;
  fixmedinsName: string | null;
  team: string;
}

/**
 * Per institution and team over the months `from`…`to` of a year: contract-months, records on
 * time (dated in the month, entered by the 5th of the next), spot checks and their corrections.
 */
export async function assessmentCounts(
  q: Queryable,
  scope: DataScope,
  range: { fromMonth: Month; toMonth: Month; yearFrom: IsoDate; yearTo: IsoDate },
): Promise<AssessmentRow[]> {
  const params: unknown[] = [
    `${range.fromMonth}-01`,
    `${range.toMonth}-01`,
    range.yearFrom,
    range.yearTo,
  ];
  const scope1 = scoped(scope, params);
  const scope2 = scoped(scope, params);
  const r = await q.query<AssessmentRow>(
    `WITH m AS (
       SELECT to_char(d, 'YYYY-MM') AS month, (d + interval '1 month' - interval '1 day')::date AS last
         FROM generate_series($1::date, $2::date, interval '1 month') d),
     due AS (
       SELECT c.fixmedins_code, c.team, count(*)::int AS due_months,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM care_followup f WHERE f.certno = c.certno AND f.month = m.month
                   AND f.recorded_at < (m.last + 6)::timestamp AT TIME ZONE 'Asia/Shanghai'))::int AS on_time
         FROM care_contract c JOIN person p ON p.certno = c.certno
         JOIN m ON c.valid_from <= m.last AND (c.valid_to IS NULL OR c.valid_to >= m.last)
        WHERE ${scope1}
        GROUP BY 1, 2),
     checks AS (
       SELECT s.fixmedins_code, s.team, count(*)::int AS spot_checks,
              count(*) FILTER (WHERE s.finding <> 'accurate')::int AS findings,
              count(s.correction)::int AS corrections,
              count(*) FILTER (WHERE s.correction IS NOT NULL AND s.closed_on IS NOT NULL)::int AS closed
         FROM care_spot_check s JOIN person p ON p.certno = s.certno
        WHERE s.checked_on BETWEEN $3 AND $4 AND ${scope2}
        GROUP BY 1, 2)
     SELECT k.fixmedins_code AS "fixmedinsCode", gi.fixmedins_name AS "fixmedinsName", k.team,
            coalesce(due.due_months, 0) AS "dueMonths", coalesce(due.on_time, 0) AS "onTime",
            coalesce(checks.spot_checks, 0) AS "spotChecks", coalesce(checks.findings, 0) AS findings,
            coalesce(checks.corrections, 0) AS corrections,
            coalesce(checks.closed, 0) AS "correctionsClosed"
       FROM (SELECT fixmedins_code, team FROM due UNION SELECT fixmedins_code, team FROM checks) k
       LEFT JOIN due USING (fixmedins_code, team)
       LEFT JOIN checks USING (fixmedins_code, team)
       LEFT JOIN gateway_institution gi ON gi.fixmedins_code = k.fixmedins_code
      ORDER BY 1, 3`,
    params,
  );
  return r.rows;
}

/** The counties that have contracts (the monthly job opens each). */
export async function contractCounties(q: Queryable): Promise<string[]> {
  const r = await q.query<{ county: string }>(
    'SELECT DISTINCT left(township_code, 6) AS county FROM care_contract ORDER BY 1',
  );
  return r.rows.map((x) => x.county);
}
