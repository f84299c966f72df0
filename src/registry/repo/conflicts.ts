/**
 * Registrations refused because the ID number is registered outside the caller's scope, kept for
 * the bureau to resolve. Listed within the reader's region: by the village the caller asked for
 * or by where the person is registered now.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';

export interface RegistrationConflict {
  conflictId: number;
  certno: string;
  name: string;
  regionCode: string;
  registeredRegionCode: string | null;
  requestedBy: string;
  requestedAt: string;
  reason: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

export async function insertConflict(
  q: Queryable,
  c: { certno: string; name: string; regionCode: string; requestedBy: string; reason: string },
): Promise<void> {
  await q.query(
    `INSERT INTO registration_conflict (certno, name, region_code, requested_by, reason)
     VALUES ($1, $2, $3, $4, $5)`,
    [c.certno, c.name, c.regionCode, c.requestedBy, c.reason],
  );
}

/** Is the person registered, and may `scope` see them? Null when not registered at all. */
export async function registeredWhere(
  q: Queryable,
  scopeSql: { sql: string; params: unknown[] },
  certno: string,
): Promise<{ inScope: boolean } | null> {
  const r = await q.query<{ in_scope: boolean }>(
    `SELECT (${scopeSql.sql}) AS in_scope FROM person p WHERE p.certno = $1`,
    [certno, ...scopeSql.params],
  );
  const row = r.rows[0];
  return row ? { inScope: row.in_scope } : null;
}

const COLUMNS = `c.conflict_id AS "conflictId", c.certno, c.name, c.region_code AS "regionCode",
  p.region_code AS "registeredRegionCode", c.requested_by AS "requestedBy",
  to_char(c.requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "requestedAt",
  c.reason, c.resolved_by AS "resolvedBy",
  to_char(c.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "resolvedAt",
  c.resolution`;

/** Only a region (bureau) or the system scope reads these: it is the bureau's work list. */
export async function listConflicts(
  q: Queryable,
  scope: DataScope,
  open: boolean,
): Promise<RegistrationConflict[]> {
  if (scope.kind !== 'region' && scope.kind !== 'system') return [];
  const region = scope.kind === 'region' ? scope.regionCode : '';
  const r = await q.query<RegistrationConflict>(
    `SELECT ${COLUMNS} FROM registration_conflict c LEFT JOIN person p ON p.certno = c.certno
      WHERE (c.region_code LIKE $1::text || '%' OR p.region_code LIKE $1::text || '%')
        AND ($2::boolean IS FALSE OR c.resolved_at IS NULL)
      ORDER BY c.conflict_id LIMIT 1000`,
    [region, open],
  );
  return r.rows;
}

/** Marks one resolved; null when it is not in the scope's region or already resolved. */
export async function resolveConflict(
  q: Queryable,
  scope: DataScope,
  conflictId: number,
  by: string,
  resolution: string,
): Promise<RegistrationConflict | null> {
  if (scope.kind !== 'region' && scope.kind !== 'system') return null;
  const region = scope.kind === 'region' ? scope.regionCode : '';
  const r = await q.query<{ certno: string }>(
    `UPDATE registration_conflict c SET resolved_by = $3, resolved_at = now(), resolution = $4
      WHERE c.conflict_id = $1 AND c.resolved_at IS NULL
        AND (c.region_code LIKE $2::text || '%'
             OR EXISTS (SELECT 1 FROM person p WHERE p.certno = c.certno
                         AND p.region_code LIKE $2::text || '%'))
      RETURNING c.certno`,
    [conflictId, region, by, resolution],
  );
  const certno = r.rows[0]?.certno;
  if (!certno) return null;
  const rows = await q.query<RegistrationConflict>(
    `SELECT ${COLUMNS} FROM registration_conflict c LEFT JOIN person p ON p.certno = c.certno
      WHERE c.certno = $1 AND c.conflict_id = $2`,
    [certno, conflictId],
  );
  return rows.rows[0] ?? null;
}
