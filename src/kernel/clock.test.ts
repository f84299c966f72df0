import { describe, expect, it } from 'vitest';
import { endOfDay, localDate } from './clock.ts';

describe('bureau clock (Asia/Shanghai)', () => {
  it('counts the day in China Standard Time', () => {
    expect(localDate(new Date('2022-03-31T15:59:59Z'))).toBe('2022-03-31');
    expect(localDate(new Date('2022-03-31T16:00:00Z'))).toBe('2022-04-01');
  });

  it('ends a day at the next midnight in +08:00, across month and year ends', () => {
    expect(endOfDay('2022-12-31')).toBe('2023-01-01T00:00:00+08:00');
    expect(new Date(endOfDay('2022-02-28')).toISOString()).toBe('2022-02-28T16:00:00.000Z');
  });
});
