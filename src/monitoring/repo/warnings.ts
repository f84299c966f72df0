/**
 * SQL of single warnings and lists: read in the caller's scope (scope.ts), move one warning from
 * one status to the next with its event row. Status checks live in the service; the UPDATE
 * re-checks the status it expects, so two concurrent decisions cannot both pass.
 */
import type { Queryable } from '../../db/db.ts';
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Category } from '../../policy/index.ts';
import type { Threshold } from '../thresholds.ts';
import type { WarningStatus } from '../status.ts';
import { warningScopeSql } from './scope.ts';

export interface WarningRow {
  warning_id: number;
  certno: string;
  year: number;
  threshold: Threshold;
  month: string;
  run_id: number;
  region_code: string;
  categories: Category[];
  pack: string;
  amount: number;
  line: number;
  status: WarningStatus;
  push_id: number | null;
  pushed_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  dismiss_reason: string | null;
  assistance: unknown;
  assisted_at: string | null;
  withdrawn_at: string | null;
  reopened: number;
  created_at: string;
  updated_at: string;
  name: string;
  township_code: string;
  township_name: string | null;
}

/** The columns every read selects: the warning, the person's name and the township. */
export const WARNING_SELECT = `SELECT w.*, p.name, left(w.region_code, 9) AS township_code,
    (SELECT t.name FROM region t WHERE t.code = left(w.region_code, 9)) AS township_name
  FROM monitoring_warning w JOIN person p ON p.certno = w.certno`;

export async function findWarning(
  q: Queryable,
  scope: DataScope,
  id: number,
  lock = false,
): Promise<WarningRow | null> {
  const s = warningScopeSql(scope, 'p', 'w', 2);
  const r = await q.query<WarningRow>(
    `${WARNING_SELECT} WHERE w.warning_id = $1 AND ${s.sql}${lock ? ' FOR UPDATE OF w' : ''}`,
    [id, ...s.params],
  );
  return r.rows[0] ?? null;
}

export interface WarningFilter {
  year?: number | undefined;
  month?: string | undefined;
  status?: WarningStatus | undefined;
  threshold?: Threshold | undefined;
  /** A region code prefix: county, township or village. */
  region?: string | undefined;
  certno?: string | undefined;
  pushId?: number | undefined;
}

/** The WHERE clause of a filter (after the scope), with its params from `$first`. */
function filterSql(f: WarningFilter, first: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, v: unknown) => {
    params.push(v);
    parts.push(sql(`$${first + params.length - 1}`));
  };
  if (f.year !== undefined) add((n) => `w.year = ${n}`, f.year);
  if (f.month !== undefined) add((n) => `w.month = ${n}`, f.month);
  if (f.status !== undefined) add((n) => `w.status = ${n}`, f.status);
  if (f.threshold !== undefined) add((n) => `w.threshold = ${n}`, f.threshold);
  if (f.region !== undefined) add((n) => `w.region_code LIKE ${n} || '%'`, f.region);
  if (f.certno !== undefined) add((n) => `w.certno = ${n}`, f.certno);
  if (f.pushId !== undefined) add((n) => `w.push_id = ${n}`, f.pushId);
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

export async function listWarnings(
  q: Queryable,
  scope: DataScope,
  f: WarningFilter,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: WarningRow[] }> {
  const s = warningScopeSql(scope, 'p', 'w', 1);
  const w = filterSql(f, 1 + s.params.length);
  const where = `${s.sql} AND ${w.sql}`;
  const params = [...s.params, ...w.params];
  const n = params.length;
  const rows = await q.query<WarningRow>(
    `${WARNING_SELECT} WHERE ${where} ORDER BY w.warning_id LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, page.limit, page.offset],
  );
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM monitoring_warning w JOIN person p ON p.certno = w.certno
      WHERE ${where}`,
    params,
  );
  return { total: total.rows[0]!.n, rows: rows.rows };
}

/** Every warning of a filter, in id order (exports, pushes; a month's warnings are few). */
export async function allWarnings(
  q: Queryable,
  scope: DataScope,
  f: WarningFilter,
  lock = false,
): Promise<WarningRow[]> {
  const s = warningScopeSql(scope, 'p', 'w', 1);
  const w = filterSql(f, 1 + s.params.length);
  const r = await q.query<WarningRow>(
    `${WARNING_SELECT} WHERE ${s.sql} AND ${w.sql} ORDER BY w.warning_id${lock ? ' FOR UPDATE OF w' : ''}`,
    [...s.params, ...w.params],
  );
  return r.rows;
}

/** The columns a transition may set besides the status. */
export interface TransitionFields {
  pushId?: number;
  decidedBy?: string;
  dismissReason?: string;
  assistance?: unknown;
}

/**
 * Moves one warning from `from` to `to` and records the event. Returns false when the warning is
 * no longer in `from` (someone else moved it first).
 */
export async function moveWarning(
  q: Queryable,
  w: { warning_id: number; certno: string },
  from: WarningStatus,
  to: WarningStatus,
  actorId: string,
  fields: TransitionFields & { reason?: string | null; runId?: number | null; detail?: unknown },
): Promise<boolean> {
  const r = await q.query(
    `WITH moved AS (
       UPDATE monitoring_warning SET status = $4, updated_at = now(),
              push_id = CASE WHEN $4 = 'pushed' THEN $6::bigint ELSE push_id END,
              pushed_at = CASE WHEN $4 = 'pushed' THEN now() ELSE pushed_at END,
              decided_by = CASE WHEN $4 IN ('confirmed', 'dismissed') THEN $7 ELSE decided_by END,
              decided_at = CASE WHEN $4 IN ('confirmed', 'dismissed') THEN now() ELSE decided_at END,
              dismiss_reason = CASE WHEN $4 = 'dismissed' THEN $8 ELSE dismiss_reason END,
              assistance = CASE WHEN $4 = 'assisted' THEN $9::jsonb ELSE assistance END,
              assisted_at = CASE WHEN $4 = 'assisted' THEN now() ELSE assisted_at END,
              withdrawn_at = CASE WHEN $4 = 'withdrawn' THEN now() ELSE withdrawn_at END
        WHERE certno = $1 AND warning_id = $2 AND status = $3
        RETURNING certno, warning_id)
     INSERT INTO monitoring_warning_event (certno, warning_id, from_status, to_status, actor_id,
                                           run_id, reason, detail)
     SELECT certno, warning_id, $3, $4, $5, $10, $11, $12::jsonb FROM moved`,
    [
      w.certno,
      w.warning_id,
      from,
      to,
      actorId,
      fields.pushId ?? null,
      fields.decidedBy ?? null,
      fields.dismissReason ?? null,
      fields.assistance === undefined ? null : JSON.stringify(fields.assistance),
      fields.runId ?? null,
      fields.reason ?? null,
      fields.detail === undefined ? null : JSON.stringify(fields.detail),
    ],
  );
  return r.rowCount === 1;
}

export interface WarningEvent {
  seq: number;
  from_status: WarningStatus | null;
  to_status: WarningStatus;
  actor_id: string;
  run_id: number | null;
  reason: string | null;
  detail: unknown;
  at: string;
}

export async function warningEvents(
  q: Queryable,
  w: { warning_id: number; certno: string },
): Promise<WarningEvent[]> {
  const r = await q.query<WarningEvent>(
    `SELECT seq, from_status, to_status, actor_id, run_id, reason, detail, at
       FROM monitoring_warning_event WHERE certno = $1 AND warning_id = $2 ORDER BY seq`,
    [w.certno, w.warning_id],
  );
  return r.rows;
}
