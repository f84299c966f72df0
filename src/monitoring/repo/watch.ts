/**
 * The near-threshold watch list: people (in the caller's scope) whose burden is above 80 % of a
 * line of their county's rule and not above the line itself. Same scan as the run: candidates
 * from the accumulator columns first, then the person and their flags.
 */
import type { Queryable } from '../../db/db.ts';
import type { DataScope } from '../../kernel/access/actor.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import type { Month } from '../../kernel/period.ts';
import type { Category } from '../../policy/index.ts';
import { WATCH_SHARE, type MonitoringRule, type Threshold } from '../thresholds.ts';

export interface WatchRow {
  certno: string;
  name: string;
  region_code: string;
  township_name: string | null;
  threshold: Threshold;
  amount: number;
  line: number;
  categories: Category[];
}

export async function watchList(
  q: Queryable,
  p: {
    month: Month;
    rules: readonly MonitoringRule[];
    scope: DataScope;
    threshold?: Threshold | undefined;
    region?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ total: number; rows: WatchRow[] }> {
  const year = Number(p.month.slice(0, 4));
  // Lowest watched amount of any county: 80 % of its line, in whole fen (strictly above).
  const floor = (line: number) => Math.floor((line * WATCH_SHARE) / 10_000);
  const minInscope = Math.min(...p.rules.map((r) => floor(r.inscopeLine)));
  const minTotal = Math.min(...p.rules.map((r) => floor(r.totalLine)));
  const maxInscope = Math.max(...p.rules.map((r) => r.inscopeLine));
  const maxTotal = Math.max(...p.rules.map((r) => r.totalLine));
  const watchedAny = [...new Set(p.rules.flatMap((r) => r.inscopeCategories))];
  const rules = p.rules.map((r) => ({
    county: r.county,
    inscope_line: r.inscopeLine,
    total_line: r.totalLine,
    watched: r.inscopeCategories,
  }));
  const s = personScopeSql(p.scope, 'p', 14);
  const r = await q.query<WatchRow & { total: number }>(
    `WITH rules AS (
       SELECT * FROM jsonb_to_recordset($3::jsonb)
         AS r(county text, inscope_line bigint, total_line bigint, watched text[])),
     -- Near a line and not over it (for any county's lines), and for the in-scope line only
     -- people with a watched category: few rows, before any person is read.
     over AS (
       SELECT a.certno, a.oop_inscope, a.oop_total FROM accumulator a
        WHERE a.year = $1
          AND ((a.oop_total > $5 AND a.oop_total <= $12)
               OR (a.oop_inscope > $4 AND a.oop_inscope <= $11 AND EXISTS (
                     SELECT 1 FROM person_flag f
                      WHERE f.certno = a.certno AND f.category = ANY($13::text[])
                        AND f.from_month <= $2 AND (f.to_month IS NULL OR f.to_month >= $2))))),
     hit AS (
       SELECT o.*, p.name, p.region_code, r.inscope_line, r.total_line, r.watched,
              ARRAY(SELECT DISTINCT f.category FROM person_flag f
                     WHERE f.certno = o.certno AND f.from_month <= $2
                       AND (f.to_month IS NULL OR f.to_month >= $2) ORDER BY 1) AS held
         FROM over o
         JOIN person p ON p.certno = o.certno
         JOIN rules r ON r.county = left(p.region_code, 6)
        WHERE ($7::text IS NULL OR p.region_code LIKE $7 || '%') AND ${s.sql}),
     near AS (
       SELECT certno, name, region_code, 'total' AS threshold, oop_total AS amount,
              total_line AS line, held
         FROM hit
        WHERE oop_total * 10000 > total_line * $6 AND oop_total <= total_line
       UNION ALL
       SELECT certno, name, region_code, 'inscope', oop_inscope, inscope_line, held
         FROM hit
        WHERE oop_inscope * 10000 > inscope_line * $6 AND oop_inscope <= inscope_line
          AND held && watched)
     SELECT n.certno, n.name, n.region_code, n.threshold, n.amount, n.line, n.held AS categories,
            (SELECT t.name FROM region t WHERE t.code = left(n.region_code, 9)) AS township_name,
            count(*) OVER ()::int AS total
       FROM near n
      WHERE $8::text IS NULL OR n.threshold = $8
      ORDER BY n.amount::numeric / n.line DESC, n.certno, n.threshold
      LIMIT $9 OFFSET $10`,
    [
      year,
      p.month,
      JSON.stringify(rules),
      minInscope,
      minTotal,
      WATCH_SHARE,
      p.region ?? null,
      p.threshold ?? null,
      p.limit,
      p.offset,
      maxInscope,
      maxTotal,
      watchedAny,
      ...s.params,
    ],
  );
  return { total: r.rows[0]?.total ?? 0, rows: r.rows };
}
