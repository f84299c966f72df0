/**
 * Periods. The medical year is the calendar year of the bill date (docs/settlement.md §3). Months are
 * `YYYY-MM` strings; flags hold inclusive month ranges with an open end allowed (§4).
 */
import { invalid } from './errors.ts';

/** A calendar date as `YYYY-MM-DD`. */
export type IsoDate = string;
/** A month as `YYYY-MM`. */
export type Month = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

export function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const dim = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= dim;
}

export const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function parseDate(text: string, field: string): IsoDate {
  const m = DATE_RE.exec(text);
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw invalid(
      'date.invalid',
      field,
      `${field} 日期无效（应为 YYYY-MM-DD）：${text}`,
      `${field} is not a valid date (YYYY-MM-DD): ${text}`,
    );
  }
  return text;
}

export function parseMonth(text: string, field: string): Month {
  const m = MONTH_RE.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw invalid(
      'month.invalid',
      field,
      `${field} 月份无效（应为 YYYY-MM）：${text}`,
      `${field} is not a valid month (YYYY-MM): ${text}`,
    );
  }
  return text;
}

/**
 * A date as people write it, normalised to `YYYY-MM-DD`: 2022-2-3, 2022/2/3, 2022.2.3,
 * 2022年2月3日 and 20220203 are all 2022-02-03. Null when it is not a real day. Files and the API's
 * date fields read dates with it, so a clerk's spelling means the same everywhere.
 */
export function normaliseDate(text: string): IsoDate | null {
  const t = text.trim();
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/** A month as people write it (2022-2, 2022/2, 2022.2, 2022年2月, 202202), as `YYYY-MM`; or null. */
export function normaliseMonth(text: string): Month | null {
  const t = text.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(t) ?? /^(\d{4})(\d{2})$/.exec(t);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
  return `${m[1]}-${m[2]!.padStart(2, '0')}`;
}

export const isDate = (text: string): boolean => {
  const m = DATE_RE.exec(text);
  return !!m && isValidDate(Number(m[1]), Number(m[2]), Number(m[3]));
};

export const isMonth = (text: string): boolean => {
  const m = MONTH_RE.exec(text);
  return !!m && Number(m[1]) >= 1 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
};

/** The medical year of a date: its calendar year. */
export const medicalYear = (date: IsoDate): number => Number(date.slice(0, 4));

/** The month a date falls in. */
export const monthOf = (date: IsoDate): Month => date.slice(0, 7);

export function addMonths(month: Month, n: number): Month {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}`;
}

/** An inclusive month range; `to: null` is open-ended. */
export interface MonthRange {
  from: Month;
  to: Month | null;
}

/** Does the range hold the month of `date`? Lexical order of `YYYY-MM` is calendar order. */
export function rangeHolds(range: MonthRange, date: IsoDate): boolean {
  const month = monthOf(date);
  return range.from <= month && (range.to === null || month <= range.to);
}

export function rangesOverlap(a: MonthRange, b: MonthRange): boolean {
  const aEnd = a.to ?? '9999-12';
  const bEnd = b.to ?? '9999-12';
  return a.from <= bEnd && b.from <= aEnd;
}

/** Dates compare lexically too; an open `to` is the far future. */
export function dateInRange(date: IsoDate, from: IsoDate, to: IsoDate | null | undefined): boolean {
  return from <= date && (to == null || date <= to);
}
