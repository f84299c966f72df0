/**
 * The reject file: one CSV line per rejected row with its row number, the column at fault and the
 * reason in Chinese and English (written by the product's one CSV writer, src/tabular).
 */
import { csvWriter, type CsvWriter } from '../../tabular/write.ts';
import { headerOf } from './columns.ts';
import type { RejectedRow } from './run-import.ts';

export const REJECT_HEADER = ['行号', '身份证号', '姓名', '列', '原因', 'reason'] as const;

export interface RejectFile {
  write(r: RejectedRow): Promise<void>;
  close(): Promise<void>;
}

export function openRejectFile(path: string): RejectFile {
  const out: CsvWriter = csvWriter(path, REJECT_HEADER);
  return {
    write: (r) =>
      out.write([
        r.rowNumber,
        r.certno,
        r.name,
        r.field === null ? null : headerOf(r.field),
        r.reason.zh,
        r.reason.en,
      ]),
    close: () => out.close(),
  };
}
