/**
 * A month of the demo county's payment cases for tests (docs/payment.md §2): a stay of other
 * mental illness and a severe-mental visit at the psychiatric hospital, a Dongguan resident at
 * the capitation centre and referred to the people's hospital.
 */
import type { Db } from '../../db/db.ts';
import { upsertInstitution } from '../../catalogue/repository.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { PEOPLE } from '../../auth/testing/accounts.ts';
import type { SettlementService } from '../../settlement/persist/service.ts';

export const PSYCHIATRIC = 'H37089900004';
export const PEOPLES = 'H37089900001';
export const DONGGUAN_CENTRE = 'H37089910002';

/** The psychiatric hospital the demo county's payment rules name (level 2). */
export async function registerPsychiatric(db: Db): Promise<void> {
  await upsertInstitution(db, {
    fixmedinsCode: PSYCHIATRIC,
    fixmedinsName: '示范县康复医院',
    hospLv: 2,
    admdvs: '370899',
  });
}

const line = (amount: number) => [{ amount, class: 'A' as const }];

/** Settles the month's four cases; answers their settlement ids by name. */
export async function settleMarch(settlement: SettlementService, tag = 'm') {
  const settle = (
    msgid: string,
    certno: string,
    fixmedinsCode: string,
    bill: {
      date: string;
      visitType: 'inpatient' | 'general_outpatient';
      diagnosis: string;
      amount: number;
    },
    stay: { admission: string; discharge: string } | null = null,
  ) =>
    settlement.settle(SYSTEM_ACTOR, {
      msgid: `${tag}-${msgid}`,
      certno,
      fixmedinsCode,
      stay,
      bill: {
        date: bill.date,
        visitType: bill.visitType,
        hospitalLevel: null,
        diagnosis: bill.diagnosis,
        remote: null,
        lines: line(bill.amount),
      },
    });
  const bedDay = await settle(
    'bedday',
    PEOPLE.own,
    PSYCHIATRIC,
    { date: '2022-03-21', visitType: 'inpatient', diagnosis: 'F32.1', amount: 1_000_000 },
    { admission: '2022-03-01', discharge: '2022-03-21' },
  );
  const severe = await settle('severe', PEOPLE.own, PSYCHIATRIC, {
    date: '2022-03-22',
    visitType: 'inpatient',
    diagnosis: 'F20.0',
    amount: 500_000,
  });
  const centre = await settle('centre', PEOPLE.other, DONGGUAN_CENTRE, {
    date: '2022-03-05',
    visitType: 'general_outpatient',
    diagnosis: 'J06.9',
    amount: 20_000,
  });
  const referral = await settle('referral', PEOPLE.plain, PEOPLES, {
    date: '2022-03-10',
    visitType: 'inpatient',
    diagnosis: 'I63.9',
    amount: 2_000_000,
  });
  return { bedDay, severe, centre, referral };
}
