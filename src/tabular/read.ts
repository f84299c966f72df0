/**
 * Reads an import file row by row, CSV or XLSX, without holding the file in memory: the one reader
 * of every import's files. Each row comes with the number a person sees in Excel (the header is
 * row 1; a CSV record whose quoted cell holds a line break is still one row). Rows with no value
 * in any cell are skipped and not counted: they are layout, not data. A file that is not a
 * readable CSV or workbook is refused whole (422 naming `file`); a cell no database text can hold
 * (U+0000) makes its row alone a problem the import rejects.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { invalid, isTriguardError, unprocessable, type Message } from '../kernel/errors.ts';
import type { Cell, ColumnSet } from './columns.ts';

import type { FileFormat } from './format.ts';

export { formatOf, type FileFormat } from './format.ts';

export interface SourceRow<K extends string> {
  rowNumber: number;
  cells: Partial<Record<K, Cell>>;
  /** A cell of the row that cannot be stored: the import rejects the row with this reason. */
  problem?: CellProblem<K>;
}

export interface CellProblem<K extends string> {
  field: K;
  reason: Message;
}

const NUL = '\u0000';

/**
 * A NUL character (U+0000) in a cell, which no PostgreSQL text holds: the row's problem naming
 * the first such column. The cells are cleaned in place (U+FFFD), so the reject file and the
 * stored rejects can still show what the row held.
 */
export function nulProblem<K extends string>(
  cells: Partial<Record<K, Cell>>,
  headerOf: (key: K) => string,
): CellProblem<K> | undefined {
  let problem: CellProblem<K> | undefined;
  for (const key of Object.keys(cells) as K[]) {
    const v = cells[key];
    if (typeof v !== 'string' || !v.includes(NUL)) continue;
    cells[key] = v.replaceAll(NUL, '\ufffd');
    problem ??= {
      field: key,
      reason: {
        zh: `${headerOf(key)}：含有空字符（U+0000），无法保存`,
        en: `${key}: holds a NUL character (U+0000), which cannot be stored`,
      },
    };
  }
  return problem;
}

/** The file is not what its name says (damaged, cut off, or another kind of file). */
function unreadable(format: FileFormat, e: unknown): Error {
  // The reader's own refusals, and a file that cannot be opened at all, stay what they are.
  if (isTriguardError(e) || (e instanceof Error && 'syscall' in e)) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return format === 'xlsx'
    ? unprocessable(
        'import.unreadable',
        'file',
        `文件不是可读取的 Excel 工作簿（.xlsx），可能已损坏：${detail}`,
        `the file is not a readable workbook (.xlsx); it may be damaged: ${detail}`,
      )
    : unprocessable(
        'import.unreadable',
        'file',
        `文件不是可读取的 CSV：${detail}`,
        `the file is not a readable CSV: ${detail}`,
      );
}

/** The rows of a file, each cell under the key `columns` maps its header to. */
export async function* readRows<K extends string>(
  input: string | Readable,
  format: FileFormat,
  set: ColumnSet<K>,
): AsyncGenerator<SourceRow<K>> {
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  const rows = format === 'csv' ? readCsv(stream, set) : readXlsx(stream, set);
  // Errors the consumer raises never reach here (a generator is returned, not thrown into), so
  // whatever is caught is the file's.
  try {
    yield* rows;
  } catch (e) {
    throw unreadable(format, e);
  }
}

function toRow<K extends string>(
  keys: readonly (K | null)[],
  values: readonly Cell[],
  rowNumber: number,
  set: ColumnSet<K>,
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
  if (!any) return null;
  const problem = nulProblem(cells, set.headerOf);
  return problem ? { rowNumber, cells, problem } : { rowNumber, cells };
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
  // Blank lines are kept as records: Excel shows each as a row, so the numbers stay Excel's.
  const parser = stream.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true }),
  );
  let keys: (K | null)[] | null = null;
  for await (const item of parser as AsyncIterable<{
    record: string[];
    info: { records: number };
  }>) {
    if (keys === null) {
      if (item.record.every((v) => v.trim() === '')) continue;
      keys = set.map(item.record);
      checkHeaders(keys, set);
      continue;
    }
    const row = toRow(keys, item.record, item.info.records, set);
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
      const r = toRow(keys, values, row.number, set);
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
