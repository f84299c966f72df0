/**
 * Versioned writes. Creating a record writes version 1 stamped with who, when and why; changing
 * one first copies the row as it was into `registry_history` (valid until now), then updates it
 * in place with the next version number. Callers hold the transaction and the person's lock.
 */
import type { Queryable } from '../../db/db.ts';
import type {
  Enrolment,
  EnrolmentFields,
  Flag,
  FlagFields,
  Person,
  PersonFields,
} from '../model.ts';
import {
  ENROLMENT_COLUMN,
  FLAG_COLUMN,
  PERSON_COLUMN,
  enrolmentFromJson,
  flagFromJson,
  personFromJson,
  type Entity,
} from './rows.ts';

type Json = Record<string, unknown>;

/** Runs an INSERT … RETURNING row_to_json(…) AS j and maps the one row it returns. */
async function returning<T>(
  q: Queryable,
  sql: string,
  params: unknown[],
  map: (j: Json) => T,
): Promise<T> {
  const r = await q.query<{ j: Json }>(sql, params);
  const row = r.rows[0];
  if (!row) throw new Error('the write returned no row');
  return map(row.j);
}

/** Who records a version, when (ISO timestamp) and why. */
export interface WriteStamp {
  at: string;
  by: string;
  reason: string;
}

/** A new person: the fields plus what the ID number and the name give. */
export interface NewPerson extends PersonFields {
  certno: string;
  gender: Person['gender'];
  birthDate: string;
  namePinyinInitials: string;
}

export function insertPerson(q: Queryable, p: NewPerson, s: WriteStamp): Promise<Person> {
  return returning(
    q,
    `INSERT INTO person (certno, name, gender, birth_date, household_id, region_code, phone, status,
       death_date, missing_since, name_pinyin_initials, created_at, updated_at, updated_by,
       change_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)
     RETURNING row_to_json(person) AS j`,
    [
      p.certno,
      p.name,
      p.gender,
      p.birthDate,
      p.householdId,
      p.regionCode,
      p.phone,
      p.status,
      p.deathDate,
      p.missingSince,
      p.namePinyinInitials,
      s.at,
      s.by,
      s.reason,
    ],
    personFromJson,
  );
}

export function insertFlag(
  q: Queryable,
  certno: string,
  f: FlagFields,
  s: WriteStamp,
): Promise<Flag> {
  return returning(
    q,
    `INSERT INTO person_flag (certno, category, from_month, to_month, source, evidence_no,
       recognised_on, end_reason, updated_at, updated_by, change_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     RETURNING row_to_json(person_flag) AS j`,
    [
      certno,
      f.category,
      f.fromMonth,
      f.toMonth,
      f.source,
      f.evidenceNo,
      f.recognisedOn,
      f.endReason,
      s.at,
      s.by,
      s.reason,
    ],
    flagFromJson,
  );
}

export function insertEnrolment(
  q: Queryable,
  certno: string,
  e: EnrolmentFields,
  s: WriteStamp,
): Promise<Enrolment> {
  return returning(
    q,
    `INSERT INTO enrolment (certno, medical_year, scheme, contribution_type, contribution,
       funded_amount, funder, enrolled_on, benefit_from, benefit_to, end_reason, refund,
       refunded_on, created_at, updated_at, updated_by, change_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16)
     RETURNING row_to_json(enrolment) AS j`,
    [
      certno,
      e.medicalYear,
      e.scheme,
      e.contributionType,
      e.contribution,
      e.fundedAmount,
      e.funder,
      e.enrolledOn,
      e.benefitFrom,
      e.benefitTo,
      e.endReason,
      e.refund,
      e.refundedOn,
      s.at,
      s.by,
      s.reason,
    ],
    enrolmentFromJson,
  );
}

interface Target<T> {
  entity: Entity;
  /** SQL naming the row, over params $1 (certno) and $2 (id, when there is one). */
  where: string;
  key: unknown[];
  /** SQL giving the history row's entity_id. */
  idExpr: string;
  map: (j: Json) => T;
}

/**
 * Copies the row to the history, then sets `sets` (column → value) and the next version stamp.
 * The new version never starts before the old one (a clock behind the database's is clamped).
 */
async function supersede<T>(
  q: Queryable,
  t: Target<T>,
  sets: [string, unknown][],
  s: WriteStamp,
): Promise<T> {
  const n = t.key.length;
  await q.query(
    `INSERT INTO registry_history (certno, entity, entity_id, version, valid_from, valid_to, data)
     SELECT x.certno, '${t.entity}', ${t.idExpr}, x.version, x.updated_at,
       greatest($${n + 1}::timestamptz, x.updated_at), to_jsonb(x)
     FROM ${t.entity} x WHERE ${t.where}`,
    [...t.key, s.at],
  );
  const params: unknown[] = [...t.key, s.at, s.by, s.reason];
  const assignments = sets.map(([col, v]) => {
    params.push(v);
    return `${col} = $${params.length}`;
  });
  return returning(
    q,
    `UPDATE ${t.entity} x SET ${[
      ...assignments,
      'version = x.version + 1',
      `updated_at = greatest($${n + 1}::timestamptz, x.updated_at)`,
      `updated_by = $${n + 2}`,
      `change_reason = $${n + 3}`,
    ].join(', ')}
     WHERE ${t.where} RETURNING row_to_json(x) AS j`,
    params,
    t.map,
  );
}

function assignments<F extends object>(
  patch: Partial<F>,
  columns: Record<keyof F, string>,
): [string, unknown][] {
  return (Object.keys(patch) as (keyof F)[])
    .filter((k) => patch[k] !== undefined)
    .map((k) => [columns[k], patch[k]]);
}

export function updatePerson(
  q: Queryable,
  certno: string,
  patch: Partial<PersonFields> & { namePinyinInitials?: string },
  s: WriteStamp,
): Promise<Person> {
  const { namePinyinInitials, ...fields } = patch;
  const sets = assignments<PersonFields>(fields, PERSON_COLUMN);
  if (namePinyinInitials !== undefined) sets.push(['name_pinyin_initials', namePinyinInitials]);
  return supersede<Person>(
    q,
    {
      entity: 'person',
      where: 'x.certno = $1',
      key: [certno],
      idExpr: 'x.certno',
      map: personFromJson,
    },
    sets,
    s,
  );
}

export const updateFlag = (
  q: Queryable,
  certno: string,
  flagId: number,
  patch: Partial<FlagFields>,
  s: WriteStamp,
): Promise<Flag> =>
  supersede<Flag>(
    q,
    {
      entity: 'person_flag',
      where: 'x.certno = $1 AND x.flag_id = $2',
      key: [certno, flagId],
      idExpr: 'x.flag_id::text',
      map: flagFromJson,
    },
    assignments<FlagFields>(patch, FLAG_COLUMN),
    s,
  );

export const updateEnrolment = (
  q: Queryable,
  certno: string,
  enrolmentId: number,
  patch: Partial<EnrolmentFields>,
  s: WriteStamp,
): Promise<Enrolment> =>
  supersede<Enrolment>(
    q,
    {
      entity: 'enrolment',
      where: 'x.certno = $1 AND x.enrolment_id = $2',
      key: [certno, enrolmentId],
      idExpr: 'x.enrolment_id::text',
      map: enrolmentFromJson,
    },
    assignments<EnrolmentFields>(patch, ENROLMENT_COLUMN),
    s,
  );
