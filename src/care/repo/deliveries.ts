/** The delivery register (送医送药上门台帐), the month's deliveries, and the catalogue's drugs. */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type { IsoDate, Month } from '../../kernel/period.ts';
import type {
  CatalogueDrug,
  DeliveryLine,
  DeliveryVisitType,
  Disability,
} from '../core/delivery.ts';
import { limitOffset, param, scoped, ts, type Page } from './sql.ts';

export interface EligibilityRow {
  eligibilityId: number;
  certno: string;
  name: string;
  regionCode: string;
  townshipCode: string;
  disability: Disability;
  visitType: DeliveryVisitType;
  disease: string;
  diagnosis: string;
  fixmedinsCode: string;
  cardNo: string;
  phone: string | null;
  confirmedBy: string;
  confirmedOn: IsoDate;
  endedOn: IsoDate | null;
  endedReason: string | null;
}

const ELIGIBILITY_COLS = `e.eligibility_id::int AS "eligibilityId", e.certno, p.name,
  p.region_code AS "regionCode", e.township_code AS "townshipCode", e.disability,
  e.visit_type AS "visitType", e.disease, e.diagnosis, e.fixmedins_code AS "fixmedinsCode",
  e.card_no AS "cardNo", e.phone, e.confirmed_by AS "confirmedBy", e.confirmed_on::text AS "confirmedOn",
  e.ended_on::text AS "endedOn", e.ended_reason AS "endedReason"`;

export async function eligibilitiesOf(q: Queryable, certno: string): Promise<EligibilityRow[]> {
  const r = await q.query<EligibilityRow>(
    `SELECT ${ELIGIBILITY_COLS} FROM care_delivery_eligibility e JOIN person p ON p.certno = e.certno
      WHERE e.certno = $1 ORDER BY e.confirmed_on DESC, e.eligibility_id DESC`,
    [certno],
  );
  return r.rows;
}

export async function insertEligibility(
  q: Queryable,
  row: Omit<
    EligibilityRow,
    'eligibilityId' | 'name' | 'regionCode' | 'cardNo' | 'endedOn' | 'endedReason'
  > & {
    createdBy: string;
  },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO care_delivery_eligibility (certno, township_code, disability, visit_type, disease,
        diagnosis, fixmedins_code, card_no, phone, confirmed_by, confirmed_on, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7,
             'SK' || $2 || lpad(nextval('care_service_card_seq')::text, 6, '0'), $8, $9, $10, $11)
     RETURNING eligibility_id::int AS id`,
    [
      row.certno,
      row.townshipCode,
      row.disability,
      row.visitType,
      row.disease,
      row.diagnosis,
      row.fixmedinsCode,
      row.phone,
      row.confirmedBy,
      row.confirmedOn,
      row.createdBy,
    ],
  );
  return r.rows[0]!.id;
}

export async function endEligibility(
  q: Queryable,
  certno: string,
  id: number,
  on: IsoDate,
  reason: string,
): Promise<void> {
  await q.query(
    `UPDATE care_delivery_eligibility SET ended_on = $3, ended_reason = $4
      WHERE certno = $1 AND eligibility_id = $2`,
    [certno, id, on, reason],
  );
}

export interface DeliveryRow {
  deliveryId: number;
  certno: string;
  eligibilityId: number;
  month: Month;
  deliveredOn: IsoDate;
  deliveredBy: string;
  confirmedBy: 'patient' | 'guardian';
  confirmerName: string;
  lines: DeliveryLine[];
  settlementId: number;
  msgid: string;
  /** The assistance programme that bore the patient's part after the tiers (docs/care.md §10). */
  programme: string | null;
  /** What it bore, yuan. */
  programmePaid: number;
  recordedBy: string;
  recordedAt: string;
}

const DELIVERY_COLS = `d.delivery_id::int AS "deliveryId", d.certno, d.eligibility_id::int AS "eligibilityId",
  d.month, d.delivered_on::text AS "deliveredOn", d.delivered_by AS "deliveredBy",
  d.confirmed_by AS "confirmedBy", d.confirmer_name AS "confirmerName", d.lines,
  d.settlement_id::int AS "settlementId", d.msgid, d.programme,
  (d.programme_paid / 100.0)::float8 AS "programmePaid", d.recorded_by AS "recordedBy",
  ${ts('d.recorded_at')} AS "recordedAt"`;

export async function deliveriesOf(q: Queryable, certno: string): Promise<DeliveryRow[]> {
  const r = await q.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLS} FROM care_delivery d WHERE d.certno = $1 ORDER BY d.month DESC`,
    [certno],
  );
  return r.rows;
}

