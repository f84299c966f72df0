/**
 * Poverty-category people insured as employees (Wenshang seed, problem 4) are kept on a ledger;
 * once their employee insurance stops they are enrolled in resident insurance, fee-exempt, from
 * the month it stopped, so there is no month without cover. `stoppedFrom` is the first month the
 * employee insurance no longer covers.
 */
import { conflict, unprocessable } from '../../kernel/errors.ts';
import { addMonths, type IsoDate, type Month } from '../../kernel/period.ts';
import { KEY_CATEGORIES, flagHolds, type Flag, type PersonRecord } from '../model.ts';
import type { Change } from './change.ts';
import { firstDay, lastDay } from '../../kernel/dates.ts';

/** The flags that put a person on the employee ledger in `month`. */
export const ledgerFlags = (flags: readonly Flag[], month: Month): Flag[] =>
  flags.filter((f) => KEY_CATEGORIES.includes(f.category) && flagHolds(f, month));

export function employeeStopped(rec: PersonRecord, stoppedFrom: Month, today: IsoDate): Change[] {
  const year = Number(stoppedFrom.slice(0, 4));
  const start = firstDay(stoppedFrom);
  const employee = rec.enrolments.find(
    (e) =>
      e.scheme === 'employee' &&
      e.medicalYear === year &&
      (e.benefitTo === null || e.benefitTo >= start),
  );
  if (!employee) {
    throw unprocessable(
      'enrolment.no_employee',
      'stoppedFrom',
      `${year} 年度没有 ${stoppedFrom} 仍有效的职工医保参保登记`,
      `no employee enrolment for ${year} still covering ${stoppedFrom}`,
    );
  }
  if (rec.person.status === 'deceased') {
    throw conflict('person.deceased', 'certno', '此人已死亡', 'the person is deceased');
  }
  const changes: Change[] = [
    {
      kind: 'update_enrolment',
      enrolmentId: employee.enrolmentId,
      patch: { benefitTo: lastDay(addMonths(stoppedFrom, -1)), endReason: 'stopped' },
    },
  ];
  const resident = rec.enrolments.find((e) => e.scheme === 'resident' && e.medicalYear === year);
  if (ledgerFlags(rec.flags, stoppedFrom).length > 0 && !resident) {
    changes.push({
      kind: 'create_enrolment',
      enrolment: {
        medicalYear: year,
        scheme: 'resident',
        contributionType: 'fee_exemption',
        contribution: 0,
        fundedAmount: 0,
        funder: null,
        enrolledOn: today,
        benefitFrom: start,
        benefitTo: null,
        endReason: null,
        refund: 0,
        refundedOn: null,
      },
    });
  }
  return changes;
}
