/**
 * Steps after the tiers (docs/settlement.md §9): what no tier paid may still be borne by someone
 * other than the patient — the hospital's waiver under an agreement first (医院减免,
 * `hosp_part_amt`), a commercial top-up later. Each step takes a share of what the patient would
 * still pay, in list order, rounded half up once per step; the patient's part drops by it. Pure.
 */
import type { Fen } from '../kernel/money.ts';
import { applyRatio, formatPercent, type Bp } from '../kernel/ratio.ts';
import { formatYuan } from '../kernel/money.ts';
import type { SettlementAmounts } from './calculate.ts';

/** The kinds of post-tier step; the amounts field each is reported in (§9). */
export const POST_TIER_KINDS = ['hospital_waiver'] as const;
export type PostTierKind = (typeof POST_TIER_KINDS)[number];

/** One step that applies to this bill, as the caller resolved it from the pack's dated rule. */
export interface PostTierStep {
  kind: PostTierKind;
  /** The rule's code in the pack, e.g. `rehab_free_inpatient`. */
  code: string;
  /** The assistance programme it is accounted under (its year-end report). */
  programme: string;
  /** Share of the patient's remaining part it bears. */
  ratio: Bp;
  /** Where the rule comes from (the pack's reference of the dated value). */
  reference: string;
  /** Why it applies to this bill, for the explanation (e.g. day 12 of 90). */
  why: { zh: string; en: string };
}

/** What a step did on one bill. */
export interface PostTierLine {
  kind: PostTierKind;
  code: string;
  programme: string;
  /** The patient's part before the step (fen). */
  base: Fen;
  ratio: Bp;
  amount: Fen;
  reference: string;
  text: { zh: string; en: string };
}

const LABEL: Record<PostTierKind, { zh: string; en: string }> = {
  hospital_waiver: { zh: '医院减免', en: 'hospital waiver' },
};

/**
 * Applies the steps to the tiers' amounts. Without steps the amounts are returned unchanged (no
 * `hosp_part_amt` key): a bill no step touches reads exactly as before the steps existed.
 */
export function applyPostTier(
  amounts: SettlementAmounts,
  steps: readonly PostTierStep[],
): { amounts: SettlementAmounts; lines: PostTierLine[] } {
  if (steps.length === 0) return { amounts, lines: [] };
  let patient = amounts.psn_part_amt;
  const lines: PostTierLine[] = [];
  for (const s of steps) {
    const amount = Math.min(patient, applyRatio(patient, s.ratio));
    const label = LABEL[s.kind];
    lines.push({
      kind: s.kind,
      code: s.code,
      programme: s.programme,
      base: patient,
      ratio: s.ratio,
      amount,
      reference: s.reference,
      text: {
        zh: `${label.zh}：个人负担 ${formatYuan(patient)} 元 × ${formatPercent(s.ratio)} = ${formatYuan(amount)} 元（${s.why.zh}）`,
        en: `${label.en}: patient part ${formatYuan(patient)} × ${formatPercent(s.ratio)} = ${formatYuan(amount)} (${s.why.en})`,
      },
    });
    patient -= amount;
  }
  const waived = lines
    .filter((l) => l.kind === 'hospital_waiver')
    .reduce((t, l) => t + l.amount, 0);
  const borne = amounts.psn_part_amt - patient;
  return {
    amounts: {
      ...amounts,
      hosp_part_amt: waived,
      psn_part_amt: patient,
      psn_cash_pay: amounts.psn_cash_pay - borne,
    },
    lines,
  };
}
