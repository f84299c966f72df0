/**
 * Care teams, visits, unstable-patient reports and notifications (docs/care-teams.md). Every
 * query that reads people joins `person p` and takes the caller's scope: outside it a patient, a
 * team or a report reads as one that does not exist.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import { limitOffset, param, scoped, ts, type Page } from '../../chronic/index.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type {
  Member,
  MemberInput,
  Notification,
  OverdueRow,
  Report,
  ReportStatus,
  SummaryRow,
  TeamSummaryRow,
  Visit,
  VisitInput,
} from '../core/team-model.ts';

export interface PatientRow {
  certno: string;
  name: string;
  regionCode: string;
  /** A severe_mental flag holds on the day, or an S004 certificate disease is open. */
  registered: boolean;
  certified: boolean;
}

/** The person if the scope holds them, with their severe-mental registration on `on`. */
export async function findPatient(
  q: Queryable,
  scope: DataScope,
  certno: string,
  on: IsoDate,
  lock = false,
): Promise<PatientRow | null> {
  const params: unknown[] = [certno, on];
  const r = await q.query<PatientRow>(
    `SELECT p.certno, p.name, p.region_code AS "regionCode",
            EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = p.certno AND f.category = 'severe_mental'
                      AND f.from_month <= to_char($2::date, 'YYYY-MM')
                      AND (f.to_month IS NULL OR f.to_month >= to_char($2::date, 'YYYY-MM'))) AS registered,
            EXISTS (SELECT 1 FROM chronic_certificate_disease d WHERE d.certno = p.certno AND d.disease = 'S004'
                      AND d.valid_from <= $2::date AND (d.valid_to IS NULL OR d.valid_to >= $2::date)) AS certified
       FROM person p WHERE p.certno = $1 AND ${scoped(scope, params)}${lock ? ' FOR UPDATE OF p' : ''}`,
    params,
  );
  return r.rows[0] ?? null;
}

export async function teamRow(
  q: Queryable,
  certno: string,
): Promise<{ formedOn: IsoDate; regionCode: string } | null> {
  const r = await q.query<{ formedOn: IsoDate; regionCode: string }>(
    `SELECT formed_on::text AS "formedOn", region_code AS "regionCode" FROM care_team WHERE certno = $1`,
    [certno],
  );
  return r.rows[0] ?? null;
}

export async function insertTeam(
  q: Queryable,
  t: { certno: string; regionCode: string; formedOn: IsoDate; by: string },
): Promise<void> {
  await q.query(
    `INSERT INTO care_team (certno, region_code, formed_on, created_by) VALUES ($1, $2, $3, $4)`,
    [t.certno, t.regionCode, t.formedOn, t.by],
  );
}

const MEMBER_COLS = `member_id::int AS "memberId", role, name, contact, from_date::text AS "from", to_date::text AS "to"`;

/** Every member the team ever had, current first, then by role and start. */
export async function membersOf(q: Queryable, certno: string): Promise<Member[]> {
  const r = await q.query<Member>(
    `SELECT ${MEMBER_COLS} FROM care_team_member WHERE certno = $1
      ORDER BY (to_date IS NULL) DESC, to_date DESC, role, from_date, member_id`,
    [certno],
  );
  return r.rows;
}

export async function endMembers(
  q: Queryable,
  certno: string,
  memberIds: readonly number[],
  endOn: IsoDate,
  by: string,
): Promise<void> {
  if (memberIds.length === 0) return;
  await q.query(
    `UPDATE care_team_member SET to_date = GREATEST(from_date, $3::date), ended_by = $4
      WHERE certno = $1 AND member_id = ANY($2::bigint[]) AND to_date IS NULL`,
    [certno, [...memberIds], endOn, by],
  );
}

