import { recordInstitutionPatient } from '../../auth/institution.ts';
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { makeId } from '../../kernel/idcard.ts';
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import { isTriguardError } from '../../kernel/errors.ts';
import { verifyAudit } from '../../app/audit.ts';
import { queryAudit } from '../../app/audit.ts';
import { emptyAccumulators } from '../accumulators.ts';
import { loadPackCatalog } from './packs.ts';
import { readSettleRequest } from './request.ts';
import { SettlementService } from './service.ts';
import { ledgerTotals, readAccumulators } from './repository.ts';
import { enrolForYear } from '../testing/enrol.ts';
import { AT_LEVEL, registerInstitutions } from '../testing/institutions.ts';
import { upsertInstitution } from '../../catalogue/repository.ts';

const VILLAGE = '370899001001';
const OTHER_VILLAGE = '370899002001';
const POOR = makeId('370899', '1960-05-01', 11);
const PLAIN = makeId('370899', '1970-01-01', 21);
const FAR = makeId('370899', '1980-01-01', 31);

const example = (msgid: string, certno = POOR, extra: Record<string, unknown> = {}) =>
  readSettleRequest({
    msgid,
    certno,
    fixmedinsCode: 'H37089900001',
    bill: {
      date: '2022-03-15',
      visitType: 'inpatient',
      hospitalLevel: 2,
      diagnosis: 'K35.8',
      remote: null,
      lines: [
        { amount: 12000, class: 'A' },
        { amount: 3000, class: 'B' },
        { amount: 500, class: 'C' },
      ],
      ...extra,
    },
  });

const township = (code: string): Actor => ({
  ...SYSTEM_ACTOR,
  id: 'u:town',
  scope: { kind: 'region', regionCode: code },
});

