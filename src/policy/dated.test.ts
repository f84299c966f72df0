import { describe, expect, it } from 'vitest';
import { addDays, checkHistory } from './dated.ts';

const e = (from: string, to: string | null, line = 1) => ({ from, to, line });
const year = { from: '2022-01-01', to: '2022-12-31' };

describe('checkHistory', () => {
  it('accepts consecutive values that cover the validity, and history before it', () => {
    expect(
      checkHistory(
        [e('2021-01-01', '2021-12-31'), e('2022-01-01', '2022-06-30'), e('2022-07-01', null)],
        year,
      ),
    ).toEqual([]);
  });

  it('finds the gaps at the start, in the middle and at the end', () => {
    const problems = checkHistory(
      [e('2022-02-01', '2022-03-31'), e('2022-05-01', '2022-11-30')],
      year,
    );
    expect(problems.map((p) => p.en.split(' (')[0])).toEqual([
      'no value from 2022-01-01 to 2022-01-31',
      'no value from 2022-04-01 to 2022-04-30',
      'no value from 2022-12-01 to 2022-12-31',
    ]);
  });

  it('needs an open value when the pack is open-ended', () => {
    const open = { from: '2023-01-01', to: null };
    expect(checkHistory([e('2023-01-01', '2023-12-31')], open).map((p) => p.en)).toEqual([
      'no value from 2024-01-01 to the end of the pack (the pack is valid from 2023-01-01)',
    ]);
  });

  it('names the later of two overlapping values and the line of the earlier', () => {
    expect(checkHistory([e('2022-01-01', null, 7), e('2022-07-01', null, 8)], year)).toEqual([
      expect.objectContaining({
        index: 1,
        en: expect.stringContaining('overlaps the value from 2022-01-01 (line 7)'),
      }),
    ]);
  });
});

it('adds days across months and leap years', () => {
  expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  expect(addDays('2023-01-01', -1)).toBe('2022-12-31');
});
