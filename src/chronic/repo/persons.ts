/** The person an application, certificate or filing is about, read in the caller's scope. */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import { scoped } from './sql.ts';

export interface PersonRow {
  certno: string;
  name: string;
  regionCode: string;
  status: 'alive' | 'deceased' | 'missing';
  deathDate: string | null;
}

/**
 * The person if the scope holds them, else null (out of scope reads as not found). With `lock`
 * the row stays locked until the transaction ends: one writer of a person's chronic records at a
 * time, so two approvals cannot both create a certificate.
 */
export async function findPerson(
  q: Queryable,
  scope: DataScope,
  certno: string,
  lock = false,
): Promise<PersonRow | null> {
  const params: unknown[] = [certno];
  const r = await q.query<PersonRow>(
    `SELECT p.certno, p.name, p.region_code AS "regionCode", p.status, p.death_date::text AS "deathDate"
       FROM person p WHERE p.certno = $1 AND ${scoped(scope, params)}${lock ? ' FOR UPDATE OF p' : ''}`,
    params,
  );
  return r.rows[0] ?? null;
}

/** The people of `certnos` the scope holds, locked for the transaction (imports). */
export async function lockPeople(
  q: Queryable,
  scope: DataScope,
  certnos: readonly string[],
): Promise<Map<string, PersonRow>> {
  const params: unknown[] = [[...certnos]];
  const r = await q.query<PersonRow>(
    `SELECT p.certno, p.name, p.region_code AS "regionCode", p.status, p.death_date::text AS "deathDate"
       FROM person p WHERE p.certno = ANY($1::bpchar[]) AND ${scoped(scope, params)}
      ORDER BY p.certno FOR UPDATE OF p`,
    params,
  );
  return new Map(r.rows.map((p) => [p.certno, p]));
}

/** Locks a person's row whoever the caller (the gateway has checked the person already). */
export async function lockPersonRow(q: Queryable, certno: string): Promise<void> {
  await q.query('SELECT 1 FROM person WHERE certno = $1 FOR UPDATE', [certno]);
}
