/**
 * The one writer of every CSV and XLSX the product hands out (reject files, disbursement files,
 * feedback workbooks, exports, reports, templates, demo lists). A spreadsheet program runs a cell
 * that begins with `=`, `+`, `-` or `@` (and, after a tab or carriage return, whatever follows) as
 * a formula, so a name or reason typed by someone else could run in the reader's Excel: every
 * string cell goes through `neutralise`, which prefixes such a cell with a single quote (the OWASP
 * rule for CSV injection). Numbers are written as numbers and are never touched, so a negative
 * amount stays a number. A toolbox: it imports no domain.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

/** What a cell may hold. A Date is written as its day (CSV) or as a spreadsheet date (XLSX). */
export type Cell = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A string cell a spreadsheet would run as a formula gets a leading `'`; anything else is kept. */
export function neutralise<C extends Cell>(cell: C): C {
  return (typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell) as C;
}

const csvValue = (cell: Cell): string | number => {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'boolean') return String(cell);
  return neutralise(cell);
};

export interface CsvOptions {
  /** Line ending: `\n` (default) or `\r\n`. */
  eol?: '\n' | '\r\n';
}

/** CSV lines of these rows (quoted as RFC 4180 needs), each ending with the line ending. */
export function csvLines(rows: readonly (readonly Cell[])[], opts: CsvOptions = {}): string {
  if (rows.length === 0) return '';
  return stringify(
    rows.map((r) => r.map(csvValue)),
    { record_delimiter: opts.eol === '\r\n' ? 'windows' : 'unix', eof: true },
  );
}

/** A whole CSV document: UTF-8 byte-order mark (so Excel reads it as UTF-8), header, rows. */
export const csvDocument = (
  header: readonly Cell[],
  rows: readonly (readonly Cell[])[],
  opts: CsvOptions = {},
): string => '\ufeff' + csvLines([header, ...rows], opts);

export interface CsvWriter {
  write(row: readonly Cell[]): Promise<void>;
  close(): Promise<void>;
}

/** A CSV written row by row to `out` (or a file path), starting with the mark and the header. */
export function csvWriter(
  target: Writable | string,
  header: readonly Cell[],
  opts: CsvOptions = {},
): CsvWriter {
  const out = typeof target === 'string' ? createWriteStream(target) : target;
  out.write(csvDocument(header, [], opts), 'utf8');
  return {
    async write(row) {
      if (!out.write(csvLines([row], opts), 'utf8')) await once(out, 'drain');
    },
    async close() {
      const finished = once(out, 'finish');
      out.end();
      await finished;
    },
  };
}

export interface XlsxColumn {
  /** The header cell of row 1; a sheet whose columns have no header starts with data. */
  header?: string;
  /** Rows given as objects name their cells by these keys. */
  key?: string;
  width?: number;
  /** The cells' number format, e.g. `0.00` for yuan or `@` for text. */
  numFmt?: string;
}

export interface XlsxSheet {
  /**
   * Adds a row: cells in column order, or by column key. String cells are neutralised.
   * `mergeAcross` merges the row's first cells into one (a title over the columns).
   */
  row(values: readonly Cell[] | Readonly<Record<string, Cell>>, mergeAcross?: number): void;
}

export interface XlsxBook {
  /** A new sheet (the sheet before it is finished). A header row, if any, is bold. */
  sheet(name: string, columns?: readonly XlsxColumn[]): XlsxSheet;
  /** Finishes the workbook; the stream given to `xlsxWriter` ends with it. */
  close(): Promise<void>;
}

const xlsxValue = (cell: Cell): ExcelJS.CellValue =>
  cell === undefined ? null : (neutralise(cell) as ExcelJS.CellValue);

/**
 * A workbook streamed to `out` as it is written, so a county-wide export never sits in memory.
 * Column widths and formats are given with the sheet's columns, before its first row.
 */
export function xlsxWriter(out: Writable): XlsxBook {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  // The streaming writer finishes one sheet before it starts the next (its commit is synchronous).
  let open: ExcelJS.Worksheet | null = null;
  return {
    sheet(name, columns) {
      open?.commit();
      const ws = wb.addWorksheet(name);
      open = ws;
      if (columns) {
        ws.columns = columns.map((c) => ({
          header: c.header === undefined ? undefined : (xlsxValue(c.header) as string),
          key: c.key,
          width: c.width,
          style: c.numFmt ? { numFmt: c.numFmt } : undefined,
        }));
        if (columns.some((c) => c.header !== undefined)) ws.getRow(1).font = { bold: true };
      }
      return {
        row(values, mergeAcross) {
          const cells = Array.isArray(values)
            ? (values as readonly Cell[]).map(xlsxValue)
            : Object.fromEntries(
                Object.entries(values as Record<string, Cell>).map(([k, v]) => [k, xlsxValue(v)]),
              );
          const row = ws.addRow(cells);
          if (mergeAcross) ws.mergeCells(row.number, 1, row.number, mergeAcross);
          row.commit();
        },
      };
    },
    async close() {
      open?.commit();
      open = null;
      await wb.commit();
    },
  };
}

/** A workbook written by `fill`, as bytes (for an answer that is sent whole). */
export async function xlsxBuffer(fill: (book: XlsxBook) => void | Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = once(out, 'end');
  const book = xlsxWriter(out);
  await fill(book);
  await book.close();
  await ended;
  return Buffer.concat(chunks);
}

/** A workbook written by `fill` to a file. */
export async function xlsxFile(
  path: string,
  fill: (book: XlsxBook) => void | Promise<void>,
): Promise<void> {
  const out = createWriteStream(path);
  const finished = once(out, 'finish');
  const book = xlsxWriter(out);
  await fill(book);
  await book.close();
  await finished;
}
