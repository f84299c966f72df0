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
 * the scope, and the latest day of the month the person was visited (null: no record): the
 * month's list of people, a page at a time.
 */
export function monthRowsSql(
  scope: DataScope,
  f: MonthFilter,
  params: unknown[],
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
      LEFT JOIN (SELECT certno, max(visited_on) AS visited_on FROM care_followup
                  WHERE month = ${month} GROUP BY certno) f ON f.certno = c.certno`,
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
 * The month's pass runs in one process (a parallel plan on a shared two-core server only adds its
 * start-up), and counts the year's rows in group order straight from `care_due_year_idx`: with
 * the rows arriving grouped, counting needs no hash table, which would cost as much again as
 * reading them (bench/README.md).
 */
export const MONTH_SETTINGS =
  "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0; " +
  'SET LOCAL enable_hashagg = off';

/** The month's bit in `care_due.in_force` and `care_due.months`: bit m − 1 for month m. */
export const monthBit = (m: Month): number => 1 << (Number(m.slice(5, 7)) - 1);

/**
 * Writes the due rows of the month's year if they are not yet written (once a year, or the
 * first time an earlier year is read); a no-op afterwards.
 */
export async function openDueYear(q: Queryable, month: Month): Promise<void> {
  await q.query('SELECT care_due_open_year($1::int)', [Number(month.slice(0, 4))]);
}

/**
 * FROM and WHERE of the month's due rows in `care_due` (one row per contract and year, kept by
 * the database as contracts, records and people's regions are written): the contracts in force
 * on the month's last day whose person is in the scope. Exported for the benchmark, whose
 * baseline counts exactly these rows.
 */
export function dueRowsSql(
  scope: DataScope,
  f: MonthFilter,
  params: unknown[],
): { from: string; where: string; bit: string } {
  const year = param(params, Number(f.month.slice(0, 4)));
  const bit = param(params, monthBit(f.month));
  const conds = [
    `c.year = ${year}::int`,
    `c.in_force & ${bit}::int <> 0`,
    scoped(scope, params, 'c'),
  ];
  if (f.regionCode !== undefined)
    conds.push(`c.region_code LIKE ${param(params, f.regionCode)} || '%'`);
  const group: string[] = [];
  if (f.fixmedinsCode !== undefined)
    group.push(`g.fixmedins_code = ${param(params, f.fixmedinsCode)}`);
  if (f.doctor !== undefined) group.push(`g.doctor = ${param(params, f.doctor)}`);
  if (f.team !== undefined) group.push(`g.team = ${param(params, f.team)}`);
  if (group.length > 0)
    conds.push(`c.group_id IN (SELECT g.group_id FROM care_group g WHERE ${group.join(' AND ')})`);
  return { from: 'care_due c', where: conds.join(' AND '), bit };
}

/**
 * The summary's SELECT and its parameters (the benchmark times it as it is): one pass over the
 * year's due rows in group order, in force and recorded read as the month's bit, counted per
 * group number; the group's four names are joined to the few hundred counts afterwards.
 */
export function monthSummarySql(
  scope: DataScope,
  f: MonthFilter,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const { from, where, bit } = dueRowsSql(scope, f, params);
  return {
    params,
    sql: `SELECT g.township_code AS "townshipCode", g.fixmedins_code AS "fixmedinsCode", g.doctor, g.team,
            d.contracted, d.recorded
       FROM (SELECT c.group_id, count(*)::int AS contracted,
                    count(*) FILTER (WHERE c.months & ${bit}::int <> 0)::int AS recorded
               FROM ${from} WHERE ${where}
              GROUP BY c.group_id) d
       JOIN care_group g ON g.group_id = d.group_id
      ORDER BY 1, 2, 3, 4`,
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
    await openDueYear(tx, f.month);
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
  await openDueYear(q, f.month);
  const params: unknown[] = [];
  const { from, where } = dueRowsSql({ kind: 'region', regionCode: county }, f, params);
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
