/**
 * Reading one person as the registry stands now. Every read takes the caller's data scope: a
 * person outside it is "not found", exactly like a person who does not exist.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import type { Queryable } from '../../db/db.ts';
import type { Person, PersonRecord } from '../model.ts';
import {
  byEnrolmentOrder,
  byFlagOrder,
  enrolmentFromJson,
  flagFromJson,
  personFromJson,
} from './rows.ts';

type Json = Record<string, unknown>;

export async function findPerson(
  q: Queryable,
  scope: DataScope,
  certno: string,
): Promise<Person | null> {
  const s = personScopeSql(scope, 'p', 2);
  const r = await q.query<{ j: Json }>(
    `SELECT row_to_json(p) AS j FROM person p WHERE p.certno = $1 AND ${s.sql}`,
    [certno, ...s.params],
  );
  const row = r.rows[0];
  return row ? personFromJson(row.j) : null;
}

/**
 * The person with their flags and enrolments, in one round trip and one small plan (the ID
 * lookup is the hottest registry query: settlement and the front desk call it for every visit).
 */
export async function loadRecord(
  q: Queryable,
  scope: DataScope,
  certno: string,
): Promise<PersonRecord | null> {
  const s = personScopeSql(scope, 'p', 2);
  const r = await q.query<{ person: Json; flags: Json[] | null; enrolments: Json[] | null }>(
    `SELECT row_to_json(p) AS person,
       (SELECT json_agg(f) FROM person_flag f WHERE f.certno = p.certno) AS flags,
       (SELECT json_agg(e) FROM enrolment e WHERE e.certno = p.certno) AS enrolments
     FROM person p WHERE p.certno = $1 AND ${s.sql}`,
    [certno, ...s.params],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    person: personFromJson(row.person),
    flags: (row.flags ?? []).map(flagFromJson).sort(byFlagOrder),
    enrolments: (row.enrolments ?? []).map(enrolmentFromJson).sort(byEnrolmentOrder),
  };
}

/** Locks the person's row for the rest of the transaction (one writer per person at a time). */
export async function lockPerson(q: Queryable, certno: string): Promise<void> {
  await q.query('SELECT 1 FROM person WHERE certno = $1 FOR UPDATE', [certno]);
}
