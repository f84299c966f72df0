import { describe, expect, it } from 'vitest';
import { TriguardError } from '../../kernel/errors.ts';
import { enrolmentCovers, flagHolds } from '../model.ts';
import { enrolment, flag, person, record } from '../testing/records.ts';
import { applyChanges } from './apply.ts';
import { recordDeath } from './death.ts';

const stamp = { version: 0, updatedAt: 'now', updatedBy: 'test', changeReason: 'death' };

describe('death (Wenshang: 参保中断和标识中断于死亡的月份)', () => {
  it('interrupts the enrolment and every flag at the month of death, keeping benefits before it', () => {
    const rec = record({
      flags: [
        flag({ category: 'subsistence', fromMonth: '2021-01' }),
        flag({ category: 'severe_mental', fromMonth: '2022-02', toMonth: '2022-12' }),
        // Ended before the death: left as it is.
        flag({
          category: 'monitored',
          fromMonth: '2021-01',
          toMonth: '2021-12',
          endReason: 'exit',
        }),
      ],
      enrolments: [enrolment({ contributionType: 'fee_exemption', contribution: 0 })],
    });
    const changes = recordDeath(rec, '2022-06-15', '2022-07-01');
    const after = applyChanges(rec, changes, stamp);

    expect(after.person).toMatchObject({ status: 'deceased', deathDate: '2022-06-15' });
    const [subsistence, mental, monitored] = after.flags;
    expect(subsistence).toMatchObject({ toMonth: '2022-06', endReason: 'death' });
    expect(mental).toMatchObject({ toMonth: '2022-06', endReason: 'death' });
    expect(monitored).toEqual(rec.flags[2]);
    // Benefits before the death are intact; none after the month of death.
    expect(flagHolds(subsistence!, '2022-06')).toBe(true);
    expect(flagHolds(subsistence!, '2022-01')).toBe(true);
    expect(flagHolds(subsistence!, '2022-07')).toBe(false);
    const e = after.enrolments[0]!;
    expect(e).toMatchObject({
      benefitFrom: '2022-01-01',
      benefitTo: '2022-06-15',
      endReason: 'death',
    });
    expect(enrolmentCovers(e, '2022-06-15')).toBe(true);
    expect(enrolmentCovers(e, '2022-06-16')).toBe(false);
  });

  it('empties a flag or enrolment that would only have begun after the death', () => {
    const rec = record({
      flags: [flag({ fromMonth: '2023-01' })],
      enrolments: [enrolment({ medicalYear: 2023, benefitFrom: '2023-01-01' })],
    });
    const after = applyChanges(rec, recordDeath(rec, '2022-12-05', '2022-12-10'), stamp);
    expect(after.flags[0]).toMatchObject({ toMonth: '2022-12', endReason: 'death' });
    expect(flagHolds(after.flags[0]!, '2023-01')).toBe(false);
    expect(enrolmentCovers(after.enrolments[0]!, '2023-01-01')).toBe(false);
  });

  it('refuses a second death, a future date and a date before birth', () => {
    const dead = record({ person: person({ status: 'deceased', deathDate: '2022-01-01' }) });
    expect(() => recordDeath(dead, '2022-02-01', '2022-03-01')).toThrow(TriguardError);
    expect(() => recordDeath(record(), '2022-08-01', '2022-07-01')).toThrow(/future/);
    expect(() => recordDeath(record(), '1950-01-01', '2022-07-01')).toThrow(/birth/);
  });
});