export async function insertMembers(
  q: Queryable,
  certno: string,
  members: readonly MemberInput[],
  from: IsoDate,
  by: string,
): Promise<void> {
  for (const m of members) {
    await q.query(
      `INSERT INTO care_team_member (certno, role, name, contact, from_date, created_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [certno, m.role, m.name, m.contact, from, by],
    );
  }
}

export interface TeamFilter {
  regionCode?: string | undefined;
}

/** Teams in the scope, by village then name, with their lead and latest visit. */
export async function listTeams(
  q: Queryable,
  scope: DataScope,
  filter: TeamFilter,
  page: Page,
): Promise<{ items: TeamSummaryRow[]; total: number }> {
  const params: unknown[] = [];
  const where = [scoped(scope, params)];
  if (filter.regionCode)
    where.push(`t.region_code LIKE ${param(params, filter.regionCode)} || '%'`);
  const from = `FROM care_team t JOIN person p ON p.certno = t.certno WHERE ${where.join(' AND ')}`;
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params);
  const r = await q.query<TeamSummaryRow>(
    `SELECT t.certno, p.name, t.region_code AS "regionCode", t.formed_on::text AS "formedOn",
            (SELECT m.name FROM care_team_member m WHERE m.certno = t.certno AND m.role = 'village_head'
               AND m.to_date IS NULL LIMIT 1) AS lead,
            (SELECT visited_on::text FROM care_visit cv WHERE cv.certno = t.certno
               ORDER BY visited_on DESC, visit_id DESC LIMIT 1) AS "lastVisitOn",
            (SELECT next_due::text FROM care_visit cv WHERE cv.certno = t.certno
               ORDER BY visited_on DESC, visit_id DESC LIMIT 1) AS "nextDue"
       ${from}
      ORDER BY t.region_code, p.name, t.certno ${limitOffset(params, page)}`,
    params,
  );
  return { items: r.rows, total: total.rows[0]!.n };
}

const VISIT_COLS = `visit_id::int AS "visitId", certno, visited_on::text AS "visitedOn", visitor, condition,
  medication_as_prescribed AS "medicationAsPrescribed", risk_level::int AS "riskLevel",
  next_due::text AS "nextDue", note`;

export async function insertVisit(
  q: Queryable,
  v: VisitInput & { certno: string; regionCode: string; nextDue: IsoDate; by: string },
): Promise<Visit> {
  const r = await q.query<Visit>(
    `INSERT INTO care_visit (certno, region_code, visited_on, visitor, condition,
       medication_as_prescribed, risk_level, next_due, note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${VISIT_COLS}`,
    [
      v.certno,
      v.regionCode,
      v.visitedOn,
      v.visitor,
      v.condition,
      v.medicationAsPrescribed,
      v.riskLevel,
      v.nextDue,
      v.note ?? null,
      v.by,
    ],
  );
  return r.rows[0]!;
}

/** A patient's visits, latest first. */
export async function visitsOf(q: Queryable, certno: string, limit = 200): Promise<Visit[]> {
  const r = await q.query<Visit>(
    `SELECT ${VISIT_COLS} FROM care_visit WHERE certno = $1
      ORDER BY visited_on DESC, visit_id DESC LIMIT $2`,
    [certno, limit],
  );
  return r.rows;
}

export async function findVisit(
  q: Queryable,
  certno: string,
  visitId: number,
): Promise<Visit | null> {
  const r = await q.query<Visit>(
    `SELECT ${VISIT_COLS} FROM care_visit WHERE certno = $1 AND visit_id = $2`,
    [certno, visitId],
  );
  return r.rows[0] ?? null;
}

/**
 * Patients whose next visit was due before `asOf` (a team never visited: two weeks after it was
 * formed), in the scope, by village. One pass over the teams with the latest visit of each.
 */
export async function overdue(
  q: Queryable,
  scope: DataScope,
  asOf: IsoDate,
  regionCode: string | undefined,
  limit: number,
): Promise<OverdueRow[]> {
  const params: unknown[] = [asOf];
  const where = [scoped(scope, params)];
  if (regionCode) where.push(`t.region_code LIKE ${param(params, regionCode)} || '%'`);
  const r = await q.query<OverdueRow>(
    `SELECT * FROM (
       SELECT t.certno, p.name, t.region_code AS "regionCode", v.visited_on::text AS "lastVisitOn",
              COALESCE(v.next_due, t.formed_on + 14)::text AS "dueOn",
              ($1::date - COALESCE(v.next_due, t.formed_on + 14))::int AS "daysOverdue"
         FROM care_team t JOIN person p ON p.certno = t.certno
         LEFT JOIN LATERAL (SELECT visited_on, next_due FROM care_visit cv WHERE cv.certno = t.certno
                 ORDER BY visited_on DESC, visit_id DESC LIMIT 1) v ON TRUE
        WHERE ${where.join(' AND ')} AND p.status = 'alive') o
      WHERE "daysOverdue" > 0
      ORDER BY "regionCode", "daysOverdue" DESC, certno LIMIT ${param(params, limit)}`,
    params,
  );
  return r.rows;
}

const REPORT_COLS = `r.report_id::int AS "reportId", r.certno, p.name, r.region_code AS "regionCode",
  r.visit_id::int AS "visitId", r.reported_on::text AS "reportedOn",
  (SELECT risk_level::int FROM care_visit v WHERE v.certno = r.certno AND v.visit_id = r.visit_id) AS "riskLevel",
  r.treatment, r.referred_to AS "referredTo", r.status, r.outcome, r.closed_on::text AS "closedOn"`;

export async function insertReport(
  q: Queryable,
  r: {
    certno: string;
    regionCode: string;
    visitId: number | null;
    reportedOn: IsoDate;
    treatment: string;
    referredTo: string;
    by: string;
  },
): Promise<number> {
  const x = await q.query<{ id: number }>(
    `INSERT INTO care_report (certno, region_code, visit_id, reported_on, treatment, referred_to, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING report_id::int AS id`,
    [r.certno, r.regionCode, r.visitId, r.reportedOn, r.treatment, r.referredTo, r.by],
  );
  return x.rows[0]!.id;
}

export async function insertNotifications(
  q: Queryable,
  certno: string,
  reportId: number,
  rows: readonly Omit<
    Notification,
    'notificationId' | 'sentAt' | 'acknowledgedAt' | 'acknowledgedBy'
  >[],
): Promise<void> {
  for (const n of rows) {
    await q.query(
      `INSERT INTO care_notification (certno, report_id, recipient_kind, member_id, recipient_role, recipient_name, contact)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [certno, reportId, n.recipientKind, n.memberId, n.recipientRole, n.recipientName, n.contact],
    );
  }
}

export async function notificationsOf(
  q: Queryable,
  certno: string,
  reportId: number,
): Promise<Notification[]> {
  const r = await q.query<Notification>(
    `SELECT notification_id::int AS "notificationId", recipient_kind AS "recipientKind",
            member_id::int AS "memberId", recipient_role AS "recipientRole", recipient_name AS "recipientName",
            contact, ${ts('sent_at')} AS "sentAt", ${ts('acknowledged_at')} AS "acknowledgedAt",
            acknowledged_by AS "acknowledgedBy"
       FROM care_notification WHERE certno = $1 AND report_id = $2 ORDER BY notification_id`,
    [certno, reportId],
  );
  return r.rows;
}

/** Marks notifications read; answers how many were still unread. */
export async function acknowledge(
  q: Queryable,
  certno: string,
  reportId: number,
  which: { notificationId?: number; recipientKind?: 'police_station' },
  by: string,
): Promise<number> {
  const params: unknown[] = [certno, reportId, by];
  const where = ['certno = $1', 'report_id = $2', 'acknowledged_at IS NULL'];
  if (which.notificationId !== undefined)
    where.push(`notification_id = ${param(params, which.notificationId)}`);
  if (which.recipientKind !== undefined)
    where.push(`recipient_kind = ${param(params, which.recipientKind)}`);
  const r = await q.query(
    `UPDATE care_notification SET acknowledged_at = now(), acknowledged_by = $3 WHERE ${where.join(' AND ')}`,
    params,
  );
  return r.rowCount ?? 0;
}

export async function findReport(
  q: Queryable,
  scope: DataScope,
  reportId: number,
  lock = false,
): Promise<Omit<Report, 'notifications'> | null> {
  const params: unknown[] = [reportId];
  const r = await q.query<Omit<Report, 'notifications'>>(
    `SELECT ${REPORT_COLS} FROM care_report r JOIN person p ON p.certno = r.certno
      WHERE r.report_id = $1 AND ${scoped(scope, params)}${lock ? ' FOR UPDATE OF r' : ''}`,
    params,
  );
  return r.rows[0] ?? null;
}

export interface ReportFilter {
  status?: ReportStatus | undefined;
  regionCode?: string | undefined;
  certno?: string | undefined;
}

export async function listReports(
  q: Queryable,
  scope: DataScope,
  filter: ReportFilter,
  page: Page,
): Promise<{ items: Omit<Report, 'notifications'>[]; total: number }> {
  const params: unknown[] = [];
  const where = [scoped(scope, params)];
  if (filter.status) where.push(`r.status = ${param(params, filter.status)}`);
  if (filter.regionCode)
    where.push(`r.region_code LIKE ${param(params, filter.regionCode)} || '%'`);
  if (filter.certno) where.push(`r.certno = ${param(params, filter.certno)}`);
  const from = `FROM care_report r JOIN person p ON p.certno = r.certno WHERE ${where.join(' AND ')}`;
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params);
  const r = await q.query<Omit<Report, 'notifications'>>(
    `SELECT ${REPORT_COLS} ${from} ORDER BY r.reported_on DESC, r.report_id DESC ${limitOffset(params, page)}`,
    params,
  );
  return { items: r.rows, total: total.rows[0]!.n };
}

export async function setReportStatus(
  q: Queryable,
  certno: string,
  reportId: number,
  s: { status: ReportStatus; outcome: string | null; closedOn: IsoDate | null; by: string },
): Promise<void> {
  await q.query(
    `UPDATE care_report SET status = $3, outcome = COALESCE($4, outcome), closed_on = $5,
            updated_by = $6, updated_at = now()
      WHERE certno = $1 AND report_id = $2`,
    [certno, reportId, s.status, s.outcome, s.closedOn, s.by],
  );
}

/**
 * Reports by township and status within a region (the leading group's view): counts only, no
 * person is read, so no person scope applies beyond the region.
 */
export async function summary(
  q: Queryable,
  regionPrefix: string,
  year: number,
): Promise<SummaryRow[]> {
  const r = await q.query<SummaryRow>(
    `SELECT substr(region_code, 1, 9) AS township, status, count(*)::int AS count
       FROM care_report
      WHERE region_code LIKE $1 || '%' AND reported_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [regionPrefix, year],
  );
  return r.rows;
}
