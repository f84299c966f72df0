/**
 * Global budget (总额控制) at year-end clearing, docs/payment.md §5: what the institution's bills
 * under the budget earned against the budget, overspend shared within the tolerance, underspend
 * partly retained. Each share is rounded half up once.
 */
import { applyRatio } from '../../kernel/ratio.ts';
import type { Step } from './steps.ts';

export interface Sharing {
  tolerance: number;
  fundShare: number;
  retainedShare: number;
}

export function clearGlobalBudget(
  budget: number,
  earned: number,
  s: Sharing,
): { allowed: number; steps: Step[] } {
  const ref = 'docs/payment.md §5';
  const steps: Step[] = [
    { code: 'budget', amount: budget, zh: '年度总额预算', en: 'annual budget', ref },
    {
      code: 'earned',
      amount: earned,
      zh: '总额内项目的基金支付额',
      en: 'items under the budget',
      ref,
    },
  ];
  let allowed: number;
  if (earned > budget) {
    const over = earned - budget;
    const cap = applyRatio(budget, s.tolerance);
    const shared = Math.min(over, cap);
    const fund = applyRatio(shared, s.fundShare);
    allowed = budget + fund;
    steps.push(
      { code: 'overspend', amount: over, zh: '超支', en: 'overspend', ref },
      {
        code: 'overspend_shared',
        amount: shared,
        zh: `其中在预算 ${s.tolerance / 100}% 以内、可分担的部分`,
        en: `of which within ${s.tolerance / 100}% of the budget, shared`,
        ref,
      },
      {
        code: 'fund_share',
        amount: fund,
        zh: `基金分担 ${s.fundShare / 100}%`,
        en: `the fund bears ${s.fundShare / 100}%`,
        ref,
      },
      {
        code: 'institution_bears',
        amount: over - fund,
        zh: '医院承担',
        en: 'the institution bears',
        ref,
      },
    );
  } else {
    const under = budget - earned;
    const kept = applyRatio(under, s.retainedShare);
    allowed = earned + kept;
    steps.push(
      { code: 'underspend', amount: under, zh: '结余', en: 'underspend', ref },
      {
        code: 'underspend_retained',
        amount: kept,
        zh: `医院留用 ${s.retainedShare / 100}%`,
        en: `the institution keeps ${s.retainedShare / 100}%`,
        ref,
      },
    );
  }
  steps.push({
    code: 'allowed',
    amount: allowed,
    zh: '总额内全年应得',
    en: 'the year under the budget',
    ref,
  });
  return { allowed, steps };
}
