/**
 * Money is integer fen (分) everywhere inside Triguard. Yuan strings exist only at the edges
 * (JSON, spreadsheets, the UI), with at most two decimals. See docs/settlement.md §1.
 */
import { invalid } from './errors.ts';

/** An amount in fen. Always a safe integer. */
export type Fen = number;

export interface ParseYuanOptions {
  /** Negative amounts are refused unless the field allows them (e.g. a cancellation's mirror). */
  allowNegative?: boolean;
}

const YUAN_RE = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parses a yuan amount ("12.5", "1,234.56", 12.5) into fen. More than two decimals, NaN,
 * infinities and (by default) negatives are refused with an error naming `field`.
 */
export function parseYuan(input: string | number, field: string, opts: ParseYuanOptions = {}): Fen {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) {
      throw invalid(
        'money.not_a_number',
        field,
        `${field} 不是有效金额`,
        `${field} is not a number`,
      );
    }
    // Shortest round-trip representation: 0.1 → "0.1", 1e21 → "1e+21" (refused below).
    text = String(input);
  } else {
    text = input.trim().replace(/,/g, '');
  }
  const m = YUAN_RE.exec(text);
  if (!m) {
    if (/^-?\d+\.\d{3,}$/.test(text)) {
      throw invalid(
        'money.too_many_decimals',
        field,
        `${field} 金额最多两位小数：${text}`,
        `${field} has more than two decimals: ${text}`,
      );
    }
    throw invalid(
      'money.not_a_number',
      field,
      `${field} 不是有效金额：${text}`,
      `${field} is not a valid amount: ${text}`,
    );
  }
  const negative = m[1] === '-';
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) {
    throw invalid('money.too_large', field, `${field} 金额过大`, `${field} is too large`);
  }
  if (negative && fen !== 0 && !opts.allowNegative) {
    throw invalid('money.negative', field, `${field} 不能为负数`, `${field} must not be negative`);
  }
  // '-0.00' is zero, not -0.
  return negative && fen !== 0 ? -fen : fen;
}

/**
 * The largest amount one bill line may carry: 99,999,999.99 yuan. Far above any real line, it
 * keeps a typo of many nines from becoming a bill that sums past what fen can hold.
 */
export const MAX_LINE_FEN: Fen = 9_999_999_999;

/** Formats fen as a yuan string with exactly two decimals: 1234550 → "12345.50". */
export function formatYuan(fen: Fen): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${yuan}.${cents.toString().padStart(2, '0')}`;
}

/**
 * Formats fen with thousands separators for people: 1234550 → "12,345.50". Every sentence of a
 * settlement's explanation formats a dozen amounts in two languages, so this groups by slicing:
 * splitting the plain form and grouping with a regular expression costs several times as much.
 */
export function formatYuanGrouped(fen: Fen): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const int = String(Math.floor(abs / 100));
  const cents = abs % 100;
  let i = int.length % 3 || 3;
  let grouped = int.slice(0, i);
  for (; i < int.length; i += 3) grouped += `,${int.slice(i, i + 3)}`;
  return `${fen < 0 ? '-' : ''}${grouped}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Fen as a JSON number of yuan (what docs/settlement.md §6 answers): 1300500 → 13005. */
export function fenToYuanNumber(fen: Fen): number {
  return Number(formatYuan(fen));
}

export function assertFen(fen: number): asserts fen is Fen {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
}

export const yuan = (y: number): Fen => Math.round(y * 100);
