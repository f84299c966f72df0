import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isTriguardError, type TriguardError } from '../kernel/errors.ts';
import { columnSet } from './columns.ts';
import { readRows, type FileFormat, type SourceRow } from './read.ts';

/** A template of the registry's shape: three required columns and an optional one. */
const COLUMNS = columnSet([
  { key: 'certno', header: '身份证号', required: true },
  { key: 'name', header: '姓名', required: true },
  { key: 'regionCode', header: '村(居)区划代码', required: true },
  { key: 'source', header: '认定部门', required: false },
] as const);

const read = async (data: string | Buffer, format: FileFormat) => {
  const out: SourceRow<'certno' | 'name' | 'regionCode' | 'source'>[] = [];
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for await (const r of readRows(Readable.from(bytes.length > 0 ? [bytes] : []), format, COLUMNS)) {
    out.push(r);
  }
  return out;
};

const refusal = async (data: string | Buffer, format: FileFormat): Promise<TriguardError> => {
  try {
    await read(data, format);
  } catch (e) {
    if (isTriguardError(e)) return e;
    throw e;
  }
  throw new Error('the file was read');
};

/** 90 data rows; every third holds line breaks inside its quoted cells. */
function multiLineCsv(): string {
  const lines = ['身份证号,姓名,村(居)区划代码,认定部门'];
  for (let row = 2; row <= 91; row++) {
    lines.push(
      row % 3 === 0
        ? `${row},"王\n秀英",370899001001,"民政\r\n局\n认定"`
        : `${row},王秀英,370899001001,民政`,
    );
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

describe('the import reader', () => {
  it('numbers CSV rows as the spreadsheet shows them, whatever line breaks the cells hold', async () => {
    const rows = await read(multiLineCsv(), 'csv');
    expect(rows).toHaveLength(90);
    for (const r of rows) expect(r.rowNumber).toBe(Number(r.cells.certno));
    expect(rows[1]!.cells.name).toBe('王\n秀英');
  });

  it('counts a blank line as the row Excel shows, and skips it', async () => {
    const rows = await read('身份证号,姓名,村(居)区划代码\n\n1,"a\nb",x\n,,\n2,c,y\n', 'csv');
    expect(rows.map((r) => [r.rowNumber, r.cells.certno])).toEqual([
      [3, '1'],
      [5, '2'],
    ]);
  });

  it('numbers XLSX rows by their sheet row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['身份证号', '姓名', '村(居)区划代码']);
    ws.addRow(['1', '王\n秀英', 'x']);
    ws.addRow([]);
    ws.addRow(['2', 'b', 'y']);
    const rows = await read(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    expect(rows.map((r) => [r.rowNumber, r.cells.certno])).toEqual([
      [2, '1'],
      [4, '2'],
    ]);
  });

  it('makes a NUL character its row’s problem, naming the column, and cleans the cell', async () => {
    const rows = await read('身份证号,姓名,村(居)区划代码\n1,王\u0000五,x\n2,b,y\n', 'csv');
    expect(rows[0]!.problem).toMatchObject({ field: 'name' });
    expect(rows[0]!.problem!.reason.zh).toContain('姓名');
    expect(rows[0]!.problem!.reason.en).toContain('U+0000');
    expect(rows[0]!.cells.name).toBe('王\ufffd五');
    expect(rows[1]!.problem).toBeUndefined();
  });

  it.each([
    ['a zip header then garbage', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)])],
    ['text named .xlsx', Buffer.from('身份证号,姓名\n1,2\n')],
    ['an empty file', Buffer.alloc(0)],
  ])('refuses %s as a file that is not a readable workbook (422 naming the file)', async (_, b) => {
    const e = await refusal(b, 'xlsx');
    expect(e.kind).toBe('unprocessable');
    expect(e.code).toBe('import.unreadable');
    expect(e.field).toBe('file');
    expect(e.messages.zh).toContain('工作簿');
    expect(e.messages.en).toContain('not a readable workbook');
  });

  it('refuses a CSV whose quotes never close as unreadable', async () => {
    const e = await refusal('身份证号,姓名,村(居)区划代码\n1,"王五,x\n', 'csv');
    expect(e).toMatchObject({ kind: 'unprocessable', code: 'import.unreadable', field: 'file' });
  });

  it('still refuses a readable file without the required columns as such', async () => {
    const e = await refusal('a,b\n1,2\n', 'csv');
    expect(e.code).toBe('import.missing_column');
  });
});
