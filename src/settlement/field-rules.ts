/**
 * Field-level rules of a bill's inputs. Every breach is `unprocessable` (HTTP 422): the trial and
 * the settle service take a well-formed document and report the first field that breaks a rule,
 * by its JSON path (`bills[2].lines[0].overLimit`), in Chinese and English.
 */
import { isTriguardError, TriguardError, unprocessable } from '../kernel/errors.ts';
import type { Fen } from '../kernel/money.ts';
import { parseDate, type IsoDate } from '../kernel/period.ts';
import { FULL, type Bp } from '../kernel/ratio.ts';
import { CATEGORIES, type Category } from '../kernel/categories.ts';
import { VISIT_TYPES, type HospitalLevel, type Remote, type VisitType } from '../kernel/visit.ts';
import { LINE_CLASSES, type LineClass } from './bill.ts';

/**
 * Kernel parsers (parseYuan, parseDate) raise `invalid`; for a settlement document a bad value in
 * a field is a broken rule of that document, so it is re-raised as `unprocessable`, same code.
 */
export function asRule<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (isTriguardError(e) && e.kind === 'invalid') {
      throw new TriguardError('unprocessable', e.code, e.field, e.messages);
    }
    throw e;
  }
}

const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v));

const oneOf = <T extends string>(
  list: readonly T[],
  v: unknown,
  field: string,
  code: string,
  zh: string,
  en: string,
): T => {
  if (typeof v === 'string' && (list as readonly string[]).includes(v)) return v as T;
  throw unprocessable(
    code,
    field,
    `${field} ${zh}：${show(v)}（可选：${list.join('、')}）`,
    `${field} ${en}: ${show(v)} (one of ${list.join(', ')})`,
  );
};

export const checkVisitType = (v: unknown, field: string): VisitType =>
  oneOf(
    VISIT_TYPES,
    v,
    field,
    'bill.visit_type_unknown',
    '就诊类型未知',
    'is an unknown visit type',
  );

export const checkCategory = (v: unknown, field: string): Category =>
  oneOf(CATEGORIES, v, field, 'person.category_unknown', '身份类别未知', 'is an unknown category');

export const checkLineClass = (v: unknown, field: string): LineClass =>
  oneOf(LINE_CLASSES, v, field, 'bill.line_class_unknown', '费用类别未知', 'is an unknown class');

export function checkHospitalLevel(v: unknown, field: string): HospitalLevel {
  if (v === 1 || v === 2 || v === 3) return v;
  throw unprocessable(
    'bill.hospital_level',
    field,
    `${field} 医院等级应为 1、2 或 3：${show(v)}`,
    `${field} must be hospital level 1, 2 or 3: ${show(v)}`,
  );
}

export function checkRemote(v: unknown, field: string): Remote {
  if (v === null || v === 'filed' || v === 'unfiled') return v;
  throw unprocessable(
    'bill.remote',
    field,
    `${field} 异地就医状态应为 null（本地）、filed（已备案）或 unfiled（未备案）：${show(v)}`,
    `${field} must be null (local), "filed" or "unfiled": ${show(v)}`,
  );
}

/** ICD-10 as hospitals send it: a letter, two digits, then an optional dotted extension. */
const ICD10_RE = /^[A-Z]\d{2}(\.[0-9A-Za-z+*]{1,10})?$/;

export function checkDiagnosis(v: unknown, field: string): string {
  const code = typeof v === 'string' ? v.trim() : '';
  // Only the chapter letter is case-folded: national extensions carry a meaningful lower-case x.
  const normal = code.charAt(0).toUpperCase() + code.slice(1);
  if (ICD10_RE.test(normal)) return normal;
  throw unprocessable(
    'bill.diagnosis',
    field,
    `${field} 不是有效的 ICD-10 诊断编码：${show(v)}`,
    `${field} is not an ICD-10 diagnosis code: ${show(v)}`,
  );
}

export function checkDate(v: unknown, field: string): IsoDate {
  if (typeof v !== 'string') {
    throw unprocessable(
      'date.invalid',
      field,
      `${field} 应为日期 YYYY-MM-DD：${show(v)}`,
      `${field} must be a date YYYY-MM-DD: ${show(v)}`,
    );
  }
  return asRule(() => parseDate(v, field));
}

/** A non-negative whole amount of fen. */
export function checkFen(v: unknown, field: string): Fen {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'number' && v < 0) {
    throw unprocessable(
      'money.negative',
      field,
      `${field} 不能为负数`,
      `${field} must not be negative`,
    );
  }
  throw unprocessable(
    'money.not_fen',
    field,
    `${field} 应为非负整数（分）：${show(v)}`,
    `${field} must be a non-negative whole number of fen: ${show(v)}`,
  );
}

/** Days a prescription covers: a whole number from 1. */
export function checkDays(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) return v;
  throw unprocessable(
    'bill.days',
    field,
    `${field} 处方天数应为正整数：${show(v)}`,
    `${field} must be a whole number of days from 1: ${show(v)}`,
  );
}

/** A national catalogue code (med_list_codg): letters, digits, `.`, `-`, `_`, at most 50. */
const ITEM_CODE_RE = /^[A-Za-z0-9._-]{1,50}$/;

export function checkItemCode(v: unknown, field: string): string {
  if (typeof v === 'string' && ITEM_CODE_RE.test(v.trim())) return v.trim();
  throw unprocessable(
    'bill.item_code',
    field,
    `${field} 应为医保目录编码（字母、数字，最长 50 位）：${show(v)}`,
    `${field} must be a national catalogue code (letters and digits, at most 50): ${show(v)}`,
  );
}

export function checkBp(v: unknown, field: string): Bp {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= FULL) return v;
  throw unprocessable(
    'bill.ratio_range',
    field,
    `${field} 比例应在 0 到 100% 之间：${show(v)}`,
    `${field} must be a ratio between 0 and 100%: ${show(v)}`,
  );
}

/** A required string field. */
export function checkText(v: unknown, field: string): string {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  throw unprocessable('field.required', field, `${field} 不能为空`, `${field} is required`);
}

/** Turns a mistyped container into a field error instead of a TypeError further down. */
/**
 * An object, with only the keys listed when `allowed` is given: an unknown field is refused rather
 * than ignored, so a misspelt `overlimit` never settles as if it were absent.
 */
export function checkObject(
  v: unknown,
  field: string,
  allowed?: readonly string[],
): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw unprocessable(
      'field.not_object',
      field,
      `${field} 应为对象`,
      `${field} must be an object`,
    );
  }
  const o = v as Record<string, unknown>;
  if (allowed) {
    const extra = Object.keys(o).find((k) => !allowed.includes(k));
    if (extra !== undefined) {
      const at = field === 'body' ? extra : `${field}.${extra}`;
      throw unprocessable(
        'field.unknown',
        at,
        `${at} 不是可识别的字段（可用：${allowed.join('、')}）`,
        `${at} is not a known field (known: ${allowed.join(', ')})`,
      );
    }
  }
  return o;
}

export function checkArray(v: unknown, field: string, nonEmpty: boolean): unknown[] {
  if (Array.isArray(v) && (!nonEmpty || v.length > 0)) return v;
  throw unprocessable(
    'field.not_list',
    field,
    nonEmpty ? `${field} 应为非空列表` : `${field} 应为列表`,
    nonEmpty ? `${field} must be a non-empty list` : `${field} must be a list`,
  );
}
