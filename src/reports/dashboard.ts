/**
 * The home dashboard's numbers, all within the caller's data scope: people registered and insured,
 * people flagged per category this month, settlements and fund payments this month per tier (net
 * of cancellations), and open warnings. "This month" is the bureau's month (Asia/Shanghai) in
 * which a settlement was made, not the bill's date.
 */
import { personScopeSql } from '../kernel/access/scope.ts';
import type { DataScope } from '../kernel/access/actor.ts';
import type { Queryable } from '../db/db.ts';
import { CATEGORIES, TIERS, type Category, type Tier } from '../policy/index.ts';
import { openWarnings } from './warnings.ts';

/** The settlement column of each tier's fund payment. */
export const TIER_COLUMNS: Record<Tier, string> = {
  basic_insurance: 'hifp_pay',
  critical_illness: 'hifmi_pay',
  assistance: 'maf_pay',
  re_assistance: 'reassist_pay',
  backstop: 'backstop_pay',
};

export interface Dashboard {
  month: string;
  people: number;
  /** People enrolled in resident insurance for `insuredYear`: this year, or the latest year held. */
  insured: number;
  insuredYear: number | null;
  flagged: { category: Category; people: number }[];
  settlements: {
    settled: number;
    cancelled: number;
    /** Fen, net of cancellation mirrors. */
    medicalFees: number;
    fundPaid: number;
    byTier: { tier: Tier; amount: number }[];
    daily: { day: string; settled: number; fundPaid: number }[];
  };
  /** null until the monitoring module's `warning` table exists. */
  warningsOpen: number | null;
}

const sum = (cols: readonly string[]) => cols.map((c) => `COALESCE(sum(s.${c}), 0)::bigint`);

export async function dashboard(
  db: Queryable,
  scope: DataScope,
  month: string,
): Promise<Dashboard> {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new RangeError(`bad month ${month}`);
  const year = Number(month.slice(0, 4));
  const ps = personScopeSql(scope, 'p', 1);

  const people = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM person p WHERE p.status <> 'deceased' AND ${ps.sql}`,
    ps.params,
  );

  // The latest resident year up to this one that anyone in scope is enrolled for.
  const es = personScopeSql(scope, 'p', 2);
  const insured = await db.query<{ year: number | null; n: number }>(
    `WITH y AS (
       SELECT max(e.medical_year) AS year FROM enrolment e JOIN person p ON p.certno = e.certno
        WHERE e.scheme = 'resident' AND e.medical_year <= $1 AND ${es.sql})
     SELECT y.year, (SELECT count(DISTINCT e.certno)::int FROM enrolment e
        JOIN person p ON p.certno = e.certno
       WHERE e.scheme = 'resident' AND e.medical_year = y.year AND ${es.sql}) AS n
       FROM y`,
    [year, ...es.params],
  );

  const fs = personScopeSql(scope, 'p', 2);
  const flagged = await db.query<{ category: Category; n: number }>(
    `SELECT f.category, count(DISTINCT f.certno)::int AS n
       FROM person_flag f JOIN person p ON p.certno = f.certno
      WHERE f.from_month <= $1 AND (f.to_month IS NULL OR f.to_month >= $1) AND ${fs.sql}
      GROUP BY f.category`,
    [month, ...fs.params],
  );
  const byCategory = new Map(flagged.rows.map((r) => [r.category, r.n]));

  const ss = personScopeSql(scope, 'p', 2);
  const inMonth = `to_char(s.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $1`;
  const tierCols = TIERS.map((t) => TIER_COLUMNS[t]);
  const totals = await db.query<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE s.kind = 'settle')::int AS settled,
            count(*) FILTER (WHERE s.kind = 'cancel')::int AS cancelled,
            ${sum(['medfee_sumamt', 'fund_pay_sumamt', ...tierCols])
              .map((e, i) => `${e} AS c${i}`)
              .join(', ')}
       FROM settlement s JOIN person p ON p.certno = s.certno
      WHERE ${inMonth} AND ${ss.sql}`,
    [month, ...ss.params],
  );
  const t = totals.rows[0] ?? {};
  const daily = await db.query<{ day: string; settled: number; fund: number }>(
    `SELECT to_char(s.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE s.kind = 'settle')::int AS settled,
            COALESCE(sum(s.fund_pay_sumamt), 0)::bigint AS fund
       FROM settlement s JOIN person p ON p.certno = s.certno
      WHERE ${inMonth} AND ${ss.sql}
      GROUP BY 1 ORDER BY 1`,
    [month, ...ss.params],
  );

  return {
    month,
    people: people.rows[0]?.n ?? 0,
    insured: insured.rows[0]?.n ?? 0,
    insuredYear: insured.rows[0]?.year ?? null,
    flagged: CATEGORIES.map((category) => ({ category, people: byCategory.get(category) ?? 0 })),
    settlements: {
      settled: t.settled ?? 0,
      cancelled: t.cancelled ?? 0,
      medicalFees: Number(t.c0 ?? 0),
      fundPaid: Number(t.c1 ?? 0),
      byTier: TIERS.map((tier, i) => ({ tier, amount: Number(t[`c${i + 2}`] ?? 0) })),
      daily: daily.rows.map((r) => ({ day: r.day, settled: r.settled, fundPaid: Number(r.fund) })),
    },
    warningsOpen: await openWarnings(db, scope),
  };
}
