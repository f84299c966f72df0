/**
 * Year-end clearing (年终清算), docs/payment.md §8: per institution, what the year earned under
 * each method — by item and per bed-day as the statements said, the global budget with its
 * sharing rule, the capitation package with its surplus or overspend — less what was already
 * paid (the monthly advances of a prepaid institution, otherwise the monthly statements), with
 * every step explained.
 */
import { clearCapitation } from './capitation.ts';
import { clearGlobalBudget } from './global-budget.ts';
import type { ResolvedPayment } from './rules.ts';
import type { Referral, StatementLine } from './statement.ts';
import type { Step } from './steps.ts';

export interface ClearingInput {
  institution: string;
  /** Every line of the year's twelve statements. */
  lines: readonly StatementLine[];
  /** Referral bills charged to the institution's package over the year. */
  referrals: readonly Referral[];
  /** Monthly advances issued in the year (0 for an institution not prepaid). */
  advances: number;
  prepaid: boolean;
  /** What the monthly statements owed (package shares included): paid to one not prepaid. */
  paidMonthly: number;
}

export interface InstitutionClearing {
  institution: string;
  earned: number;
  paid: number;
  /** What the fund still owes (+) or recovers (−). */
  final: number;
  steps: Step[];
}

export function clearInstitution(
  p: ResolvedPayment,
  input: ClearingInput,
  residents: ReadonlyMap<string, number>,
): InstitutionClearing {
  const steps: Step[] = [];
  const sum = (pred: (l: StatementLine) => boolean, f: (l: StatementLine) => number): number =>
    input.lines.filter(pred).reduce((t, l) => t + f(l), 0);
  let earned = 0;
  const ffs = sum(
    (l) => l.method === 'fee_for_service',
    (l) => l.owed,
  );
  if (input.lines.some((l) => l.method === 'fee_for_service')) {
    steps.push({
      code: 'fee_for_service',
      amount: ffs,
      zh: '按项目付费',
      en: 'paid by item',
      ref: 'docs/payment.md §2',
    });
    earned += ffs;
  }
  if (input.lines.some((l) => l.method === 'per_bed_day')) {
    const pbd = sum(
      (l) => l.method === 'per_bed_day',
      (l) => l.owed,
    );
    steps.push({
      code: 'per_bed_day',
      amount: pbd,
      zh: '按床日付费',
      en: 'per bed-day',
      ref: 'docs/payment.md §3',
    });
    earned += pbd;
  }
  if (input.lines.some((l) => l.method === 'outpatient_group')) {
    const og = sum(
      (l) => l.method === 'outpatient_group',
      (l) => l.owed,
    );
    steps.push({
      code: 'outpatient_group',
      amount: og,
      zh: '门诊病组付费',
      en: 'outpatient disease groups',
      ref: 'docs/payment.md §11',
    });
    earned += og;
  }
  const budget = p.budgets.get(input.institution);
  if (budget !== undefined || input.lines.some((l) => l.method === 'global_budget')) {
    const items = sum(
      (l) => l.method === 'global_budget',
      (l) => l.items,
    );
    const gb = clearGlobalBudget(budget ?? 0, items, p.sharing);
    steps.push(...gb.steps);
    earned += gb.allowed;
  }
  for (const pkg of p.packages.filter((k) => k.institution === input.institution)) {
    const centreItems = sum(
      (l) => l.method === 'capitation' && l.package === pkg.code,
      (l) => l.items,
    );
    const referrals = input.referrals
      .filter((r) => r.package === pkg.code)
      .reduce((t, r) => t + r.items, 0);
    const cap = clearCapitation(pkg, residents.get(pkg.code) ?? 0, centreItems, referrals);
    steps.push(...cap.steps);
    earned += cap.owed;
  }
  steps.push({
    code: 'earned',
    amount: earned,
    zh: '全年应得',
    en: 'earned in the year',
    ref: 'docs/payment.md §8',
  });
  const paid = input.prepaid ? input.advances : input.paidMonthly;
  steps.push({
    code: input.prepaid ? 'advances' : 'paid_monthly',
    amount: -paid,
    zh: input.prepaid ? '已预付' : '已按月结算支付',
    en: input.prepaid ? 'advanced' : 'paid on the monthly statements',
    ref: input.prepaid ? 'docs/payment.md §6' : 'docs/payment.md §7',
  });
  const final = earned - paid;
  steps.push({
    code: 'final',
    amount: final,
    zh: final >= 0 ? '清算应补付' : '清算应扣回',
    en: final >= 0 ? 'the fund pays' : 'the fund recovers',
    ref: 'docs/payment.md §8',
  });
  return { institution: input.institution, earned, paid, final, steps };
}
