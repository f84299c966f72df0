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
