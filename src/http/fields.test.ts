import { describe, expect, it } from 'vitest';
import { isoDate, isoMonth } from './fields.ts';

describe('shared request fields', () => {
  it('take real days and months only, not just their shape', () => {
    expect(isoDate.safeParse('2024-02-29').success).toBe(true);
    for (const bad of ['2022-13-45', '2023-02-29', '2022-04-31', '20220101', ''])
      expect(isoDate.safeParse(bad).success, bad).toBe(false);
    expect(isoMonth.safeParse('2022-12').success).toBe(true);
    for (const bad of ['2022-13', '2022-00', '2022-1', '2022-01-01'])
      expect(isoMonth.safeParse(bad).success, bad).toBe(false);
  });
});
