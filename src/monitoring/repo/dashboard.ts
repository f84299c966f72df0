/**
 * Dashboard numbers of a year's warnings, in the caller's scope: per month (of the run that found
 * them), per township, per category held when found, per threshold, and the totals. `confirmed`
 * counts every warning civil affairs confirmed (including those since assisted).
 */
import type { Queryable } from '../../db/db.ts';
import type { DataScope } from '../../kernel/access/actor.ts';
import { warningScopeSql } from './scope.ts';

export interface Counts {
  warnings: number;
  open: number;
  pushed: number;
  confirmed: number;
  dismissed: number;
  assisted: number;
  withdrawn: number;
}

const COUNTS = `count(*)::int AS warnings,
  count(*) FILTER (WHERE w.status IN ('new', 'pushed', 'confirmed'))::int AS open,
  count(*) FILTER (WHERE w.pushed_at IS NOT NULL)::int AS pushed,
  count(*) FILTER (WHERE w.status IN ('confirmed', 'assisted'))::int AS confirmed,
  count(*) FILTER (WHERE w.status = 'dismissed')::int AS dismissed,
  count(*) FILTER (WHERE w.status = 'assisted')::int AS assisted,
  count(*) FILTER (WHERE w.status = 'withdrawn')::int AS withdrawn`;

export interface DashboardRows {
  totals: Counts;
  byMonth: (Counts & { month: string })[];
  byTownship: (Counts & { township_code: string; township_name: string | null })[];
  byCategory: (Counts & { category: string })[];
  byThreshold: (Counts & { threshold: string })[];
}

export async function dashboard(
  q: Queryable,
  scope: DataScope,
  year: number,
): Promise<DashboardRows> {
  const s = warningScopeSql(scope, 'p', 'w', 2);
  const from = `FROM monitoring_warning w JOIN person p ON p.certno = w.certno
    WHERE w.year = $1 AND ${s.sql}`;
  const params = [year, ...s.params];
  const totals = await q.query<Counts>(`SELECT ${COUNTS} ${from}`, params);
  const byMonth = await q.query<Counts & { month: string }>(
    `SELECT w.month, ${COUNTS} ${from} GROUP BY w.month ORDER BY w.month`,
    params,
  );
  const byTownship = await q.query<
    Counts & { township_code: string; township_name: string | null }
  >(
    `SELECT w.township_code, r.name AS township_name, ${COUNTS}
       FROM (SELECT w.*, left(w.region_code, 9) AS township_code ${from}) w
       LEFT JOIN region r ON r.code = w.township_code
      GROUP BY w.township_code, r.name ORDER BY w.township_code`,
    params,
  );
  const byCategory = await q.query<Counts & { category: string }>(
    `SELECT c.category, ${COUNTS}
       FROM (SELECT w.* ${from}) w
       CROSS JOIN LATERAL unnest(CASE WHEN cardinality(w.categories) = 0 THEN ARRAY['none']
                                      ELSE w.categories END) AS c(category)
      GROUP BY c.category ORDER BY c.category`,
    params,
  );
  const byThreshold = await q.query<Counts & { threshold: string }>(
    `SELECT w.threshold, ${COUNTS} ${from} GROUP BY w.threshold ORDER BY w.threshold`,
    params,
  );
  return {
    totals: totals.rows[0]!,
    byMonth: byMonth.rows,
    byTownship: byTownship.rows,
    byCategory: byCategory.rows,
    byThreshold: byThreshold.rows,
  };
}
