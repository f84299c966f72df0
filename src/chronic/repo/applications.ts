/**
 * SQL of applications, their diseases, expert reviews and attachments. Every read joins the
 * person and takes the caller's scope: an application of someone outside it is not found.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type {
  ApplicationRow,
  ApplicationStatus,
  AttachmentKind,
  AttachmentMeta,
  Channel,
  Decision,
  MediaType,
  RefusalReason,
} from '../core/model.ts';
import { limitOffset, param, scoped, ts, type Page } from './sql.ts';

const SELECT = `SELECT a.application_id::int8 AS id, a.certno, p.name, a.region_code AS "regionCode",
    a.channel, a.fixmedins_code AS "fixmedinsCode", a.status, a.accepted_on::text AS "acceptedOn",
    a.documents_due::text AS "documentsDue", a.onsite, a.review_steps AS "reviewSteps", a.note,
    a.gateway_sn AS "gatewaySn", a.withdrawn_reason AS "withdrawnReason", a.created_by AS "createdBy",
    ${ts('a.created_at')} AS "createdAt", ${ts('a.closed_at')} AS "closedAt",
    (SELECT coalesce(json_agg(json_build_object('disease', d.disease, 'diagnosis', d.diagnosis,
        'decision', d.decision, 'step', d.step, 'reason', d.reason, 'reasonNote', d.reason_note,
        'decidedBy', d.decided_by, 'decidedAt', ${ts('d.decided_at')}) ORDER BY d.disease), '[]')
       FROM chronic_application_disease d
      WHERE d.certno = a.certno AND d.application_id = a.application_id) AS diseases,
    (SELECT coalesce(json_agg(json_build_object('id', t.attachment_id, 'kind', t.kind,
        'fileName', t.file_name, 'mediaType', t.media_type, 'sizeBytes', t.size_bytes,
        'uploadedAt', ${ts('t.uploaded_at')}) ORDER BY t.attachment_id), '[]')
       FROM chronic_attachment t
      WHERE t.certno = a.certno AND t.application_id = a.application_id) AS documents,
    (SELECT c.certificate_no FROM chronic_certificate c WHERE c.certno = a.certno
        AND EXISTS (SELECT 1 FROM chronic_certificate_disease cd
                     WHERE cd.certno = a.certno AND cd.application_id = a.application_id))
      AS "certificateNo"
  FROM chronic_application a JOIN person p ON p.certno = a.certno`;

type Row = Omit<ApplicationRow, 'id'> & { id: number | string };
const toApplication = (r: Row): ApplicationRow => ({ ...r, id: Number(r.id) });

/** The application in the caller's scope; with `lock`, its row locked for the transaction. */
export async function findApplication(
  q: Queryable,
  scope: DataScope,
  id: number,
  lock = false,
): Promise<ApplicationRow | null> {
  const params: unknown[] = [id];
  const r = await q.query<Row>(
    `${SELECT} WHERE a.application_id = $1 AND ${scoped(scope, params)}${lock ? ' FOR UPDATE OF a' : ''}`,
    params,
  );
  return r.rows[0] ? toApplication(r.rows[0]) : null;
}

/** Whose application `id` is, in the scope (the person is locked before the application). */
export async function applicationOwner(
  q: Queryable,
  scope: DataScope,
  id: number,
): Promise<string | null> {
  const params: unknown[] = [id];
  const r = await q.query<{ certno: string }>(
    `SELECT a.certno FROM chronic_application a JOIN person p ON p.certno = a.certno
      WHERE a.application_id = $1 AND ${scoped(scope, params)}`,
    params,
  );
  return r.rows[0]?.certno ?? null;
}

export async function applicationsOf(q: Queryable, certno: string): Promise<ApplicationRow[]> {
  const r = await q.query<Row>(`${SELECT} WHERE a.certno = $1 ORDER BY a.application_id DESC`, [
    certno,
  ]);
  return r.rows.map(toApplication);
}

export interface ApplicationFilter {
  status?: ApplicationStatus | undefined;
  regionCode?: string | undefined;
  certno?: string | undefined;
  /** The review queue of this reviewer: under review, with a disease they may decide. */
  queueFor?: string | undefined;
}

