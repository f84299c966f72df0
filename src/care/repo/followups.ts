/** Follow-up records (动态管理记录单) and the bureau's spot checks (上门随访). */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { HealthStatus } from '../core/followup.ts';
import { limitOffset, param, scoped, ts, type Page } from './sql.ts';

export interface FollowupRow {
  followupId: number;
  certno: string;
  contractId: number;
  month: string;
  visitedOn: IsoDate;
  visitor: string;
  healthStatus: HealthStatus;
  outpatientNeed: boolean;
  certificateHeld: boolean;
  suspectedDisease: string | null;
  applicationId: number | null;
  medication: string | null;
  systolic: number | null;
  diastolic: number | null;
  glucoseTenths: number | null;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

const FOLLOWUP_COLS = `f.followup_id::int AS "followupId", f.certno, f.contract_id::int AS "contractId",
  f.month, f.visited_on::text AS "visitedOn", f.visitor, f.health_status AS "healthStatus",
  f.outpatient_need AS "outpatientNeed", f.certificate_held AS "certificateHeld",
  f.suspected_disease AS "suspectedDisease", f.application_id::int AS "applicationId", f.medication,
  f.systolic, f.diastolic, f.glucose_tenths AS "glucoseTenths", f.note, f.recorded_by AS "recordedBy",
  ${ts('f.recorded_at')} AS "recordedAt"`;

export async function insertFollowup(
  q: Queryable,
  row: Omit<FollowupRow, 'followupId' | 'recordedAt'>,
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO care_followup (certno, contract_id, month, visited_on, visitor, health_status,
        outpatient_need, certificate_held, suspected_disease, application_id, medication, systolic,
        diastolic, glucose_tenths, note, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     RETURNING followup_id::int AS id`,
    [
      row.certno,
      row.contractId,
      row.month,
      row.visitedOn,
      row.visitor,
      row.healthStatus,
      row.outpatientNeed,
      row.certificateHeld,
      row.suspectedDisease,
      row.applicationId,
      row.medication,
      row.systolic,
      row.diastolic,
      row.glucoseTenths,
      row.note,
      row.recordedBy,
    ],
  );
  return r.rows[0]!.id;
}

export async function findFollowup(q: Queryable, certno: string, id: number): Promise<FollowupRow> {
  const r = await q.query<FollowupRow>(
    `SELECT ${FOLLOWUP_COLS} FROM care_followup f WHERE f.certno = $1 AND f.followup_id = $2`,
    [certno, id],
  );
  return r.rows[0]!;
}

/** A person's latest records, newest first. */
export async function followupsOf(
  q: Queryable,
  certno: string,
  limit = 24,
): Promise<FollowupRow[]> {
  const r = await q.query<FollowupRow>(
    `SELECT ${FOLLOWUP_COLS} FROM care_followup f WHERE f.certno = $1
      ORDER BY f.visited_on DESC, f.followup_id DESC LIMIT $2`,
    [certno, limit],
  );
  return r.rows;
}

// ---- spot checks -----------------------------------------------------------------------------

export type Finding = 'accurate' | 'missing_record' | 'inaccurate_record';

export interface SpotCheckRow {
  checkId: number;
  certno: string;
  name: string;
  townshipCode: string;
  contractId: number;
  fixmedinsCode: string;
  team: string;
  checkedOn: IsoDate;
  month: string;
  finding: Finding;
  note: string | null;
  correction: string | null;
  correctionDue: IsoDate | null;
  closedOn: IsoDate | null;
  closedNote: string | null;
  checkedBy: string;
}

const CHECK_COLS = `s.check_id::int AS "checkId", s.certno, p.name, s.township_code AS "townshipCode",
  s.contract_id::int AS "contractId", s.fixmedins_code AS "fixmedinsCode", s.team,
  s.checked_on::text AS "checkedOn", s.month, s.finding, s.note, s.correction,
  s.correction_due::text AS "correctionDue", s.closed_on::text AS "closedOn",
  s.closed_note AS "closedNote", s.checked_by AS "checkedBy"`;

export async function insertSpotCheck(
  q: Queryable,
  row: Omit<SpotCheckRow, 'checkId' | 'name' | 'closedOn' | 'closedNote'>,
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO care_spot_check (certno, township_code, contract_id, fixmedins_code, team,
        checked_on, month, finding, note, correction, correction_due, checked_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING check_id::int AS id`,
    [
      row.certno,
      row.townshipCode,
      row.contractId,
      row.fixmedinsCode,
      row.team,
      row.checkedOn,
      row.month,
      row.finding,
      row.note,
      row.correction,
      row.correctionDue,
      row.checkedBy,
    ],
  );
  return r.rows[0]!.id;
}

export async function findSpotCheck(
  q: Queryable,
  scope: DataScope,
  id: number,
  lock = false,
): Promise<SpotCheckRow | null> {
  const params: unknown[] = [id];
  const r = await q.query<SpotCheckRow>(
    `SELECT ${CHECK_COLS} FROM care_spot_check s JOIN person p ON p.certno = s.certno
      WHERE s.check_id = $1 AND ${scoped(scope, params)}${lock ? ' FOR UPDATE OF s' : ''}`,
    params,
  );
  return r.rows[0] ?? null;
}

export async function closeSpotCheck(
  q: Queryable,
  row: SpotCheckRow,
  closedOn: IsoDate,
  note: string,
): Promise<void> {
  await q.query(
    `UPDATE care_spot_check SET closed_on = $3, closed_note = $4 WHERE certno = $1 AND check_id = $2`,
    [row.certno, row.checkId, closedOn, note],
  );
}

export async function spotChecksOf(q: Queryable, certno: string): Promise<SpotCheckRow[]> {
  const r = await q.query<SpotCheckRow>(
    `SELECT ${CHECK_COLS} FROM care_spot_check s JOIN person p ON p.certno = s.certno
      WHERE s.certno = $1 ORDER BY s.checked_on DESC, s.check_id DESC`,
    [certno],
  );
  return r.rows;
}

export async function listSpotChecks(
  q: Queryable,
  scope: DataScope,
  filter: { open?: boolean | undefined; fixmedinsCode?: string | undefined },
  page: Page,
): Promise<{ items: SpotCheckRow[]; total: number }> {
  const params: unknown[] = [];
  const conds = [scoped(scope, params)];
  if (filter.open === true) conds.push(`s.correction IS NOT NULL AND s.closed_on IS NULL`);
  if (filter.open === false) conds.push(`(s.correction IS NULL OR s.closed_on IS NOT NULL)`);
  if (filter.fixmedinsCode !== undefined)
    conds.push(`s.fixmedins_code = ${param(params, filter.fixmedinsCode)}`);
  const where = conds.join(' AND ');
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM care_spot_check s JOIN person p ON p.certno = s.certno WHERE ${where}`,
    params,
  );
  const r = await q.query<SpotCheckRow>(
    `SELECT ${CHECK_COLS} FROM care_spot_check s JOIN person p ON p.certno = s.certno WHERE ${where}
      ORDER BY s.checked_on DESC, s.check_id DESC ${limitOffset(params, page)}`,
    params,
  );
  return { items: r.rows, total: total.rows[0]!.n };
}
