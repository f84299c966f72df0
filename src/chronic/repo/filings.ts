/**
 * SQL of two-diseases filings (两病备案), the institutions they name, and the screening notes
 * the person summary shows. Reads of people take the caller's scope.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type { TwoDiseaseName } from '../../policy/index.ts';
import type { Filing, FilingEndReason, FilingSource, ScreeningNote } from '../core/model.ts';
import { limitOffset, param, scoped, ts, type Page } from './sql.ts';

const SELECT = `SELECT f.filing_id::int8 AS id, f.certno, p.name, f.disease, f.diagnosis,
    f.fixmedins_code AS "fixmedinsCode", i.fixmedins_name AS "institutionName",
    f.region_code AS "regionCode", f.valid_from::text AS "validFrom", f.valid_to::text AS "validTo",
    f.source, f.gateway_sn AS "gatewaySn", f.ended_reason AS "endedReason",
    f.created_by AS "createdBy", ${ts('f.created_at')} AS "createdAt"
  FROM two_diseases_filing f JOIN person p ON p.certno = f.certno
  LEFT JOIN gateway_institution i ON i.fixmedins_code = f.fixmedins_code`;

type Row = Omit<Filing, 'id'> & { id: number | string };
const toFiling = (r: Row): Filing => ({ ...r, id: Number(r.id) });

export async function findFiling(
  q: Queryable,
  scope: DataScope,
  id: number,
): Promise<Filing | null> {
  const params: unknown[] = [id];
  const r = await q.query<Row>(
    `${SELECT} WHERE f.filing_id = $1 AND ${scoped(scope, params)}`,
    params,
  );
  return r.rows[0] ? toFiling(r.rows[0]) : null;
}

export async function filingsOf(q: Queryable, certno: string): Promise<Filing[]> {
  const r = await q.query<Row>(`${SELECT} WHERE f.certno = $1 ORDER BY f.valid_from, f.filing_id`, [
    certno,
  ]);
  return r.rows.map(toFiling);
}

export async function filingBySn(q: Queryable, certno: string, sn: string): Promise<Filing | null> {
  const r = await q.query<Row>(`${SELECT} WHERE f.certno = $1 AND f.gateway_sn = $2`, [certno, sn]);
  return r.rows[0] ? toFiling(r.rows[0]) : null;
}

export interface FilingFilter {
  regionCode?: string | undefined;
  certno?: string | undefined;
  disease?: TwoDiseaseName | undefined;
}

export async function listFilings(
  q: Queryable,
  scope: DataScope,
  f: FilingFilter,
  page: Page,
): Promise<{ items: Filing[]; total: number }> {
  const params: unknown[] = [];
  const where = [scoped(scope, params)];
  if (f.regionCode) where.push(`f.region_code LIKE ${param(params, f.regionCode)} || '%'`);
  if (f.certno) where.push(`f.certno = ${param(params, f.certno)}`);
  if (f.disease) where.push(`f.disease = ${param(params, f.disease)}`);
  const cond = where.join(' AND ');
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM two_diseases_filing f JOIN person p ON p.certno = f.certno
      WHERE ${cond}`,
    params,
  );
  const pageParams = [...params];
  const r = await q.query<Row>(
    `${SELECT} WHERE ${cond} ORDER BY f.filing_id DESC ${limitOffset(pageParams, page)}`,
    pageParams,
  );
  return { items: r.rows.map(toFiling), total: total.rows[0]?.n ?? 0 };
}

export interface NewFiling {
  certno: string;
  disease: TwoDiseaseName;
  diagnosis: string | null;
  fixmedinsCode: string;
  regionCode: string;
  validFrom: string;
  validTo: string | null;
  source: FilingSource;
  gatewaySn: string | null;
  createdBy: string;
}

export async function insertFiling(q: Queryable, f: NewFiling): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO two_diseases_filing (certno, disease, diagnosis, fixmedins_code, region_code,
       valid_from, valid_to, source, gateway_sn, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::date, $7::date, $8, $9, $10)
     RETURNING filing_id::int8 AS id`,
    [
      f.certno,
      f.disease,
      f.diagnosis,
      f.fixmedinsCode,
      f.regionCode,
      f.validFrom,
      f.validTo,
      f.source,
      f.gatewaySn,
      f.createdBy,
    ],
  );
  return Number(r.rows[0]!.id);
}

export async function endFiling(
  q: Queryable,
  certno: string,
  id: number,
  end: { on: string; reason: FilingEndReason; by: string },
): Promise<void> {
  await q.query(
    `UPDATE two_diseases_filing SET valid_to = $3::date, ended_reason = $4, ended_by = $5,
        ended_at = now()
      WHERE certno = $1 AND filing_id = $2`,
    [certno, id, end.on, end.reason, end.by],
  );
}

/** The filings of `certnos`, unscoped (the caller locked the people). */
export async function filingsOfMany(
  q: Queryable,
  certnos: readonly string[],
): Promise<Map<string, Filing[]>> {
  const out = new Map<string, Filing[]>();
  if (certnos.length === 0) return out;
  const r = await q.query<Row>(`${SELECT} WHERE f.certno = ANY($1::bpchar[])`, [[...certnos]]);
  for (const row of r.rows) {
    const list = out.get(row.certno) ?? [];
    list.push(toFiling(row));
    out.set(row.certno, list);
  }
  return out;
}

