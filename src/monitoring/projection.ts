/**
 * The near-threshold watch list's projection (预测): from the burden so far and the months of
 * the year elapsed, the average monthly spending, the burden at year end at that pace, and the
 * month the line would be crossed. Pure and deliberately simple: a straight line from January.
 */
import type { Fen } from '../kernel/money.ts';
import { addMonths, type Month } from '../kernel/period.ts';

export interface Projection {
  /** Average burden per month so far (fen, rounded down). */
  monthlyAverage: Fen;
  /** The burden on 31 December at that pace. */
  yearEnd: Fen;
  /** The first month whose end the burden would pass the line at that pace, within the year. */
  crossingMonth: Month | null;
}

/**
 * `asOf` is the last month counted (the run's month): its burden is what the accumulator holds.
 * A person at or above the line gets `crossingMonth = asOf`.
 */
export function project(amount: Fen, line: Fen, asOf: Month): Projection {
  const elapsed = Number(asOf.slice(5, 7));
  const monthlyAverage = Math.floor(amount / elapsed);
  const yearEnd = amount + monthlyAverage * (12 - elapsed);
  let crossingMonth: Month | null = null;
  if (amount > line) crossingMonth = asOf;
  else if (monthlyAverage > 0) {
    // Months after `asOf` until the burden passes the line: smallest k with amount + k·avg > line.
    const k = Math.floor((line - amount) / monthlyAverage) + 1;
    if (elapsed + k <= 12) crossingMonth = addMonths(asOf, k);
  }
  return { monthlyAverage, yearEnd, crossingMonth };
}
