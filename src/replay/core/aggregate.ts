/**
 * The results of a replay (docs/replay.md §3), added up person by person as the bills stream past:
 * fund payments per tier, actual beside draft, by month, township, category and visit type; the
 * backstop's programmes; the distribution of the change in what people paid; the people who would
 * cross a warning line or no longer; the bills the draft would refuse; and the person-years a
 * cancellation makes differ. Memory grows with people only by one number each (the change).
 *
 * Pure: outcomes in, a plain JSON result out.
 */
import type { Fen } from '../../kernel/money.ts';
import {
  sameAmounts,
  zeroAmounts,
  type Amounts,
  type PersonOutcome,
  type StoredBill,
} from './person.ts';

/** A monitoring line as the replay compares burdens with it. */
export interface WarningLine {
  pack: string;
  inscopeLine: Fen;
  totalLine: Fen;
  inscopeCategories: readonly string[];
}

export interface Pair {
  bills: number;
  actual: Amounts;
  draft: Amounts;
}

/**
 * `ref`: the person's last bill of the year (a settlement id), by which a reader who may not see
 * whole ID numbers still opens the person's explanation (§4).
 */
export interface PersonChange {
  certno: string;
  ref: number;
  township: string;
  categories: string[];
  actual: Fen;
  draft: Fen;
  change: Fen;
}

export interface Crossing {
  certno: string;
  ref: number;
  township: string;
  categories: string[];
  threshold: 'inscope' | 'total';
  direction: 'crosses' | 'no_longer';
  actualBurden: Fen;
  draftBurden: Fen;
  actualLine: Fen;
  draftLine: Fen;
}

export interface RefusedBill {
  certno: string;
  settlementId: number;
  date: string;
  visitType: string;
  diagnosis: string;
  code: string;
  message: { zh: string; en: string };
  fundPaid: Fen;
}

export interface CancelledDifference {
  certno: string;
  year: number;
  /** The draft's fund total minus the actual one over the person-year. */
  fundChange: Fen;
}

export interface Distribution {
  people: number;
  /** Pays more under the draft / less / the same. */
  pays_more: number;
  pays_less: number;
  unchanged: number;
  min: Fen;
  max: Fen;
  mean: Fen;
  /** The 10th … 90th percentiles of the change (draft − actual, fen). */
  deciles: Fen[];
  /** The same among the people whose part changes (most people's does not). */
  changedDeciles: Fen[];
}

export interface ReplayResult {
  counts: {
    bills: number;
    people: number;
    refused: number;
    /** Person-years without a cancellation whose every bill pays as it did. */
    reproduced: number;
    /** Person-years without a cancellation where some bill pays differently. */
    changed: number;
    /** Person-years with a cancellation (§3): reported apart. */
    withCancellation: number;
  };
  totals: Pair;
  byMonth: Record<string, Pair>;
  byTownship: Record<string, Pair>;
  byCategory: Record<string, Pair>;
  byVisitType: Record<string, Pair>;
  /** The programmes the backstop charged, actual beside draft (fen). */
  backstopProgrammes: Record<string, { actual: Fen; draft: Fen }>;
  distribution: Distribution;
  /** The people whose own payment rises most / falls most (at most TOP each). */
  largestIncrease: PersonChange[];
  largestDecrease: PersonChange[];
  crossings: Crossing[];
  crossingsTotal: { crosses: number; no_longer: number };
  refused: RefusedBill[];
  refusedByCode: Record<string, number>;
  cancelled: CancelledDifference[];
  /** Names of the townships of byTownship. */
  regionNames: Record<string, string>;
}

export const TOP = 100;
/** Lists are kept whole up to this many entries; the counts beside them are always whole. */
const LIST_CAP = 5_000;

const newPair = (): Pair => ({ bills: 0, actual: zeroAmounts(), draft: zeroAmounts() });

function addTo(pair: Pair, actual: Amounts, draft: Amounts): void {
  pair.bills += 1;
  addAmounts(pair.actual, actual);
  addAmounts(pair.draft, draft);
}

// Written out field by field: this runs five times for every bill of a county's year.
function addAmounts(into: Amounts, a: Amounts): void {
  into.hifp_pay += a.hifp_pay;
  into.hifmi_pay += a.hifmi_pay;
  into.maf_pay += a.maf_pay;
  into.reassist_pay += a.reassist_pay;
  into.backstop_pay += a.backstop_pay;
  into.fund_pay_sumamt += a.fund_pay_sumamt;
  into.psn_part_amt += a.psn_part_amt;
  into.hosp_part_amt += a.hosp_part_amt;
}

