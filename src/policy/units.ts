/**
 * Scalars as bureau staff write them in a pack, converted to program units.
 *
 * - Money is yuan: `500`, `8926.25`, `"200,000"` → fen (kernel parseYuan: at most two decimals,
 *   never negative).
 * - Ratios and shares are percent: `80%`, `"62.5 %"` or a bare `80` → basis points, 0–100 %.
 *   A bare number between 0 and 1 is refused: `0.8` is far more likely a fraction meant as 80 %
 *   than a ratio of 0.8 %, and a silent factor-of-100 error is the worst mistake a pack can hold.
 * - Points (a tilt or a remote cut) are percentage points: `10` or `10%` → 1,000 bp.
 * - Dates are `YYYY-MM-DD`.
 */
import { parseYuan, type Fen } from '../kernel/money.ts';
import { percent, type Bp } from '../kernel/ratio.ts';
import { isDate, type IsoDate } from '../kernel/period.ts';
import { isTriguardError } from '../kernel/errors.ts';
import type { DiagnosisPattern } from './model.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; en: string; zh: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(en: string, zh: string): Parsed<T> => ({ ok: false, en, zh });

/** How a raw YAML value reads back in a message. */
export const show = (raw: unknown): string =>
  typeof raw === 'string' ? raw : raw === undefined ? '(missing)' : JSON.stringify(raw);

export function parseMoney(raw: unknown): Parsed<Fen> {
  if (typeof raw !== 'number' && typeof raw !== 'string') {
    return fail(`${show(raw)} is not an amount in yuan`, `${show(raw)} 不是金额（元）`);
  }
  try {
    return ok(parseYuan(raw, 'value'));
  } catch (e) {
    if (!isTriguardError(e)) throw e;
    switch (e.code) {
      case 'money.negative':
        return fail(`${show(raw)} must not be negative`, `${show(raw)} 不能为负数`);
      case 'money.too_many_decimals':
        return fail(`${show(raw)} has more than two decimals`, `${show(raw)} 最多两位小数`);
      default:
        return fail(`${show(raw)} is not an amount in yuan`, `${show(raw)} 不是金额（元）`);
    }
  }
}

export function parseMoneyOrNull(raw: unknown): Parsed<Fen | null> {
  return raw === null ? ok(null) : parseMoney(raw);
}

const PERCENT_RE = /^(\d+(?:\.\d{1,2})?)\s*%?$/;

function parsePercentNumber(raw: unknown): Parsed<{ pct: number; bare: boolean }> {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
  const m = text === null ? null : PERCENT_RE.exec(text);
  if (!m || text === null) {
    return fail(
      `${show(raw)} is not a percentage (write 80%)`,
      `${show(raw)} 不是百分比（如 80%）`,
    );
  }
  return ok({ pct: Number(m[1]), bare: !text.endsWith('%') });
}

/** A ratio or share: 0–100 %. */
export function parseRatio(raw: unknown): Parsed<Bp> {
  const p = parsePercentNumber(raw);
  if (!p.ok) return p;
  const { pct, bare } = p.value;
  if (bare && pct > 0 && pct < 1) {
    return fail(
      `${show(raw)} looks like a fraction; write ${pct * 100}% if that is meant`,
      `${show(raw)} 像是小数比例；如指 ${pct * 100}% 请写成百分数`,
    );
  }
  if (pct > 100) return fail(`${show(raw)} is above 100 %`, `${show(raw)} 超过 100 %`);
  return ok(percent(pct));
}

/** Percentage points: 0–100. */
export function parsePoints(raw: unknown): Parsed<Bp> {
  const p = parsePercentNumber(raw);
  if (!p.ok) return p;
  if (p.value.pct > 100) {
    return fail(`${show(raw)} is more than 100 points`, `${show(raw)} 超过 100 个百分点`);
  }
  return ok(percent(p.value.pct));
}

export function parseIsoDate(raw: unknown): Parsed<IsoDate> {
  if (typeof raw === 'string' && isDate(raw)) return ok(raw);
  return fail(
    `${show(raw)} is not a date (YYYY-MM-DD)`,
    `${show(raw)} 不是日期（应为 YYYY-MM-DD）`,
  );
}

/** A whole number of days, 0 to 3,660 (ten years). */
export function parseDays(raw: unknown): Parsed<number> {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 3_660) return ok(raw);
  return fail(
    `${show(raw)} is not a whole number of days (0–3660)`,
    `${show(raw)} 不是天数（0–3660 的整数）`,
  );
}

/** A chapter letter alone (`C`: every malignant neoplasm), a category (`F20`) or a subcategory. */
const ICD_RE = /^[A-Z](\d{2}(\.\d{1,2})?)?$/;

/** `C`, `F20` or `F70-F79` (both ends the same length, in order). */
export function parseDiagnosisPattern(raw: unknown): Parsed<DiagnosisPattern> {
  const text = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  const [from = '', to = from, ...rest] = text.split(/\s*[-–]\s*/);
  if (rest.length === 0 && ICD_RE.test(from) && ICD_RE.test(to)) {
    if (from.length === to.length && from <= to) return ok({ from, to });
  }
  return fail(
    `${show(raw)} is not an ICD-10 code or range (e.g. F20, F70-F79)`,
    `${show(raw)} 不是 ICD-10 编码或区间（如 F20、F70-F79）`,
  );
}

export const formatDiagnosisPattern = (p: DiagnosisPattern): string =>
  p.from === p.to ? p.from : `${p.from}-${p.to}`;
