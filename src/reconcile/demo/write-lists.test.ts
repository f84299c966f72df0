import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, neutralised } from '../../tabular/testing.ts';
import type { DemoList } from './generate-lists.ts';
import { writeLists } from './write-lists.ts';

const list = (file: string): DemoList => ({
  file,
  department: 'civil_affairs',
  kind: 'subsistence',
  asOf: '2022-09-01',
  headers: ['身份证号', '姓名'],
  rows: HOSTILE.map((v, i) => [String(i), v]),
});

describe('demo department lists', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tg-demo-lists-'));
    await writeLists(dir, [list('a.csv'), list('b.xlsx')]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes hostile cells neutralised in CSV', async () => {
    const text = await readFile(join(dir, 'a.csv'), 'utf8');
    const rows = parse(text.replace(/^\ufeff/, '')) as string[][];
    expect(rows.slice(1).map((r) => r[1])).toEqual(HOSTILE.map((v) => neutralised(v)));
  });

  it('writes hostile cells neutralised in XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'b.xlsx'));
    const names = HOSTILE.map((_, i) => wb.worksheets[0]!.getRow(i + 2).getCell(2).value);
    expect(names).toEqual(HOSTILE.map((v) => neutralised(v, true)));
  });
});
