import { describe, expect, it } from 'vitest';
import { enrolment, flag, person, record } from '../testing/records.ts';
import { applyChanges } from './apply.ts';
import { markFound, markMissing } from './missing.ts';

const stamp = { version: 0, updatedAt: 'now', updatedBy: 'test', changeReason: 'missing' };

describe('missing person (Wenshang: 家属表示不放弃寻找的，继续保留医疗保险扶贫待遇)', () => {
  it('keeps every benefit while the family keeps looking: status missing, flags untouched', () => {
    const rec = record({
      flags: [flag({ category: 'poverty_returned' }), flag({ category: 'severe_mental' })],
      enrolments: [enrolment({ contributionType: 'fee_exemption', contribution: 0 })],
    });
    const changes = markMissing(rec.person, '2022-03-10', true, '2022-04-01');
    const after = applyChanges(rec, changes, stamp);
    expect(after.person).toMatchObject({ status: 'missing', missingSince: '2022-03-10' });
    expect(after.flags).toEqual(rec.flags);
    expect(after.enrolments).toEqual(rec.enrolments);
    expect(changes.map((c) => c.kind)).toEqual(['update_person']);

    // Back home: alive again, still nothing else changes.
    const back = applyChanges(after, markFound(after.person), stamp);
    expect(back.person).toMatchObject({ status: 'alive', missingSince: null });
    expect(back.flags).toEqual(rec.flags);
  });

  it('refuses when the family gave up, and for a deceased person', () => {
    expect(() => markMissing(person(), '2022-03-10', false, '2022-04-01')).toThrow(/given up/);
    expect(() =>
      markMissing(person({ status: 'deceased' }), '2022-03-10', true, '2022-04-01'),
    ).toThrow(/deceased|alive/);
    expect(() => markFound(person())).toThrow(/not recorded as missing/);
  });
});
