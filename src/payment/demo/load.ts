/**
 * The demo county's payment year (docs/payment.md §2): the psychiatric hospital registered, its
 * severe-mental patients' stays (by item) and other mental illness (per bed-day, short, normal
 * and long stays), Dongguan's residents at their health centre (capitation) and referred to the
 * people's hospital (global budget, prepaid) — settled through the one settlement service, then
 * every month closed, the advances issued and the year's clearing drafted. Idempotent by msgid.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import type { Db } from '../../db/db.ts';
import { isTriguardError } from '../../kernel/errors.ts';
import type { SettlementService } from '../../settlement/index.ts';
import { DEMO_PSYCHIATRIC_HOSPITAL, upsertInstitution } from '../../catalogue/index.ts';
import type { PaymentService } from '../service.ts';
import { demoPeople } from '../repo/demo.ts';

export const DEMO_PSYCHIATRIC = DEMO_PSYCHIATRIC_HOSPITAL.fixmedinsCode;
export const DEMO_PEOPLES = 'H37089900001';
export const DEMO_CENTRE = 'H37089910002';
const COUNTY = '370899';

export interface PaymentDemoCounts {
  settled: number;
  refused: number;
  months: number;
  advances: number;
  clearingId: number | null;
}

const iso = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const minus = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

export async function loadPaymentDemo(
  db: Db,
  settlement: SettlementService,
  payment: PaymentService,
  actor: Actor,
  year: number,
  onMonth: (month: number) => void = () => {},
): Promise<PaymentDemoCounts> {
  await upsertInstitution(db, DEMO_PSYCHIATRIC_HOSPITAL);
  const mental = await demoPeople(db, `${COUNTY}%`, year, true, 24);
  const dongguan = await demoPeople(db, `${COUNTY}002%`, year, false, 36);
  const counts: PaymentDemoCounts = {
    settled: 0,
    refused: 0,
    months: 0,
    advances: 0,
    clearingId: null,
  };
  const settle = async (
    msgid: string,
    certno: string,
    fixmedinsCode: string,
    date: string,
    visitType: 'inpatient' | 'general_outpatient',
    diagnosis: string,
    amount: number,
    days: number | null,
  ) => {
    try {
      await settlement.settle(actor, {
        msgid: `payment-demo-${year}-${msgid}`,
        certno,
        fixmedinsCode,
        stay: days === null ? null : { admission: minus(date, days), discharge: date },
        bill: {
          date,
          visitType,
          hospitalLevel: null,
          diagnosis,
          remote: null,
          lines: [
            { amount: Math.round(amount * 0.8), class: 'A' },
            { amount: amount - Math.round(amount * 0.8), class: 'B' },
          ],
        },
      });
      counts.settled++;
    } catch (e) {
      // A person who died or left the scheme during the year is refused, as at a window.
      if (!isTriguardError(e)) throw e;
      counts.refused++;
    }
  };
  const STAYS = [2, 12, 25, 40, 95];
  for (let month = 1; month <= 12; month++) {
    for (const [i, certno] of mental.entries()) {
      if ((i + month) % 4 !== 0) continue;
      const date = iso(year, month, 10 + (i % 15));
      const severe = i % 2 === 0;
      const days = STAYS[(i + month) % STAYS.length]!;
      await settle(
        `psy-${month}-${i}`,
        certno,
        DEMO_PSYCHIATRIC,
        date,
        'inpatient',
        severe ? 'F20.0' : 'F32.1',
        300_000 + days * 25_000,
        days,
      );
    }
    for (const [i, certno] of dongguan.entries()) {
      if ((i + month) % 3 !== 0) continue;
      await settle(
        `centre-${month}-${i}`,
        certno,
        DEMO_CENTRE,
        iso(year, month, 3 + (i % 20)),
        'general_outpatient',
        'J06.9',
        15_000 + i * 500,
        null,
      );
      // About one referral a month, so the referrals come near the package's reserve.
      if ((i + month) % 36 === 0) {
        const date = iso(year, month, 5 + (i % 20));
        await settle(
          `referral-${month}-${i}`,
          certno,
          DEMO_PEOPLES,
          date,
          'inpatient',
          'I63.9',
          300_000 + i * 5_000,
          9,
        );
      }
    }
  }
  const closed = new Set(
    (await payment.statementMonths(actor, year, COUNTY))
      .filter((m) => m.closed)
      .map((m) => m.month),
  );
  for (let month = 1; month <= 12; month++) {
    counts.advances += (await payment.issueAdvances(actor, year, month, COUNTY)).length;
    if (!closed.has(month)) {
      await payment.closeMonth(actor, year, month, COUNTY);
      counts.months++;
    }
    onMonth(month);
  }
  const current = (await payment.clearings(actor, year, COUNTY)).find(
    (c) => c.status !== 'superseded',
  );
  counts.clearingId = current?.id ?? (await payment.clear(actor, year, COUNTY)).id;
  return counts;
}
