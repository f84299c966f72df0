/** docs/payment.md §4: the package's running balance month by month, from closed months only. */
import { describe, expect, it } from 'vitest';
import { packageBalance } from './capitation-balance.ts';
import type { StatementLine } from './statement.ts';

const CENTRE = 'H37089910002';
const line = (month: number, l: Partial<StatementLine>) => ({
  month,
  institution: CENTRE,
  method: 'capitation' as const,
  group: null,
  level: 1 as const,
  package: 'dongguan',
  adjustment: false,
  bills: 0,
  items: 0,
  owed: 0,
  note: null,
  ...l,
});

describe('§4 the package’s running balance', () => {
  it('adds each closed month’s share less its bills and referrals, and leaves open months out', () => {
    // 10,000 residents × 300 yuan: 250,000.00 yuan a month.
    const b = packageBalance(
      { code: 'dongguan', institution: CENTRE },
      [1, 2],
      [
        line(1, { note: 'package_share', owed: 25_000_000 }),
        line(1, { bills: 900, items: 12_000_000 }),
        line(2, { note: 'package_share', owed: 25_000_000 }),
        line(2, { bills: 800, items: 11_000_000 }),
        line(2, { bills: 1, items: 100, package: 'other' }),
      ],
      [
        { month: 1, package: 'dongguan', institution: 'H37089900001', bills: 3, items: 9_000_000 },
        { month: 2, package: 'dongguan', institution: 'H37089900001', bills: 5, items: 16_000_000 },
        { month: 2, package: 'dongguan', institution: 'H37089900003', bills: 1, items: 2_000_000 },
      ],
    );
    expect(b.months.slice(0, 3)).toEqual([
      {
        month: 1,
        closed: true,
        share: 25_000_000,
        centreItems: 12_000_000,
        referrals: 9_000_000,
        balance: 4_000_000,
      },
      {
        month: 2,
        closed: true,
        share: 25_000_000,
        centreItems: 11_000_000,
        referrals: 18_000_000,
        balance: 0,
      },
      { month: 3, closed: false, share: 0, centreItems: 0, referrals: 0, balance: 0 },
    ]);
    expect(b.referrals).toEqual([
      { institution: 'H37089900001', bills: 8, items: 25_000_000 },
      { institution: 'H37089900003', bills: 1, items: 2_000_000 },
    ]);
  });
});
