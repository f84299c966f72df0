/**
 * One person-year replayed under a draft (docs/replay.md §2): the person's settled bills of the
 * year in the order they were settled, settled again by the pure calculator with fresh
 * accumulators, from the facts stored with each settlement — never today's registry.
 *
 * Pure: the bills, the draft's resolver and post-tier rules in; what each bill would have paid out.
 */
import type { Fen } from '../../kernel/money.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { BillContext, Category, ResolvedParams } from '../../policy/index.ts';
import {
  calculate,
  coverageRefusal,
  emptyAccumulators,
  twoDiseaseOf,
  waiverCandidates,
  waiverStep,
  type Accumulators,
  inFreePeriod,
  type Bill,
  type BillChannel,
  type CoverageEvidence,
  type PostTierRules,
  type PostTierStep,
  type Refusal,
  type Settlement,
} from '../../settlement/index.ts';
import { COMPARED, type Amounts, type Compared } from './compared.ts';

export { COMPARED, type Amounts, type Compared };

export const zeroAmounts = (): Amounts => ({
  hifp_pay: 0,
  hifmi_pay: 0,
  maf_pay: 0,
  reassist_pay: 0,
  backstop_pay: 0,
  fund_pay_sumamt: 0,
  psn_part_amt: 0,
  hosp_part_amt: 0,
});

/** A settled bill as stored, with what it paid. */
export interface StoredBill {
  settlementId: number;
  certno: string;
  year: number;
  regionCode: string;
  fixmedinsCode: string | null;
  bill: Bill;
  /** The pack it was settled with. */
  pack: string;
  /** The person's categories on the bill date, as the settlement recorded them. */
  categories: Category[];
  actual: Amounts;
  medfee: Fen;
  inscope: Fen;
  backstopProgramme: string | null;
  /** Cancelled later: not replayed, but its person-year is reported apart (§3). */
  cancelled: boolean;
  /** How the bill came: `delivery` for medicine delivered home (a post-tier rule may ask). */
  channel: BillChannel | null;
}

/** The draft as the replay uses it. */
export interface DraftRules {
  resolve(ctx: BillContext): ResolvedParams;
  postTier: PostTierRules;
  /**
   * The catalogue disease a stored chronic bill was paid for under its own pack: the certificate
   * the person held (§2). Null when the pack placed the diagnosis in no disease.
   */
  certificateOf(bill: StoredBill): string | null;
}

export type BillOutcome =
  | { stored: StoredBill; refused: null; draft: Amounts; settlement: Settlement }
  | { stored: StoredBill; refused: Refusal; draft: Amounts };

export interface PersonOutcome {
  certno: string;
  year: number;
  /** The replayed bills (cancelled ones are left out), in settlement order. */
  bills: BillOutcome[];
  /** A bill of the person-year was cancelled (§3): later bills were settled with it counted. */
  hadCancellation: boolean;
  /** Burdens after basic and critical illness insurance, as monitoring reads them. */
  actualBurden: { oopInscope: Fen; oopTotal: Fen };
  draftBurden: { oopInscope: Fen; oopTotal: Fen };
}

/** Replays one person-year: `bills` are the person's, of one year, in settlement order. */
export function replayPerson(bills: readonly StoredBill[], draft: DraftRules): PersonOutcome {
  const first = bills[0];
  if (!first) throw new Error('replayPerson needs at least one bill');
  let acc: Accumulators = emptyAccumulators(first.year);
  const waived = new Map<string, IsoDate>();
  const out: BillOutcome[] = [];
  const actualBurden = { oopInscope: 0, oopTotal: 0 };
  const draftBurden = { oopInscope: 0, oopTotal: 0 };
  let hadCancellation = false;
  for (const stored of bills) {
    if (stored.cancelled) {
      hadCancellation = true;
      continue;
    }
    const a = stored.actual;
    actualBurden.oopInscope += stored.inscope - a.hifp_pay - a.hifmi_pay;
    actualBurden.oopTotal += stored.medfee - a.hifp_pay - a.hifmi_pay;
    const { bill } = stored;
    const params = draft.resolve({
      date: bill.date,
      visitType: bill.visitType,
      hospitalLevel: bill.hospitalLevel,
      diagnosis: bill.diagnosis,
      remote: bill.remote,
      categories: stored.categories,
    });
    const refused = coverageRefusal(params, bill, evidenceOf(stored, draft), 'bill');
    if (refused) {
      // Refused under the draft: the fund would pay nothing of it, the person all of it.
      const amounts = zeroAmounts();
      amounts.psn_part_amt = stored.medfee;
      draftBurden.oopInscope += stored.inscope;
      draftBurden.oopTotal += stored.medfee;
      out.push({ stored, refused, draft: amounts });
      continue;
    }
    const steps = postTierSteps(stored, draft.postTier, waived);
    const settlement = calculate(params, bill, acc, steps);
    acc = settlement.next;
    // A rule's free period runs from the first bill it waived (docs/settlement.md §9).
    for (const line of settlement.postTier) {
      if (line.amount > 0 && !waived.has(line.code)) waived.set(line.code, bill.date);
    }
    const s = settlement.amounts;
    draftBurden.oopInscope += s.inscp_scp_amt - s.hifp_pay - s.hifmi_pay;
    draftBurden.oopTotal += s.medfee_sumamt - s.hifp_pay - s.hifmi_pay;
    out.push({
      stored,
      refused: null,
      settlement,
      draft: {
        hifp_pay: s.hifp_pay,
        hifmi_pay: s.hifmi_pay,
        maf_pay: s.maf_pay,
        reassist_pay: s.reassist_pay,
        backstop_pay: s.backstop_pay,
        fund_pay_sumamt: s.fund_pay_sumamt,
        psn_part_amt: s.psn_part_amt,
        hosp_part_amt: s.hosp_part_amt ?? 0,
      },
    });
  }
  return {
    certno: first.certno,
    year: first.year,
    bills: out,
    hadCancellation,
    actualBurden,
    draftBurden,
  };
}

