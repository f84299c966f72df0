import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { HOSTILE, neutralised } from '../../tabular/testing.ts';
import type { WarningRow } from '../repo/warnings.ts';
import { writeWarningsXlsx } from './xlsx.ts';

const warning = (i: number, text: string): WarningRow => ({
  warning_id: i + 1,
  certno: '370899196003040072',
  year: 2022,
  threshold: 'total',
  month: '2022-06',
  run_id: 1,
  region_code: '370899001001',
  categories: ['subsistence'],
  pack: 'p',
  amount: 3_460_000,
  line: 3_000_000,
  status: 'pushed',
  push_id: 1,
  pushed_at: null,
  decided_by: null,
  decided_at: null,
  dismiss_reason: null,
  assistance: null,
  assisted_at: null,
  withdrawn_at: null,
  reopened: 0,
  created_at: '',
  updated_at: '',
  name: text,
  township_code: '370899001',
  township_name: text,
});

describe('the push workbook', () => {
  it('writes hostile text neutralised and amounts as numbers', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeWarningsXlsx(
      SYSTEM_ACTOR,
      HOSTILE[0],
      HOSTILE.map((v, i) => warning(i, v)),
      out,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('预警名单')!;
    HOSTILE.forEach((v, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(3).value).toBe(neutralised(v, true));
      expect(row.getCell(4).value).toBe(neutralised(v, true));
      expect(row.getCell(10).value).toBe(34600);
      expect(row.getCell(12).value).toBe(4600);
    });
    expect(wb.getWorksheet('说明')!.getRow(1).getCell(1).value).toBe(neutralised(HOSTILE[0]));
  });
});