export async function listApplications(
  q: Queryable,
  scope: DataScope,
  f: ApplicationFilter,
  page: Page,
): Promise<{ items: ApplicationRow[]; total: number }> {
  const params: unknown[] = [];
  const where = [scoped(scope, params)];
  if (f.status) where.push(`a.status = ${param(params, f.status)}`);
  if (f.regionCode) where.push(`a.region_code LIKE ${param(params, f.regionCode)} || '%'`);
  if (f.certno) where.push(`a.certno = ${param(params, f.certno)}`);
  if (f.queueFor) {
    // A disease awaiting its first step, or its second by someone other than the first reviewer.
    where.push(`a.status = 'under_review' AND EXISTS (SELECT 1 FROM chronic_application_disease d
      WHERE d.certno = a.certno AND d.application_id = a.application_id AND d.decision = 'pending'
        AND (d.step = 0 OR d.decided_by IS DISTINCT FROM ${param(params, f.queueFor)}))`);
  }
  const cond = where.join(' AND ');
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM chronic_application a JOIN person p ON p.certno = a.certno
      WHERE ${cond}`,
    params,
  );
  const order = f.queueFor ? 'a.accepted_on, a.application_id' : 'a.application_id DESC';
  const pageParams = [...params];
  const r = await q.query<Row>(
    `${SELECT} WHERE ${cond} ORDER BY ${order} ${limitOffset(pageParams, page)}`,
    pageParams,
  );
  return { items: r.rows.map(toApplication), total: total.rows[0]?.n ?? 0 };
}

export interface NewApplicationRow {
  certno: string;
  regionCode: string;
  channel: Channel;
  fixmedinsCode: string | null;
  status: ApplicationStatus;
  acceptedOn: string;
  documentsDue: string | null;
  onsite: boolean;
  reviewSteps: 1 | 2;
  note: string | null;
  gatewaySn: string | null;
  createdBy: string;
  diseases: { disease: string; diagnosis: string | null }[];
}

export async function insertApplication(q: Queryable, a: NewApplicationRow): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO chronic_application (certno, region_code, channel, fixmedins_code, status,
       accepted_on, documents_due, onsite, review_steps, note, gateway_sn, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::date, $7::date, $8, $9, $10, $11, $12)
     RETURNING application_id::int8 AS id`,
    [
      a.certno,
      a.regionCode,
      a.channel,
      a.fixmedinsCode,
      a.status,
      a.acceptedOn,
      a.documentsDue,
      a.onsite,
      a.reviewSteps,
      a.note,
      a.gatewaySn,
      a.createdBy,
    ],
  );
  const id = Number(r.rows[0]!.id);
  await q.query(
    `INSERT INTO chronic_application_disease (certno, application_id, disease, diagnosis)
     SELECT $1, $2, d.disease, d.diagnosis
       FROM json_to_recordset($3::json) AS d(disease text, diagnosis text)`,
    [a.certno, id, JSON.stringify(a.diseases)],
  );
  return id;
}

export async function setStatus(
  q: Queryable,
  certno: string,
  id: number,
  status: ApplicationStatus,
  extra: { withdrawnReason?: string } = {},
): Promise<void> {
  const closing = status === 'decided' || status === 'withdrawn';
  await q.query(
    `UPDATE chronic_application SET status = $3, updated_at = now(),
        withdrawn_reason = coalesce($4, withdrawn_reason),
        closed_at = CASE WHEN $5 THEN now() ELSE closed_at END
      WHERE certno = $1 AND application_id = $2`,
    [certno, id, status, extra.withdrawnReason ?? null, closing],
  );
}

export async function updateDisease(
  q: Queryable,
  certno: string,
  id: number,
  c: {
    disease: string;
    decision: Decision;
    step: number;
    reason: RefusalReason | null;
    note: string | null;
    by: string;
    /** When, by the service's clock (the notice prints the day). */
    at: string;
  },
): Promise<void> {
  await q.query(
    `UPDATE chronic_application_disease SET decision = $4, step = $5, reason = $6, reason_note = $7,
        decided_by = $8, decided_at = $9::timestamptz
      WHERE certno = $1 AND application_id = $2 AND disease = $3`,
    [certno, id, c.disease, c.decision, c.step, c.reason, c.note, c.by, c.at],
  );
}

