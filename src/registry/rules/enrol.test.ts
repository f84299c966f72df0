import { describe, expect, it } from 'vitest';
import { enrolment, flag, person, record } from '../testing/records.ts';
import { enrolChanges, type EnrolRequest } from './enrol.ts';

const req: EnrolRequest = {
  year: 2022,
  scheme: 'resident',
  contributionType: 'fee_exemption',
  contribution: 0,
  fundedAmount: 0,
  funder: null,
  enrolledOn: '2022-06-10',
};

describe('enrolment', () => {
  it('gives a newly flagged person enrolling mid-year benefits from that day (green channel)', () => {
    const rec = record({
      flags: [flag({ category: 'subsistence', fromMonth: '2022-06', recognisedOn: '2022-06-01' })],
    });
    const r = enrolChanges(rec, req, '2022-06-10');
    expect(r.greenChannel).toBe(true);
    expect(r.changes[0]).toMatchObject({ enrolment: { benefitFrom: '2022-06-10' } });
  });

  it('makes an ordinary mid-year resident enrolment wait, and covers employees from the day paid', () => {
    const paid = { ...req, contributionType: 'paid' as const, contribution: 35_000 };
    expect(enrolChanges(record(), paid, '2022-06-10').changes[0]).toMatchObject({
      enrolment: { benefitFrom: '2022-09-01' },
    });
    expect(
      enrolChanges(record(), { ...paid, scheme: 'employee' }, '2022-06-10').changes[0],
    ).toMatchObject({ enrolment: { benefitFrom: '2022-06-10' } });
  });

  it('checks the amounts against the contribution type', () => {
    expect(() => enrolChanges(record(), { ...req, contribution: 100 }, '2022-06-10')).toThrow(
      /no contribution/,
    );
    expect(() =>
      enrolChanges(record(), { ...req, contributionType: 'funded_enrolment' }, '2022-06-10'),
    ).toThrow(/funded amount and the funder/);
    expect(() =>
      enrolChanges(
        record(),
        { ...req, contributionType: 'paid', contribution: 100, fundedAmount: 5 },
        '2022-06-10',
      ),
    ).toThrow(/no funded amount/);
  });

  it('refuses a second enrolment in the same scheme and year, a future date, a deceased person', () => {
    expect(() => enrolChanges(record({ enrolments: [enrolment()] }), req, '2022-06-10')).toThrow(
      /already enrolled/,
    );
    expect(() => enrolChanges(record(), req, '2022-06-01')).toThrow(/future/);
    expect(() =>
      enrolChanges(record({ person: person({ status: 'deceased' }) }), req, '2022-06-10'),
    ).toThrow(/deceased/);
  });
});
