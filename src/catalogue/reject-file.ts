/**
 * The catalogue import's reject file: one CSV line per rejected row with its row number, code,
 * the column at fault and the reason in Chinese and English (the product's one CSV writer).
 */
import { csvWriter } from '../tabular/write.ts';
import type { CatalogueReject } from './import.ts';

export const REJECT_HEADER = ['行号', '编码', '列', '原因', 'reason'] as const;

export function openRejectFile(path: string) {
  const out = csvWriter(path, REJECT_HEADER);
  return {
    write: (r: CatalogueReject) =>
      out.write([r.rowNumber, r.code, r.column, r.reason.zh, r.reason.en]),
    close: () => out.close(),
  };
}
