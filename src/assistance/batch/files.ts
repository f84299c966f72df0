/**
 * The batch's two files: the disbursement to social security cards (XLSX or CSV: person, masked
 * ID number, card reference, amount) for the bank, and the signature-confirmation list per
 * township (XLSX, one sheet per township) for the township offices. Writing the disbursement
 * marks its payments exported; both are audited.
 */
import type { Writable } from 'node:stream';
import { recordAudit } from '../../audit/index.ts';
import { maskCertno } from '../../kernel/access/masking.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import type { Db } from '../../db/db.ts';
import { formatYuan, type Fen } from '../../kernel/money.ts';
import { csvDocument, xlsxWriter, type Cell } from '../../tabular/write.ts';
import { paymentsOf, type PaymentRow } from './payments.ts';

export const DISBURSEMENT_HEADER = ['序号', '姓名', '身份证号', '社保卡号', '乡镇', '金额(元)'];

const disbursementLine = (p: PaymentRow, i: number): Cell[] => [
  i + 1,
  p.name,
  maskCertno(p.certno),
  p.cardRef ?? '',
  p.townshipName,
];

export async function writeDisbursement(
  db: Db,
  actor: Actor,
  batchId: number,
  format: 'xlsx' | 'csv',
  out: Writable,
): Promise<{ rows: number; total: Fen }> {
  const rows = await paymentsOf(db, actor, batchId);
  const total = rows.reduce((s, p) => s + p.amount, 0);
  if (format === 'csv') {
    const lines = rows.map((p, i) => [...disbursementLine(p, i), formatYuan(p.amount)]);
    out.end(csvDocument(DISBURSEMENT_HEADER, lines), 'utf8');
  } else {
    const book = xlsxWriter(out);
    const ws = book.sheet(
      '救助金发放',
      DISBURSEMENT_HEADER.map((header, i) => ({
        header,
        width: [6, 12, 22, 24, 14, 14][i],
        numFmt: i === 5 ? '0.00' : undefined,
      })),
    );
    rows.forEach((p, i) => ws.row([...disbursementLine(p, i), p.amount / 100]));
    ws.row(['合计', '', '', '', '', total / 100]);
    await book.close();
  }
  await db.query(
    `UPDATE assistance_payment SET exported_at = now()
      WHERE batch_id = $1 AND exported_at IS NULL AND certno = ANY($2::text[])`,
    [batchId, rows.map((p) => p.certno)],
  );
  await recordAudit(db, {
    actor,
    action: 'assistance.disbursement.export',
    entity: 'assistance_batch',
    entityId: String(batchId),
    after: { format, rows: rows.length, total },
  });
  return { rows: rows.length, total };
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (name: string, used: Set<string>): string => {
  const base = name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
  let n = base;
  for (let i = 2; used.has(n); i++) n = `${base}${i}`;
  used.add(n);
  return n;
};

export async function writeSignatureList(
  db: Db,
  actor: Actor,
  batchId: number,
  out: Writable,
): Promise<{ townships: number; rows: number }> {
  const rows = await paymentsOf(db, actor, batchId);
  const byTownship = new Map<string, PaymentRow[]>();
  for (const p of rows)
    byTownship.set(p.townshipCode, [...(byTownship.get(p.townshipCode) ?? []), p]);
  const book = xlsxWriter(out);
  const used = new Set<string>();
  const columns = [6, 12, 22, 16, 14, 16, 14].map((width, i) => ({
    width,
    numFmt: i === 4 ? '0.00' : undefined,
  }));
  for (const [, list] of byTownship) {
    const first = list[0]!;
    const ws = book.sheet(sheetName(first.townshipName, used), columns);
    ws.row([`${first.townshipName} 医疗救助金签字确认表（批次 ${batchId}）`], 7);
    ws.row(['序号', '姓名', '身份证号', '村(居)', '救助金额(元)', '本人签字', '签字日期']);
    list.forEach((p, i) =>
      ws.row([i + 1, p.name, maskCertno(p.certno), p.villageName, p.amount / 100, '', '']),
    );
    ws.row(['合计', `${list.length} 人`, '', '', list.reduce((s, p) => s + p.amount, 0) / 100]);
  }
  if (byTownship.size === 0) book.sheet('签字确认表').row(['本批次没有应发放的救助金']);
  await book.close();
  await recordAudit(db, {
    actor,
    action: 'assistance.signature_list.export',
    entity: 'assistance_batch',
    entityId: String(batchId),
    after: { townships: byTownship.size, rows: rows.length },
  });
  return { townships: byTownship.size, rows: rows.length };
}
