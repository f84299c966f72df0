import { describe, expect, it } from 'vitest';
import { flag } from '../testing/records.ts';
import { benefitStart, newlyFlagged } from './green-channel.ts';

describe('green channel (绿色通道: benefits from the day of enrolment)', () => {
  it('gives a newly flagged person enrolling mid-year benefits from the enrolment day', () => {
    const flags = [
      flag({ category: 'subsistence', fromMonth: '2022-05', recognisedOn: '2022-05-06' }),
    ];
    expect(newlyFlagged(flags, 2022, '2022-05-20')).toBe(true);
    expect(benefitStart(2022, '2022-05-20', true)).toEqual({
      benefitFrom: '2022-05-20',
      greenChannel: true,
    });
  });

  it('makes an ordinary mid-year enrolment wait, and a collection-period one start on 1 January', () => {
    expect(benefitStart(2022, '2022-05-20', false)).toEqual({
      benefitFrom: '2022-08-01',
      greenChannel: false,
    });
    expect(benefitStart(2022, '2022-05-20', false, { waitingMonths: 1 }).benefitFrom).toBe(
      '2022-06-01',
    );
    expect(benefitStart(2022, '2021-11-20', true)).toEqual({
      benefitFrom: '2022-01-01',
      greenChannel: false,
    });
    expect(() => benefitStart(2022, '2023-01-02', true)).toThrow(/after the medical year/);
  });

  it('is not newly flagged for a flag recognised in an earlier year, a later one, or another category', () => {
    expect(newlyFlagged([flag({ fromMonth: '2021-03' })], 2022, '2022-05-20')).toBe(false);
    expect(
      newlyFlagged(
        [flag({ fromMonth: '2022-06', recognisedOn: '2022-06-01' })],
        2022,
        '2022-05-20',
      ),
    ).toBe(false);
    expect(
      newlyFlagged(
        [flag({ category: 'severe_mental', fromMonth: '2022-05', recognisedOn: '2022-05-01' })],
        2022,
        '2022-05-20',
      ),
    ).toBe(false);
  });
});
