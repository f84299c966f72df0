/**
 * The capitation package's running balance (docs/payment.md §4) from closed months: March's
 * share, the centre's own bill and the referral charged to the package; a designated institution
 * other than the centre sees no package.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { seedPeople } from '../auth/testing/accounts.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { SettlementService } from '../settlement/persist/service.ts';
import { PaymentService } from './service.ts';
import { DONGGUAN_CENTRE, PEOPLES, registerPsychiatric, settleMarch } from './testing/fixture.ts';

const staff: Actor = {
  ...SYSTEM_ACTOR,
  id: 'test:staff',
  scope: { kind: 'region', regionCode: '370899' },
};
const fen = (yuan: number | undefined) => Math.round((yuan ?? 0) * 100);

describeDb('capitation running balance', (ctx) => {
  let payment: PaymentService;
  let ids: Awaited<ReturnType<typeof settleMarch>>;
  beforeAll(async () => {
    await seedPeople(ctx.db);
    await registerPsychiatric(ctx.db);
    const packs = await loadPackCatalog();
    payment = new PaymentService(ctx.db, packs);
    ids = await settleMarch(new SettlementService(ctx.db, packs), 'b');
    for (const m of [1, 2, 3]) await payment.closeMonth(staff, 2022, m);
  });

  it('runs the balance through the closed months and lists the referrals', async () => {
    const { packages } = await payment.capitationBalance(staff, 2022);
    expect(packages.map((k) => [k.package, k.institution])).toEqual([
      ['dongguan', DONGGUAN_CENTRE],
    ]);
    const [b] = packages;
    const centre = fen(ids.centre.amounts.hifp_pay);
    const referral = fen(ids.referral.amounts.hifp_pay);
    // Two residents × 300 yuan a year: 50.00 yuan a month (cumulative twelfths).
    expect(b!.months[2]).toEqual({
      month: 3,
      closed: true,
      share: 5_000,
      centreItems: centre,
      referrals: referral,
      balance: 15_000 - centre - referral,
    });
    expect(b!.months[3]).toMatchObject({ month: 4, closed: false, balance: 0 });
    expect(b!.referrals).toEqual([{ institution: PEOPLES, bills: 1, items: referral }]);
  });

  it('shows a designated institution its own package only', async () => {
    const at = (code: string): Actor => ({
      ...staff,
      scope: { kind: 'institution', fixmedinsCode: code, regionCode: '370899' },
    });
    expect((await payment.capitationBalance(at(PEOPLES), 2022)).packages).toEqual([]);
    expect((await payment.capitationBalance(at(DONGGUAN_CENTRE), 2022)).packages).toHaveLength(1);
  });
});
