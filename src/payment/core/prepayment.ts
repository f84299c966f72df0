/**
 * Monthly prepayment (月度预付), docs/payment.md §6: each month an advance of a share of a twelfth
 * of the basis (the budget, or last year's spending), the twelve months adding up exactly; the
 * ledger's running balance is what has been advanced less what the statements earned.
 */
import { applyRatio } from '../../kernel/ratio.ts';
import { monthlyShare } from './capitation.ts';

/** The advance of `month` (1–12): month's twelfth of (basis × share), cumulative rounding. */
export function monthlyAdvance(basis: number, share: number, month: number): number {
  return monthlyShare(applyRatio(basis, share), month);
}

export interface LedgerMonth {
  month: number;
  advance: number;
  earned: number;
}

export interface LedgerRow extends LedgerMonth {
  /** Advanced less earned so far: positive = the institution holds the fund's money. */
  balance: number;
}

export function ledger(months: readonly LedgerMonth[]): LedgerRow[] {
  let balance = 0;
  return months.map((m) => {
    balance += m.advance - m.earned;
    return { ...m, balance };
  });
}
