/**
 * Reads an import file row by row, CSV or XLSX, without holding the file in memory. Each row
 * comes with the number a person sees in Excel or a text editor (the header is row 1). Rows with
 * no value in any cell are skipped and not counted: they are layout, not data.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { invalid } from '../../kernel/errors.ts';
import { REGISTRY_COLUMNS, type Cell, type ColumnKey, type ColumnSet } from './columns.ts';

export type FileFormat = 'csv' | 'xlsx';

export interface SourceRow<K extends string = ColumnKey> {
  rowNumber: number;
  cells: Partial<Record<K, Cell>>;
}

export function formatOf(fileName: string): FileFormat {
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  throw invalid(
    'import.format',
    'file',
    `不支持的文件类型（应为 .csv 或 .xlsx）：${fileName}`,
    `unsupported file type (use .csv or .xlsx): ${fileName}`,
  );
}

/** Rows of the registry template, or of another import's `columns`. */
export function readRows(input: string | Readable, format: FileFormat): AsyncGenerator<SourceRow>;
export function readRows<K extends string>(
  input: string | Readable,
  format: FileFormat,
  columns: ColumnSet<K>,
): AsyncGenerator<SourceRow<K>>;
export async function* readRows<K extends string>(
  input: string | Readable,
  format: FileFormat,
  columns?: ColumnSet<K>,
): AsyncGenerator<SourceRow<K>> {
  const set = columns ?? (REGISTRY_COLUMNS as unknown as ColumnSet<K>);
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  if (format === 'csv') yield* readCsv(stream, set);
  else yield* readXlsx(stream, set);
}

function toRow<K extends string>(
  keys: readonly (K | null)[],
  values: readonly Cell[],
  rowNumber: number,
): SourceRow<K> | null {
  const cells: Partial<Record<K, Cell>> = {};
  let any = false;
  keys.forEach((k, i) => {
    const v = values[i] ?? null;
    if (k === null) return;
    const cell = typeof v === 'string' ? (v.trim() === '' ? null : v.trim()) : v;
    if (cell !== null) any = true;
    cells[k] = cell;
  });
  return any ? { rowNumber, cells } : null;
}

function checkHeaders<K extends string>(keys: readonly (K | null)[], set: ColumnSet<K>): void {
  const missing = set.missing(keys);
  if (missing.length > 0) {
    const names = missing.map((k) => set.headerOf(k)).join('、');
    throw invalid(
      'import.missing_column',
      'file',
      `文件缺少必填列：${names}（请使用导入模板）`,
      `the file lacks required columns: ${missing.join(', ')} (use the import template)`,
    );
  }
}

async function* readCsv<K extends string>(
  stream: Readable,
  set: ColumnSet<K>,
): AsyncGenerator<SourceRow<K>> {
  const parser = stream.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }),
  );
  let keys: (K | null)[] | null = null;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (keys === null) {
      keys = set.map(item.record);
      checkHeaders(keys, set);
      continue;
    }
    const row = toRow(keys, item.record, item.info.lines);
    if (row) yield row;
  }
  if (keys === null) checkHeaders([], set);
}

async function* readXlsx<K extends string>(
  stream: Readable,
  set: ColumnSet<K>,
): AsyncGenerator<SourceRow<K>> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  let keys: (K | null)[] | null = null;
  for await (const sheet of reader) {
    // Only the first sheet holds data; the template's second sheet is the instructions.
    for await (const row of sheet) {
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellValue);
      if (keys === null) {
        keys = set.map(values.map((v) => (typeof v === 'string' ? v : '')));
        checkHeaders(keys, set);
        continue;
      }
      const r = toRow(keys, values, row.number);
      if (r) yield r;
    }
    break;
  }
  if (keys === null) checkHeaders([], set);
}

/** A cell as text or a date; an ID typed as a number has lost its last digits, so say so. */
function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) || !Number.isInteger(v) ? String(v) : `#NUMBER:${v}`;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v)
    return v.result === undefined ? null : cellValue(v.result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  if ('error' in v) return null;
  return null;
}
