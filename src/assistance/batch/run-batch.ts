/**
 * Batch assistance for hospitals outside one-stop settlement (Wenshang, 三(三)): read the records
 * (CSV/XLSX, the registry's reader), settle each through the one settlement service with a msgid
 * made of (hospital, record number) — same engine, same accumulators, same ledger, and a repeated
 * record gets its first answer — then total what each person is owed for the social-security-card
 * disbursement and the township's signature list, and check the programme budgets.
 *
 * Every row is accounted for: rows read = settled + already imported + rejected. A record already
 * imported (in this file or an earlier batch) pays nothing again; one re-imported with different
 * amounts is rejected, not silently ignored.
 */
import type { Readable } from 'node:stream';
import { appendAudit } from '../../audit/index.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import type { Db } from '../../db/db.ts';
import { isTriguardError, type Message } from '../../kernel/errors.ts';
import type { Fen } from '../../kernel/money.ts';
import { readRows, type FileFormat } from '../../tabular/read.ts';
import type { SettlementService } from '../../settlement/index.ts';
import { checkBudget } from '../budget.ts';
import { listProgrammes } from '../programmes.ts';
import type { BudgetAlert } from '../model.ts';
import { BATCH_COLUMN_SET, type BatchColumn } from './columns.ts';
import { digestOf, readRecord, settleRequestOf, type OutsideRecord } from './record.ts';

export interface BatchReject {
  rowNumber: number;
  certno: string | null;
  name: string | null;
  field: BatchColumn | null;
  reason: Message;
}

export interface BatchCounts {
  rowsRead: number;
  settled: number;
  /** Records imported before (or earlier in the file): nothing paid again. */
  duplicates: number;
  rejected: number;
  /** What this batch pays (assistance + re-assistance + backstop of the records it settled). */
  payable: Fen;
}

export interface BatchResult extends BatchCounts {
  batchId: number;
  /** People to be paid by this batch. */
  people: number;
  alerts: BudgetAlert[];
}

export interface BatchOptions {
  fileName: string;
  format: FileFormat;
  onReject?: (r: BatchReject) => void | Promise<void>;
  onProgress?: (c: BatchCounts) => void;
}

interface Earlier {
  batch_id: number;
  row_number: number;
  certno: string;
  digest: string;
}

interface Paid {
  hifp_pay: number;
  hifmi_pay: number;
  maf_pay: number;
  reassist_pay: number;
  backstop_pay: number;
}