function at(map: Map<string, Pair>, key: string): Pair {
  let p = map.get(key);
  if (!p) {
    p = newPair();
    map.set(key, p);
  }
  return p;
}

/** The township of a village code (12 digits): its first 9. */
export const townshipOf = (regionCode: string): string => regionCode.slice(0, 9);

export class ReplayAggregate {
  private bills = 0;
  private people = 0;
  private reproduced = 0;
  private changed = 0;
  private withCancellation = 0;
  private readonly totals = newPair();
  private readonly byMonth = new Map<string, Pair>();
  private readonly byTownship = new Map<string, Pair>();
  private readonly byCategory = new Map<string, Pair>();
  private readonly byVisitType = new Map<string, Pair>();
  private readonly programmes = new Map<string, { actual: Fen; draft: Fen }>();
  private changes = new Float64Array(1024);
  private increases: PersonChange[] = [];
  private decreases: PersonChange[] = [];
  private readonly crossings: Crossing[] = [];
  private readonly crossingsTotal = { crosses: 0, no_longer: 0 };
  private readonly refused: RefusedBill[] = [];
  private readonly refusedByCode = new Map<string, number>();
  private refusedCount = 0;
  private readonly cancelled: CancelledDifference[] = [];

  /**
   * `lines`: the warning lines of the person's year, under the pack the bills were settled with
   * and under the draft.
   */
  add(
    p: PersonOutcome,
    lines: { actual: WarningLine; draft: WarningLine },
    counts: (b: StoredBill) => boolean = () => true,
  ): void {
    // A filter (category, visit type) chooses the bills reported; all of them were replayed.
    const bills = p.bills.filter((b) => counts(b.stored));
    const last = bills[bills.length - 1];
    if (!last) return;
    const ref = last.stored.settlementId;
    const township = townshipOf(last.stored.regionCode);
    const categories = last.stored.categories;
    let psnActual = 0;
    let psnDraft = 0;
    let fundActual = 0;
    let fundDraft = 0;
    let same = true;
    for (const b of bills) {
      const s = b.stored;
      this.bills += 1;
      addTo(this.totals, s.actual, b.draft);
      addTo(at(this.byMonth, s.bill.date.slice(0, 7)), s.actual, b.draft);
      addTo(at(this.byTownship, townshipOf(s.regionCode)), s.actual, b.draft);
      addTo(at(this.byVisitType, s.bill.visitType), s.actual, b.draft);
      // A bill of several categories counts under each: the rows of this table overlap.
      for (const c of s.categories.length > 0 ? s.categories : ['none']) {
        addTo(at(this.byCategory, c), s.actual, b.draft);
      }
      if (s.backstopProgramme !== null)
        this.programme(s.backstopProgramme).actual += s.actual.backstop_pay;
      if (b.refused === null && b.settlement.backstopProgramme !== null) {
        this.programme(b.settlement.backstopProgramme).draft += b.draft.backstop_pay;
      }
      if (b.refused !== null) {
        this.refusedCount += 1;
        this.refusedByCode.set(b.refused.code, (this.refusedByCode.get(b.refused.code) ?? 0) + 1);
        if (this.refused.length < LIST_CAP) {
          this.refused.push({
            certno: s.certno,
            settlementId: s.settlementId,
            date: s.bill.date,
            visitType: s.bill.visitType,
            diagnosis: s.bill.diagnosis,
            code: b.refused.code,
            message: b.refused.message,
            fundPaid: s.actual.fund_pay_sumamt,
          });
        }
      }
      psnActual += s.actual.psn_part_amt;
      psnDraft += b.draft.psn_part_amt;
      fundActual += s.actual.fund_pay_sumamt;
      fundDraft += b.draft.fund_pay_sumamt;
      if (same && !sameAmounts(s.actual, b.draft)) same = false;
    }
    this.people += 1;
    if (p.hadCancellation) {
      this.withCancellation += 1;
      if (!same && this.cancelled.length < LIST_CAP) {
        this.cancelled.push({ certno: p.certno, year: p.year, fundChange: fundDraft - fundActual });
      }
    } else if (same) this.reproduced += 1;
    else this.changed += 1;

    this.recordChange({
      certno: p.certno,
      ref,
      township,
      categories,
      actual: psnActual,
      draft: psnDraft,
      change: psnDraft - psnActual,
    });
    this.checkLines(p, ref, township, categories, lines);
  }

  private programme(code: string): { actual: Fen; draft: Fen } {
    let p = this.programmes.get(code);
    if (!p) {
      p = { actual: 0, draft: 0 };
      this.programmes.set(code, p);
    }
    return p;
  }

