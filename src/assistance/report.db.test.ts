import { beforeAll, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { describeDb } from '../../test/support/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { testClock } from '../registry/testing/db.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { SettlementService } from '../settlement/persist/service.ts';
import { HOSTILE } from '../tabular/testing.ts';
import { issueCard } from './cards.ts';
import { assistanceContext } from './context.ts';
import type { Programme } from './model.ts';
import { yearEndReport } from './report.ts';
import { reportXlsx } from './report-xlsx.ts';
import { backstopProgramme, inpatient, P, seedCounty } from './testing/fixture.ts';

const township001: Actor = {
  ...SYSTEM_ACTOR,
  id: 'u:town',
  scope: { kind: 'region', regionCode: '370899001' },
};

/**
 * A hand-computed county. Card holders with a severe mental diagnosis (F20) at a level-2 hospital:
 * basic insurance pays 80 % with no deductible, critical illness nothing below 15,000 a year, no
 * assistance category, so the backstop pays the other 20 % of what is in scope:
 *   2022  赵一 (township 001): inpatient 10,000 → 2,000; chronic 1,000 → 200, twice
 *         钱二 (township 002): inpatient 5,000 → 1,000; another 5,000 → 1,000, cancelled
 *         孙三 (no card): inpatient, no backstop
 *   2023  赵一: inpatient 20,000 → 4,000
 * 2022: inpatient 2 people, 2 times, 3,000; outpatient 1 person, 2 times, 400; 2 people, 3,400.
 */
describeDb('year-end programme report', (ctx) => {
  let p2022: Programme;
  let p2023: Programme;

  beforeAll(async () => {
    await seedCounty(ctx.db, [2022, 2023]);
    const service = new SettlementService(ctx.db, await loadPackCatalog());
    p2022 = await backstopProgramme(ctx.db, 2022, 3000_00);
    p2023 = await backstopProgramme(ctx.db, 2023, 1_000_000_00);
    const a = assistanceContext(ctx.db, testClock('2022-01-05').now);
    await issueCard(a, SYSTEM_ACTOR, p2022, { certno: P.mental, reason: '申请' });
    await issueCard(a, SYSTEM_ACTOR, p2022, { certno: P.mental2, reason: '申请' });
    // Zero-amount lines are not bills: settle with class A only.
    const only = (r: ReturnType<typeof inpatient>) => ({
      ...r,
      bill: { ...r.bill, lines: r.bill.lines.filter((l) => l.amount > 0) },
    });
    const go = async (
      msgid: string,
      certno: string,
      date: string,
      amount: number,
      chronic = false,
    ) => {
      return service.settle(
        SYSTEM_ACTOR,
        only(
          inpatient(msgid, certno, date, {
            a: amount,
            b: 0,
            c: 0,
            visitType: chronic ? 'chronic_outpatient' : 'inpatient',
          }),
        ),
      );
    };
    expect((await go('r1', P.mental, '2022-02-10', 10000)).amounts.backstop_pay).toBe(2000);
    expect((await go('r2', P.mental, '2022-03-10', 1000, true)).amounts.backstop_pay).toBe(200);
    expect((await go('r3', P.mental, '2022-04-10', 1000, true)).amounts.backstop_pay).toBe(200);
    expect((await go('r4', P.mental2, '2022-05-10', 5000)).amounts.backstop_pay).toBe(1000);
    const cancelled = await go('r5', P.mental2, '2022-06-10', 5000);
    expect(cancelled.amounts.backstop_pay).toBe(1000);
    await service.cancel(SYSTEM_ACTOR, cancelled.settlementId, 'r5-cancel', '重复结算');
    expect((await go('r6', P.poor, '2022-06-10', 5000)).amounts.backstop_pay).toBe(0);
    expect((await go('r7', P.mental, '2023-02-10', 20000)).amounts.backstop_pay).toBe(4000);
  });

  it('reports people, times and amounts by outpatient and inpatient, against the budget', async () => {
    const r = await yearEndReport(ctx.db, SYSTEM_ACTOR, p2022);
    expect(r.budget).toEqual({
      budget: 3000_00,
      spent: 3400_00,
      remaining: -400_00,
      usedBp: 11333,
      overspent: true,
      alerts: [8000, 10000],
    });
    expect(r.current).toEqual({
      year: 2022,
      budget: 3000_00,
      outpatient: { people: 1, times: 2, amount: 400_00 },
      inpatient: { people: 2, times: 2, amount: 3000_00 },
      total: { people: 2, amount: 3400_00 },
      cards: { issued: 2, heldAtYearEnd: 2 },
      // Not a hospital-waiver programme: no agreement's rules to count apart.
      waivers: [],
    });
    expect(r.previous).toMatchObject({ year: 2021, budget: null, total: { people: 0, amount: 0 } });
  });

  it('compares a year with the one before', async () => {
    const r = await yearEndReport(ctx.db, SYSTEM_ACTOR, p2023);
    expect(r.current).toMatchObject({
      outpatient: { people: 0, times: 0, amount: 0 },
      inpatient: { people: 1, times: 1, amount: 4000_00 },
      total: { people: 1, amount: 4000_00 },
      cards: { issued: 0, heldAtYearEnd: 2 },
    });
    expect(r.previous.total).toEqual({ people: 2, amount: 3400_00 });
    expect(r.change).toEqual({
      people: -1,
      amount: 600_00,
      outpatientPeople: -1,
      inpatientPeople: -1,
    });
    expect(r.budget).toMatchObject({ spent: 4000_00, overspent: false, alerts: [] });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsx(r)) as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    const byLabel = new Map(rows.map((x) => [x[1], x.slice(2)]));
    expect(byLabel.get('住院救助金额(元)')).toEqual([4000, 3000, 1000]);
    expect(byLabel.get('救助总人数')).toEqual([1, 2, -1]);
  });

  it("limits people and amounts to the caller's scope; the budget line stays the programme's", async () => {
    const r = await yearEndReport(ctx.db, township001, p2022);
    expect(r.scoped).toBe(true);
    expect(r.current).toMatchObject({
      outpatient: { people: 1, times: 2, amount: 400_00 },
      inpatient: { people: 1, times: 1, amount: 2000_00 },
      total: { people: 1, amount: 2400_00 },
      cards: { issued: 1, heldAtYearEnd: 1 },
    });
    expect(r.budget.spent).toBe(3400_00);
  });

  it('writes a hostile title neutralised; a negative change stays a number', async () => {
    const r = await yearEndReport(ctx.db, SYSTEM_ACTOR, p2023);
    for (const title of HOSTILE) {
      const hostile = { ...r, programme: { ...r.programme, title: { zh: title, en: title } } };
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await reportXlsx(hostile)) as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(String(ws.getRow(1).getCell(1).value)).toMatch(/^'/);
      const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
      expect(rows.find((x) => x[1] === '救助总人数')?.[4]).toBe(-1);
    }
  });
});