describeDb('persistent settlement', (ctx) => {
  let service: SettlementService;

  beforeAll(async () => {
    await ctx.db.exec(`
      INSERT INTO region (code, name, level, parent_code) VALUES
        ('370899', '示范县', 'county', NULL),
        ('370899001', '城关镇', 'township', '370899'), ('370899002', '东关镇', 'township', '370899'),
        ('${VILLAGE}', '城关1村', 'village', '370899001'), ('${OTHER_VILLAGE}', '东关1村', 'village', '370899002');
      INSERT INTO person (certno, name, gender, birth_date, region_code) VALUES
        ('${POOR}', '张三', 'male', '1960-05-01', '${VILLAGE}'),
        ('${PLAIN}', '李四', 'male', '1970-01-01', '${VILLAGE}'),
        ('${FAR}', '王五', 'male', '1980-01-01', '${OTHER_VILLAGE}');
      INSERT INTO person_flag (certno, category, from_month, to_month, source)
        VALUES ('${POOR}', 'subsistence', '2022-01', NULL, 'civil_affairs');`);
    await enrolForYear(ctx.db, [POOR, PLAIN, FAR]);
    await registerInstitutions(ctx.db);
    service = new SettlementService(ctx.db, await loadPackCatalog());
  });

  it('settles the worked example of docs/settlement.md §6, queries it, cancels it', async () => {
    const s = await service.settle(SYSTEM_ACTOR, example('m-1'));
    expect(s.pack).toBe('demo-2022');
    expect(s.categories).toEqual(['subsistence']);
    expect(s.amounts).toMatchObject({
      medfee_sumamt: 15500,
      inscp_scp_amt: 14700,
      hifp_pay: 13005,
      hifmi_pay: 0,
      maf_pay: 1186.5,
      reassist_pay: 0,
      fund_pay_sumamt: 14191.5,
      psn_part_amt: 1308.5,
      psn_cash_pay: 1308.5,
    });
    expect(s.status).toBe('settled');
    // The answer is built from what was written, not read back: it must be the stored row's view.
    expect(await service.get(SYSTEM_ACTOR, s.settlementId)).toStrictEqual(s);

    const acc = await readAccumulators(ctx.db, POOR, 2022);
    expect(acc?.tiers.basic_insurance.paid).toBe(1_300_500);
    expect(acc?.tiers.assistance.paid).toBe(118_650);

    const c = await service.cancel(SYSTEM_ACTOR, s.settlementId, 'm-1-cancel', '收费员录入错误');
    expect(c.kind).toBe('cancel');
    expect(c.originalId).toBe(s.settlementId);
    expect(c.amounts.hifp_pay).toBe(-13005);
    expect(c.amounts.fund_pay_sumamt).toBe(-14191.5);
    expect((await service.get(SYSTEM_ACTOR, s.settlementId)).status).toBe('cancelled');
    expect(await service.get(SYSTEM_ACTOR, c.settlementId)).toStrictEqual(c);
    // Cancelling subtracts exactly what the settlement added: back to an empty year.
    expect(await readAccumulators(ctx.db, POOR, 2022)).toEqual(emptyAccumulators(2022));
    const ledger = await ledgerTotals(ctx.db, POOR, 2022);
    expect(Object.values(ledger).every((t) => t.base === 0 && t.paid === 0)).toBe(true);
  });

  it('stores the explanation as facts and rules, and reads its sentences back unchanged', async () => {
    const s = await service.settle(SYSTEM_ACTOR, example('m-facts'));
    const stored = async () =>
      (
        await ctx.db.query<{ explain: string }>(
          'SELECT explain::text AS explain FROM settlement WHERE settlement_id = $1',
          [s.settlementId],
        )
      ).rows[0]!.explain;
    const facts = JSON.parse(await stored()) as Record<string, unknown>[];
    expect(facts.map((t) => t.tier)).toEqual(s.explain.map((t) => t.tier));
    expect(facts.every((t) => !('text' in t))).toBe(true);
    expect(s.explain.every((t) => t.text.zh.length > 0 && t.text.en.length > 0)).toBe(true);
    expect(await service.get(SYSTEM_ACTOR, s.settlementId)).toStrictEqual(s);

    // A row written before the sentences were left out still carries them: it reads the same.
    const withText = facts.map((t, i) => ({ ...t, text: s.explain[i]!.text }));
    await ctx.db.query('UPDATE settlement SET explain = $2::json WHERE settlement_id = $1', [
      s.settlementId,
      JSON.stringify(withText),
    ]);
    expect(await stored()).toContain('"text"');
    expect(await service.get(SYSTEM_ACTOR, s.settlementId)).toStrictEqual(s);
  });

  it('answers a repeated msgid with the first answer and never pays twice', async () => {
    const a = await service.settle(SYSTEM_ACTOR, example('m-2'));
    const b = await service.settle(SYSTEM_ACTOR, example('m-2'));
    expect(b).toEqual(a);
    const n = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM settlement WHERE certno = $1 AND msgid = 'm-2'",
      [POOR],
    );
    expect(n.rows[0]!.n).toBe(1);
    const c1 = await service.cancel(SYSTEM_ACTOR, a.settlementId, 'm-2-c', '重复结算');
    const c2 = await service.cancel(SYSTEM_ACTOR, a.settlementId, 'm-2-c', '重复结算');
    expect(c2).toEqual(c1);
  });

  it('answers concurrent repeats of one msgid once, with one settlement', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => service.settle(SYSTEM_ACTOR, example('race-1'))),
    );
    expect(new Set(answers.map((a) => a.settlementId)).size).toBe(1);
    for (const a of answers) expect(a).toEqual(answers[0]);
    const n = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM settlement WHERE certno = $1 AND msgid = 'race-1'",
      [POOR],
    );
    expect(n.rows[0]!.n).toBe(1);
  });

  it('refuses to cancel a cancelled settlement or a cancellation with 409', async () => {
    const a = await service.settle(SYSTEM_ACTOR, example('m-3'));
    const c = await service.cancel(SYSTEM_ACTOR, a.settlementId, 'm-3-c', '测试');
    const codes: string[] = [];
    for (const [id, msgid] of [
      [a.settlementId, 'm-3-c2'],
      [c.settlementId, 'm-3-c3'],
    ] as const) {
      try {
        await service.cancel(SYSTEM_ACTOR, id, msgid, '再撤销');
      } catch (e) {
        if (isTriguardError(e) && e.kind === 'conflict') codes.push(e.code);
      }
    }
    expect(codes).toEqual(['settlement.already_cancelled', 'settlement.not_cancellable']);
  });

  it('settles a person without flags with no assistance', async () => {
    const s = await service.settle(SYSTEM_ACTOR, example('p-1', PLAIN));
    // Level 2 inpatient: deductible 500, 80 %: (14,700 − 500) × 80 % = 11,360.
    expect(s.amounts.hifp_pay).toBe(11360);
    expect(s.amounts.maf_pay).toBe(0);
    expect(s.categories).toEqual([]);
  });

  it('writes a ledger row for each tier a settlement moved, and the cancel mirrors exactly those', async () => {
    const outpatient = example('l-1', FAR, {
      visitType: 'general_outpatient',
      diagnosis: 'J06.9',
      lines: [{ amount: 300, class: 'A' }],
    });
    const s = await service.settle(SYSTEM_ACTOR, outpatient);
    const c = await service.cancel(SYSTEM_ACTOR, s.settlementId, 'l-1-c', '重新结算');
    const rows = async (id: number) =>
      (
        await ctx.db.query<{ tier: string; base: number; paid: number }>(
          'SELECT tier, base, paid FROM settlement_ledger WHERE certno = $1 AND settlement_id = $2',
          [FAR, id],
        )
      ).rows;
    const settled = await rows(s.settlementId);
    // A general outpatient bill moves the basic tier alone: no rows of zeros for the others.
    expect(settled.map((r) => r.tier)).toEqual(['basic_insurance']);
    expect(settled[0]!.paid).toBeGreaterThan(0);
    expect(await rows(c.settlementId)).toEqual(
      settled.map((r) => ({ ...r, base: -r.base, paid: -r.paid })),
    );
    const totals = await ledgerTotals(ctx.db, FAR, 2022);
    expect(Object.values(totals).every((t) => t.base === 0 && t.paid === 0)).toBe(true);
  });

  it('records backstop payments against the programme year, and their reversal on cancel', async () => {
    const card = makeId('370899', '1975-07-07', 51);
    await ctx.db.exec(`
      INSERT INTO person (certno, name, gender, birth_date, region_code) VALUES ('${card}', '孙七', 'male', '1975-07-07', '${VILLAGE}');
      INSERT INTO person_flag (certno, category, from_month, source) VALUES
        ('${card}', 'severe_mental', '2022-01', 'health'), ('${card}', 'mental_aid_card', '2022-01', 'health');`);
    await enrolForYear(ctx.db, [card]);
    const s = await service.settle(
      SYSTEM_ACTOR,
      readSettleRequest({
        msgid: 'bs-1',
        certno: card,
        fixmedinsCode: AT_LEVEL[2],
        bill: {
          date: '2022-04-01',
          visitType: 'inpatient',
          hospitalLevel: 2,
          diagnosis: 'F20.0',
          lines: [{ amount: 10000, class: 'A' }],
        },
      }),
    );
    // Severe mental diagnosis: no deductible, 80 % → 8,000; critical illness under its deductible;
    // the backstop pays the other 2,000 in scope; the person pays nothing.
    expect(s.amounts).toMatchObject({
      hifp_pay: 8000,
      hifmi_pay: 0,
      backstop_pay: 2000,
      psn_part_amt: 0,
    });
    expect(s.backstopProgramme).toBe('mental_disorder_backstop');
    const spend = async () =>
      (
        await ctx.db.query<{ amount: number }>(
          "SELECT sum(amount)::int8 AS amount FROM programme_spend WHERE programme = 'mental_disorder_backstop' AND year = 2022 AND certno = $1",
          [card],
        )
      ).rows[0]!.amount;
    expect(await spend()).toBe(200_000);
    await service.cancel(SYSTEM_ACTOR, s.settlementId, 'bs-1-c', '退费');
    expect(await spend()).toBe(0);
  });

  it('settles only for a person with resident insurance benefits on the bill date', async () => {
    const late = makeId('370899', '1985-05-05', 61);
    await ctx.db.exec(
      `INSERT INTO person (certno, name, gender, birth_date, region_code) VALUES ('${late}', '周八', 'male', '1985-05-05', '${VILLAGE}')`,
    );
    const req = (msgid: string, date: string) =>
      readSettleRequest({
        msgid,
        certno: late,
        fixmedinsCode: AT_LEVEL[1],
        bill: {
          date,
          visitType: 'general_outpatient',
          hospitalLevel: 1,
          diagnosis: 'J06.9',
          lines: [{ amount: 100, class: 'A' }],
        },
      });
    await expect(service.settle(SYSTEM_ACTOR, req('ne-1', '2022-03-01'))).rejects.toMatchObject({
      code: 'settlement.not_enrolled',
      field: 'bill.date',
    });
    await expect(service.presettle(SYSTEM_ACTOR, req('ne-2', '2022-03-01'))).rejects.toMatchObject({
      code: 'settlement.not_enrolled',
    });
    // Green channel: enrolled mid-year, benefits from the enrolment day on.
    await ctx.db.query(
      `INSERT INTO enrolment (certno, medical_year, scheme, contribution_type, enrolled_on, benefit_from)
       VALUES ($1, 2022, 'resident', 'fee_exemption', '2022-06-10', '2022-06-10')`,
      [late],
    );
    await expect(service.settle(SYSTEM_ACTOR, req('ne-3', '2022-06-09'))).rejects.toMatchObject({
      code: 'settlement.not_enrolled',
    });
    expect((await service.settle(SYSTEM_ACTOR, req('ne-4', '2022-06-10'))).amounts.hifp_pay).toBe(
      50,
    );
    // Not enrolled for the next year.
    await expect(service.settle(SYSTEM_ACTOR, req('ne-5', '2023-01-05'))).rejects.toMatchObject({
      code: 'settlement.not_enrolled',
    });
  });

  it('keeps people out of scope invisible (404) for settle, query and cancel', async () => {
    const s = await service.settle(SYSTEM_ACTOR, example('far-1', FAR));
    const mine = township('370899001');
    await expect(service.settle(mine, example('far-2', FAR))).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(service.get(mine, s.settlementId)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(service.cancel(mine, s.settlementId, 'far-c', 'x')).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(service.accumulators(mine, FAR, 2022)).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect((await service.get(township('370899002'), s.settlementId)).settlementId).toBe(
      s.settlementId,
    );
  });

  it('lets an institution settle a patient whose visit it registered, then see only its own settlements', async () => {
    const hospital = (code: string): Actor => ({
      ...SYSTEM_ACTOR,
      id: `u:${code}`,
      scope: { kind: 'institution', fixmedinsCode: code, regionCode: '370899' },
    });
    for (const code of ['H37089900007', 'H37089900008']) {
      await upsertInstitution(ctx.db, {
        fixmedinsCode: code,
        fixmedinsName: code,
        hospLv: 2,
        admdvs: '370899',
      });
    }
    const a = hospital('H37089900007');
    const b = hospital('H37089900008');
    const req = { ...example('inst-1', PLAIN), fixmedinsCode: null };
    // A first-time patient: no visit registered at the window, so not in the hospital's scope.
    await expect(service.settle(a, req)).rejects.toMatchObject({ code: 'person.not_found' });
    await expect(service.presettle(a, req)).rejects.toMatchObject({ code: 'person.not_found' });
    // The gateway's visit registration (2201/2401) reads the ID card and records the patient.
    await recordInstitutionPatient(ctx.db, 'H37089900007', PLAIN, '2022-03-01');
    const s = await service.settle(a, req);
    expect(s.fixmedinsCode).toBe('H37089900007');
    expect((await service.get(a, s.settlementId)).settlementId).toBe(s.settlementId);
    await expect(service.get(b, s.settlementId)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(service.cancel(b, s.settlementId, 'inst-1-c', 'x')).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(
      service.settle(b, { ...example('inst-2', PLAIN), fixmedinsCode: 'H37089900007' }),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      field: 'fixmedinsCode',
    });
    // The patient is now in the institution's scope (institution_patient), and only in its.
    await expect(service.accumulators(a, PLAIN, 2022)).resolves.toBeTruthy();
    await expect(service.accumulators(b, PLAIN, 2022)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('keeps accumulators equal to the ledger and within the cap under concurrent settlements', async () => {
    const person = makeId('370899', '1990-02-02', 41);
    await ctx.db.query(
      "INSERT INTO person (certno, name, gender, birth_date, region_code) VALUES ($1, '赵六', 'male', '1990-02-02', $2)",
      [person, VILLAGE],
    );
    await enrolForYear(ctx.db, [person]);
    // General outpatient: 50 % up to the 300-yuan annual cap; 100 bills of 100 yuan would pay 5,000.
    const n = ctx.kind === 'postgres' ? 200 : 40;
    const bills = Array.from({ length: n }, (_, i) =>
      readSettleRequest({
        msgid: `conc-${i}`,
        certno: person,
        fixmedinsCode: AT_LEVEL[1],
        bill: {
          date: '2022-06-01',
          visitType: 'general_outpatient',
          hospitalLevel: 1,
          diagnosis: 'J06.9',
          lines: [{ amount: 100, class: 'A' }],
        },
      }),
    );
    const answers = await Promise.all(bills.map((b) => service.settle(SYSTEM_ACTOR, b)));
    const paid = answers.reduce((s, a) => s + Math.round((a.amounts.hifp_pay ?? 0) * 100), 0);
    expect(paid).toBe(30_000);
    const acc = await readAccumulators(ctx.db, person, 2022);
    expect(acc?.basicCapPaid.general).toBe(30_000);
    const ledger = await ledgerTotals(ctx.db, person, 2022);
    for (const [tier, t] of Object.entries(ledger)) {
      expect(t).toEqual(acc!.tiers[tier as keyof NonNullable<typeof acc>['tiers']]);
    }
    // Every settlement is an audit entry on the person's one chain for the year, unbroken.
    const audited = await queryAudit(ctx.db, SYSTEM_ACTOR, { certno: person, limit: 500 });
    expect(audited.entries.filter((e) => e.action === 'settlement.bill.settle')).toHaveLength(n);
    expect((await verifyAudit(ctx.db)).problems).toEqual([]);
  });
});
