/**
 * Open early warnings (预警) for the dashboard, read from the monitoring module's table
 * (`monitoring_warning`, migration 0007; open = OPEN_STATUSES of src/monitoring/status.ts). A
 * database migrated before that table existed answers `null` ("not available"), never an error,
 * so the home page still shows everything else.
 */
import type { DataScope } from '../kernel/access/actor.ts';
import { personScopeSql } from '../kernel/access/scope.ts';
import type { Queryable } from '../db/db.ts';
import { OPEN_STATUSES } from '../monitoring/index.ts';

export async function openWarnings(db: Queryable, scope: DataScope): Promise<number | null> {
  const t = await db.query<{ present: boolean }>(
    `SELECT to_regclass('monitoring_warning') IS NOT NULL AS present`,
  );
  if (!t.rows[0]?.present) return null;
  const s = personScopeSql(scope, 'p', 2);
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM monitoring_warning w JOIN person p ON p.certno = w.certno
      WHERE w.status = ANY($1::text[]) AND ${s.sql}`,
    [OPEN_STATUSES, ...s.params],
  );
  return r.rows[0]?.n ?? 0;
}