// ---- institutions (gateway_institution) -------------------------------------------------------

export interface InstitutionRow {
  code: string;
  name: string;
  level: 1 | 2 | 3;
  admdvs: string;
}

const INSTITUTION = `SELECT fixmedins_code AS code, fixmedins_name AS name, hosp_lv AS level, admdvs
  FROM gateway_institution`;

export async function findInstitution(q: Queryable, code: string): Promise<InstitutionRow | null> {
  const r = await q.query<InstitutionRow>(`${INSTITUTION} WHERE fixmedins_code = $1`, [code]);
  return r.rows[0] ?? null;
}

export async function institutionsByCode(
  q: Queryable,
  codes: readonly string[],
): Promise<Map<string, InstitutionRow>> {
  if (codes.length === 0) return new Map();
  const r = await q.query<InstitutionRow>(`${INSTITUTION} WHERE fixmedins_code = ANY($1::text[])`, [
    [...codes],
  ]);
  return new Map(r.rows.map((i) => [i.code, i]));
}

/**
 * The health centres of a township: level-1 institutions registered in it, or registered
 * county-wide under the township's name (城关镇卫生院 for 城关镇).
 */
export async function healthCentresOf(q: Queryable, township: string): Promise<InstitutionRow[]> {
  const r = await q.query<InstitutionRow>(
    `SELECT i.fixmedins_code AS code, i.fixmedins_name AS name, i.hosp_lv AS level, i.admdvs
       FROM gateway_institution i LEFT JOIN region r ON r.code = $1
      WHERE i.hosp_lv = 1
        AND (i.admdvs LIKE $1 || '%'
          OR (char_length(i.admdvs) < char_length($1) AND $1 LIKE i.admdvs || '%'
              AND r.name IS NOT NULL AND i.fixmedins_name LIKE r.name || '%'))
      ORDER BY i.fixmedins_code`,
    [township],
  );
  return r.rows;
}

/** The registered level-1 institutions of a region (a family doctor's township health centre). */
export async function primaryCareIn(q: Queryable, regionCode: string): Promise<InstitutionRow[]> {
  const r = await q.query<InstitutionRow>(
    `${INSTITUTION} WHERE hosp_lv = 1 AND admdvs LIKE $1 || '%' ORDER BY fixmedins_code`,
    [regionCode],
  );
  return r.rows;
}

// ---- screening notes (chronic_screening_person) -----------------------------------------------

export async function screeningNotesOf(q: Queryable, certno: string): Promise<ScreeningNote[]> {
  const r = await q.query<ScreeningNote & { screeningId: number | string }>(
    `SELECT screening_id::int8 AS "screeningId", not_applying AS "notApplying", note,
            visited_on::text AS "visitedOn"
       FROM chronic_screening_person WHERE certno = $1 ORDER BY screening_id`,
    [certno],
  );
  return r.rows.map((s) => ({ ...s, screeningId: Number(s.screeningId) }));
}
