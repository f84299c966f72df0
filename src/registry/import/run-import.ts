/**
 * `triguard registry import` and the upload endpoint: reads the file row by row, checks every
 * row on its own and against the file, imports the good rows in batches (one transaction each)
 * and reports every other row with its number and reason. imported + rejected = rows read, always:
 * a batch the database refuses as a whole is reported row by row with the database's reason.
 */
import type { Readable } from 'node:stream';
import type { Actor } from '../../kernel/access/actor.ts';
import type { Message } from '../../kernel/errors.ts';
import { villageCodes, scopeCovers } from '../repo/regions.ts';
import { moment, type RegistryContext } from '../service/context.ts';
import type { Cell } from '../../tabular/columns.ts';
import { REGISTRY_COLUMNS, type ColumnKey } from './columns.ts';
import { FileChecks } from './file-checks.ts';
import { readRows, type FileFormat } from '../../tabular/read.ts';
import { validateRow, type ImportRow } from './validate-row.ts';
import { writeBatch } from './write-batch.ts';

export interface RejectedRow {
  rowNumber: number;
  certno: string | null;
  name: string | null;
  /** The template column at fault, or null for the row as a whole. */
  field: ColumnKey | null;
  reason: Message;
}

export interface ImportCounts {
  rowsRead: number;
  imported: number;
  rejected: number;
}

export interface ImportOptions {
  fileName: string;
  format: FileFormat;
  batchSize?: number;
  onReject?: (r: RejectedRow) => void | Promise<void>;
  onProgress?: (counts: ImportCounts) => void;
}

const cellText = (c: Cell | undefined): string | null =>
  c === null || c === undefined ? null : c instanceof Date ? c.toISOString().slice(0, 10) : c;

export async function runImport(
  ctx: RegistryContext,
  actor: Actor,
  input: string | Readable,
  opts: ImportOptions,
): Promise<ImportCounts> {
  const { stamp, today } = moment(ctx, actor, `导入 ${opts.fileName} / import ${opts.fileName}`);
  const villages = await villageCodes(ctx.db);
  const inScope = (code: string) => scopeCovers(actor.scope, code);
  const checks = new FileChecks();
  const counts: ImportCounts = { rowsRead: 0, imported: 0, rejected: 0 };
  const batchSize = opts.batchSize ?? 500;
  let batch: { rowNumber: number; row: ImportRow }[] = [];
  let batchNo = 0;

  const reject = async (r: RejectedRow) => {
    counts.rejected++;
    await opts.onReject?.(r);
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    batchNo++;
    try {
      const plan = await ctx.db.transaction((tx) =>
        writeBatch(tx, rows, { actor, stamp, inScope, label: `${opts.fileName}#${batchNo}` }),
      );
      counts.imported += plan.accepted.length;
      const byNumber = new Map(rows.map((r) => [r.rowNumber, r.row]));
      for (const { rowNumber, problem } of plan.rejects) {
        const row = byNumber.get(rowNumber);
        await reject({
          rowNumber,
          certno: row?.certno ?? null,
          name: row?.name ?? null,
          field: problem.field,
          reason: problem.reason,
        });
      }
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      for (const { rowNumber, row } of rows) {
        await reject({
          rowNumber,
          certno: row.certno,
          name: row.name,
          field: null,
          reason: {
            zh: `数据库写入失败：${detail}`,
            en: `the database refused the batch: ${detail}`,
          },
        });
      }
    }
    opts.onProgress?.(counts);
  };

  for await (const { rowNumber, cells, problem: unstorable } of readRows(
    input,
    opts.format,
    REGISTRY_COLUMNS,
  )) {
    counts.rowsRead++;
    const checked = unstorable
      ? { ok: false as const, problem: unstorable }
      : validateRow(cells, { today, villages, inScope });
    const problem = checked.ok ? checks.check(checked.row, rowNumber) : checked.problem;
    if (problem || !checked.ok) {
      await reject({
        rowNumber,
        certno: cellText(cells.certno),
        name: cellText(cells.name),
        field: problem?.field ?? null,
        reason: problem?.reason ?? { zh: '无效', en: 'invalid' },
      });
      continue;
    }
    batch.push({ rowNumber, row: checked.row });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (counts.imported + counts.rejected !== counts.rowsRead) {
    throw new Error(`import lost rows: ${JSON.stringify(counts)}`);
  }
  return counts;
}
