/**
 * The batch's two files: the disbursement to social security cards (XLSX or CSV: person, masked
 * ID number, card reference, amount) for the bank, and the signature-confirmation list per
 * township (XLSX, one sheet per township) for the township offices. Writing the disbursement
 * marks its payments exported; both are audited.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { recordAudit } from '../../auth/audit.ts';
import { maskCertno } from '../../auth/masking.ts';
import type { Actor } from '../../auth/types.ts';
import type { Db } from '../../db/db.ts';
import { formatYuan, type Fen } from '../../kernel/money.ts';
import { paymentsOf, type PaymentRow } from './payments.ts';

export const DISBURSEMENT_HEADER = ['序号', '姓名', '身份证号', '社保卡号', '乡镇', '金额(元)'];

const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const disbursementLine = (p: PaymentRow, i: number): string[] => [
  String(i + 1),
  p.name,
  maskCertno(p.certno),
  p.cardRef ?? '',
  p.townshipName,
  formatYuan(p.amount),
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
    const lines = [DISBURSEMENT_HEADER, ...rows.map(disbursementLine)];
    out.end('\ufeff' + lines.map((l) => l.map(csvCell).join(',')).join('\n') + '\n');
  } else {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('救助金发放');
    ws.columns = [
      { header: DISBURSEMENT_HEADER[0], width: 6 },
      { header: DISBURSEMENT_HEADER[1], width: 12 },
      { header: DISBURSEMENT_HEADER[2], width: 22 },
      { header: DISBURSEMENT_HEADER[3], width: 24 },
      { header: DISBURSEMENT_HEADER[4], width: 14 },
      { header: DISBURSEMENT_HEADER[5], width: 14 },
    ];
    rows.forEach((p, i) => ws.addRow([...disbursementLine(p, i).slice(0, 5), p.amount / 100]));
    ws.addRow(['合计', '', '', '', '', total / 100]);
    ws.getColumn(6).numFmt = '0.00';
    out.end(Buffer.from(await wb.xlsx.writeBuffer()));
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
  const wb = new ExcelJS.Workbook();
  const used = new Set<string>();
  for (const [, list] of byTownship) {
    const first = list[0]!;
    const ws = wb.addWorksheet(sheetName(first.townshipName, used));
    ws.addRow([`${first.townshipName} 医疗救助金签字确认表（批次 ${batchId}）`]);
    ws.mergeCells(1, 1, 1, 7);
    ws.addRow(['序号', '姓名', '身份证号', '村(居)', '救助金额(元)', '本人签字', '签字日期']);
    list.forEach((p, i) =>
      ws.addRow([i + 1, p.name, maskCertno(p.certno), p.villageName, p.amount / 100, '', '']),
    );
    ws.addRow(['合计', `${list.length} 人`, '', '', list.reduce((s, p) => s + p.amount, 0) / 100]);
    ws.getColumn(5).numFmt = '0.00';
    [6, 12, 22, 16, 14, 16, 14].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  }
  if (byTownship.size === 0) wb.addWorksheet('签字确认表').addRow(['本批次没有应发放的救助金']);
  out.end(Buffer.from(await wb.xlsx.writeBuffer()));
  await recordAudit(db, {
    actor,
    action: 'assistance.signature_list.export',
    entity: 'assistance_batch',
    entityId: String(batchId),
    after: { townships: byTownship.size, rows: rows.length },
  });
  return { townships: byTownship.size, rows: rows.length };
}
