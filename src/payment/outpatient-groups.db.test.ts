/**
 * Outpatient disease groups end to end (docs/payment.md §11): the §11 March example settled at a
 * township health centre, drawn up from the database (cases and patients counted there), closed,
 * and a cancellation after closing carried into April as −1 patient.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { PEOPLE, seedPeople } from '../auth/testing/accounts.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { SettlementService } from '../settlement/persist/service.ts';
import { enrolForYear } from '../settlement/testing/enrol.ts';
import { PaymentService } from './service.ts';

const staff: Actor = {
  ...SYSTEM_ACTOR,
  id: 'test:staff',
  scope: { kind: 'region', regionCode: '370899' },
};
const CENTRE = 'H37089910001';

describeDb('outpatient disease groups', (ctx) => {
  let payment: PaymentService;
  let settlement: SettlementService;
  let late: number;
  beforeAll(async () => {
    await seedPeople(ctx.db);
    await enrolForYear(ctx.db, [PEOPLE.own, PEOPLE.other, PEOPLE.plain], 2023);
    const packs = await loadPackCatalog();
    settlement = new SettlementService(ctx.db, packs);
    payment = new PaymentService(ctx.db, packs);
    let n = 0;
    const visit = async (
      certno: string,
      diagnosis: string,
      visitType: 'general_outpatient' | 'inpatient' = 'general_outpatient',
    ) =>
      (
        await settlement.settle(SYSTEM_ACTOR, {
          msgid: `og-${++n}`,
          certno,
          fixmedinsCode: CENTRE,
          stay: null,
          bill: {
            date: `2023-03-${String(n + 1).padStart(2, '0')}`,
            visitType,
            hospitalLevel: null,
            diagnosis,
            remote: null,
            lines: [{ amount: 20_000, class: 'A' as const }],
          },
        })
      ).settlementId;
    const A = PEOPLE.own;
    const B = PEOPLE.other;
    const C = PEOPLE.plain;
    await visit(A, 'I10');
    await visit(A, 'I10');
    const bHyper = await visit(B, 'I10');
    await settlement.cancel(SYSTEM_ACTOR, bHyper, 'og-c1', '录入错误');
    await visit(A, 'E11.9');
    await visit(A, 'E11.9');
    await visit(B, 'E11.2');
    late = await visit(C, 'E14.9');
    await visit(A, 'J06.9');
    await visit(A, 'E11.9', 'inpatient');
  });

  it('pays March per case and per patient, the rest by item', async () => {
    const m = await payment.statements(staff, 2023, 3);
    const centre = m.statements.find((s) => s.institution === CENTRE)!;
    expect(centre.lines.map((l) => [l.method, l.group, l.bills, l.owed])).toEqual([
      ['fee_for_service', null, 2, expect.any(Number)],
      ['outpatient_group', 'diabetes', 4, 24_000], // A, B and C: 3 patients × 80 yuan
      ['outpatient_group', 'hypertension', 2, 9_000], // 2 cases × 45 yuan
    ]);
  });

  it("carries C's cancellation after closing into April as −1 patient", async () => {
    await payment.closeMonth(staff, 2023, 1);
    await payment.closeMonth(staff, 2023, 2);
    await payment.closeMonth(staff, 2023, 3);
    await settlement.cancel(SYSTEM_ACTOR, late, 'og-c2', '录入错误');
    const march = await payment.statements(staff, 2023, 3);
    expect(
      march.statements
        .find((s) => s.institution === CENTRE)!
        .lines.find((l) => l.group === 'diabetes')!.owed,
    ).toBe(24_000);
    const april = await payment.statements(staff, 2023, 4);
    expect(april.statements.find((s) => s.institution === CENTRE)!.lines).toMatchObject([
      {
        method: 'outpatient_group',
        group: 'diabetes',
        adjustment: true,
        bills: -1,
        owed: -8_000,
        note: 'per_patient_month',
      },
    ]);
  });
});
