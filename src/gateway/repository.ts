/**
 * SQL of the gateway's own state: the message log (msgid replay), visits, fee details, filings,
 * institutions, and the institution's settlement totals for reconciliation. Every statement
 * names the person (certno) or the institution (fixmedins_code) it is about.
 */
import type { Queryable } from '../db/db.ts';
import type { Fen } from '../kernel/money.ts';
import type { BillLine } from '../settlement/index.ts';
import type { VisitType } from '../policy/index.ts';
import type { Answer } from './envelope.ts';
import type { ClassedLine } from './fees.ts';

export interface MessageRow {
  infno: string;
  answer: Answer | null;
}

export async function findMessage(
  q: Queryable,
  fixmedinsCode: string,
  msgid: string,
): Promise<MessageRow | null> {
  const r = await q.query<MessageRow>(
    'SELECT infno, answer FROM gateway_message WHERE fixmedins_code = $1 AND msgid = $2',
    [fixmedinsCode, msgid],
  );
  return r.rows[0] ?? null;
}

/**
 * Claims a msgid for this transaction (inside it): false when another request holds it. A
 * concurrent repeat waits here for the first to commit (then finds its answer) or roll back.
 */
export async function claimMessage(
  q: Queryable,
  m: { fixmedinsCode: string; msgid: string; infno: string; certno: string | null },
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO gateway_message (fixmedins_code, msgid, infno, certno) VALUES ($1, $2, $3, $4)
     ON CONFLICT (fixmedins_code, msgid) DO NOTHING RETURNING 1`,
    [m.fixmedinsCode, m.msgid, m.infno, m.certno],
  );
  return r.rows.length === 1;
}

export async function saveAnswer(
  q: Queryable,
  fixmedinsCode: string,
  msgid: string,
  answer: Answer,
): Promise<void> {
  await q.query(
    'UPDATE gateway_message SET answer = $3::jsonb WHERE fixmedins_code = $1 AND msgid = $2',
    [fixmedinsCode, msgid, JSON.stringify(answer)],
  );
}

/** Logs a read-only answer; the first stays if a repeat raced it. */
export async function logAnswer(
  q: Queryable,
  m: { fixmedinsCode: string; msgid: string; infno: string; certno: string | null },
  answer: Answer,
): Promise<void> {
  await q.query(
    `INSERT INTO gateway_message (fixmedins_code, msgid, infno, certno, answer)
     VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (fixmedins_code, msgid) DO NOTHING`,
    [m.fixmedinsCode, m.msgid, m.infno, m.certno, JSON.stringify(answer)],
  );
}

export interface Institution {
  fixmedins_code: string;
  fixmedins_name: string;
  hosp_lv: 1 | 2 | 3;
  admdvs: string;
}

export async function findInstitution(
  q: Queryable,
  fixmedinsCode: string,
): Promise<Institution | null> {
  const r = await q.query<Institution>(
    'SELECT fixmedins_code, fixmedins_name, hosp_lv, admdvs FROM gateway_institution WHERE fixmedins_code = $1',
    [fixmedinsCode],
  );
  return r.rows[0] ?? null;
}

export interface VisitRow {
  certno: string;
  mdtrt_id: string;
  fixmedins_code: string;
  kind: 'outpatient' | 'inpatient';
  psn_name: string;
  ipt_otp_no: string | null;
  med_type: string | null;
  begntime: string;
  endtime: string | null;
  dise_codg: string | null;
  dise_name: string | null;
  status: 'open' | 'cancelled' | 'discharged';
  settle_msgid: string | null;
}

export async function nextMdtrtId(q: Queryable): Promise<string> {
  const r = await q.query<{ n: number }>("SELECT nextval('gateway_visit_seq')::int8 AS n");
  return `MD${String(r.rows[0]!.n).padStart(12, '0')}`;
}

export async function insertVisit(
  q: Queryable,
  v: Omit<VisitRow, 'status' | 'settle_msgid' | 'endtime'>,
): Promise<void> {
  await q.query(
    `INSERT INTO gateway_visit (certno, mdtrt_id, fixmedins_code, kind, psn_name, ipt_otp_no,
       med_type, begntime, dise_codg, dise_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamp, $9, $10)`,
    [
      v.certno,
      v.mdtrt_id,
      v.fixmedins_code,
      v.kind,
      v.psn_name,
      v.ipt_otp_no,
      v.med_type,
      v.begntime,
      v.dise_codg,
      v.dise_name,
    ],
  );
}

const VISIT_COLS = `certno, mdtrt_id, fixmedins_code, kind, psn_name, ipt_otp_no, med_type,
  to_char(begntime, 'YYYY-MM-DD HH24:MI:SS') AS begntime,
  to_char(endtime, 'YYYY-MM-DD HH24:MI:SS') AS endtime, dise_codg, dise_name, status, settle_msgid`;

/** The visit, locked for the rest of the transaction when `lock`. */
export async function findVisit(
  q: Queryable,
  certno: string,
  mdtrtId: string,
  lock = false,
): Promise<VisitRow | null> {
  const r = await q.query<VisitRow>(
    `SELECT ${VISIT_COLS} FROM gateway_visit WHERE certno = $1 AND mdtrt_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [certno, mdtrtId],
  );
  return r.rows[0] ?? null;
}

