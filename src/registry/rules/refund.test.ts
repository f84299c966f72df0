import { describe, expect, it } from 'vitest';
import { enrolment, flag, person, record } from '../testing/records.ts';
import { decideRefund, defaultRefundCutoff } from './refund.ts';

const YEAR = 2020;
const today = '2020-03-15';
const paid = () =>
  enrolment({ medicalYear: YEAR, contribution: 25_000, benefitFrom: '2020-01-01' });

describe('refunds (Wenshang: 精准扶贫人员全部退费；低保、特困 2019-12-31 前认定的退费)', () => {
  it('defaults the cut-off to 31 December of the year before', () => {
    expect(defaultRefundCutoff(YEAR)).toBe('2019-12-31');
  });

  it('gives a poverty-alleviation target every personal contribution back, whenever recognised', () => {
    const rec = record({
      flags: [
        flag({ category: 'poverty_returned', fromMonth: '2020-02', recognisedOn: '2020-02-10' }),
      ],
      enrolments: [paid()],
    });
    const d = decideRefund(rec, { year: YEAR, today });
    expect(d.outcome).toEqual({ kind: 'refund', amount: 25_000, basis: 'poverty_returned' });
    expect(d.changes[0]).toMatchObject({
      kind: 'update_enrolment',
      patch: { refund: 25_000, refundedOn: today, contributionType: 'fee_exemption' },
    });
  });

  it.each([
    ['2019-12-31', 'refund'],
    ['2019-06-01', 'refund'],
    ['2020-01-01', 'no_refund'],
  ] as const)('refunds 低保 recognised on %s: %s', (recognisedOn, kind) => {
    const rec = record({
      flags: [flag({ category: 'subsistence', fromMonth: '2020-01', recognisedOn })],
      enrolments: [paid()],
    });
    const d = decideRefund(rec, { year: YEAR, today });
    expect(d.outcome.kind).toBe(kind);
    if (d.outcome.kind === 'no_refund') expect(d.outcome.reason).toBe('recognised_after_cutoff');
  });

  it('takes the cut-off as a parameter (the pack’s refundCutoff)', () => {
    const rec = record({
      flags: [
        flag({ category: 'extreme_poverty', fromMonth: '2020-01', recognisedOn: '2020-01-20' }),
      ],
      enrolments: [paid()],
    });
    expect(decideRefund(rec, { year: YEAR, today }).outcome.kind).toBe('no_refund');
    expect(decideRefund(rec, { year: YEAR, today, cutoff: '2020-01-31' }).outcome.kind).toBe(
      'refund',
    );
  });

  it('enrols a 特困 person recognised after the cut-off who is not yet enrolled, fee-exempt, by the green channel', () => {
    const rec = record({
      flags: [
        flag({ category: 'extreme_poverty', fromMonth: '2020-03', recognisedOn: '2020-03-02' }),
      ],
    });
    const d = decideRefund(rec, { year: YEAR, today });
    expect(d.outcome.kind).toBe('enrol_fee_exempt');
    expect(d.changes[0]).toMatchObject({
      kind: 'create_enrolment',
      enrolment: { scheme: 'resident', contributionType: 'fee_exemption', benefitFrom: today },
    });
  });

  it('does nothing twice, nor for the fee-exempt, nor for someone without a key category', () => {
    const f = flag({ category: 'poverty_returned', fromMonth: '2019-01' });
    const refunded = paid();
    refunded.refund = 25_000;
    expect(
      decideRefund(record({ flags: [f], enrolments: [refunded] }), { year: YEAR, today }).outcome,
    ).toEqual({ kind: 'no_refund', reason: 'already_refunded' });
    const exempt = enrolment({
      medicalYear: YEAR,
      contributionType: 'fee_exemption',
      contribution: 0,
    });
    expect(
      decideRefund(record({ flags: [f], enrolments: [exempt] }), { year: YEAR, today }).outcome,
    ).toEqual({ kind: 'no_refund', reason: 'already_fee_exempt' });
    expect(() =>
      decideRefund(record({ flags: [flag({ category: 'monitored' })], enrolments: [paid()] }), {
        year: YEAR,
        today,
      }),
    ).toThrow(/holds no/);
    expect(() =>
      decideRefund(record({ person: person({ status: 'deceased' }), flags: [f] }), {
        year: YEAR,
        today,
      }),
    ).toThrow(/deceased/);
  });
});
