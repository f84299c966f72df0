import { describe, expect, it } from 'vitest';
import { monthJustEnded, recheckYear } from './months.ts';

describe('scheduled months', () => {
  it('takes the month just ended in China Standard Time', () => {
    // 02:00 CST on 1 April is 18:00 UTC on 31 March.
    expect(monthJustEnded(new Date('2022-03-31T18:00:00Z'))).toBe('2022-03');
    expect(monthJustEnded(new Date('2023-01-01T02:00:00+08:00'))).toBe('2022-12');
    expect(recheckYear(new Date('2023-01-01T01:30:00+08:00'))).toBe(2022);
    expect(recheckYear(new Date('2023-01-02T01:30:00+08:00'))).toBe(2023);
  });
});