export async function deliveryOfMonth(
  q: Queryable,
  certno: string,
  month: Month,
): Promise<DeliveryRow | null> {
  const r = await q.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLS} FROM care_delivery d WHERE d.certno = $1 AND d.month = $2`,
    [certno, month],
  );
  return r.rows[0] ?? null;
}

export async function insertDelivery(
  q: Queryable,
  row: Omit<DeliveryRow, 'deliveryId' | 'recordedAt'> & { townshipCode: string },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO care_delivery (certno, eligibility_id, township_code, month, delivered_on, delivered_by,
        confirmed_by, confirmer_name, lines, settlement_id, msgid, programme, programme_paid, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, round($13::numeric * 100), $14)
     RETURNING delivery_id::int AS id`,
    [
      row.certno,
      row.eligibilityId,
      row.townshipCode,
      row.month,
      row.deliveredOn,
      row.deliveredBy,
      row.confirmedBy,
      row.confirmerName,
      JSON.stringify(row.lines),
      row.settlementId,
      row.msgid,
      row.programme,
      row.programmePaid,
      row.recordedBy,
    ],
  );
  return r.rows[0]!.id;
}

/** The drugs of the catalogue valid on `day` among `codes`. */
export async function drugsOn(
  q: Queryable,
  codes: readonly string[],
  day: IsoDate,
): Promise<Map<string, CatalogueDrug>> {
  const r = await q.query<CatalogueDrug>(
    `SELECT med_list_codg AS code, name, chrgitm_lv AS "chrgitmLv", selfpay_prop AS "selfpayProp",
            two_diseases AS "twoDiseases"
       FROM catalogue_item
      WHERE med_list_codg = ANY($1::text[]) AND list_type = 'drug'
        AND begndate <= $2 AND (enddate IS NULL OR enddate >= $2)`,
    [[...codes], day],
  );
  return new Map(r.rows.map((d) => [d.code, d]));
}

export interface RegisterRow extends EligibilityRow {
  /** The month's delivery (null: due). */
  deliveredOn: IsoDate | null;
  settlementId: number | null;
  /** The programme that bore the month's drugs after the tiers (docs/care.md §10), if any. */
  programme: string | null;
}

/**
 * The register for a month: everyone eligible on some day of it, with the month's delivery if
 * made; `delivered` filters done (true) or due (false).
 */
export async function deliveryMonth(
  q: Queryable,
  scope: DataScope,
  f: {
    month: Month;
    first: IsoDate;
    last: IsoDate;
    regionCode?: string | undefined;
    delivered?: boolean | undefined;
  },
  page: Page,
): Promise<{ items: RegisterRow[]; total: number }> {
  const params: unknown[] = [f.month, f.first, f.last];
  const conds = [
    `e.confirmed_on <= $3`,
    `(e.ended_on IS NULL OR e.ended_on >= $2)`,
    scoped(scope, params),
  ];
  if (f.regionCode !== undefined)
    conds.push(`p.region_code LIKE ${param(params, f.regionCode)} || '%'`);
  if (f.delivered !== undefined)
    conds.push(`d.delivery_id IS ${f.delivered ? 'NOT NULL' : 'NULL'}`);
  const from = `care_delivery_eligibility e JOIN person p ON p.certno = e.certno
    LEFT JOIN care_delivery d ON d.certno = e.certno AND d.month = $1 AND d.eligibility_id = e.eligibility_id`;
  const where = conds.join(' AND ');
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${from} WHERE ${where}`,
    params,
  );
  const r = await q.query<RegisterRow>(
    `SELECT ${ELIGIBILITY_COLS}, d.delivered_on::text AS "deliveredOn", d.settlement_id::int AS "settlementId",
            d.programme
       FROM ${from} WHERE ${where}
      ORDER BY (d.delivery_id IS NOT NULL), e.township_code, p.region_code, e.certno ${limitOffset(params, page)}`,
    params,
  );
  return { items: r.rows, total: total.rows[0]!.n };
}

/** Counts per township for a month: eligible, delivered. */
export async function deliveryCounts(
  q: Queryable,
  scope: DataScope,
  f: { month: Month; first: IsoDate; last: IsoDate },
): Promise<{ townshipCode: string; eligible: number; delivered: number }[]> {
  const params: unknown[] = [f.month, f.first, f.last];
  const r = await q.query<{ townshipCode: string; eligible: number; delivered: number }>(
    `SELECT e.township_code AS "townshipCode", count(*)::int AS eligible, count(d.delivery_id)::int AS delivered
       FROM care_delivery_eligibility e JOIN person p ON p.certno = e.certno
       LEFT JOIN care_delivery d ON d.certno = e.certno AND d.month = $1 AND d.eligibility_id = e.eligibility_id
      WHERE e.confirmed_on <= $3 AND (e.ended_on IS NULL OR e.ended_on >= $2) AND ${scoped(scope, params)}
      GROUP BY 1 ORDER BY 1`,
    params,
  );
  return r.rows;
}