export async function updateVisit(
  q: Queryable,
  certno: string,
  mdtrtId: string,
  set: Partial<
    Pick<VisitRow, 'med_type' | 'dise_codg' | 'dise_name' | 'status' | 'endtime' | 'begntime'>
  >,
): Promise<void> {
  const cols = Object.entries(set).filter(([, v]) => v !== undefined);
  if (cols.length === 0) return;
  const params: unknown[] = [certno, mdtrtId];
  const sets = cols.map(([k, v]) => {
    params.push(v);
    const cast = k === 'endtime' || k === 'begntime' ? '::timestamp' : '';
    return `${k} = $${params.length}${cast}`;
  });
  await q.query(
    `UPDATE gateway_visit SET ${sets.join(', ')} WHERE certno = $1 AND mdtrt_id = $2`,
    params,
  );
}

export async function insertFees(q: Queryable, lines: readonly ClassedLine[]): Promise<void> {
  if (lines.length === 0) return;
  const params: unknown[] = [];
  const rows = lines.map((c) => {
    const vals = [
      c.fee.certno,
      c.fee.mdtrtId,
      c.fee.feedetlSn,
      c.fee.chrgBchno,
      c.fee.feeOcurTime,
      c.item.medListCodg,
      c.fee.medinsListCodg,
      c.item.name,
      c.fee.cntText,
      c.fee.pric,
      c.fee.amount,
      c.item.chrgitmLv,
      c.item.medChrgitmType,
      c.item.selfpayProp,
      c.item.pricUplmtAmt,
      c.fulamtOwnpay,
      c.overlmt,
      c.preselfpay,
      c.inscp,
      JSON.stringify(c.line),
    ];
    const base = params.length;
    params.push(...vals);
    return `(${vals.map((_, i) => `$${base + i + 1}`).join(', ')})`;
  });
  await q.query(
    `INSERT INTO gateway_fee (certno, mdtrt_id, feedetl_sn, chrg_bchno, fee_ocur_time,
       med_list_codg, medins_list_codg, item_name, cnt, pric, det_item_fee_sumamt, chrgitm_lv,
       med_chrgitm_type, selfpay_prop, pric_uplmt_amt, fulamt_ownpay_amt, overlmt_amt,
       preselfpay_amt, inscp_scp_amt, line)
     VALUES ${rows.join(', ')}`,
    params,
  );
}

/** The fee serial numbers of these lines already uploaded to the visit. */
export async function existingFees(
  q: Queryable,
  certno: string,
  mdtrtId: string,
  serials: readonly string[],
): Promise<Set<string>> {
  const r = await q.query<{ feedetl_sn: string }>(
    `SELECT feedetl_sn FROM gateway_fee
      WHERE certno = $1 AND mdtrt_id = $2 AND feedetl_sn = ANY($3::text[])`,
    [certno, mdtrtId, [...serials]],
  );
  return new Set(r.rows.map((x) => x.feedetl_sn));
}

/** Deletes fee lines: all of the visit, or those of one batch / serial number. */
export async function deleteFees(
  q: Queryable,
  certno: string,
  mdtrtId: string,
  by: { chrgBchno?: string; feedetlSn?: string },
): Promise<number> {
  const params: unknown[] = [certno, mdtrtId];
  let extra = '';
  if (by.chrgBchno !== undefined) {
    params.push(by.chrgBchno);
    extra = ' AND chrg_bchno = $3';
  } else if (by.feedetlSn !== undefined) {
    params.push(by.feedetlSn);
    extra = ' AND feedetl_sn = $3';
  }
  const r = await q.query(
    `DELETE FROM gateway_fee WHERE certno = $1 AND mdtrt_id = $2${extra}`,
    params,
  );
  return r.rowCount;
}

