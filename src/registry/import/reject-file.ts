/**
 * The reject file: one CSV line per rejected row with its row number, the column at fault and the
 * reason in Chinese and English. UTF-8 with a byte-order mark, so Excel opens it correctly.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { headerOf } from './columns.ts';
import type { RejectedRow } from './run-import.ts';

export const REJECT_HEADER = ['行号', '身份证号', '姓名', '列', '原因', 'reason'] as const;

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const rejectLine = (r: RejectedRow): string =>
  [
    r.rowNumber,
    r.certno,
    r.name,
    r.field === null ? null : headerOf(r.field),
    r.reason.zh,
    r.reason.en,
  ]
    .map(csvCell)
    .join(',');

export interface RejectFile {
  write(r: RejectedRow): Promise<void>;
  close(): Promise<void>;
}

export function openRejectFile(path: string): RejectFile {
  const out: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  out.write('\ufeff' + REJECT_HEADER.join(',') + '\n');
  return {
    async write(r) {
      if (!out.write(rejectLine(r) + '\n')) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
  };
}
