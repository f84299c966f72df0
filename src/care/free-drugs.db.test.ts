/**
 * The free drugs of the rehabilitation agreement (docs/care.md §10): drugs the county
 * rehabilitation hospital delivers to the door for a card holder who is not in the free inpatient
 * treatment are borne by the agreement's programme after the tiers; the delivery records the
 * programme, the free inpatient period is neither started nor shortened by them, and the
 * programme's year-end report counts them apart from the stays. On PGlite and, with
 * DATABASE_URL, PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { MASKED } from '../kernel/access/masking.ts';
import { testClock } from '../registry/testing/db.ts';
import { buildServices } from '../app/services.ts';
import { actorOf } from '../chronic/testing/fixture.ts';
import { DEMO_PSYCHIATRIC_HOSPITAL, upsertInstitution } from '../catalogue/index.ts';
import { addProgramme } from '../assistance/programmes.ts';
import { yearEndReport } from '../assistance/report.ts';
import { reportXlsx } from '../assistance/report-xlsx.ts';
import ExcelJS from 'exceljs';
import { readSettleRequest, type SettlementService } from '../settlement/index.ts';
import type { DeliveryService } from './delivery-service.ts';
import { certify, PEOPLE, seedCare } from './testing/fixture.ts';

const REHAB = DEMO_PSYCHIATRIC_HOSPITAL.fixmedinsCode;
const DRUG = 'XN05AXL001T001';
/** A person of no assistance category (the tiers leave a part), holding the card from June. */
const CARD = PEOPLE.plain;
const staff = actorOf('bureau_staff');
const auditor = actorOf('auditor');

const drugs = (deliveredOn: string) => ({
  deliveredOn,
  deliveredBy: '康复医院 李护士',
  confirmedBy: 'guardian' as const,
  confirmerName: '王建军',
  lines: [{ itemCode: DRUG, amount: 240, days: 30 }],
});

