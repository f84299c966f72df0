/**
 * The trial calculation (政策试算, docs/settlement.md §6): settles a document's bills in order with the
 * accumulators carried from one to the next, a fresh set per medical year, the categories that
 * hold on each bill's date, and the named pack for every bill whatever its date.
 *
 * A chronic or two-diseases bill the rules of docs/chronic.md §3 refuse is answered with the refusal
 * and settles nothing; the other bills settle as usual.
 *
 * The core takes a resolver (bill context → resolved parameters) so it can run against
 * hand-built parameters in tests; `answerTrial` takes a pack source that supplies one.
 */
import { medicalYear, rangeHolds } from '../kernel/period.ts';
import type { BillContext, Category, ResolvedParams } from '../policy/index.ts';
import { emptyAccumulators, type Accumulators } from './accumulators.ts';
import type { SettlementAmounts } from './calculate.ts';
import { settleCovered, type Refusal } from './coverage.ts';
import type { ExplainTier } from './explain.ts';
import { toTrialAnswer, type TrialAnswer } from './trial-answer.ts';
import {
  checkCertificateDiseases,
  readTrialInput,
  type CategoryRange,
  type TrialInput,
} from './trial-input.ts';

export type BillResolver = (ctx: BillContext) => ResolvedParams;

/** A pack as the trial uses it: its resolver and the codes of its disease catalogue. */
export interface TrialPack {
  resolve: BillResolver;
  diseases: readonly string[];
}

/** Where the trial gets a pack from; the real one reads `policies/<name>/`. */
export interface PackSource {
  /** Throws a TriguardError naming the field `pack` when there is no such pack. */
  packFor(pack: string): Promise<TrialPack>;
}

/** A settled bill's amounts and explanation, or why it was refused (docs/chronic.md §4). */
export type TrialResult =
  | { id: string; refused: null; amounts: SettlementAmounts; explain: ExplainTier[] }
  | { id: string; refused: Refusal };

export function runTrial(input: TrialInput, resolve: BillResolver): TrialResult[] {
  const years = new Map<number, Accumulators>();
  return input.bills.map(({ id, bill }, i): TrialResult => {
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
    // A refused bill is not settled: the accumulators carried to the next bill stay as they were.
    const out = settleCovered(params, bill, acc, input.evidence, `bills[${i}]`);
    if (out.refused) return { id, refused: out.refused };
    years.set(year, out.settlement.next);
    return { id, refused: null, amounts: out.settlement.amounts, explain: out.settlement.explain };
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
  const pack = await packs.packFor(input.pack);
  checkCertificateDiseases(input, pack.diseases);
  return toTrialAnswer(runTrial(input, pack.resolve));
}
