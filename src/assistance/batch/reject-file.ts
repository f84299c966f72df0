/**
 * The batch import's reject file (CLI): one CSV line per rejected row with its row number, ID
 * number, the column at fault and the reason in Chinese and English (the product's one CSV writer).
 */
import { csvWriter } from '../../tabular/write.ts';
import type { BatchReject } from './run-batch.ts';

export const REJECT_HEADER = ['行号', '身份证号', '列', '原因', 'reason'] as const;

export function openRejectFile(path: string) {
  const out = csvWriter(path, REJECT_HEADER);
  return {
    write: (r: BatchReject) =>
      out.write([r.rowNumber, r.certno, r.field, r.reason.zh, r.reason.en]),
    close: () => out.close(),
  };
}
