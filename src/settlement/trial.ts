/**
 * The trial calculation (政策试算, docs/settlement.md §6): settles a document's bills in order with the
 * accumulators carried from one to the next, a fresh set per medical year, the categories that
 * hold on each bill's date, and the named pack for every bill whatever its date.
 *
 * The core takes a resolver (bill context → resolved parameters) so it can run against
 * hand-built parameters in tests; `answerTrial` takes a pack source that supplies one.
 */
import { medicalYear, rangeHolds } from '../kernel/period.ts';
import type { BillContext, Category, ResolvedParams } from '../policy/types.ts';
import { emptyAccumulators, type Accumulators } from './accumulators.ts';
import { calculate, type SettlementAmounts } from './calculate.ts';
import type { ExplainTier } from './explain.ts';
import { toTrialAnswer, type TrialAnswer } from './trial-answer.ts';
import { readTrialInput, type CategoryRange, type TrialInput } from './trial-input.ts';

export type BillResolver = (ctx: BillContext) => ResolvedParams;

/** Where the trial gets a pack's resolver from; the real one reads `policies/<name>/`. */
export interface PackSource {
  /** Throws a TriguardError naming the field `pack` when there is no such pack. */
  resolverFor(pack: string): Promise<BillResolver>;
}

export interface TrialResult {
  id: string;
  amounts: SettlementAmounts;
  explain: ExplainTier[];
}

export function runTrial(input: TrialInput, resolve: BillResolver): TrialResult[] {
  const years = new Map<number, Accumulators>();
  return input.bills.map(({ id, bill }) => {
    const year = medicalYear(bill.date);
    const acc = years.get(year) ?? emptyAccumulators(year);
    const params = resolve({
      date: bill.date,
      visitType: bill.visitType,
      hospitalLevel: bill.hospitalLevel,
      diagnosis: bill.diagnosis,
      remote: bill.remote,
      categories: categoriesOn(input.categories, bill.date),
    });
    const s = calculate(params, bill, acc);
    years.set(year, s.next);
    return { id, amounts: s.amounts, explain: s.explain };
  });
}

/** The distinct categories whose month range holds the date (§4: both ends inclusive). */
export function categoriesOn(ranges: readonly CategoryRange[], date: string): Category[] {
  const out: Category[] = [];
  for (const r of ranges) {
    if (rangeHolds(r, date) && !out.includes(r.code)) out.push(r.code);
  }
  return out;
}

/** Reads, settles and answers one trial document. */
export async function answerTrial(raw: unknown, packs: PackSource): Promise<TrialAnswer> {
  const input = readTrialInput(raw);
  const resolve = await packs.resolverFor(input.pack);
  return toTrialAnswer(runTrial(input, resolve));
}
