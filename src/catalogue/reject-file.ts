/**
 * The catalogue import's reject file: one CSV line per rejected row with its row number, code,
 * the column at fault and the reason in Chinese and English. UTF-8 with a byte-order mark, as the
 * registry's reject file, so Excel opens it correctly.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CatalogueReject } from './import.ts';

export const REJECT_HEADER = ['行号', '编码', '列', '原因', 'reason'] as const;

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const rejectLine = (r: CatalogueReject): string =>
  [r.rowNumber, r.code, r.column, r.reason.zh, r.reason.en].map(csvCell).join(',');

export function openRejectFile(path: string) {
  const out = createWriteStream(path, { encoding: 'utf8' });
  out.write('\ufeff' + REJECT_HEADER.join(',') + '\n');
  return {
    async write(r: CatalogueReject) {
      if (!out.write(rejectLine(r) + '\n')) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
  };
}
