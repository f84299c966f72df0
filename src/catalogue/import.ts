/**
 * `triguard catalogue import`: reads a catalogue or mapping file (CSV/XLSX) row by row with the
 * registry's reader, checks every row on its own, against the file and against the catalogue,
 * writes the good rows in batches (one transaction each) and reports every other row with its
 * number and reason. imported + rejected = rows read, always.
 */
import type { Readable } from 'node:stream';
import type { Db, Queryable } from '../db/db.ts';
import type { Message } from '../kernel/errors.ts';
import { readRows, type FileFormat } from '../tabular/read.ts';
import type { Cell } from '../tabular/columns.ts';
import { ITEM_SET, MAPPING_SET } from './columns.ts';
import { validOn, type CatalogueItem, type CatalogueMapping } from './model.ts';
import { upsertItems, upsertMappings, versionsOf } from './repository.ts';
import { validateItemRow, validateMappingRow, type MappingRow } from './validate-row.ts';

export type CatalogueFileKind = 'items' | 'mapping';

export interface CatalogueReject {
  rowNumber: number;
  /** The row's national code (items) or institution code (mappings), as read. */
  code: string | null;
  /** The column's Chinese header, or null for the row as a whole. */
  column: string | null;
  reason: Message;
}

export interface CatalogueCounts {
  rowsRead: number;
  imported: number;
  rejected: number;
}

export interface CatalogueImportOptions {
  kind: CatalogueFileKind;
  format: FileFormat;
  /** Mappings: the institution the file is for (a row may name it too; they must agree). */
  fixmedinsCode?: string | null;
  batchSize?: number;
  onReject?: (r: CatalogueReject) => void | Promise<void>;
  onProgress?: (c: CatalogueCounts) => void;
}

const text = (c: Cell | undefined): string | null =>
  c === null || c === undefined ? null : c instanceof Date ? c.toISOString().slice(0, 10) : c;

interface Pending<T> {
  rowNumber: number;
  code: string;
  row: T;
}

type Problem = { column: string | null; reason: Message };

export async function runCatalogueImport(
  db: Db,
  input: string | Readable,
  opts: CatalogueImportOptions,
): Promise<CatalogueCounts> {
  const counts: CatalogueCounts = { rowsRead: 0, imported: 0, rejected: 0 };
  const batchSize = opts.batchSize ?? 500;
  const reject = async (r: CatalogueReject) => {
    counts.rejected++;
    await opts.onReject?.(r);
  };
  const flushWith = async <T>(
    batch: Pending<T>[],
    write: (
      tx: Queryable,
      rows: Pending<T>[],
    ) => Promise<{ rowNumber: number; problem: Problem }[]>,
  ) => {
    if (batch.length === 0) return;
    try {
      const rejects = await db.transaction((tx) => write(tx, batch));
      const bad = new Map(rejects.map((r) => [r.rowNumber, r.problem]));
      counts.imported += batch.length - bad.size;
      for (const p of batch) {
        const problem = bad.get(p.rowNumber);
        if (problem) await reject({ rowNumber: p.rowNumber, code: p.code, ...problem });
      }
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      for (const p of batch) {
        await reject({
          rowNumber: p.rowNumber,
          code: p.code,
          column: null,
          reason: {
            zh: `数据库写入失败：${detail}`,
            en: `the database refused the batch: ${detail}`,
          },
        });
      }
    }
    opts.onProgress?.(counts);
  };

  if (opts.kind === 'items') {
    const seen = new Map<string, { rowNumber: number; item: CatalogueItem }[]>();
    let batch: Pending<CatalogueItem>[] = [];
    for await (const { rowNumber, cells, problem } of readRows(input, opts.format, ITEM_SET)) {
      counts.rowsRead++;
      const checked = problem ? { ok: false as const, problem } : validateItemRow(cells);
      if (!checked.ok) {
        const col = checked.problem.field;
        await reject({
          rowNumber,
          code: text(cells.med_list_codg),
          column: col === null ? null : ITEM_SET.headerOf(col),
          reason: checked.problem.reason,
        });
        continue;
      }
      const item = checked.row;
      const earlier = seen.get(item.medListCodg) ?? [];
      const clash = earlier.find((e) => overlaps(e.item, item));
      if (clash) {
        await reject({
          rowNumber,
          code: item.medListCodg,
          column: ITEM_SET.headerOf('begndate'),
          reason: {
            zh: `开始日期：与第 ${clash.rowNumber} 行的同一编码有效期重叠`,
            en: `begndate: the validity overlaps row ${clash.rowNumber} of the same code`,
          },
        });
        continue;
      }
      earlier.push({ rowNumber, item });
      seen.set(item.medListCodg, earlier);
      batch.push({ rowNumber, code: item.medListCodg, row: item });
      if (batch.length >= batchSize) {
        await flushWith(batch, writeItems);
        batch = [];
      }
    }
    await flushWith(batch, writeItems);
  } else {
    const seen = new Map<string, number>();
    let batch: Pending<MappingRow>[] = [];
    const write = (tx: Queryable, rows: Pending<MappingRow>[]) =>
      writeMappings(tx, rows, opts.fixmedinsCode ?? null);
    for await (const { rowNumber, cells, problem: unstorable } of readRows(
      input,
      opts.format,
      MAPPING_SET,
    )) {
      counts.rowsRead++;
      const checked = unstorable
        ? { ok: false as const, problem: unstorable }
        : validateMappingRow(cells);
      if (!checked.ok) {
        const col = checked.problem.field;
        await reject({
          rowNumber,
          code: text(cells.medins_list_codg),
          column: col === null ? null : MAPPING_SET.headerOf(col),
          reason: checked.problem.reason,
        });
        continue;
      }
      const row = checked.row;
      const institution = row.fixmedinsCode ?? opts.fixmedinsCode ?? null;
      const problem =
        institution === null
          ? problemOf(
              'fixmedins_code',
              '未指定定点医药机构（列或 --fixmedins）',
              'no institution: a column or --fixmedins',
            )
          : opts.fixmedinsCode && row.fixmedinsCode && row.fixmedinsCode !== opts.fixmedinsCode
            ? problemOf(
                'fixmedins_code',
                `与 --fixmedins ${opts.fixmedinsCode} 不一致`,
                `differs from --fixmedins ${opts.fixmedinsCode}`,
              )
            : null;
      const key = `${institution}\u0000${row.medinsListCodg}`;
      const dup = seen.get(key);
      const fileProblem =
        problem ??
        (dup !== undefined
          ? problemOf('medins_list_codg', `与第 ${dup} 行重复`, `already mapped on row ${dup}`)
          : null);
      if (fileProblem) {
        await reject({ rowNumber, code: row.medinsListCodg, ...fileProblem });
        continue;
      }
      seen.set(key, rowNumber);
      batch.push({ rowNumber, code: row.medinsListCodg, row });
      if (batch.length >= batchSize) {
        await flushWith(batch, write);
        batch = [];
      }
    }
    await flushWith(batch, write);
  }
  if (counts.imported + counts.rejected !== counts.rowsRead) {
    throw new Error(`catalogue import lost rows: ${JSON.stringify(counts)}`);
  }
  return counts;
}

