import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { HOSTILE, neutralised } from '../../tabular/testing.ts';
import { registerPerson } from '../service/people.ts';
import { nextCertno, seedRegions, testClock, testContext, VILLAGE_1 } from '../testing/db.ts';
import { exportPersons } from './export-xlsx.ts';

describeDb('registry export', (ctx) => {
  // The household number is free text a clerk typed; the tab and CR ones cannot get in.
  const typed = HOSTILE.filter((v) => v.trim() === v);

  beforeAll(async () => {
    await seedRegions(ctx.db);
    const reg = testContext(ctx.db, testClock('2022-05-10'));
    for (const householdId of typed) {
      await registerPerson(
        reg,
        SYSTEM_ACTOR,
        { certno: nextCertno(), name: '王五', regionCode: VILLAGE_1, householdId, phone: null },
        '新参保',
      );
    }
  });

  it('writes hostile cells neutralised', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const r = await exportPersons(ctx.db, SYSTEM_ACTOR, { name: '王五' }, '2022-05', out);
    expect(r.rows).toBe(typed.length);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('参保人')!;
    const households = typed.map((_, i) => String(ws.getRow(i + 2).getCell(6).value));
    expect(households.sort()).toEqual(typed.map((v) => neutralised(v)).sort());
  });
});