export interface BillSource {
  visit: VisitRow | null;
  /** Whether this msgid now holds the visit for settlement (settle only). */
  claimed: boolean;
  /** The msgid's earlier use by another transaction, if any. */
  message: MessageRow | null;
  lines: BillLine[];
  /** The fee detail number (feedetl_sn) of each line, in the lines' order. */
  sns: string[];
  total: Fen;
  lastFee: string | null;
  institution: Institution | null;
}

/**
 * Everything a pre-settlement or settlement needs, in one round trip: the msgid's earlier use,
 * the visit, its classed lines and their total, and the institution's level. With `claimMsgid`,
 * the same statement claims the visit for that settlement message, unless another holds it:
 * a visit is paid once however many messages race for it.
 */
export async function billSource(
  q: Queryable,
  fixmedinsCode: string,
  certno: string,
  mdtrtId: string,
  claimMsgid: string | null,
): Promise<BillSource> {
  const r = await q.query<{
    visit: VisitRow | null;
    claimed: boolean;
    message: MessageRow | null;
    lines: BillLine[] | null;
    sns: string[] | null;
    total: Fen | null;
    last_fee: string | null;
    institution: Institution | null;
  }>(
    `WITH msg AS (
       SELECT infno, answer FROM gateway_message WHERE fixmedins_code = $1 AND msgid = $4),
     claim AS (
       UPDATE gateway_visit SET settle_msgid = $4
        WHERE $4::text IS NOT NULL AND certno = $2 AND mdtrt_id = $3 AND fixmedins_code = $1
          AND status <> 'cancelled' AND (settle_msgid IS NULL OR settle_msgid = $4)
          AND NOT EXISTS (SELECT 1 FROM msg)
        RETURNING 1)
     SELECT (SELECT row_to_json(v) FROM (SELECT ${VISIT_COLS} FROM gateway_visit
               WHERE certno = $2 AND mdtrt_id = $3) v) AS visit,
            EXISTS (SELECT 1 FROM claim) AS claimed,
            (SELECT row_to_json(m) FROM msg m) AS message,
            (SELECT json_agg(f.line ORDER BY f.fee_ocur_time, f.feedetl_sn) FROM gateway_fee f
               WHERE f.certno = $2 AND f.mdtrt_id = $3) AS lines,
            (SELECT json_agg(f.feedetl_sn ORDER BY f.fee_ocur_time, f.feedetl_sn) FROM gateway_fee f
               WHERE f.certno = $2 AND f.mdtrt_id = $3) AS sns,
            (SELECT sum(f.det_item_fee_sumamt)::int8 FROM gateway_fee f
               WHERE f.certno = $2 AND f.mdtrt_id = $3) AS total,
            (SELECT to_char(max(f.fee_ocur_time), 'YYYY-MM-DD HH24:MI:SS') FROM gateway_fee f
               WHERE f.certno = $2 AND f.mdtrt_id = $3) AS last_fee,
            (SELECT row_to_json(i) FROM gateway_institution i WHERE i.fixmedins_code = $1)
              AS institution`,
    [fixmedinsCode, certno, mdtrtId, claimMsgid],
  );
  const row = r.rows[0]!;
  return {
    visit: row.visit,
    claimed: row.claimed,
    message: row.message,
    lines: row.lines ?? [],
    sns: row.sns ?? [],
    total: row.total ?? 0,
    lastFee: row.last_fee,
    institution: row.institution,
  };
}

/** Releases a settlement claim that did not lead to a settlement (the settle failed). */
export async function releaseClaim(
  q: Queryable,
  certno: string,
  mdtrtId: string,
  msgid: string,
  settlementMsgid: string,
): Promise<void> {
  await q.query(
    `UPDATE gateway_visit SET settle_msgid = NULL
      WHERE certno = $1 AND mdtrt_id = $2 AND settle_msgid = $3
        AND NOT EXISTS (SELECT 1 FROM settlement WHERE certno = $1 AND msgid = $4)`,
    [certno, mdtrtId, msgid, settlementMsgid],
  );
}

/** Frees a visit whose settlement by this msgid was cancelled (a late repeat re-claimed it). */
export async function unclaim(
  q: Queryable,
  certno: string,
  mdtrtId: string,
  msgid: string,
): Promise<void> {
  await q.query(
    'UPDATE gateway_visit SET settle_msgid = NULL WHERE certno = $1 AND mdtrt_id = $2 AND settle_msgid = $3',
    [certno, mdtrtId, msgid],
  );
}

/**
 * After a cancellation (2208/2305), in one statement: the visit may be settled again, and the
 * answer is logged for a repeat of the msgid.
 */
