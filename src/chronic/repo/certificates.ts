/**
 * SQL of certificates (门诊慢特病证) and the diseases they cover. Reads join the person and take
 * the caller's scope: a hospital sees the certificates of its own patients only.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type { CertificateRow, EndReason } from '../core/model.ts';
import { limitOffset, param, scoped, ts, type Page } from './sql.ts';

const SELECT = `SELECT c.certno, p.name, c.region_code AS "regionCode",
    c.certificate_no AS "certificateNo", c.issued_on::text AS "issuedOn", c.source,
    (SELECT coalesce(json_agg(json_build_object('disease', d.disease, 'validFrom', d.valid_from,
        'validTo', d.valid_to, 'applicationId', d.application_id, 'endedReason', d.ended_reason,
        'endedNote', d.ended_note, 'endedAt', ${ts('d.ended_at')})
        ORDER BY d.disease, d.valid_from), '[]')
       FROM chronic_certificate_disease d WHERE d.certno = c.certno) AS diseases
  FROM chronic_certificate c JOIN person p ON p.certno = c.certno`;

export async function findCertificate(
  q: Queryable,
  scope: DataScope,
  certno: string,
): Promise<CertificateRow | null> {
  const params: unknown[] = [certno];
  const r = await q.query<CertificateRow>(
    `${SELECT} WHERE c.certno = $1 AND ${scoped(scope, params)}`,
    params,
  );
  return r.rows[0] ?? null;
}

export interface CertificateFilter {
  regionCode?: string | undefined;
  disease?: string | undefined;
  certno?: string | undefined;
}

export async function listCertificates(
  q: Queryable,
  scope: DataScope,
  f: CertificateFilter,
  page: Page,
): Promise<{ items: CertificateRow[]; total: number }> {
  const params: unknown[] = [];
  const where = [scoped(scope, params)];
  if (f.regionCode) where.push(`c.region_code LIKE ${param(params, f.regionCode)} || '%'`);
  if (f.certno) where.push(`c.certno = ${param(params, f.certno)}`);
  if (f.disease) {
    where.push(`EXISTS (SELECT 1 FROM chronic_certificate_disease d
      WHERE d.certno = c.certno AND d.disease = ${param(params, f.disease)})`);
  }
  const cond = where.join(' AND ');
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM chronic_certificate c JOIN person p ON p.certno = c.certno
      WHERE ${cond}`,
    params,
  );
  const pageParams = [...params];
  const r = await q.query<CertificateRow>(
    `${SELECT} WHERE ${cond} ORDER BY c.issued_on DESC, c.certno ${limitOffset(pageParams, page)}`,
    pageParams,
  );
  return { items: r.rows, total: total.rows[0]?.n ?? 0 };
}

/** The next serial of the certificate numbers (docs/chronic.md §9). */
export async function nextCertificateSerial(q: Queryable): Promise<number> {
  const r = await q.query<{ n: number }>(`SELECT nextval('chronic_certificate_seq')::int8 AS n`);
  return Number(r.rows[0]!.n);
}

export async function insertCertificate(
  q: Queryable,
  c: {
    certno: string;
    certificateNo: string;
    regionCode: string;
    issuedOn: string;
    source: 'review' | 'import';
    createdBy: string;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO chronic_certificate (certno, certificate_no, region_code, issued_on, source, created_by)
     VALUES ($1, $2, $3, $4::date, $5, $6)`,
    [c.certno, c.certificateNo, c.regionCode, c.issuedOn, c.source, c.createdBy],
  );
}

export async function insertCertificateDisease(
  q: Queryable,
  certno: string,
  d: { disease: string; validFrom: string; validTo: string | null; applicationId: number | null },
): Promise<void> {
  await q.query(
    `INSERT INTO chronic_certificate_disease (certno, disease, valid_from, valid_to, application_id)
     VALUES ($1, $2, $3::date, $4::date, $5)`,
    [certno, d.disease, d.validFrom, d.validTo, d.applicationId],
  );
}

export async function endCertificateDisease(
  q: Queryable,
  certno: string,
  row: { disease: string; validFrom: string },
  end: { on: string; reason: EndReason; note: string | null; by: string },
): Promise<void> {
  await q.query(
    `UPDATE chronic_certificate_disease SET valid_to = $4::date, ended_reason = $5, ended_note = $6,
        ended_by = $7, ended_at = now()
      WHERE certno = $1 AND disease = $2 AND valid_from = $3::date`,
    [certno, row.disease, row.validFrom, end.on, end.reason, end.note, end.by],
  );
}

/** Opens again a disease ended earlier with the same start (a new approval of it). */
export async function reopenCertificateDisease(
  q: Queryable,
  certno: string,
  d: { disease: string; validFrom: string; validTo: string | null; applicationId: number | null },
): Promise<void> {
  await q.query(
    `UPDATE chronic_certificate_disease SET valid_to = $4::date, application_id = $5,
        ended_reason = NULL, ended_note = NULL, ended_by = NULL, ended_at = NULL
      WHERE certno = $1 AND disease = $2 AND valid_from = $3::date`,
    [certno, d.disease, d.validFrom, d.validTo, d.applicationId],
  );
}

/** Certificates by number (imports: a number belongs to one person). */
export async function ownersOfNumbers(
  q: Queryable,
  numbers: readonly string[],
): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map();
  const r = await q.query<{ no: string; certno: string }>(
    `SELECT certificate_no AS no, certno FROM chronic_certificate WHERE certificate_no = ANY($1::text[])`,
    [[...numbers]],
  );
  return new Map(r.rows.map((x) => [x.no, x.certno]));
}

/** The certificates of `certnos` with their diseases, unscoped (the caller locked the people). */
export async function certificatesOf(
  q: Queryable,
  certnos: readonly string[],
): Promise<Map<string, CertificateRow>> {
  if (certnos.length === 0) return new Map();
  const r = await q.query<CertificateRow>(`${SELECT} WHERE c.certno = ANY($1::bpchar[])`, [
    [...certnos],
  ]);
  return new Map(r.rows.map((c) => [c.certno, c]));
}
