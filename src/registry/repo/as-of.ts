/**
 * The registry as it stood at a moment: every version of a record is valid from the time it was
 * recorded (`updated_at`) until it was superseded (the history row's `valid_to`; the current row
 * never is). The scope is checked on the person as they stand now.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type { PersonRecord } from '../model.ts';
import {
  byEnrolmentOrder,
  byFlagOrder,
  enrolmentFromJson,
  flagFromJson,
  isoTs,
  personFromJson,
  type Entity,
} from './rows.ts';
import { findPerson } from './read.ts';

/** Every version of `entity` for one person, current and superseded, with its validity. */
const versions = (entity: Entity) => `(
  SELECT t.*, 'infinity'::timestamptz AS valid_to FROM ${entity} t WHERE t.certno = $1
  UNION ALL
  SELECT r.*, h.valid_to FROM registry_history h
    CROSS JOIN LATERAL jsonb_populate_record(NULL::${entity}, h.data) r
  WHERE h.certno = $1 AND h.entity = '${entity}')`;

/** The version in force just before `$2`: recorded before it and not superseded before it. */
const validAt = (a: string) =>
  `${a}.updated_at < $2::timestamptz AND ${a}.valid_to >= $2::timestamptz`;

/**
 * The person as the registry stood just before `before` (an ISO timestamp; for "as of a day",
 * the next midnight). Null when outside the scope or not yet registered then.
 */
export async function loadRecordAsOf(
  q: Queryable,
  scope: DataScope,
  certno: string,
  before: string,
): Promise<PersonRecord | null> {
  if (!(await findPerson(q, scope, certno))) return null;
  const at = async (entity: Entity) =>
    (
      await q.query<{ j: Record<string, unknown> }>(
        `SELECT row_to_json(v) AS j FROM ${versions(entity)} v WHERE ${validAt('v')}`,
        [certno, before],
      )
    ).rows.map((r) => r.j);
  const [person] = await at('person');
  if (!person) return null;
  return {
    person: personFromJson(person),
    flags: (await at('person_flag')).map(flagFromJson).sort(byFlagOrder),
    enrolments: (await at('enrolment')).map(enrolmentFromJson).sort(byEnrolmentOrder),
  };
}

export interface VersionEntry {
  entity: Entity;
  entityId: string;
  version: number;
  validFrom: string;
  /** Null for the current version. */
  validTo: string | null;
  updatedBy: string;
  changeReason: string | null;
}

/** Every version of the person's records, oldest first: who changed what, when and why. */
export async function listVersions(q: Queryable, certno: string): Promise<VersionEntry[]> {
  const r = await q.query<VersionEntry>(
    `SELECT entity, "entityId", version, "validFrom", "validTo", "updatedBy", "changeReason" FROM (
       SELECT 'person' AS entity, certno::text AS "entityId", version, updated_at AS at,
         ${isoTs('updated_at')} AS "validFrom",
         NULL::text AS "validTo", updated_by AS "updatedBy", change_reason AS "changeReason"
       FROM person WHERE certno = $1
       UNION ALL
       SELECT 'person_flag', flag_id::text, version, updated_at,
         ${isoTs('updated_at')}, NULL,
         updated_by, change_reason
       FROM person_flag WHERE certno = $1
       UNION ALL
       SELECT 'enrolment', enrolment_id::text, version, updated_at,
         ${isoTs('updated_at')}, NULL,
         updated_by, change_reason
       FROM enrolment WHERE certno = $1
       UNION ALL
       SELECT entity, entity_id, version, valid_from,
         ${isoTs('valid_from')},
         ${isoTs('valid_to')},
         data->>'updated_by', data->>'change_reason'
       FROM registry_history WHERE certno = $1
     ) v ORDER BY at, entity, "entityId", version`,
    [certno],
  );
  return r.rows;
}