export async function afterCancel(
  q: Queryable,
  m: { fixmedinsCode: string; msgid: string; infno: string; certno: string },
  mdtrtId: string,
  cancelledMsgid: string,
  answer: Answer,
): Promise<void> {
  await q.query(
    `WITH v AS (
       UPDATE gateway_visit SET settle_msgid = NULL
        WHERE certno = $4 AND mdtrt_id = $5 AND settle_msgid = $6)
     INSERT INTO gateway_message (fixmedins_code, msgid, infno, certno, answer)
     VALUES ($1, $2, $3, $4, $7::jsonb) ON CONFLICT (fixmedins_code, msgid) DO NOTHING`,
    [m.fixmedinsCode, m.msgid, m.infno, m.certno, mdtrtId, cancelledMsgid, JSON.stringify(answer)],
  );
}

export interface Totals {
  count: number;
  medfee: Fen;
  fund: Fen;
  cash: Fen;
}

/**
 * The institution's settlement totals over bill dates (settlement date for outpatients,
 * discharge for inpatients): a cancellation's mirror subtracts what it cancelled.
 */
export async function institutionTotals(
  q: Queryable,
  fixmedinsCode: string,
  from: string,
  to: string,
  visitTypes: readonly VisitType[] | null,
): Promise<Totals> {
  const r = await q.query<Totals>(
    `SELECT (count(*) FILTER (WHERE kind = 'settle') - count(*) FILTER (WHERE kind = 'cancel'))::int
              AS count,
            coalesce(sum(medfee_sumamt), 0)::int8 AS medfee,
            coalesce(sum(fund_pay_sumamt), 0)::int8 AS fund,
            coalesce(sum(psn_cash_pay), 0)::int8 AS cash
       FROM settlement
      WHERE fixmedins_code = $1 AND bill_date BETWEEN $2::date AND $3::date
        AND ($4::text[] IS NULL OR visit_type = ANY($4::text[]))`,
    [fixmedinsCode, from, to, visitTypes],
  );
  return r.rows[0]!;
}

export interface SettlementLine {
  settlement_id: number;
  certno: string;
  kind: 'settle' | 'cancel';
  original_id: number | null;
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  psn_cash_pay: Fen;
}

export async function institutionSettlements(
  q: Queryable,
  fixmedinsCode: string,
  from: string,
  to: string,
): Promise<SettlementLine[]> {
  const r = await q.query<SettlementLine>(
    `SELECT settlement_id, certno, kind, original_id, medfee_sumamt, fund_pay_sumamt, psn_cash_pay
       FROM settlement WHERE fixmedins_code = $1 AND bill_date BETWEEN $2::date AND $3::date
      ORDER BY settlement_id`,
    [fixmedinsCode, from, to],
  );
  return r.rows;
}

export async function insertFiling(
  q: Queryable,
  f: {
    certno: string;
    fixmedinsCode: string;
    code: string;
    name: string;
    begndate: string;
    enddate: string | null;
    filing: unknown;
  },
): Promise<string> {
  const r = await q.query<{ sn: string }>(
    `INSERT INTO gateway_chronic_filing (certno, trt_dcla_detl_sn, fixmedins_code, opsp_dise_code,
       opsp_dise_name, begndate, enddate, filing)
     VALUES ($1, 'MB' || lpad(nextval('gateway_chronic_filing_seq')::text, 12, '0'), $2, $3, $4,
       $5::date, $6::date, $7::jsonb)
     RETURNING trt_dcla_detl_sn AS sn`,
    [f.certno, f.fixmedinsCode, f.code, f.name, f.begndate, f.enddate, JSON.stringify(f.filing)],
  );
  return r.rows[0]!.sn;
}

export interface GatewayFilingRow {
  fixmedins_code: string;
  opsp_dise_code: string;
  cancelled: boolean;
}

/** A 2503 filing by its serial number (2504 cancels it). */
export async function findGatewayFiling(
  q: Queryable,
  certno: string,
  sn: string,
): Promise<GatewayFilingRow | null> {
  const r = await q.query<GatewayFilingRow>(
    `SELECT fixmedins_code, opsp_dise_code, cancelled_at IS NOT NULL AS cancelled
       FROM gateway_chronic_filing WHERE certno = $1 AND trt_dcla_detl_sn = $2 FOR UPDATE`,
    [certno, sn],
  );
  return r.rows[0] ?? null;
}

export async function cancelGatewayFiling(q: Queryable, certno: string, sn: string): Promise<void> {
  await q.query(
    `UPDATE gateway_chronic_filing SET cancelled_at = now()
      WHERE certno = $1 AND trt_dcla_detl_sn = $2`,
    [certno, sn],
  );
}
