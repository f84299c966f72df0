/**
 * Imports existing certificates or two-diseases filings from CSV or XLSX (docs/chronic.md §13),
 * read row by row with the registry's reader: each row is checked on its own, then in batches
 * against the registry and the catalogue, and imported or rejected with its reason. imported +
 * rejected = rows read, always.
 */
import type { Readable } from 'node:stream';
import type { Actor } from '../../kernel/access/actor.ts';
import type { Message } from '../../kernel/errors.ts';
import { readRows, type FileFormat } from '../../tabular/read.ts';
import type { ChronicService } from '../service.ts';
import { CERTIFICATE_SET, FILING_SET } from './columns.ts';
import {
  parseCertificateRow,
  parseFilingRow,
  type CertificateImportRow,
  type FilingImportRow,
} from './parse.ts';

export type ImportKind = 'certificates' | 'filings';

export interface ImportReject {
  row: number;
  certno: string | null;
  /** The column's key (certno, disease, validFrom …), or null for the row as a whole. */
  field: string | null;
  code: string;
  message: Message;
}

export interface ImportCounts {
  rowsRead: number;
  imported: number;
  rejected: number;
}

export interface ImportOptions {
  kind: ImportKind;
  format: FileFormat;
  batchSize?: number;
  onReject?: (r: ImportReject) => void | Promise<void>;
  onProgress?: (c: ImportCounts) => void;
}

export async function runChronicImport(
  service: ChronicService,
  actor: Actor,
  input: string | Readable,
  opts: ImportOptions,
): Promise<ImportCounts> {
  const counts: ImportCounts = { rowsRead: 0, imported: 0, rejected: 0 };
  const batchSize = opts.batchSize ?? 200;
  const reject = async (r: ImportReject) => {
    counts.rejected++;
    await opts.onReject?.(r);
  };
  type Row = CertificateImportRow | FilingImportRow;
  let batch: Row[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const problems =
      opts.kind === 'certificates'
        ? await service.importCertificates(actor, batch as CertificateImportRow[])
        : await service.importFilings(actor, batch as FilingImportRow[]);
    for (const r of batch) {
      const p = problems.get(r.row);
      if (p) await reject({ row: r.row, certno: r.certno, ...p });
      else counts.imported++;
    }
    batch = [];
    opts.onProgress?.(counts);
  };
  const rows =
    opts.kind === 'certificates'
      ? readRows(input, opts.format, CERTIFICATE_SET)
      : readRows(input, opts.format, FILING_SET);
  for await (const source of rows) {
    counts.rowsRead++;
    const raw = source.cells as Record<string, string | null>;
    const certno = typeof raw.certno === 'string' ? raw.certno : null;
    if (source.problem) {
      await reject({
        row: source.rowNumber,
        certno,
        field: source.problem.field,
        code: 'import.nul',
        message: source.problem.reason,
      });
      continue;
    }
    const parsed =
      opts.kind === 'certificates'
        ? parseCertificateRow(source.rowNumber, source.cells)
        : parseFilingRow(source.rowNumber, source.cells);
    if (!parsed.ok) {
      await reject({ row: source.rowNumber, certno, ...parsed.problem });
      continue;
    }
    batch.push(parsed.value);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return counts;
}
