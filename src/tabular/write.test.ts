import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { HOSTILE, neutralised } from './testing.ts';
import { csvDocument, csvWriter, neutralise, xlsxBuffer } from './write.ts';

describe('neutralise', () => {
  it('prefixes a string a spreadsheet would run as a formula with a single quote', () => {
    for (const v of HOSTILE) expect(neutralise(v)).toBe(`'${v}`);
  });

  it('keeps every other string, numbers (negative ones too), dates and empty cells', () => {
    for (const v of ['王秀英', '370899196003040072', "'=1", ' =1', 'a=b', '', '12.50']) {
      expect(neutralise(v)).toBe(v);
    }
    expect(neutralise(-12.5)).toBe(-12.5);
    expect(neutralise(null)).toBe(null);
    expect(neutralise(undefined)).toBe(undefined);
    const d = new Date('2022-02-03T00:00:00Z');
    expect(neutralise(d)).toBe(d);
  });
});

describe('CSV writer', () => {
  it('neutralises hostile cells and quotes what needs quoting, row by row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tg-tabular-'));
    try {
      const path = join(dir, 'out.csv');
      const w = csvWriter(path, ['a', 'b']);
      for (const v of HOSTILE) await w.write([v, 'line\nbreak "quoted", comma']);
      await w.write([-3, null]);
      await w.close();
      const text = await readFile(path, 'utf8');
      expect(text.startsWith('\ufeffa,b\n')).toBe(true);
      const rows = parse(text.slice(1), { relax_column_count: true }) as string[][];
      expect(rows.slice(1, -1).map((r) => r[0])).toEqual(HOSTILE.map((v) => `'${v}`));
      expect(rows[1]![1]).toBe('line\nbreak "quoted", comma');
      expect(rows.at(-1)).toEqual(['-3', '']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes a whole document with CRLF line endings when asked', () => {
    const text = csvDocument(['h'], [['=1'], ['x']], { eol: '\r\n' });
    expect(text).toBe("\ufeffh\r\n'=1\r\nx\r\n");
  });
});

describe('XLSX writer', () => {
  it('neutralises string cells, by position and by key, and keeps numbers', async () => {
    const buf = await xlsxBuffer((book) => {
      const s = book.sheet('one', [
        { header: 'v', key: 'v', width: 20 },
        { header: 'n', key: 'n', numFmt: '0.00' },
      ]);
      for (const v of HOSTILE) s.row({ v, n: -2.5 });
      const t = book.sheet('two');
      t.row(['=1+1', 3], 2);
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const one = wb.getWorksheet('one')!;
    expect(one.getRow(1).getCell(1).value).toBe('v');
    HOSTILE.forEach((v, i) => {
      expect(one.getRow(i + 2).getCell(1).value).toBe(neutralised(v, true));
      expect(one.getRow(i + 2).getCell(2).value).toBe(-2.5);
    });
    const two = wb.getWorksheet('two')!;
    expect(two.getRow(1).getCell(1).value).toBe("'=1+1");
    expect(two.getCell('B1').isMerged).toBe(true);
  });
});