export async function runBatch(
  db: Db,
  settlement: SettlementService,
  actor: Actor,
  input: string | Readable,
  opts: BatchOptions,
): Promise<BatchResult> {
  const region = actor.scope.kind === 'system' ? '' : actor.scope.regionCode;
  const created = await db.query<{ batch_id: number }>(
    `INSERT INTO assistance_batch (region_code, file_name, actor_id) VALUES ($1, $2, $3)
     RETURNING batch_id`,
    [region, opts.fileName, actor.id],
  );
  const batchId = created.rows[0]!.batch_id;
  const counts: BatchCounts = { rowsRead: 0, settled: 0, duplicates: 0, rejected: 0, payable: 0 };
  const inFile = new Map<string, { rowNumber: number; digest: string }>();
  const years = new Set<number>();

  const reject = async (r: BatchReject) => {
    counts.rejected++;
    await db.query(
      `INSERT INTO assistance_batch_reject (batch_id, row_number, certno, name, field, reason_zh,
         reason_en) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [batchId, r.rowNumber, r.certno, r.name, r.field, r.reason.zh, r.reason.en],
    );
    await opts.onReject?.(r);
  };

  const rows = unlessUnreadable(readRows(input, opts.format, BATCH_COLUMN_SET), () =>
    db.query('DELETE FROM assistance_batch WHERE batch_id = $1', [batchId]).then(() => undefined),
  );
  for await (const { rowNumber, cells, problem: unstorable } of rows) {
    counts.rowsRead++;
    const read = unstorable ? { problem: unstorable } : readRecord(cells);
    if ('problem' in read) {
      const certno = typeof cells.certno === 'string' ? cells.certno : null;
      const name = typeof cells.name === 'string' ? cells.name : null;
      await reject({ rowNumber, certno, name, ...read.problem });
      continue;
    }
    const rec = read.record;
    const who = { rowNumber, certno: rec.certno, name: rec.name };
    const key = `${rec.fixmedinsCode}\u0000${rec.recordNo}`;
    const digest = digestOf(rec);
    const same = inFile.get(key);
    if (same) {
      if (same.digest === digest) counts.duplicates++;
      else
        await reject({
          ...who,
          field: 'recordNo',
          reason: sameNumber(`第 ${same.rowNumber} 行`, `row ${same.rowNumber}`),
        });
      continue;
    }
    inFile.set(key, { rowNumber, digest });
    const earlier = await db.query<Earlier>(
      `SELECT batch_id, row_number, certno, digest FROM assistance_outside_record
        WHERE fixmedins_code = $1 AND record_no = $2`,
      [rec.fixmedinsCode, rec.recordNo],
    );
    const before = earlier.rows[0];
    if (before) {
      if (before.digest === digest) counts.duplicates++;
      else {
        const where = `批次 ${before.batch_id} 第 ${before.row_number} 行`;
        await reject({
          ...who,
          field: 'recordNo',
          reason: sameNumber(where, `batch ${before.batch_id} row ${before.row_number}`),
        });
      }
      continue;
    }
    const problem = await checkName(db, rec);
    if (problem) {
      await reject({ ...who, ...problem });
      continue;
    }
    let settlementId: number;
    try {
      settlementId = (await settlement.settle(actor, settleRequestOf(rec))).settlementId;
    } catch (e) {
      if (!isTriguardError(e)) throw e;
      await reject({ ...who, field: columnOf(e.field), reason: e.messages });
      continue;
    }
    const paid = await db.query<Paid>(
      `SELECT hifp_pay, hifmi_pay, maf_pay, reassist_pay, backstop_pay FROM settlement
        WHERE certno = $1 AND settlement_id = $2`,
      [rec.certno, settlementId],
    );
    const p = paid.rows[0]!;
    const payable = p.maf_pay + p.reassist_pay + p.backstop_pay;
    const inserted = await db.query(
      `INSERT INTO assistance_outside_record (fixmedins_code, record_no, certno, batch_id,
         row_number, settlement_id, digest, payable, card_ref, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (fixmedins_code, record_no) DO NOTHING RETURNING 1`,
      [
        rec.fixmedinsCode,
        rec.recordNo,
        rec.certno,
        batchId,
        rowNumber,
        settlementId,
        digest,
        payable,
        rec.cardRef,
        noteOf(rec, p),
      ],
    );
    // A concurrent batch recorded the same record first: its batch pays it.
    if (inserted.rows.length === 0) {
      counts.duplicates++;
      continue;
    }
    counts.settled++;
    counts.payable += payable;
    years.add(Number(rec.date.slice(0, 4)));
    opts.onProgress?.(counts);
  }

  const people = await db.transaction(async (tx) => {
    const r = await tx.query<{ n: number }>(
      `WITH paid AS (
         INSERT INTO assistance_payment (batch_id, certno, township_code, amount, records, card_ref)
         SELECT $1, r.certno, left(p.region_code, 9), sum(r.payable), count(*), max(r.card_ref)
           FROM assistance_outside_record r JOIN person p ON p.certno = r.certno
          WHERE r.batch_id = $1 AND r.payable > 0
          GROUP BY r.certno, p.region_code
         RETURNING 1)
       SELECT count(*)::int AS n FROM paid`,
      [batchId],
    );
    await tx.query(
      `UPDATE assistance_batch SET rows_read = $2, settled = $3, duplicates = $4, rejected = $5,
         payable = $6, finished_at = now() WHERE batch_id = $1`,
      [
        batchId,
        counts.rowsRead,
        counts.settled,
        counts.duplicates,
        counts.rejected,
        counts.payable,
      ],
    );
    await appendAudit(tx, {
      actor,
      action: 'assistance.batch.import',
      entity: 'assistance_batch',
      entityId: String(batchId),
      after: { fileName: opts.fileName, ...counts, people: r.rows[0]!.n },
    });
    return r.rows[0]!.n;
  });
  const alerts: BudgetAlert[] = [];
  for (const year of years) {
    for (const p of await listProgrammes(db, actor, { year })) {
      alerts.push(...(await checkBudget(db, p, actor)).raised);
    }
  }
  return { batchId, ...counts, people, alerts };
}

/** The rows; a file that yields none before failing (not a workbook, no columns) leaves no batch. */
async function* unlessUnreadable<T>(
  rows: AsyncIterable<T>,
  forget: () => Promise<void>,
): AsyncGenerator<T> {
  let any = false;
  try {
    for await (const r of rows) {
      any = true;
      yield r;
    }
  } catch (e) {
    if (!any) await forget();
    throw e;
  }
}

const sameNumber = (zh: string, en: string): Message => ({
  zh: `同一医院的结算单号已在${zh}导入，但内容不同；如需更正请先撤销原结算`,
  en: `this hospital's record number was already imported at ${en} with different content; cancel that settlement first to correct it`,
});

/** A name on the row must be the registry's (a wrong ID number must not pay someone else). */
async function checkName(
  db: Db,
  rec: OutsideRecord,
): Promise<{ field: BatchColumn; reason: Message } | null> {
  if (rec.name === null) return null;
  const r = await db.query<{ name: string }>('SELECT name FROM person WHERE certno = $1', [
    rec.certno,
  ]);
  const name = r.rows[0]?.name;
  if (name === undefined || name === rec.name) return null;
  return {
    field: 'name',
    reason: { zh: '姓名与登记库不一致', en: 'the name differs from the registry' },
  };
}

/** The settlement error's field (`bill.date`, `certno`) as a column of the file. */
function columnOf(field: string | null): BatchColumn | null {
  if (field === null) return null;
  if (field === 'certno') return 'certno';
  if (field === 'fixmedinsCode') return 'fixmedinsCode';
  if (field === 'bill.hospitalLevel') return 'hospitalLevel';
  if (field.startsWith('bill.date')) return 'date';
  if (field.startsWith('bill.visitType')) return 'visitType';
  if (field.startsWith('bill.diagnosis')) return 'diagnosis';
  return null;
}

/** Differences between the hospital's own basic / critical-illness figures and the engine's. */
function noteOf(rec: OutsideRecord, p: Paid): string | null {
  const notes: string[] = [];
  if (rec.hifp !== null && rec.hifp !== p.hifp_pay) {
    notes.push(`hifp: hospital ${rec.hifp} / engine ${p.hifp_pay}`);
  }
  if (rec.hifmi !== null && rec.hifmi !== p.hifmi_pay) {
    notes.push(`hifmi: hospital ${rec.hifmi} / engine ${p.hifmi_pay}`);
  }
  return notes.length > 0 ? notes.join('; ') : null;
}
