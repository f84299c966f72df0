/**
 * The hospital's waiver after the tiers (docs/settlement.md §9): a card holder's inpatient bill at
 * the county rehabilitation hospital within the free period has what no tier paid waived — the
 * patient's part drops by it, the one bill and the national setlinfo show it, a cancellation
 * gives it back, the audit chain seals it, and the programme's year-end report counts it.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { upsertInstitution } from '../../catalogue/repository.ts';
import { addProgramme } from '../../assistance/programmes.ts';
import { yearEndReport } from '../../assistance/report.ts';
import { inpatient, P, seedCounty } from '../../assistance/testing/fixture.ts';
import { setlinfo } from '../../gateway/translate.ts';
import { readSettleRequest } from './request.ts';
import { loadPackCatalog } from './packs.ts';
import { SettlementService } from './service.ts';
import { verifySettlementChains } from './audit-chain-read.ts';
import { createHash } from 'node:crypto';

const REHAB = 'H37089900004';

const atRehab = (msgid: string, certno: string, date: string) => {
  const r = inpatient(msgid, certno, date);
  return readSettleRequest({
    msgid,
    certno,
    fixmedinsCode: REHAB,
    bill: {
      date,
      visitType: 'inpatient',
      diagnosis: 'F20.0',
      remote: null,
      lines: r.bill.lines.map((l) => ({ amount: l.amount / 100, class: l.class })),
    },
  });
};

describeDb('the hospital waiver after the tiers', (ctx) => {
  let service: SettlementService;

  beforeAll(async () => {
    await seedCounty(ctx.db);
    await upsertInstitution(ctx.db, {
      fixmedinsCode: REHAB,
      fixmedinsName: '示范县康复医院',
      hospLv: 2,
      admdvs: '370899',
    });
    await ctx.db.query(
      `INSERT INTO person_flag (certno, category, from_month, source)
       VALUES ($1, 'mental_aid_card', '2022-01', 'medical_security')`,
      [P.mental],
    );
    service = new SettlementService(ctx.db, await loadPackCatalog());
  });

  it('waives what no tier paid within the free period, and nothing elsewhere', async () => {
    const elsewhere = await service.settle(SYSTEM_ACTOR, inpatient('w-0', P.mental, '2022-03-01'));
    expect(elsewhere.amounts.hosp_part_amt).toBeUndefined();
    expect(elsewhere.postTier).toBeUndefined();
    const first = await service.settle(SYSTEM_ACTOR, atRehab('w-1', P.mental, '2022-03-10'));
    const a = first.amounts;
    expect(a.hosp_part_amt).toBeGreaterThan(0);
    expect(a.psn_part_amt).toBe(0);
    expect(a.psn_cash_pay).toBe(0);
    expect(a.medfee_sumamt).toBeCloseTo(a.fund_pay_sumamt! + a.hosp_part_amt!, 2);
    expect(first.postTier?.[0]).toMatchObject({
      kind: 'hospital_waiver',
      programme: 'rehab_free_inpatient',
      ratio: 10_000,
      reference: 'seeds/004_5dd05a6463dc1b61.txt',
    });
    // Someone without the card pays their part.
    const other = await service.settle(SYSTEM_ACTOR, atRehab('w-x', P.mental2, '2022-03-10'));
    expect(other.amounts.hosp_part_amt).toBeUndefined();
    expect(other.amounts.psn_part_amt).toBeGreaterThan(0);
    // Day 90 of the period is waived, day 91 is not.
    const last = await service.settle(SYSTEM_ACTOR, atRehab('w-2', P.mental, '2022-06-07'));
    expect(last.amounts.hosp_part_amt).toBeGreaterThan(0);
    const after = await service.settle(SYSTEM_ACTOR, atRehab('w-3', P.mental, '2022-06-08'));
    expect(after.amounts.hosp_part_amt).toBeUndefined();
  });

  it('shows the waiver on the one bill and in the national setlinfo', async () => {
    const s = await service.settle(SYSTEM_ACTOR, atRehab('w-4', P.mental, '2022-04-01'));
    const bill = await service.oneBill(SYSTEM_ACTOR, s.settlementId);
    const line = bill.totals.find((t) => t.label === '医院减免');
    expect(line?.note).toContain('困难家庭精神病人免费住院治疗');
    const pre = await service.presettle(SYSTEM_ACTOR, atRehab('w-5', P.mental, '2022-04-02'));
    const info = setlinfo(
      {
        settlementId: 1,
        kind: 'settle',
        amounts: pre.settlement.amounts,
        tiers: [],
        date: '2022-04-02',
        visitType: 'inpatient',
        createdAt: '',
      },
      { mdtrtId: '1', certno: P.mental, psnName: '赵一', msgid: 'x', admdvs: '370899' },
      '2022-04-02 10:00:00',
    );
    expect(info.hosp_part_amt).toBeGreaterThan(0);
    expect(info.psn_part_amt).toBe(0);
    expect(Math.round(Number(info.medfee_sumamt) * 100)).toBe(
      Math.round(
        (Number(info.fund_pay_sumamt) + Number(info.psn_part_amt) + Number(info.hosp_part_amt)) *
          100,
      ),
    );
  });

  it('a cancellation gives the waiver back; the audit chains verify', async () => {
    const s = await service.settle(SYSTEM_ACTOR, atRehab('w-6', P.mental, '2022-04-05'));
    const c = await service.cancel(SYSTEM_ACTOR, s.settlementId, 'w-6-c', '录入错误');
    expect(c.amounts.hosp_part_amt).toBe(-s.amounts.hosp_part_amt!);
    const problems: unknown[] = [];
    await verifySettlementChains(ctx.db, (p) => problems.push(p), createHash('sha256'));
    expect(problems).toEqual([]);
  });

  it('the free-treatment programme’s year-end report counts the waivers', async () => {
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
    const r = await yearEndReport(ctx.db, SYSTEM_ACTOR, p);
    const waived = await ctx.db.query<{ n: string }>(
      `SELECT sum(hosp_part_amt)::text AS n FROM settlement WHERE waiver_programme = 'rehab_free_inpatient'`,
    );
    expect(r.current.inpatient.people).toBe(1);
    expect(r.current.total.amount).toBe(Number(waived.rows[0]!.n));
    expect(r.current.total.amount).toBeGreaterThan(0);
  });
});