/**
 * What the person held when the bill was paid (§2): a chronic bill was paid against a certificate
 * for the disease its own pack placed the diagnosis in, a two-diseases bill against a filing. The
 * drug list and refills are the catalogue's, not the pack's: they are not checked again.
 */
function evidenceOf(stored: StoredBill, draft: DraftRules): CoverageEvidence {
  const { bill } = stored;
  const on = { from: bill.date, to: bill.date };
  if (bill.visitType === 'chronic_outpatient') {
    const held = draft.certificateOf(stored);
    return { certificates: held === null ? [] : [{ disease: held, ...on }] };
  }
  if (bill.visitType === 'two_diseases') {
    const which = twoDiseaseOf(bill.diagnosis);
    return { filings: which === null ? [] : [{ disease: which, ...on }] };
  }
  return {};
}

/** The draft's hospital-waiver steps, the free period counted from the replay's first waived bill. */
function postTierSteps(
  stored: StoredBill,
  rules: PostTierRules,
  waived: ReadonlyMap<string, IsoDate>,
): PostTierStep[] {
  // Most bills are of institutions no waiver names: answered without looking at the rules.
  if (stored.fixmedinsCode === null || !waiverInstitutions(rules).has(stored.fixmedinsCode)) {
    return NO_STEPS;
  }
  const candidates = waiverCandidates(rules, {
    date: stored.bill.date,
    visitType: stored.bill.visitType,
    fixmedinsCode: stored.fixmedinsCode,
    categories: stored.categories,
    channel: stored.channel,
  });
  const steps: PostTierStep[] = [];
  const date = stored.bill.date;
  for (const rule of candidates) {
    // A rule for those outside another rule's free period (free drugs beside free stays).
    const during = rule.notDuring && rules.hospitalWaiver.find((r) => r.code === rule.notDuring);
    if (during && inFreePeriod(during, date, waived.get(during.code) ?? null)) continue;
    const start = rule.days === null ? null : (waived.get(rule.code) ?? null);
    const step = waiverStep(rule, date, start);
    if (step) steps.push(step);
  }
  return steps;
}

const NO_STEPS: PostTierStep[] = [];
const institutionsOf = new WeakMap<PostTierRules, ReadonlySet<string>>();

function waiverInstitutions(rules: PostTierRules): ReadonlySet<string> {
  let set = institutionsOf.get(rules);
  if (!set) {
    set = new Set(rules.hospitalWaiver.flatMap((r) => r.institutions));
    institutionsOf.set(rules, set);
  }
  return set;
}

/** True when the draft paid every compared amount of the bill exactly as it was paid. */
export const sameAmounts = (a: Amounts, b: Amounts): boolean =>
  a.hifp_pay === b.hifp_pay &&
  a.hifmi_pay === b.hifmi_pay &&
  a.maf_pay === b.maf_pay &&
  a.reassist_pay === b.reassist_pay &&
  a.backstop_pay === b.backstop_pay &&
  a.fund_pay_sumamt === b.fund_pay_sumamt &&
  a.psn_part_amt === b.psn_part_amt &&
  a.hosp_part_amt === b.hosp_part_amt;
