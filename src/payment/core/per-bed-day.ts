/**
 * Per bed-day payment (按床日付费), docs/payment.md §3: a stay's days from admission and discharge,
 * the short-stay rule (paid by item), the long-stay rule (days beyond the limit at a reduced
 * rate), summed exactly and rounded once per statement line.
 */
import { roundBpSum } from '../../kernel/ratio.ts';
import { invalid } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';

const dayNumber = (d: IsoDate): number =>
  Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

/**
 * Days of a stay (§3): discharge minus admission, a same-day stay counting one day. A discharge
 * before the admission is refused naming the field.
 */
export function stayDays(admission: IsoDate, discharge: IsoDate, field = 'dischargeDate'): number {
  const n = dayNumber(discharge) - dayNumber(admission);
  if (n < 0) {
    throw invalid(
      'payment.discharge_before_admission',
      field,
      `出院日期（${discharge}）早于入院日期（${admission}）`,
      `the discharge (${discharge}) precedes the admission (${admission})`,
    );
  }
  return Math.max(1, n);
}

export interface BedDayRules {
  shortStayDays: number;
  longStayDays: number;
  longStayRatio: number;
}

/** Stays of one line grouped by length: `count` stays of `days` days whose items came to `items`. */
export interface StayGroup {
  days: number;
  count: number;
  items: number;
}

/** The exact amount of a group of stays, in fen × 10,000 (§3). */
export function stayNumerator(rate: number, r: BedDayRules, s: StayGroup): bigint {
  if (s.days < r.shortStayDays) return BigInt(s.items) * 10_000n;
  const full = Math.min(s.days, r.longStayDays);
  const beyond = Math.max(0, s.days - r.longStayDays);
  const perStay =
    BigInt(rate) * BigInt(full) * 10_000n + BigInt(rate) * BigInt(beyond) * BigInt(r.longStayRatio);
  return perStay * BigInt(s.count);
}

/** One statement line: every stay of the line at the rate, rounded half up once. */
export function perBedDayLine(rate: number, r: BedDayRules, stays: readonly StayGroup[]): number {
  let sum = 0n;
  for (const s of stays) sum += stayNumerator(rate, r, s);
  return sum < 0n ? -roundBpSum(-sum) : roundBpSum(sum);
}

/**
 * A line's stays reduced to what §3 pays them by, so the database can sum them without listing
 * each stay's length: the days at the full rate and beyond `long_stay_days` of the stays of at
 * least `short_stay_days` (each × its count, so a cancellation takes its stay back), the items of
 * the short stays, and the items and number of rows of bills without a dated stay.
 */
export interface StaySums {
  fullDays: number;
  beyondDays: number;
  shortItems: number;
  undatedItems: number;
  /** Rows (settlements and cancellations) without a dated stay: any makes the line say so. */
  undatedRows: number;
}

export const NO_STAYS: StaySums = {
  fullDays: 0,
  beyondDays: 0,
  shortItems: 0,
  undatedItems: 0,
  undatedRows: 0,
};

/** Stay groups (days 0: no dated stay) summed as §3 pays them. */
export function sumStays(r: BedDayRules, stays: readonly StayGroup[]): StaySums {
  const out = { ...NO_STAYS };
  for (const s of stays) {
    if (s.days <= 0) {
      out.undatedItems += s.items;
      out.undatedRows += 1;
    } else if (s.days < r.shortStayDays) out.shortItems += s.items;
    else {
      out.fullDays += Math.min(s.days, r.longStayDays) * s.count;
      out.beyondDays += Math.max(0, s.days - r.longStayDays) * s.count;
    }
  }
  return out;
}

export const addStays = (a: StaySums, b: StaySums): StaySums => ({
  fullDays: a.fullDays + b.fullDays,
  beyondDays: a.beyondDays + b.beyondDays,
  shortItems: a.shortItems + b.shortItems,
  undatedItems: a.undatedItems + b.undatedItems,
  undatedRows: a.undatedRows + b.undatedRows,
});

/**
 * One statement line from its summed stays: the dated stays at the rate (short ones by item),
 * rounded half up once, plus the undated bills by item — what perBedDayLine gives stay by stay.
 */
export function perBedDayOwed(rate: number, r: BedDayRules, s: StaySums): number {
  const sum =
    BigInt(rate) * BigInt(s.fullDays) * 10_000n +
    BigInt(rate) * BigInt(s.beyondDays) * BigInt(r.longStayRatio) +
    BigInt(s.shortItems) * 10_000n;
  return (sum < 0n ? -roundBpSum(-sum) : roundBpSum(sum)) + s.undatedItems;
}
