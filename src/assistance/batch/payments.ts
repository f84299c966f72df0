/**
 * What a batch pays: one payment per person (the sum of their records), to their social security
 * card, and the township's signature confirmation (乡镇医保所通知救助对象本人签字确认). Lists are
 * within the caller's data scope; ID numbers are shown as masking.ts allows.
 */
import { appendAudit } from '../../audit/index.ts';
import { certnoFor } from '../../kernel/access/masking.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { conflict, notFound, unprocessable } from '../../kernel/errors.ts';
import type { Fen } from '../../kernel/money.ts';
import { normaliseDate, type IsoDate } from '../../kernel/period.ts';
import { programmeVisible } from '../programmes.ts';

export interface BatchView {
  batchId: number;
  fileName: string;
  actorId: string;
  rowsRead: number;
  settled: number;
  duplicates: number;
  rejected: number;
  payable: Fen;
  createdAt: string;
  finishedAt: string | null;
}

interface BatchRow {
  batch_id: number;
  region_code: string;
  file_name: string;
  actor_id: string;
  rows_read: number;
  settled: number;
  duplicates: number;
  rejected: number;
  payable: number;
  created_at: string;
  finished_at: string | null;
}

const toBatch = (r: BatchRow): BatchView => ({
  batchId: r.batch_id,
  fileName: r.file_name,
  actorId: r.actor_id,
  rowsRead: r.rows_read,
  settled: r.settled,
  duplicates: r.duplicates,
  rejected: r.rejected,
  payable: r.payable,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export async function getBatch(q: Queryable, actor: Actor, batchId: number): Promise<BatchView> {
  const r = await q.query<BatchRow>('SELECT * FROM assistance_batch WHERE batch_id = $1', [
    batchId,
  ]);
  const row = r.rows[0];
  if (!row || !programmeVisible(actor.scope, row.region_code)) {
    throw notFound(
      'assistance.batch_not_found',
      'batchId',
      `没有批次 ${batchId}`,
      `no batch ${batchId}`,
    );
  }
  return toBatch(row);
}

export async function listBatches(q: Queryable, actor: Actor): Promise<BatchView[]> {
  const r = await q.query<BatchRow>(
    'SELECT * FROM assistance_batch ORDER BY batch_id DESC LIMIT 200',
  );
  return r.rows.filter((b) => programmeVisible(actor.scope, b.region_code)).map(toBatch);
}

export async function batchRejects(q: Queryable, batchId: number, limit = 1000) {
  const r = await q.query<{
    row_number: number;
    certno: string | null;
    name: string | null;
    field: string | null;
    reason_zh: string;
    reason_en: string;
  }>(
    `SELECT row_number, certno, name, field, reason_zh, reason_en FROM assistance_batch_reject
      WHERE batch_id = $1 ORDER BY row_number LIMIT ${limit}`,
    [batchId],
  );
  return r.rows.map((x) => ({
    rowNumber: x.row_number,
    certno: x.certno,
    name: x.name,
    field: x.field,
    reason: { zh: x.reason_zh, en: x.reason_en },
  }));
}

export interface PaymentRow {
  certno: string;
  name: string;
  villageCode: string;
  villageName: string;
  townshipCode: string;
  townshipName: string;
  amount: Fen;
  records: number;
  cardRef: string | null;
  exportedAt: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
  signedOn: string | null;
}

/** The batch's payments within the actor's scope (true ID numbers: callers mask at the edge). */
export async function paymentsOf(
  q: Queryable,
  actor: Actor,
  batchId: number,
  f: { township?: string } = {},
): Promise<PaymentRow[]> {
  const s = personScopeSql(actor.scope, 'p', 3);
  const r = await q.query<{
    certno: string;
    name: string;
    village_code: string;
    village_name: string | null;
    township_code: string;
    township_name: string | null;
    amount: number;
    records: number;
    card_ref: string | null;
    exported_at: string | null;
    confirmed_at: string | null;
    confirmed_by: string | null;
    signed_on: string | null;
  }>(
    `SELECT pay.certno, p.name, p.region_code AS village_code, v.name AS village_name,
            pay.township_code, t.name AS township_name, pay.amount, pay.records, pay.card_ref,
            pay.exported_at, pay.confirmed_at, pay.confirmed_by, pay.signed_on
       FROM assistance_payment pay
       JOIN person p ON p.certno = pay.certno
       LEFT JOIN region v ON v.code = p.region_code
       LEFT JOIN region t ON t.code = pay.township_code
      WHERE pay.batch_id = $1 AND ($2::text IS NULL OR pay.township_code = $2) AND ${s.sql}
      ORDER BY pay.township_code, p.region_code, pay.certno`,
    [batchId, f.township ?? null, ...s.params],
  );
  return r.rows.map((x) => ({
    certno: x.certno,
    name: x.name,
    villageCode: x.village_code,
    villageName: x.village_name ?? x.village_code,
    townshipCode: x.township_code,
    townshipName: x.township_name ?? x.township_code,
    amount: x.amount,
    records: x.records,
    cardRef: x.card_ref,
    exportedAt: x.exported_at,
    confirmedAt: x.confirmed_at,
    confirmedBy: x.confirmed_by,
    signedOn: x.signed_on,
  }));
}

/** The payment as this actor may see it. */
export const paymentFor = (actor: Actor, p: PaymentRow): PaymentRow => ({
  ...p,
  certno: certnoFor(actor, p.certno),
});

/**
 * Records the person's signature (本人签字确认) for a payment, once; audited. The signed list
 * comes back from the township office, and staff record it here.
 */
export async function confirmPayment(
  db: Db,
  actor: Actor,
  batchId: number,
  certno: string,
  req: { signedOn: IsoDate; note?: string | null },
): Promise<PaymentRow> {
  const signedOn = normaliseDate(req.signedOn);
  if (signedOn === null) {
    throw unprocessable(
      'date.invalid',
      'signedOn',
      'signedOn 应为 YYYY-MM-DD',
      'signedOn must be YYYY-MM-DD',
    );
  }
  await db.transaction(async (tx) => {
    const s = personScopeSql(actor.scope, 'p', 3);
    const r = await tx.query<{
      confirmed_at: string | null;
      amount: number;
      signed_on: string | null;
    }>(
      `SELECT pay.confirmed_at, pay.amount, pay.signed_on FROM assistance_payment pay
         JOIN person p ON p.certno = pay.certno
        WHERE pay.batch_id = $1 AND pay.certno = $2 AND ${s.sql}
        FOR UPDATE OF pay`,
      [batchId, certno, ...s.params],
    );
    const row = r.rows[0];
    if (!row) {
      throw notFound(
        'assistance.payment_not_found',
        'certno',
        `批次 ${batchId} 中没有此人的救助金`,
        `batch ${batchId} pays nobody with this ID number`,
      );
    }
    if (row.confirmed_at !== null) {
      throw conflict(
        'assistance.payment_confirmed',
        'certno',
        `已于 ${row.signed_on ?? ''} 签字确认`,
        `already confirmed (signed on ${row.signed_on ?? ''})`,
      );
    }
    await tx.query(
      `UPDATE assistance_payment SET confirmed_at = now(), confirmed_by = $3, signed_on = $4,
         confirm_note = $5 WHERE batch_id = $1 AND certno = $2`,
      [batchId, certno, actor.id, signedOn, req.note ?? null],
    );
    await appendAudit(tx, {
      actor,
      action: 'assistance.payment.confirm',
      entity: 'assistance_payment',
      entityId: `${batchId}:${certno}`,
      certno,
      before: { confirmed: false },
      after: { confirmed: true, amount: row.amount, signedOn },
      reason: req.note ?? null,
    });
  });
  const [p] = (await paymentsOf(db, actor, batchId)).filter((x) => x.certno === certno);
  return p!;
}
