/** Calendar helpers the rules share: pure, on `YYYY-MM-DD` and `YYYY-MM` strings. */
import { addMonths, monthOf, type IsoDate, type Month } from './period.ts';

export const firstDay = (month: Month): IsoDate => `${month}-01`;

export function lastDay(month: Month): IsoDate {
  const next = new Date(`${addMonths(month, 1)}-01T00:00:00Z`);
  next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const yearStart = (year: number): IsoDate => `${year}-01-01`;
export const yearEnd = (year: number): IsoDate => `${year}-12-31`;

/** The day a flag counts as recognised: its recognition date, else the first of its first month. */
export const recognitionDay = (f: { recognisedOn: IsoDate | null; fromMonth: Month }): IsoDate =>
  f.recognisedOn ?? firstDay(f.fromMonth);

export { monthOf };