export async function insertReview(
  q: Queryable,
  r: {
    certno: string;
    applicationId: number;
    disease: string;
    step: 1 | 2;
    decision: 'approved' | 'refused';
    reason: RefusalReason | null;
    note: string | null;
    reviewerId: string;
    reviewerName: string;
    at: string;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO chronic_review (certno, application_id, disease, step, decision, reason, note,
       reviewer_id, reviewer_name, reviewed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz)`,
    [
      r.certno,
      r.applicationId,
      r.disease,
      r.step,
      r.decision,
      r.reason,
      r.note,
      r.reviewerId,
      r.reviewerName,
      r.at,
    ],
  );
}

/** Diseases still pending in the person's open applications. */
export async function pendingDiseases(q: Queryable, certno: string): Promise<Set<string>> {
  const r = await q.query<{ disease: string }>(
    `SELECT d.disease FROM chronic_application a
       JOIN chronic_application_disease d
         ON d.certno = a.certno AND d.application_id = a.application_id
      WHERE a.certno = $1 AND a.status IN ('incomplete', 'under_review') AND d.decision = 'pending'`,
    [certno],
  );
  return new Set(r.rows.map((x) => x.disease));
}

/** The application a 2503 filing made, by the gateway's serial number. */
export async function applicationByGatewaySn(
  q: Queryable,
  certno: string,
  sn: string,
): Promise<ApplicationRow | null> {
  const r = await q.query<Row>(`${SELECT} WHERE a.certno = $1 AND a.gateway_sn = $2`, [certno, sn]);
  return r.rows[0] ? toApplication(r.rows[0]) : null;
}

// ---- attachments ------------------------------------------------------------------------------

export async function insertAttachment(
  q: Queryable,
  a: {
    certno: string;
    applicationId: number;
    kind: AttachmentKind;
    fileName: string;
    mediaType: MediaType;
    sha256: string;
    content: Buffer;
    uploadedBy: string;
  },
): Promise<AttachmentMeta> {
  const r = await q.query<AttachmentMeta & { id: number | string }>(
    `INSERT INTO chronic_attachment (certno, application_id, kind, file_name, media_type, size_bytes,
       sha256, content, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING attachment_id::int8 AS id, kind, file_name AS "fileName", media_type AS "mediaType",
       size_bytes AS "sizeBytes", ${ts('uploaded_at')} AS "uploadedAt"`,
    [
      a.certno,
      a.applicationId,
      a.kind,
      a.fileName,
      a.mediaType,
      a.content.length,
      a.sha256,
      a.content,
      a.uploadedBy,
    ],
  );
  const row = r.rows[0]!;
  return { ...row, id: Number(row.id) };
}

export interface AttachmentFile extends AttachmentMeta {
  certno: string;
  applicationId: number;
  content: Buffer;
}

/** An attachment with its content, in the caller's scope. */
export async function findAttachment(
  q: Queryable,
  scope: DataScope,
  id: number,
): Promise<AttachmentFile | null> {
  const params: unknown[] = [id];
  const r = await q.query<
    Omit<AttachmentFile, 'content' | 'id' | 'applicationId'> & {
      id: number | string;
      applicationId: number | string;
      content: Uint8Array | Buffer;
    }
  >(
    `SELECT t.attachment_id::int8 AS id, t.certno, t.application_id::int8 AS "applicationId",
            t.kind, t.file_name AS "fileName", t.media_type AS "mediaType",
            t.size_bytes AS "sizeBytes", ${ts('t.uploaded_at')} AS "uploadedAt", t.content
       FROM chronic_attachment t JOIN person p ON p.certno = t.certno
      WHERE t.attachment_id = $1 AND ${scoped(scope, params)}`,
    params,
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    ...row,
    id: Number(row.id),
    applicationId: Number(row.applicationId),
    content: Buffer.from(row.content),
  };
}
