/**
 * SQL of the monthly run. The run reads the accumulator table that settlement keeps — one row per
 * person and medical year, with the two monitoring sums as plain columns — in one scan: the rows
 * above the lowest line of any county are the candidates, and only they are joined to the person
 * (county, village) and their flags in the run's month. Creation is one set-based statement; the
 * primary key (certno, year, threshold) makes a second run of a month create nothing.
 */
import type { Queryable } from '../../db/db.ts';
import type { DataScope } from '../../kernel/access/actor.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import type { Month } from '../../kernel/period.ts';
import type { MonitoringRule, Threshold } from '../thresholds.ts';
import type { WarningStatus } from '../status.ts';

export async function insertRun(
  q: Queryable,
  month: Month,
  rules: readonly MonitoringRule[],
  actorId: string,
): Promise<number> {
  const r = await q.query<{ run_id: number }>(
    `INSERT INTO monitoring_run (month, year, rules, actor_id) VALUES ($1, $2, $3::jsonb, $4)
     RETURNING run_id`,
    [month, Number(month.slice(0, 4)), JSON.stringify(rules), actorId],
  );
  return r.rows[0]!.run_id;
}

export async function finishRun(
  q: Queryable,
  runId: number,
  counts: { created: number; reopened: number; withdrawn: number },
): Promise<void> {
  await q.query(
    `UPDATE monitoring_run SET created = $2, reopened = $3, withdrawn = $4, finished_at = now()
      WHERE run_id = $1`,
    [runId, counts.created, counts.reopened, counts.withdrawn],
  );
}

const lowestLines = (rules: readonly MonitoringRule[]) => ({
  minInscope: Math.min(...rules.map((r) => r.inscopeLine)),
  minTotal: Math.min(...rules.map((r) => r.totalLine)),
});

/**
 * The run's one scan of the accumulator table: every row of the year above the lowest line of
 * any county, into a temporary table dropped at the end of the transaction. It is a read-only
 * CREATE TABLE AS, so PostgreSQL may scan in parallel like any SELECT (a data-modifying statement
 * never is).
 */
export async function collectCandidates(
  q: Queryable,
  year: number,
  rules: readonly MonitoringRule[],
): Promise<void> {
  const { minInscope, minTotal } = lowestLines(rules);
  // Inlined into the utility statement (it takes no parameters): integers only, checked here.
  for (const n of [year, minInscope, minTotal]) {
    if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  }
  await q.query(
    `CREATE TEMP TABLE monitoring_candidate ON COMMIT DROP AS
     SELECT a.certno, a.oop_inscope, a.oop_total FROM accumulator a
      WHERE a.year = ${year} AND (a.oop_inscope > ${minInscope} OR a.oop_total > ${minTotal})`,
  );
}

export const dropCandidates = (q: Queryable) => q.exec('DROP TABLE monitoring_candidate');

/**
 * Creates the warnings of a run (after collectCandidates): every person (in `scope`) above a line of their county's rule
 * who has no warning for that threshold this year yet; re-opens a withdrawn one when the person
 * is above its line again.
 *
 * One statement over the few candidates: drop the (person, threshold) pairs already warned this year, keep
 * in-scope ones only for people with a watched category, and only then read the person (county,
 * village) and their categories by primary key — a re-run touches almost no person at all.
 */
