import { describe, expect, it } from 'vitest';
import { isoDate, isoMonth } from './fields.ts';

describe('shared request fields', () => {
  it('take real days and months only, not just their shape', () => {
    expect(isoDate.safeParse('2024-02-29').success).toBe(true);
    for (const bad of ['2022-13-45', '2023-02-29', '2022-04-31', '2022-2-30', '22-2-3', ''])
      expect(isoDate.safeParse(bad).success, bad).toBe(false);
    expect(isoMonth.safeParse('2022-12').success).toBe(true);
    for (const bad of ['2022-13', '2022-00', '2022-01-01', '22-1', ''])
      expect(isoMonth.safeParse(bad).success, bad).toBe(false);
  });

  it('read a date or month as the import files do, normalised', () => {
    for (const text of ['2022-2-3', '2022/2/3', '2022.02.3', '20220203', '2022年2月3日'])
      expect(isoDate.parse(text), text).toBe('2022-02-03');
    for (const text of ['2022-2', '2022/02', '202202', '2022年2月'])
      expect(isoMonth.parse(text), text).toBe('2022-02');
  });
});
