import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { testClock } from '../registry/testing/db.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { SettlementService } from '../settlement/persist/service.ts';
import { checkBudget, checkBudgetsAfterSettle, reachedThresholds } from './budget.ts';
import { issueCard, reinstateCard, revokeCard, suspendCard } from './cards.ts';
import { assistanceContext } from './context.ts';
import type { Programme } from './model.ts';
import { addProgramme, updateProgramme } from './programmes.ts';
import { programmeSpent } from './spend.ts';
import { programmeStatus } from './status.ts';
import { backstopProgramme, inpatient, P, seedCounty } from './testing/fixture.ts';

it('reaches 80 % and 100 % exactly at the line, not a fen before', () => {
  expect(reachedThresholds(1000, 799)).toEqual([]);
  expect(reachedThresholds(1000, 800)).toEqual([8000]);
  expect(reachedThresholds(1000, 999)).toEqual([8000]);
  expect(reachedThresholds(1000, 1000)).toEqual([8000, 10000]);
  expect(reachedThresholds(1000, 1500)).toEqual([8000, 10000]);
  expect(reachedThresholds(0, 0)).toEqual([]);
  expect(reachedThresholds(0, 1)).toEqual([8000, 10000]);
});

describeDb('assistance programmes, cards and budget alerts', (ctx) => {
  let service: SettlementService;
  let programme: Programme;
  const clock = testClock('2022-03-01');

  beforeAll(async () => {
    await seedCounty(ctx.db);
    service = new SettlementService(ctx.db, await loadPackCatalog());
    programme = await backstopProgramme(ctx.db);
  });

  it('issues, suspends, reinstates and revokes a card; the backstop follows the card', async () => {
    const a = assistanceContext(ctx.db, clock.now);
    await expect(
      issueCard(a, SYSTEM_ACTOR, programme, { certno: P.plain, reason: '申请' }),
    ).rejects.toMatchObject({ code: 'assistance.card.not_eligible' });

    const card = await issueCard(a, SYSTEM_ACTOR, programme, { certno: P.mental, reason: '申请' });
    expect(card).toMatchObject({ status: 'active', fromMonth: '2022-03', lastMonth: null });
    expect(card.cardNo).toMatch(/^JZK370899\d{6}$/);
    await expect(
      issueCard(a, SYSTEM_ACTOR, programme, { certno: P.mental, reason: '重复申请' }),
    ).rejects.toMatchObject({ code: 'assistance.card.exists' });

    const paid = await service.settle(SYSTEM_ACTOR, inpatient('c-1', P.mental, '2022-03-10'));
    expect(paid.backstopProgramme).toBe('mental_disorder_backstop');
    expect(paid.amounts.backstop_pay).toBeGreaterThan(0);

    clock.set('2022-04-15');
    const suspended = await suspendCard(a, SYSTEM_ACTOR, card.cardId, { reason: '失联' });
    expect(suspended).toMatchObject({ status: 'suspended', lastMonth: '2022-04' });
    const notPaid = await service.settle(SYSTEM_ACTOR, inpatient('c-2', P.mental, '2022-05-03'));
    expect(notPaid.amounts.backstop_pay).toBe(0);
    await expect(
      suspendCard(a, SYSTEM_ACTOR, card.cardId, { reason: '再次' }),
    ).rejects.toMatchObject({ code: 'assistance.card.status' });

    clock.set('2022-06-01');
    const back = await reinstateCard(a, SYSTEM_ACTOR, programme, card.cardId, { reason: '复诊' });
    expect(back).toMatchObject({ status: 'active', fromMonth: '2022-03', lastMonth: null });
    const again = await service.settle(SYSTEM_ACTOR, inpatient('c-3', P.mental, '2022-06-10'));
    expect(again.amounts.backstop_pay).toBeGreaterThan(0);

    clock.set('2022-07-20');
    const revoked = await revokeCard(a, SYSTEM_ACTOR, card.cardId, { reason: '迁出本县' });
    expect(revoked).toMatchObject({ status: 'revoked', lastMonth: '2022-07' });

    const flags = await ctx.db.query<{ from_month: string; to_month: string | null }>(
      `SELECT from_month, to_month FROM person_flag WHERE certno = $1 AND category = 'mental_aid_card'
        ORDER BY from_month`,
      [P.mental],
    );
    expect(flags.rows).toEqual([
      { from_month: '2022-03', to_month: '2022-04' },
      { from_month: '2022-06', to_month: '2022-07' },
    ]);
    const audit = await ctx.db.query<{ action: string; reason: string }>(
      `SELECT action, reason FROM audit_log WHERE entity = 'assistance_card' ORDER BY seq`,
    );
    expect(audit.rows).toEqual([
      { action: 'assistance.card.issue', reason: '申请' },
      { action: 'assistance.card.suspend', reason: '失联' },
      { action: 'assistance.card.reinstate', reason: '复诊' },
      { action: 'assistance.card.revoke', reason: '迁出本县' },
    ]);
    // A revoked card leaves room for a new one.
    clock.set('2022-08-01');
    const renewed = await issueCard(a, SYSTEM_ACTOR, programme, {
      certno: P.mental,
      reason: '回迁',
    });
    expect(renewed.status).toBe('active');
  });

  it('raises each alert once, exactly at 80 % and 100 %, and flags spending past the budget', async () => {
    const spent = await programmeSpent(ctx.db, programme);
    // The card test's settlements paid the backstop twice; make the figure divisible by 4.
    expect(spent).toBeGreaterThan(0);
    const setBudget = (fen: number) =>
      updateProgramme(ctx.db, SYSTEM_ACTOR, programme.programmeId, { budget: fen }, '预算调整');

    // One fen short of 80 %: spent * 10000 < budget * 8000.
    let p = await setBudget(Math.floor((spent * 10_000) / 8_000) + 1);
    expect((await checkBudget(ctx.db, p, SYSTEM_ACTOR)).raised).toEqual([]);

    if ((spent * 10_000) % 8_000 === 0) {
      p = await setBudget((spent * 10_000) / 8_000);
    } else {
      p = await setBudget(Math.floor((spent * 10_000) / 8_000));
    }
    const at80 = await checkBudget(ctx.db, p, SYSTEM_ACTOR);
    expect(at80.raised.map((x) => x.thresholdBp)).toEqual([8000]);
    expect((await checkBudget(ctx.db, p, SYSTEM_ACTOR)).raised).toEqual([]);

    p = await setBudget(spent + 1);
    expect((await checkBudget(ctx.db, p, SYSTEM_ACTOR)).raised).toEqual([]);
    p = await setBudget(spent);
    const at100 = await checkBudget(ctx.db, p, SYSTEM_ACTOR);
    expect(at100.raised.map((x) => x.thresholdBp)).toEqual([10000]);
    expect(at100.raised[0]).toMatchObject({ budget: spent, spent });
    let status = await programmeStatus(ctx.db, p);
    expect(status).toMatchObject({ spent, remaining: 0, usedBp: 10000, overspent: false });

    p = await setBudget(spent - 1);
    status = await programmeStatus(ctx.db, p);
    expect(status).toMatchObject({ remaining: -1, overspent: true });
    expect(status.alerts.map((x) => x.thresholdBp)).toEqual([8000, 10000]);

    const audited = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'assistance.budget.alert'`,
    );
    expect(audited.rows[0]!.n).toBe(2);
  });

  it('checks the programme a settlement charged, for the lead to call after settle', async () => {
    const p2023 = await backstopProgramme(ctx.db, 2023, 1);
    expect(p2023.year).toBe(2023);
    const raised = await checkBudgetsAfterSettle(ctx.db, {
      programme: 'mental_disorder_backstop',
      year: 2022,
      regionCode: '370899001001',
    });
    expect(raised).toEqual([]); // 2022's alerts were already raised
    const none = await checkBudgetsAfterSettle(ctx.db, {
      programme: 'mental_disorder_backstop',
      year: 2023,
      regionCode: '370899001001',
    });
    expect(none).toEqual([]); // nothing spent in 2023
  });

  it('reads the spending and status of a programme that funds no backstop tier', async () => {
    // Its spending query leaves the programme-code parameter unused: PostgreSQL must still know
    // its type, or every read of the programme fails.
    const p = await addProgramme(ctx.db, SYSTEM_ACTOR, {
      regionCode: '370899',
      code: 'assistance_only',
      year: 2022,
      title: { zh: '医疗救助', en: 'Medical assistance' },
      budget: 100_000,
      tiers: ['assistance'],
      eligibleCategories: ['subsistence'],
      cardCategory: null,
      reason: '测试',
    });
    expect(await programmeSpent(ctx.db, p)).toBeGreaterThanOrEqual(0);
    expect((await programmeStatus(ctx.db, p)).programme.code).toBe('assistance_only');
  });
});
