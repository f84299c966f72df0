/**
 * A capitation package's running balance through a year (docs/payment.md §4), from the closed
 * months' statements: each month the package's share paid to the centre, what the residents' own
 * bills at the centre and their referrals took, and the balance so far — the package paid less
 * both; with the referrals of the year by treating institution. A month not yet closed is listed
 * as open, never estimated.
 */
import type { Referral, StatementLine } from './statement.ts';

export interface BalanceMonth {
  month: number;
  closed: boolean;
  share: number;
  centreItems: number;
  referrals: number;
  /** Shares paid so far less the residents' bills and referrals so far (+ surplus). */
  balance: number;
}

export interface PackageBalance {
  package: string;
  institution: string;
  months: BalanceMonth[];
  referrals: { institution: string; bills: number; items: number }[];
}

export function packageBalance(
  pkg: { code: string; institution: string },
  closedMonths: readonly number[],
  lines: readonly (StatementLine & { month: number })[],
  referrals: readonly (Referral & { month: number })[],
): PackageBalance {
  let balance = 0;
  const months = Array.from({ length: 12 }, (_, i): BalanceMonth => {
    const month = i + 1;
    const closed = closedMonths.includes(month);
    const mine = lines.filter((l) => l.month === month && l.package === pkg.code);
    const share = mine.filter((l) => l.note === 'package_share').reduce((t, l) => t + l.owed, 0);
    const centreItems = mine
      .filter((l) => l.method === 'capitation' && l.note !== 'package_share')
      .reduce((t, l) => t + l.items, 0);
    const refs = referrals
      .filter((r) => r.month === month && r.package === pkg.code)
      .reduce((t, r) => t + r.items, 0);
    if (closed) balance += share - centreItems - refs;
    return { month, closed, share, centreItems, referrals: refs, balance: closed ? balance : 0 };
  });
  const byInstitution = new Map<string, { institution: string; bills: number; items: number }>();
  for (const r of referrals.filter((x) => x.package === pkg.code)) {
    const t = byInstitution.get(r.institution) ?? {
      institution: r.institution,
      bills: 0,
      items: 0,
    };
    t.bills += r.bills;
    t.items += r.items;
    byInstitution.set(r.institution, t);
  }
  return {
    package: pkg.code,
    institution: pkg.institution,
    months,
    referrals: [...byInstitution.values()].sort((a, b) =>
      a.institution.localeCompare(b.institution),
    ),
  };
}
