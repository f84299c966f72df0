/**
 * Reading the fields of a national message, each named by its path in the message
 * (`input.data.psn_no`), so every refusal can say which field it is about.
 */
import { isTriguardError } from '../kernel/errors.ts';
import { parseYuan, type Fen } from '../kernel/money.ts';
import { isValidDate, type IsoDate } from '../kernel/period.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { fault } from './fault.ts';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field reader for one object of the message. */
export class Fields {
  constructor(
    readonly o: Json,
    readonly path: string,
  ) {}

  static of(v: unknown, path: string): Fields {
    if (!isObject(v)) throw fault(path, `${path} 应为对象`);
    return new Fields(v, path);
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    const v = this.o[key];
    return v !== undefined && v !== null && v !== '';
  }

  /** Optional text: numbers are accepted as their digits (HIS systems send both). */
  opt(key: string, max = 200): string | null {
    const v = this.o[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw fault(this.at(key), `${this.at(key)} 应为字符串`);
    }
    const t = String(v).trim();
    if (t.length > max) throw fault(this.at(key), `${this.at(key)} 超过 ${max} 个字符`);
    return t === '' ? null : t;
  }

  text(key: string, max = 200): string {
    const t = this.opt(key, max);
    if (t === null) throw fault(this.at(key), `${this.at(key)} 不能为空`);
    return t;
  }

  obj(key: string): Fields {
    return Fields.of(this.o[key], this.at(key));
  }

  optObj(key: string): Fields | null {
    return this.o[key] === undefined || this.o[key] === null ? null : this.obj(key);
  }

  /** An array of objects; a single object is read as a list of one (HIS systems send both). */
  list(key: string, nonEmpty = true): Fields[] {
    const v = this.o[key];
    const arr = Array.isArray(v)
      ? v
      : isObject(v)
        ? [v]
        : v === undefined || v === null
          ? []
          : null;
    if (arr === null) throw fault(this.at(key), `${this.at(key)} 应为数组`);
    if (nonEmpty && arr.length === 0) throw fault(this.at(key), `${this.at(key)} 不能为空`);
    return arr.map((x, i) => Fields.of(x, `${this.at(key)}[${i}]`));
  }

  /** A yuan amount with at most two decimals, to fen. */
  yuan(key: string): Fen {
    const v = this.o[key];
    if (v === undefined || v === null || v === '') {
      throw fault(this.at(key), `${this.at(key)} 不能为空`);
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw fault(this.at(key), `${this.at(key)} 不是有效金额`);
    }
    return rethrow(() => parseYuan(v, this.at(key)));
  }

  /** `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` → the date part. */
  date(key: string): IsoDate {
    return dateOf(this.text(key, 30), this.at(key));
  }

  /** A national time, kept as `yyyy-MM-dd HH:mm:ss` (a bare date is midnight). */
  /**
   * Whole days, optional: `""`, `0` or nothing mean none (HIS systems send all three); a decimal
   * rounds up, so a part day still counts as a day of the prescription.
   */
  days(key: string): number | null {
    const v = this.o[key];
    if (v === undefined || v === null || v === '') return null;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : Number.NaN;
    if (!Number.isFinite(n) || n < 0 || n > 36_600 || (typeof v === 'string' && v.trim() === '')) {
      throw fault(this.at(key), `${this.at(key)} 不是有效天数：${String(v)}`);
    }
    const days = Math.ceil(n);
    return days === 0 ? null : days;
  }

  time(key: string): string {
    return timeOf(this.text(key, 30), this.at(key));
  }

  /** psn_no: Triguard's person number is the 18-digit ID number (certno). */
  certno(key = 'psn_no'): string {
    const t = this.text(key, 20);
    return rethrow(() => normalizeId(t, this.at(key)));
  }
}

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export function timeOf(text: string, field: string): string {
  const m = TIME_RE.exec(text.trim());
  if (
    !m ||
    !isValidDate(Number(m[1]), Number(m[2]), Number(m[3])) ||
    Number(m[4] ?? 0) > 23 ||
    Number(m[5] ?? 0) > 59 ||
    Number(m[6] ?? 0) > 59
  ) {
    throw fault(field, `${field} 不是有效时间（yyyy-MM-dd HH:mm:ss）：${text}`);
  }
  return `${m[1]}-${m[2]}-${m[3]} ${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}`;
}

export const dateOf = (text: string, field: string): IsoDate => timeOf(text, field).slice(0, 10);

/** A kernel parser's error becomes a fault naming the same field. */
export function rethrow<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isTriguardError(e)) throw fault(e.field ?? '', e.messages.zh);
    throw e;
  }
}