  private recordChange(c: PersonChange): void {
    if (this.people > this.changes.length) {
      const grown = new Float64Array(this.changes.length * 2);
      grown.set(this.changes);
      this.changes = grown;
    }
    this.changes[this.people - 1] = c.change;
    if (c.change > 0) {
      this.increases.push(c);
      if (this.increases.length > TOP * 4) this.increases = topOf(this.increases, -1);
    } else if (c.change < 0) {
      this.decreases.push(c);
      if (this.decreases.length > TOP * 4) this.decreases = topOf(this.decreases, 1);
    }
  }

  private checkLines(
    p: PersonOutcome,
    ref: number,
    township: string,
    categories: string[],
    lines: { actual: WarningLine; draft: WarningLine },
  ): void {
    for (const threshold of ['inscope', 'total'] as const) {
      const line = (l: WarningLine) => (threshold === 'inscope' ? l.inscopeLine : l.totalLine);
      const applies = (l: WarningLine) =>
        threshold === 'total' || categories.some((c) => l.inscopeCategories.includes(c));
      const burden = (b: { oopInscope: Fen; oopTotal: Fen }) =>
        threshold === 'inscope' ? b.oopInscope : b.oopTotal;
      // "Exceeds" is strict, as monitoring's (a burden at the line does not warn).
      const before = applies(lines.actual) && burden(p.actualBurden) > line(lines.actual);
      const after = applies(lines.draft) && burden(p.draftBurden) > line(lines.draft);
      if (before === after) continue;
      const direction = after ? 'crosses' : 'no_longer';
      this.crossingsTotal[direction] += 1;
      if (this.crossings.length >= LIST_CAP) continue;
      this.crossings.push({
        certno: p.certno,
        ref,
        township,
        categories,
        threshold,
        direction,
        actualBurden: burden(p.actualBurden),
        draftBurden: burden(p.draftBurden),
        actualLine: line(lines.actual),
        draftLine: line(lines.draft),
      });
    }
  }

  result(): ReplayResult {
    const obj = (m: Map<string, Pair>) =>
      Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return {
      counts: {
        bills: this.bills,
        people: this.people,
        refused: this.refusedCount,
        reproduced: this.reproduced,
        changed: this.changed,
        withCancellation: this.withCancellation,
      },
      totals: this.totals,
      byMonth: obj(this.byMonth),
      byTownship: obj(this.byTownship),
      byCategory: obj(this.byCategory),
      byVisitType: obj(this.byVisitType),
      backstopProgrammes: Object.fromEntries(
        [...this.programmes.entries()].sort(([a], [b]) => a.localeCompare(b)),
      ),
      distribution: distribution(this.changes.subarray(0, this.people)),
      largestIncrease: topOf(this.increases, -1).slice(0, TOP),
      largestDecrease: topOf(this.decreases, 1).slice(0, TOP),
      crossings: [...this.crossings].sort(
        (a, b) => a.township.localeCompare(b.township) || a.certno.localeCompare(b.certno),
      ),
      crossingsTotal: { ...this.crossingsTotal },
      refused: this.refused,
      refusedByCode: Object.fromEntries(this.refusedByCode),
      cancelled: this.cancelled,
      regionNames: {},
    };
  }
}

/** The TOP largest changes: `sign` -1 for the largest rises, 1 for the largest falls. */
function topOf(list: PersonChange[], sign: 1 | -1): PersonChange[] {
  // ID numbers are ASCII: a plain comparison orders them, without the locale's cost.
  return [...list]
    .sort((a, b) => sign * (a.change - b.change) || (a.certno < b.certno ? -1 : 1))
    .slice(0, TOP);
}

/** The nearest-rank percentile of sorted values. */
const rank = (sorted: Float64Array, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

const decilesOf = (sorted: Float64Array): Fen[] =>
  sorted.length > 0 ? [10, 20, 30, 40, 50, 60, 70, 80, 90].map((p) => rank(sorted, p)) : [];

export function distribution(changes: Float64Array): Distribution {
  const sorted = Float64Array.from(changes).sort();
  let more = 0;
  let less = 0;
  let sum = 0;
  for (const c of sorted) {
    sum += c;
    if (c > 0) more += 1;
    else if (c < 0) less += 1;
  }
  const n = sorted.length;
  return {
    people: n,
    pays_more: more,
    pays_less: less,
    unchanged: n - more - less,
    min: n > 0 ? sorted[0]! : 0,
    max: n > 0 ? sorted[n - 1]! : 0,
    // Half up, as every rounding of money here.
    mean: n > 0 ? Math.floor(sum / n + 0.5) : 0,
    deciles: decilesOf(sorted),
    changedDeciles: decilesOf(sorted.filter((c) => c !== 0)),
  };
}
