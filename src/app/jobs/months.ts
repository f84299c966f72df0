/** Which month a scheduled job works on. Pure: the clock comes in as an argument. */
import type { Month } from '../../kernel/period.ts';
import { addMonths } from '../../kernel/period.ts';

/** Bureaus keep China Standard Time (UTC+8, no daylight saving). */
const CST_MS = 8 * 3_600_000;

/** The month that has just ended at `now` in China Standard Time. */
export function monthJustEnded(now: Date): Month {
  const local = new Date(now.getTime() + CST_MS);
  const month = `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
  return addMonths(month, -1);
}

/** The medical year a daily re-check looks at: the year of yesterday (CST). */
export function recheckYear(now: Date): number {
  return new Date(now.getTime() + CST_MS - 86_400_000).getUTCFullYear();
}
