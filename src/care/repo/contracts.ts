/** Contracts (家庭医生签约) and the people they are about, read in the caller's scope. */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { ContractInput, ContractRow } from '../core/contract.ts';
import { POVERTY_CATEGORIES } from '../core/contract.ts';
import { limitOffset, param, scoped, ts, type Page } from './sql.ts';

export interface PersonRow {
  certno: string;
  name: string;
  regionCode: string;
  status: 'alive' | 'deceased' | 'missing';
}

/** The person if the scope holds them, else null (outside reads as not found). */
export async function findPerson(
  q: Queryable,
  scope: DataScope,
  certno: string,
  lock = false,
): Promise<PersonRow | null> {
  const params: unknown[] = [certno];
  const r = await q.query<PersonRow>(
    `SELECT p.certno, p.name, p.region_code AS "regionCode", p.status
       FROM person p WHERE p.certno = $1 AND ${scoped(scope, params)}${lock ? ' FOR UPDATE OF p' : ''}`,
    params,
  );
  return r.rows[0] ?? null;
}

const CONTRACT_COLS = `c.contract_id::int AS "contractId", c.certno, c.township_code AS "townshipCode",
  c.doctor, c.team, c.fixmedins_code AS "fixmedinsCode", c.valid_from::text AS "validFrom",
  c.valid_to::text AS "validTo", c.ended_reason AS "endedReason", c.created_by AS "createdBy",
  ${ts('c.created_at')} AS "createdAt"`;

export async function contractsOf(q: Queryable, certno: string): Promise<ContractRow[]> {
  const r = await q.query<ContractRow>(
    `SELECT ${CONTRACT_COLS} FROM care_contract c WHERE c.certno = $1 ORDER BY c.valid_from DESC`,
    [certno],
  );
  return r.rows;
}

/** A contract by id, if its person is in the scope. */
export async function findContract(
  q: Queryable,
  scope: DataScope,
  id: number,
): Promise<ContractRow | null> {
  const params: unknown[] = [id];
  const r = await q.query<ContractRow>(
    `SELECT ${CONTRACT_COLS} FROM care_contract c JOIN person p ON p.certno = c.certno
      WHERE c.contract_id = $1 AND ${scoped(scope, params)}`,
    params,
  );
  return r.rows[0] ?? null;
}

export async function insertContract(
  q: Queryable,
  row: ContractInput & { certno: string; townshipCode: string; createdBy: string },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO care_contract (certno, township_code, doctor, team, fixmedins_code, valid_from, valid_to, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING contract_id::int AS id`,
    [
      row.certno,
      row.townshipCode,
      row.doctor,
      row.team,
      row.fixmedinsCode,
      row.validFrom,
      row.validTo ?? null,
      row.createdBy,
    ],
  );
  return r.rows[0]!.id;
}

export async function endContract(
  q: Queryable,
  certno: string,
  id: number,
  validTo: IsoDate,
  reason: string,
): Promise<void> {
  await q.query(
    `UPDATE care_contract SET valid_to = $3, ended_reason = $4 WHERE certno = $1 AND contract_id = $2`,
    [certno, id, validTo, reason],
  );
}

/** Is the code a registered designated institution? */
export async function institutionExists(q: Queryable, code: string): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM gateway_institution WHERE fixmedins_code = $1', [code]);
  return r.rows.length > 0;
}

export interface UncontractedRow {
  certno: string;
  name: string;
  regionCode: string;
  categories: string[];
}

/**
 * People of the poverty categories (a flag holding in `month`) alive and without a contract in
 * force on `day`, in the scope.
 */
export async function uncontracted(
  q: Queryable,
  scope: DataScope,
  filter: { regionCode?: string | undefined; month: string; day: IsoDate },
  page: Page,
): Promise<{ items: UncontractedRow[]; total: number }> {
  const params: unknown[] = [[...POVERTY_CATEGORIES], filter.month, filter.day];
  const region =
    filter.regionCode === undefined
      ? ''
      : `AND p.region_code LIKE ${param(params, filter.regionCode)} || '%'`;
  const where = `p.status = 'alive' AND ${scoped(scope, params)} ${region}
    AND NOT EXISTS (SELECT 1 FROM care_contract c WHERE c.certno = p.certno
                     AND c.valid_from <= $3 AND (c.valid_to IS NULL OR c.valid_to >= $3))`;
  const flagged = `SELECT f.certno, array_agg(DISTINCT f.category ORDER BY f.category) AS categories
      FROM person_flag f
     WHERE f.category = ANY($1::text[]) AND f.from_month <= $2 AND (f.to_month IS NULL OR f.to_month >= $2)
     GROUP BY f.certno`;
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (${flagged}) f JOIN person p ON p.certno = f.certno WHERE ${where}`,
    params,
  );
  const listParams = [...params];
  const r = await q.query<UncontractedRow>(
    `SELECT p.certno, p.name, p.region_code AS "regionCode", f.categories
       FROM (${flagged}) f JOIN person p ON p.certno = f.certno WHERE ${where}
      ORDER BY p.region_code, p.certno ${limitOffset(listParams, page)}`,
    listParams,
  );
  return { items: r.rows, total: total.rows[0]!.n };
}
