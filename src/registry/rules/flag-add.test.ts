import { describe, expect, it } from 'vitest';
import { flag, person, record } from '../testing/records.ts';
import { addFlagChanges, type NewFlag } from './flag-add.ts';

const add: NewFlag = {
  category: 'subsistence',
  fromMonth: '2022-05',
  toMonth: null,
  source: 'civil_affairs',
  evidenceNo: 'MZ-9',
  recognisedOn: '2022-04-28',
};

describe('recording a flag', () => {
  it('adds a flag that overlaps no flag of its category', () => {
    const rec = record({
      flags: [
        flag({ category: 'subsistence', fromMonth: '2021-01', toMonth: '2022-04' }),
        flag({ category: 'monitored', fromMonth: '2021-01' }),
        // Ended before it began: holds no month.
        flag({
          category: 'subsistence',
          fromMonth: '2022-06',
          toMonth: '2022-05',
          endReason: 'correction',
        }),
      ],
    });
    expect(addFlagChanges(rec, add, '2022-05-01')).toEqual([
      { kind: 'create_flag', flag: { ...add, endReason: null } },
    ]);
  });

  it('refuses an overlap, a reversed range, a future recognition and a deceased person', () => {
    const open = record({ flags: [flag({ category: 'subsistence', fromMonth: '2022-01' })] });
    expect(() => addFlagChanges(open, add, '2022-05-01')).toThrow(/overlaps/);
    expect(() => addFlagChanges(record(), { ...add, toMonth: '2022-04' }, '2022-05-01')).toThrow(
      /before fromMonth/,
    );
    expect(() => addFlagChanges(record(), add, '2022-04-01')).toThrow(/future/);
    const dead = record({ person: person({ status: 'deceased' }) });
    expect(() => addFlagChanges(dead, add, '2022-05-01')).toThrow(/deceased/);
  });
});
