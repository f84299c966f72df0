import { describe, expect, it } from 'vitest';
import { flagHolds } from '../model.ts';
import { enrolment, flag, record } from '../testing/records.ts';
import { applyChanges } from './apply.ts';
import { endFlag } from './flag-end.ts';

const stamp = { version: 0, updatedAt: 'now', updatedBy: 'test', changeReason: 'exit' };

describe('exit and cancellation (Wenshang: 标识中断处理，但是免缴费认定保留)', () => {
  it.each([
    ['exit', 'poverty_returned'],
    ['cancellation', 'subsistence'],
    ['cancellation', 'extreme_poverty'],
  ] as const)('%s of %s ends the flag but keeps the year’s fee exemption', (reason, category) => {
    const f = flag({ category, fromMonth: '2021-01' });
    const exempt = enrolment({ contributionType: 'fee_exemption', contribution: 0 });
    const rec = record({ flags: [f], enrolments: [exempt] });
    const changes = endFlag(f, '2022-04', reason);
    const after = applyChanges(rec, changes, stamp);

    expect(after.flags[0]).toMatchObject({ toMonth: '2022-04', endReason: reason });
    expect(flagHolds(after.flags[0]!, '2022-04')).toBe(true);
    expect(flagHolds(after.flags[0]!, '2022-05')).toBe(false);
    // The enrolment is untouched: still fee-exempt, benefits to the end of the year.
    expect(changes.every((c) => c.kind === 'end_flag')).toBe(true);
    expect(after.enrolments).toEqual([exempt]);
  });

  it('refuses an ended flag, a month after its end and (except a correction) before its start', () => {
    expect(() =>
      endFlag(flag({ toMonth: '2022-03', endReason: 'exit' }), '2022-02', 'exit'),
    ).toThrow(/already ended/);
    expect(() => endFlag(flag({ toMonth: '2022-03' }), '2022-05', 'exit')).toThrow(/after/);
    expect(() => endFlag(flag({ fromMonth: '2022-03' }), '2022-02', 'cancellation')).toThrow(
      /correction/,
    );
    const corrected = endFlag(flag({ fromMonth: '2022-03' }), '2022-02', 'correction');
    expect(corrected).toEqual([
      expect.objectContaining({ toMonth: '2022-02', endReason: 'correction' }),
    ]);
  });
});
