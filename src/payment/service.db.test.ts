/**
 * Statements, advances and clearing end to end on the database (docs/payment.md §6–§8): a month
 * with every method, a cancellation after closing landing in the next month, months closing in
 * order, the clearing's refusals, approval and reopening — each audited.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { seedPeople } from '../auth/testing/accounts.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { SettlementService } from '../settlement/persist/service.ts';
import { PaymentService } from './service.ts';
import {
  DONGGUAN_CENTRE,
  PEOPLES,
  PSYCHIATRIC,
  registerPsychiatric,
  settleMarch,
} from './testing/fixture.ts';

const staff: Actor = {
  ...SYSTEM_ACTOR,
  id: 'test:staff',
  scope: { kind: 'region', regionCode: '370899' },
};

/** Settlement views answer yuan; statements are fen. */
const fen = (yuan: number | undefined) => Math.round((yuan ?? 0) * 100);
const STATUS = { invalid: 400, unprocessable: 422, not_found: 404, conflict: 409, forbidden: 403 };
async function refused(
  p: Promise<unknown>,
): Promise<{ code: string; status: number; field: string | null }> {
  try {
    await p;
  } catch (e) {
    if (isTriguardError(e)) return { code: e.code, status: STATUS[e.kind], field: e.field };
    throw e;
  }
  throw new Error('not refused');
}

