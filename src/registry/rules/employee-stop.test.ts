import { describe, expect, it } from 'vitest';
import { enrolmentCovers } from '../model.ts';
import { enrolment, flag, record } from '../testing/records.ts';
import { applyChanges } from './apply.ts';
import { employeeStopped, ledgerFlags } from './employee-stop.ts';

const stamp = { version: 0, updatedAt: 'now', updatedBy: 'test', changeReason: 'stopped' };
const employee = () =>
  enrolment({
    scheme: 'employee',
    contributionType: 'paid',
    contribution: 0,
    enrolledOn: '2021-06-01',
  });

describe('employee ledger (Wenshang: 一旦其职工医疗保险中断，及时为其参加居民医保)', () => {
  it('enrols a poverty-category employee in resident insurance, fee-exempt, from the month it stopped', () => {
    const rec = record({
      flags: [flag({ category: 'poverty_returned', fromMonth: '2021-01' })],
      enrolments: [employee()],
    });
    expect(ledgerFlags(rec.flags, '2022-05')).toHaveLength(1);
    const after = applyChanges(rec, employeeStopped(rec, '2022-05', '2022-05-08'), stamp);

    const [emp, res] = after.enrolments;
    expect(emp).toMatchObject({
      scheme: 'employee',
      benefitTo: '2022-04-30',
      endReason: 'stopped',
    });
    expect(res).toMatchObject({
      medicalYear: 2022,
      scheme: 'resident',
      contributionType: 'fee_exemption',
      contribution: 0,
      benefitFrom: '2022-05-01',
    });
    // No day without cover across the switch.
    expect(enrolmentCovers(emp!, '2022-04-30')).toBe(true);
    expect(enrolmentCovers(res!, '2022-05-01')).toBe(true);
    expect(enrolmentCovers(emp!, '2022-05-01')).toBe(false);
  });

  it('only ends the employee enrolment of someone not in a poverty category', () => {
    const rec = record({ flags: [flag({ category: 'severe_mental' })], enrolments: [employee()] });
    const changes = employeeStopped(rec, '2022-05', '2022-05-08');
    expect(changes.map((c) => c.kind)).toEqual(['update_enrolment']);
  });

  it('refuses when there is no employee enrolment covering that month', () => {
    const rec = record({ flags: [flag()], enrolments: [enrolment()] });
    expect(() => employeeStopped(rec, '2022-05', '2022-05-08')).toThrow(/no employee enrolment/);
  });
});
