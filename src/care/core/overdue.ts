/**
 * The month's lists (docs/care.md §3): who is due a record, who is overdue. Pure: today is given.
 */
import type { IsoDate, Month } from '../../kernel/period.ts';
import { addMonths } from '../../kernel/period.ts';

export type MonthStatus = 'recorded' | 'due' | 'overdue';

/** The first and last day of a month. */
export function monthBounds(month: Month): { first: IsoDate; last: IsoDate } {
  const next = addMonths(month, 1);
  const last = new Date(`${next}-01T00:00:00Z`);
  last.setUTCDate(0);
  return { first: `${month}-01`, last: last.toISOString().slice(0, 10) };
}

/**
 * A contracted person without a record in `month` is due while the month runs and overdue once
 * it has ended; with a record they are recorded. A month not begun has nobody overdue.
 */
export function monthStatus(month: Month, recorded: boolean, today: IsoDate): MonthStatus {
  if (recorded) return 'recorded';
  return monthBounds(month).last < today ? 'overdue' : 'due';
}

export interface MonthCounts {
  contracted: number;
  recorded: number;
  /** Without a record: due while the month runs, overdue after it. */
  missing: number;
}

/** Share of records in basis points, half up; a month with nobody contracted is complete. */
export const recordedBp = (c: Pick<MonthCounts, 'contracted' | 'recorded'>): number =>
  c.contracted === 0
    ? 10_000
    : Math.floor((c.recorded * 10_000 * 2 + c.contracted) / (2 * c.contracted));