const problemOf = (
  key: 'fixmedins_code' | 'medins_list_codg' | 'med_list_codg' | 'begndate',
  zh: string,
  en: string,
): Problem => {
  const column = key === 'begndate' ? ITEM_SET.headerOf('begndate') : MAPPING_SET.headerOf(key);
  return { column, reason: { zh: `${column}：${zh}`, en: `${key}: ${en}` } };
};

const overlaps = (a: CatalogueItem, b: CatalogueItem) =>
  a.begndate <= (b.enddate ?? '9999-12-31') && b.begndate <= (a.enddate ?? '9999-12-31');

/** Items whose validity overlaps another version already stored (not the one they replace). */
async function writeItems(tx: Queryable, rows: Pending<CatalogueItem>[]) {
  const stored = await versionsOf(
    tx,
    rows.map((r) => r.code),
  );
  const rejects: { rowNumber: number; problem: Problem }[] = [];
  const good: CatalogueItem[] = [];
  for (const p of rows) {
    const clash = (stored.get(p.code) ?? []).find(
      (v) => v.begndate !== p.row.begndate && overlaps(v, p.row),
    );
    if (clash) {
      rejects.push({
        rowNumber: p.rowNumber,
        problem: problemOf(
          'begndate',
          `与目录中已有版本（${clash.begndate} 起）有效期重叠`,
          `overlaps the stored version from ${clash.begndate}`,
        ),
      });
    } else good.push(p.row);
  }
  await upsertItems(tx, good);
  return rejects;
}

/** Mappings name a national code the catalogue holds; the mapping takes its list type. */
async function writeMappings(
  tx: Queryable,
  rows: Pending<MappingRow>[],
  defaultInstitution: string | null,
) {
  const stored = await versionsOf(
    tx,
    rows.map((r) => r.row.medListCodg),
  );
  const rejects: { rowNumber: number; problem: Problem }[] = [];
  const good: CatalogueMapping[] = [];
  for (const p of rows) {
    const versions = stored.get(p.row.medListCodg) ?? [];
    const first = versions[0];
    if (!first) {
      rejects.push({
        rowNumber: p.rowNumber,
        problem: problemOf(
          'med_list_codg',
          `医保目录中没有编码 ${p.row.medListCodg}`,
          `no catalogue item ${p.row.medListCodg}`,
        ),
      });
      continue;
    }
    const begndate = p.row.begndate ?? first.begndate;
    if (!versions.some((v) => validOn(v, begndate) || v.begndate >= begndate)) {
      rejects.push({
        rowNumber: p.rowNumber,
        problem: problemOf(
          'begndate',
          `医保目录编码 ${p.row.medListCodg} 在 ${begndate} 后已失效`,
          `the catalogue item ended before ${begndate}`,
        ),
      });
      continue;
    }
    good.push({
      fixmedinsCode: (p.row.fixmedinsCode ?? defaultInstitution)!,
      medinsListCodg: p.row.medinsListCodg,
      medinsListName: p.row.medinsListName,
      medListCodg: p.row.medListCodg,
      listType: first.listType,
      begndate,
      enddate: p.row.enddate,
    });
  }
  await upsertMappings(tx, good);
  return rejects;
}
