/**
 * The pure settlement calculator (docs/settlement.md §2–§3): one bill, its resolved parameters and the
 * person's year-to-date accumulators in; the amounts of every tier, what the settlement adds to
 * the accumulators (`delta`), the accumulators after it (`next`) and the explanation out.
 * No I/O, no clock: the settle service and the trial both call it, and so does the benchmark.
 */
import { conflict } from '../kernel/errors.ts';
import type { Fen } from '../kernel/money.ts';
import { medicalYear } from '../kernel/period.ts';
import type { ResolvedParams } from '../policy/index.ts';
import { applyDelta, type AccumulatorDelta, type Accumulators } from './accumulators.ts';
import { backstopTier } from './backstop-tier.ts';
import { basicTier } from './basic-tier.ts';
import { classifyLines, type Bill } from './bill.ts';
import { cumulativeTier } from './cumulative-tier.ts';
import { TierExplanation, type ExplainTier, type TierFacts } from './explain.ts';
import { applyPostTier, type PostTierLine, type PostTierStep } from './post-tier.ts';

/** The amounts of one settlement, under the national platform's field names (§6). */
export interface SettlementAmounts {
  medfee_sumamt: Fen;
  fulamt_ownpay_amt: Fen;
  overlmt_selfpay: Fen;
  preselfpay_amt: Fen;
  inscp_scp_amt: Fen;
  act_pay_dedc: Fen;
  hifp_pay: Fen;
  hifmi_pay: Fen;
  /** Assistance only; the national message adds re-assistance to it (§7). */
  maf_pay: Fen;
  reassist_pay: Fen;
  backstop_pay: Fen;
  fund_pay_sumamt: Fen;
  psn_part_amt: Fen;
  /** Resident insurance has no personal account: the person's whole part is cash. */
  psn_cash_pay: Fen;
  /**
   * The hospital's waiver (医院减免, §9): present only when a post-tier step applied, so
   * `medfee_sumamt = fund_pay_sumamt + psn_part_amt + (hosp_part_amt ?? 0)`.
   */
  hosp_part_amt?: Fen;
}

export interface Settlement {
  amounts: SettlementAmounts;
  delta: AccumulatorDelta;
  next: Accumulators;
  /** One entry per tier, in §3 order. */
  explain: ExplainTier[];
  /** The programme whose budget the backstop charges; null when the backstop paid nothing. */
  backstopProgramme: string | null;
  /** What the steps after the tiers took of the patient's part (§9), in list order. */
  postTier: PostTierLine[];
}

/**
 * `after`: the post-tier steps that apply to this bill (docs/settlement.md §9), resolved by the
 * caller from the pack's dated rules and the facts they need; none by default.
 */
export function calculate(
  params: ResolvedParams,
  bill: Bill,
  acc: Accumulators,
  after: readonly PostTierStep[] = [],
): Settlement {
  const year = medicalYear(bill.date);
  if (acc.year !== year) {
    throw conflict(
      'settlement.accumulator_year',
      'date',
      `结算日期属于 ${year} 年度，累计却是 ${acc.year} 年度`,
      `the bill is in medical year ${year} but the accumulators are for ${acc.year}`,
    );
  }
  if (params.context.visitType !== bill.visitType) {
    throw conflict(
      'settlement.params_mismatch',
      'visitType',
      '政策参数不是按本单据的就诊类型解析的',
      "the parameters were not resolved for this bill's visit type",
    );
  }

  const split = classifyLines(bill.lines);
  const inScope = split.inScope;

  const basic = basicTier(params.basic, inScope, acc, bill.visitType);
  const hifp = basic.facts.amount;
  const ci = cumulativeTier(
    'critical_illness',
    params.criticalIllness,
    inScope - hifp,
    acc.tiers.critical_illness,
  );
  const hifmi = ci.amount;
  const maf = cumulativeTier(
    'assistance',
    params.assistance,
    inScope - hifp - hifmi,
    acc.tiers.assistance,
  );
  const re = cumulativeTier(
    're_assistance',
    params.reAssistance,
    inScope - hifp - hifmi - maf.amount,
    acc.tiers.re_assistance,
  );
  const bs = backstopTier(params.backstop, inScope - hifp - hifmi - maf.amount - re.amount, acc);

  const fund = hifp + hifmi + maf.amount + re.amount + bs.amount;
  const tiers: SettlementAmounts = {
    medfee_sumamt: split.medfee,
    fulamt_ownpay_amt: split.ownPay,
    overlmt_selfpay: split.overLimit,
    preselfpay_amt: split.preSelfPay,
    inscp_scp_amt: inScope,
    act_pay_dedc: basic.facts.deductibleApplied,
    hifp_pay: hifp,
    hifmi_pay: hifmi,
    maf_pay: maf.amount,
    reassist_pay: re.amount,
    backstop_pay: bs.amount,
    fund_pay_sumamt: fund,
    psn_part_amt: split.medfee - fund,
    psn_cash_pay: split.medfee - fund,
  };

  const delta: AccumulatorDelta = {
    year,
    tiers: {
      basic_insurance: { base: inScope, paid: hifp },
      critical_illness: { base: ci.counts ? ci.base : 0, paid: hifmi },
      assistance: { base: maf.counts ? maf.base : 0, paid: maf.amount },
      re_assistance: { base: re.counts ? re.base : 0, paid: re.amount },
      backstop: { base: bs.counts ? bs.base : 0, paid: bs.amount },
    },
    deductibleUsed: single(basic.deductibleKey, basic.facts.deductibleApplied),
    basicCapPaid: perGroup(basic.facts, hifp),
    backstopCapPaid: perGroup(bs, bs.amount),
    oopInscope: inScope - hifp - hifmi,
    oopTotal: split.medfee - hifp - hifmi,
  };

  const visit = { visitType: bill.visitType, hospitalLevel: bill.hospitalLevel };
  const explain: ExplainTier[] = [
    new TierExplanation(basic.facts, visit),
    new TierExplanation(ci, visit),
    new TierExplanation(maf, visit),
    new TierExplanation(re, visit),
    new TierExplanation(bs, visit),
  ];

  const post = applyPostTier(tiers, after);
  return {
    amounts: post.amounts,
    delta,
    next: applyDelta(acc, delta),
    explain,
    backstopProgramme: bs.amount > 0 ? bs.programme : null,
    postTier: post.lines,
  };
}

/** Delta maps hold no zero entries, so applying and subtracting keep accumulators canonical. */
function single(key: string | null, amount: Fen): Record<string, Fen> {
  return key === null || amount === 0 ? {} : { [key]: amount };
}

/** What a tier paid is charged to every cap group it was checked against (nested caps). */
function perGroup(f: TierFacts, amount: Fen): Record<string, Fen> {
  const out: Record<string, Fen> = {};
  if (amount === 0) return out;
  for (const c of f.caps) out[c.group] = amount;
  return out;
}