describeDb('provider payment', (ctx) => {
  let payment: PaymentService;
  let settlement: SettlementService;
  let ids: Awaited<ReturnType<typeof settleMarch>>;
  beforeAll(async () => {
    await seedPeople(ctx.db);
    await registerPsychiatric(ctx.db);
    const packs = await loadPackCatalog();
    settlement = new SettlementService(ctx.db, packs);
    payment = new PaymentService(ctx.db, packs);
    ids = await settleMarch(settlement);
  });

  it("draws up March's statements by method, with the referral charged to the package", async () => {
    const m = await payment.statements(staff, 2022, 3);
    expect(m.status).toBe('open');
    expect(m.residents).toEqual({ dongguan: 2 });
    const psy = m.statements.find((s) => s.institution === PSYCHIATRIC)!;
    expect(psy.lines.map((l) => [l.method, l.group, l.bills])).toEqual([
      ['fee_for_service', 'severe_mental', 1],
      ['per_bed_day', 'other_mental', 1],
    ]);
    // 20 days at 180 yuan, whatever the items were.
    expect(psy.lines[1]!.owed).toBe(360_000);
    expect(psy.lines[1]!.items).toBe(fen(ids.bedDay.amounts.hifp_pay));
    const centre = m.statements.find((s) => s.institution === DONGGUAN_CENTRE)!;
    expect(centre.lines.map((l) => [l.method, l.note, l.owed])).toEqual([
      ['capitation', null, 0],
      ['capitation', 'package_share', 5_000], // 2 × 300 yuan / 12
    ]);
    expect(centre.referrals).toEqual([
      {
        package: 'dongguan',
        institution: PEOPLES,
        bills: 1,
        items: fen(ids.referral.amounts.hifp_pay),
      },
    ]);
    expect(m.statements.find((s) => s.institution === PEOPLES)!.lines[0]!.method).toBe(
      'global_budget',
    );
  });

  it('closes months in order; a cancellation after closing lands in the next month', async () => {
    await payment.closeMonth(staff, 2022, 1);
    expect(await refused(payment.closeMonth(staff, 2022, 3))).toMatchObject({
      code: 'payment.month_order',
      status: 422,
      field: 'month',
    });
    await payment.closeMonth(staff, 2022, 2);
    const march = await payment.closeMonth(staff, 2022, 3);
    expect(march.status).toBe('closed');
    expect(await refused(payment.closeMonth(staff, 2022, 3))).toMatchObject({
      code: 'payment.month_closed',
      status: 409,
    });
    await settlement.cancel(SYSTEM_ACTOR, ids.bedDay.settlementId, 'c-bedday', '录入错误');
    const again = await payment.statements(staff, 2022, 3);
    const psy = again.statements.find((s) => s.institution === PSYCHIATRIC)!;
    expect(psy.lines.find((l) => l.method === 'per_bed_day')!.owed).toBe(360_000);
    const april = await payment.statements(staff, 2022, 4);
    expect(april.statements.find((s) => s.institution === PSYCHIATRIC)!.lines).toMatchObject([
      { method: 'per_bed_day', adjustment: true, bills: -1, owed: -360_000 },
    ]);
  });

  it('refuses to clear an open year, clears a closed one once, approves and reopens', async () => {
    expect(await refused(payment.clear(staff, 2022))).toMatchObject({
      code: 'payment.year_open',
      status: 422,
      field: 'year',
    });
    for (let m = 1; m <= 12; m++) await payment.issueAdvances(staff, 2022, m);
    expect(await payment.issueAdvances(staff, 2022, 1)).toEqual([]);
    for (let m = 4; m <= 12; m++) await payment.closeMonth(staff, 2022, m);
    const ledger = await payment.ledger(staff, PEOPLES, 2022);
    expect(ledger.months[0]).toMatchObject({ advance: 45_000_000, earned: 0, balance: 45_000_000 });

    const c = await payment.clear(staff, 2022);
    expect(c.status).toBe('draft');
    const people = c.institutions.find((i) => i.institution === PEOPLES)!;
    expect(people.paid).toBe(540_000_000);
    expect(people.steps.map((s) => s.code)).toContain('underspend_retained');
    expect(people.final).toBe(people.earned - people.paid);
    const psy = c.institutions.find((i) => i.institution === PSYCHIATRIC)!;
    // The stay was cancelled in April: per bed-day nets to nothing; the severe stay by item.
    expect(psy.steps.find((s) => s.code === 'per_bed_day')!.amount).toBe(0);
    expect(psy.steps.find((s) => s.code === 'fee_for_service')!.amount).toBe(
      fen(ids.severe.amounts.hifp_pay),
    );
    const centre = c.institutions.find((i) => i.institution === DONGGUAN_CENTRE)!;
    // Not prepaid: the twelve monthly package shares were paid (2 residents × 300 yuan).
    expect(centre.paid).toBe(60_000);
    expect(centre.steps.find((s) => s.code === 'referrals')!.amount).toBe(
      -fen(ids.referral.amounts.hifp_pay),
    );

    expect(await refused(payment.clear(staff, 2022))).toMatchObject({
      code: 'payment.already_cleared',
      status: 409,
    });
    expect((await payment.approve(staff, c.id)).status).toBe('approved');
    // The package's results year by year come from approved clearings only.
    const report = await payment.capitationReport(staff, 2021, 2023);
    expect(report.years.map((y) => [y.year, y.institution, y.cleared !== null])).toEqual([
      [2021, DONGGUAN_CENTRE, false],
      [2022, DONGGUAN_CENTRE, true],
      [2023, DONGGUAN_CENTRE, false],
    ]);
    expect(report.years[1]!.cleared).toMatchObject({
      referrals: fen(ids.referral.amounts.hifp_pay),
      owed: centre.steps.find((s) => s.code === 'owed')!.amount,
    });
    expect(await refused(payment.capitationReport(staff, 2023, 2021))).toMatchObject({
      status: 400,
      field: 'to',
    });
    expect(await refused(payment.approve(staff, c.id))).toMatchObject({ status: 409 });
    const reopened = await payment.reopen(staff, c.id, '补录一笔转诊费用');
    expect(reopened).toMatchObject({ status: 'superseded', reopenReason: '补录一笔转诊费用' });
    const second = await payment.clear(staff, 2022);
    expect(second.id).not.toBe(c.id);
    // Reopened and drafted again: the year is no longer reported as cleared.
    expect((await payment.capitationReport(staff, 2022, 2022)).years).toEqual([]);

    const audit = await ctx.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action LIKE 'payment.%' ORDER BY seq`,
    );
    expect(new Set(audit.rows.map((r) => r.action))).toEqual(
      new Set([
        'payment.month.close',
        'payment.advance.issue',
        'payment.clearing.create',
        'payment.clearing.approve',
        'payment.clearing.reopen',
      ]),
    );
  });

  it('shows a designated institution its own statements only', async () => {
    const hospital: Actor = {
      ...staff,
      scope: { kind: 'institution', fixmedinsCode: PEOPLES, regionCode: '370899' },
    };
    const m = await payment.statements(hospital, 2022, 3);
    expect(m.statements.map((s) => s.institution)).toEqual([PEOPLES]);
    expect(await refused(payment.ledger(hospital, PSYCHIATRIC, 2022))).toMatchObject({
      status: 404,
    });
    const [c] = await payment.clearings(hospital, 2022);
    expect(c!.institutions.map((i) => i.institution)).toEqual([PEOPLES]);
  });
});
