/**
 * Capitation (按人头打包付费), docs/payment.md §4: the package is the per-capita amount times the
 * insured residents of the area; the centre's part and the referral reserve; what the centre is
 * owed at clearing once the referrals its residents made are charged to the package.
 */
import { applyRatio } from '../../kernel/ratio.ts';
import type { ResolvedPackage } from './rules.ts';
import type { Step } from './steps.ts';

export interface PackageSplit {
  total: number;
  centre: number;
  referral: number;
}

/** The year's package, and its split; the referral reserve takes what the centre's part leaves. */
export function packageSplit(
  perCapita: number,
  residents: number,
  centreShare: number,
): PackageSplit {
  const total = perCapita * residents;
  const centre = applyRatio(total, centreShare);
  return { total, centre, referral: total - centre };
}

/**
 * A month's share of the year's package (§4): cumulative twelfths, each rounded half up, so the
 * twelve months add up to the package exactly.
 */
export function monthlyShare(total: number, month: number): number {
  const upTo = (m: number): number => Math.floor((total * m * 2 + 12) / 24);
  return upTo(month) - upTo(month - 1);
}

export interface CapitationClearing {
  split: PackageSplit;
  /** What the centre is owed for the year. */
  owed: number;
  /** Package left after the centre's own bills and the referrals: + surplus, − overspend. */
  balance: number;
  steps: Step[];
}

/**
 * §4 at clearing: the fund has already paid the referral institutions; their bills come out of
 * the package. What remains of the package after the centre's residents' bills at the centre
 * and their referrals is the surplus (retained or returned) or the overspend (not topped up, or
 * topped up).
 */
export function clearCapitation(
  pkg: ResolvedPackage,
  residents: number,
  centreItems: number,
  referrals: number,
): CapitationClearing {
  const split = packageSplit(pkg.perCapita, residents, pkg.centreShare);
  const balance = split.total - centreItems - referrals;
  const steps: Step[] = [
    {
      code: 'package',
      amount: split.total,
      zh: `打包额度：人均 ${pkg.perCapita} 分 × 参保居民 ${residents} 人`,
      en: `package: ${pkg.perCapita} fen per capita × ${residents} insured residents`,
      ref: 'docs/payment.md §4',
    },
    {
      code: 'centre_part',
      amount: split.centre,
      zh: `其中卫生院包干部分（${pkg.centreShare / 100}%）`,
      en: `of which the centre's part (${pkg.centreShare / 100}%)`,
      ref: 'docs/payment.md §4',
    },
    {
      code: 'referral_reserve',
      amount: split.referral,
      zh: '其中转诊预留部分',
      en: 'of which the referral reserve',
      ref: 'docs/payment.md §4',
    },
    {
      code: 'centre_items',
      amount: -centreItems,
      zh: '本院为辖区居民发生的基金支付',
      en: "the centre's residents' bills",
      ref: 'docs/payment.md §4',
    },
    {
      code: 'referrals',
      amount: -referrals,
      zh: '辖区居民转诊发生的基金支付（已付给接诊医院）',
      en: "the residents' referral bills (paid to the treating institutions)",
      ref: 'docs/payment.md §4',
    },
  ];
  let owed: number;
  if (balance >= 0) {
    owed = pkg.surplus === 'retained' ? split.total - referrals : centreItems;
    steps.push({
      code: pkg.surplus === 'retained' ? 'surplus_retained' : 'surplus_returned',
      amount: balance,
      zh: pkg.surplus === 'retained' ? '结余留用，归卫生院' : '结余退回基金',
      en:
        pkg.surplus === 'retained'
          ? 'surplus retained by the centre'
          : 'surplus returned to the fund',
      ref: 'docs/payment.md §4',
    });
  } else {
    owed = pkg.overspend === 'not_topped_up' ? split.total - referrals : centreItems;
    steps.push({
      code: pkg.overspend === 'not_topped_up' ? 'overspend_borne' : 'overspend_topped_up',
      amount: balance,
      zh: pkg.overspend === 'not_topped_up' ? '超支不补，由卫生院承担' : '超支由基金补足',
      en:
        pkg.overspend === 'not_topped_up'
          ? 'overspend not topped up: the centre bears it'
          : 'overspend topped up by the fund',
      ref: 'docs/payment.md §4',
    });
  }
  steps.push({
    code: 'owed',
    amount: owed,
    zh: '卫生院全年应得',
    en: "the centre's year",
    ref: 'docs/payment.md §4',
  });
  return { split, owed, balance, steps };
}