describeDb('free drugs delivered under the rehabilitation agreement', (ctx) => {
  const clock = testClock('2022-12-15');
  let delivery: DeliveryService;
  let settlement: SettlementService;

  const stay = (msgid: string, date: string) =>
    settlement.settle(
      SYSTEM_ACTOR,
      readSettleRequest({
        msgid,
        certno: CARD,
        fixmedinsCode: REHAB,
        bill: {
          date,
          visitType: 'inpatient',
          diagnosis: 'F20.0',
          remote: null,
          lines: [{ amount: 6000, class: 'B', selfPayRatio: 0.1 }],
        },
      }),
    );

  beforeAll(async () => {
    await seedCare(ctx.db);
    await upsertInstitution(ctx.db, DEMO_PSYCHIATRIC_HOSPITAL);
    // An antipsychotic of class B with 10 % paid first by the patient (outside what the tiers and
    // the backstop pay): the part the waiver bears.
    await ctx.db.query(
      `INSERT INTO catalogue_item (med_list_codg, name, list_type, chrgitm_lv, selfpay_prop, begndate, two_diseases)
       VALUES ($1, '利培酮片', 'drug', '02', 1000, '2022-01-01', false)`,
      [DRUG],
    );
    await ctx.db.query(
      `INSERT INTO person_flag (certno, category, from_month, source)
       VALUES ($1, 'mental_aid_card', '2022-06', 'medical_security')`,
      [CARD],
    );
    await certify(ctx.db, CARD, 'S004', '370899002001');
    const s = await buildServices(ctx.db, { now: clock.now });
    delivery = s.delivery;
    settlement = s.settlement;
    await delivery.confirm(staff, CARD, {
      disability: 'semi_disabled',
      disease: 'S004',
      diagnosis: 'F20.0',
      fixmedinsCode: REHAB,
      confirmedOn: '2022-05-20',
    });
  });

  it('a card holder outside the free inpatient treatment has the drugs free; the delivery names the programme', async () => {
    // May: no card yet, the patient pays their part and no programme is named.
    const may = await delivery.deliver(staff, CARD, drugs('2022-05-25'));
    expect(may.programme).toBeNull();
    expect(may.programmePaid).toBe(0);
    const paidMay = await ctx.db.query<{ psn: string }>(
      'SELECT psn_part_amt::text AS psn FROM settlement WHERE settlement_id = $1',
      [may.settlementId],
    );
    expect(Number(paidMay.rows[0]!.psn)).toBeGreaterThan(0);
    const d = await delivery.deliver(staff, CARD, drugs('2022-06-10'));
    expect(d.programme).toBe('rehab_free_inpatient');
    expect(d.programmePaid).toBeGreaterThan(0);
    const s = await ctx.db.query<{
      hosp_part_amt: string;
      psn_part_amt: string;
      waiver_programme: string;
    }>(
      'SELECT hosp_part_amt::text, psn_part_amt::text, waiver_programme FROM settlement WHERE settlement_id = $1',
      [d.settlementId],
    );
    expect(s.rows[0]).toMatchObject({
      psn_part_amt: '0',
      waiver_programme: 'rehab_free_inpatient',
    });
    expect(Number(s.rows[0]!.hosp_part_amt)).toBe(Math.round(d.programmePaid * 100));
  });

  it('the free drugs do not start the free inpatient period, and inside it the drugs are not free', async () => {
    const first = await stay('rehab-stay-1', '2022-07-05');
    expect(first.postTier?.[0]?.text.zh).toContain('自 2022-07-05 起第 1 天');
    const inside = await delivery.deliver(staff, CARD, drugs('2022-07-20'));
    expect(inside.programme).toBeNull();
    // Day 91 of the period (from 5 July) is past it: the drugs are free again.
    const after = await delivery.deliver(staff, CARD, drugs('2022-10-03'));
    expect(after.programme).toBe('rehab_free_inpatient');
  });

  it('a reader without sensitive access sees that a programme paid, not which', async () => {
    const seen = await delivery.personDeliveries(auditor, CARD);
    expect(seen.deliveries.map((d) => d.programme)).toEqual([MASKED, null, MASKED, null]);
    const all = await delivery.personDeliveries(staff, CARD);
    expect(all.deliveries[0]!.programme).toBe('rehab_free_inpatient');
    // The month's register, on the page and in the file the townships exchange, alike.
    const june = await delivery.month(staff, '2022-06', {}, { page: 1, pageSize: 20 });
    expect(june.items.map((i) => i.programme)).toEqual(['rehab_free_inpatient']);
    const masked = await delivery.month(auditor, '2022-06', {}, { page: 1, pageSize: 20 });
    expect(masked.items.map((i) => i.programme)).toEqual([MASKED]);
    const file = await delivery.monthXlsx(staff, '2022-06', {});
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.content as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(15).value).toBe('药费救助项目');
    expect(sheet.getRow(2).getCell(15).value).toBe('rehab_free_inpatient');
  });

  it('the programme’s year-end report counts the drugs delivered apart from the stays', async () => {
    const p = await addProgramme(ctx.db, SYSTEM_ACTOR, {
      regionCode: '370899',
      code: 'rehab_free_inpatient',
      year: 2022,
      title: { zh: '困难家庭精神病人免费住院治疗', en: 'Free inpatient treatment' },
      budget: 50_000_000,
      tiers: ['hospital_waiver'],
      eligibleCategories: ['severe_mental'],
      cardCategory: null,
      reason: '县康复医院协议',
    });
    const paid = await ctx.db.query<{ n: string }>(
      `SELECT coalesce(sum(programme_paid), 0)::text AS n FROM care_delivery
        WHERE programme = 'rehab_free_inpatient'`,
    );
    const r = await yearEndReport(ctx.db, SYSTEM_ACTOR, p);
    expect(r.current.waivers).toEqual([
      {
        code: 'rehab_free_drugs',
        people: 1,
        times: 2,
        amount: Number(paid.rows[0]!.n),
      },
      expect.objectContaining({ code: 'rehab_free_inpatient', people: 1, times: 1 }),
    ]);
    expect(r.current.total.amount).toBe(r.current.waivers.reduce((t, w) => t + w.amount, 0));
    expect(r.previous.waivers).toEqual([]);
    // The workbook has the same lines.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(r)) as unknown as ArrayBuffer);
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.find((x) => x[1] === 'rehab_free_drugs 次数')?.slice(1, 3)).toEqual([
      'rehab_free_drugs 次数',
      2,
    ]);
  });
});