export async function createWarnings(
  q: Queryable,
  p: {
    month: Month;
    rules: readonly MonitoringRule[];
    runId: number;
    actorId: string;
    scope: DataScope;
  },
): Promise<{ created: number; reopened: number }> {
  const year = Number(p.month.slice(0, 4));
  const { minInscope, minTotal } = lowestLines(p.rules);
  const rules = p.rules.map((r) => ({
    county: r.county,
    pack: r.pack,
    inscope_line: r.inscopeLine,
    total_line: r.totalLine,
    watched: r.inscopeCategories,
  }));
  const watchedAny = [...new Set(p.rules.flatMap((r) => r.inscopeCategories))];
  const s = personScopeSql(p.scope, 'p', 9);
  const r = await q.query<{ created: number; reopened: number }>(
    `WITH rules AS (
       SELECT * FROM jsonb_to_recordset($3::jsonb)
         AS r(county text, pack text, inscope_line bigint, total_line bigint, watched text[])),
     cand AS (
       SELECT c.certno, 'total' AS threshold, c.oop_total AS amount
         FROM monitoring_candidate c WHERE c.oop_total > $5
       UNION ALL
       SELECT c.certno, 'inscope', c.oop_inscope
         FROM monitoring_candidate c WHERE c.oop_inscope > $4),
     fresh AS (
       SELECT c.* FROM cand c
        WHERE NOT EXISTS (
                SELECT 1 FROM monitoring_warning w
                 WHERE w.certno = c.certno AND w.year = $1 AND w.threshold = c.threshold
                   AND w.status <> 'withdrawn')
          AND (c.threshold = 'total' OR EXISTS (
                SELECT 1 FROM person_flag f
                 WHERE f.certno = c.certno AND f.category = ANY($8::text[])
                   AND f.from_month <= $2 AND (f.to_month IS NULL OR f.to_month >= $2)))),
     hit AS (
       SELECT c.certno, c.threshold, c.amount, p.region_code, r.pack, r.watched,
              CASE c.threshold WHEN 'total' THEN r.total_line ELSE r.inscope_line END AS line,
              ARRAY(SELECT DISTINCT f.category FROM person_flag f
                     WHERE f.certno = c.certno AND f.from_month <= $2
                       AND (f.to_month IS NULL OR f.to_month >= $2)
                     ORDER BY 1) AS held
         FROM fresh c
         JOIN person p ON p.certno = c.certno
         JOIN rules r ON r.county = left(p.region_code, 6)
        WHERE ${s.sql}),
     found AS (
       SELECT * FROM hit
        WHERE amount > line AND (threshold = 'total' OR held && watched)),
     ins AS (
       INSERT INTO monitoring_warning (certno, year, threshold, month, run_id, region_code,
                                       categories, pack, amount, line)
       SELECT certno, $1, threshold, $2, $6, region_code, held, pack, amount, line FROM found
       ON CONFLICT (certno, year, threshold) DO NOTHING
       RETURNING certno, warning_id),
     reo AS (
       UPDATE monitoring_warning w
          SET status = 'new', month = $2, run_id = $6, amount = f.amount, line = f.line,
              categories = f.held, region_code = f.region_code, pack = f.pack,
              reopened = w.reopened + 1, withdrawn_at = NULL, push_id = NULL, pushed_at = NULL,
              decided_by = NULL, decided_at = NULL, updated_at = now()
         FROM found f
        WHERE w.certno = f.certno AND w.year = $1 AND w.threshold = f.threshold
          AND w.status = 'withdrawn'
       RETURNING w.certno, w.warning_id),
     ev AS (
       INSERT INTO monitoring_warning_event (certno, warning_id, from_status, to_status, actor_id,
                                             run_id)
       SELECT certno, warning_id, NULL, 'new', $7, $6 FROM ins
       UNION ALL
       SELECT certno, warning_id, 'withdrawn', 'new', $7, $6 FROM reo)
     SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM reo)::int AS reopened`,
    [
      year,
      p.month,
      JSON.stringify(rules),
      minInscope,
      minTotal,
      p.runId,
      p.actorId,
      watchedAny,
      ...s.params,
    ],
  );
  return r.rows[0]!;
}

export interface ToWithdraw {
  warning_id: number;
  certno: string;
  threshold: Threshold;
  status: WarningStatus;
  line: number;
  amount_now: number;
}

/**
 * Open warnings of a year whose burden is now at or under the line they crossed: a cancelled
 * settlement (冲销) took back what put them over. Locked for the caller's transaction.
 *
 * Inside a run the candidates table already holds every burden above the lowest line, so a
 * warning is under its line exactly when no candidate row of its person is above it: no second
 * look at the accumulator table. On its own (recheck) each open warning reads its person's row.
 */
export async function openUnderLine(
  q: Queryable,
  year: number,
  opts: { certno?: string | null; fromCandidates?: boolean } = {},
): Promise<ToWithdraw[]> {
  const burden = (t: string) =>
    `CASE w.threshold WHEN 'inscope' THEN ${t}.oop_inscope ELSE ${t}.oop_total END`;
  // The person's burden now, read by primary key (few warnings per person).
  const fromAccumulator = `COALESCE((SELECT ${burden('a')} FROM accumulator a
      WHERE a.certno = w.certno AND a.year = w.year), 0)`;
  const open = `w.year = $1 AND w.status IN ('new', 'pushed', 'confirmed')
      AND ($2::text IS NULL OR w.certno = $2)`;
  const found = opts.fromCandidates
    ? // A hash join of the open warnings with the candidates, no look at the accumulator table.
      await q.query<{ warning_id: number }>(
        `SELECT w.warning_id FROM monitoring_warning w
           LEFT JOIN monitoring_candidate c ON c.certno = w.certno
          WHERE ${open} AND COALESCE(${burden('c')}, 0) <= w.line`,
        [year, opts.certno ?? null],
      )
    : await q.query<{ warning_id: number }>(
        `SELECT w.warning_id FROM monitoring_warning w
          WHERE ${open} AND ${fromAccumulator} <= w.line`,
        [year, opts.certno ?? null],
      );
  if (found.rows.length === 0) return [];
  // Lock the few to withdraw and read their burden as it stands; moveWarning re-checks the
  // status under the lock.
  const r = await q.query<ToWithdraw>(
    `SELECT w.warning_id, w.certno, w.threshold, w.status, w.line,
            ${fromAccumulator} AS amount_now
       FROM monitoring_warning w
      WHERE w.year = $1 AND w.warning_id = ANY($2::bigint[])
      ORDER BY w.warning_id
        FOR UPDATE OF w`,
    [year, found.rows.map((x) => x.warning_id)],
  );
  return r.rows.filter((w) => w.amount_now <= w.line);
}

export interface RunRow {
  run_id: number;
  month: string;
  year: number;
  rules: MonitoringRule[];
  created: number;
  reopened: number;
  withdrawn: number;
  actor_id: string;
  started_at: string;
  finished_at: string | null;
}

export async function listRuns(q: Queryable, month: Month | null): Promise<RunRow[]> {
  const r = await q.query<RunRow>(
    `SELECT * FROM monitoring_run WHERE $1::text IS NULL OR month = $1 ORDER BY run_id`,
    [month],
  );
  return r.rows;
}
