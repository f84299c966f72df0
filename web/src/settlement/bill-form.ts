/**
 * The bill as the settlement window and the trial edit it, and its validation with the API's own
 * rules: the zod schema the route declares (billSchema) and the rule-by-rule reader the service
 * runs (readLine and the field checks), so the browser says exactly what the server would, in
 * Chinese or English, next to the field — every field at once rather than the first only.
 */
import { billSchema } from '../../../src/settlement/persist/request.ts';
import { readLine } from '../../../src/settlement/bill-read.ts';
import { YUAN_UNITS } from '../../../src/settlement/bill-read.ts';
import {
  checkDate,
  checkDiagnosis,
  checkHospitalLevel,
  checkLineClass,
  checkRemote,
  checkVisitType,
} from '../../../src/settlement/field-rules.ts';
import { isTriguardError } from '../../../src/kernel/errors.ts';
import type { VisitType } from '../../../src/policy/types.ts';
import type { Message } from '../api/client.ts';

export type LineClass = 'A' | 'B' | 'C';
export type RemoteChoice = 'local' | 'filed' | 'unfiled';

export interface LineForm {
  /** Yuan as typed ("1,234.50" is fine). */
  amount: string;
  class: LineClass | '';
  /** Yuan; blank = none. */
  overLimit: string;
  /** Percent (10 = 10 %); blank = none. */
  selfPayPct: string;
}

export interface BillForm {
  date: string;
  visitType: VisitType;
  hospitalLevel: 1 | 2 | 3;
  diagnosis: string;
  remote: RemoteChoice;
  lines: LineForm[];
}

export const emptyLine = (): LineForm => ({ amount: '', class: '', overLimit: '', selfPayPct: '' });

export const newBill = (date: string): BillForm => ({
  date,
  visitType: 'inpatient',
  hospitalLevel: 2,
  diagnosis: '',
  remote: 'local',
  lines: [emptyLine()],
});

/** Field path (as the API names it, without the `bill.` prefix) → message. */
export type FieldErrors = Record<string, Message>;

const blank = (s: string) => s.trim() === '';

function percentToFraction(pct: string): number | string {
  const n = Number(pct.trim());
  // Not a number: passed on as text so the schema names the field.
  return Number.isFinite(n) ? Math.round(n * 100) / 10_000 : pct;
}

/**
 * The JSON the API takes for this bill (amounts in yuan, ratio as a fraction). `level: false`
 * leaves the hospital level out: a settlement takes the registered institution's.
 */
export function billBody(form: BillForm, opts: { level?: boolean } = {}) {
  return {
    date: form.date,
    visitType: form.visitType,
    ...(opts.level === false ? {} : { hospitalLevel: form.hospitalLevel }),
    diagnosis: form.diagnosis.trim(),
    remote: form.remote === 'local' ? null : form.remote,
    lines: form.lines.map((l) => ({
      amount: l.amount.trim(),
      class: l.class,
      ...(blank(l.overLimit) ? {} : { overLimit: l.overLimit.trim() }),
      ...(blank(l.selfPayPct) ? {} : { selfPayRatio: percentToFraction(l.selfPayPct) }),
    })),
  };
}

/** `lines.0.amount` → `lines[0].amount`. */
export function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function rule(errors: FieldErrors, check: () => unknown) {
  try {
    check();
  } catch (e) {
    if (!isTriguardError(e)) throw e;
    const field = (e.field ?? 'bill').replace(/^bill\.?/, '') || 'bill';
    // The rule messages start with the field path (for API clients); beside the field it is noise.
    const bare = (m: string) =>
      e.field && m.startsWith(`${e.field} `) ? m.slice(e.field.length + 1) : m;
    errors[field] ??= { zh: bare(e.messages.zh), en: bare(e.messages.en) };
  }
}

/** Every problem of the bill, by field; empty when the API would accept it. */
export function validateBill(form: BillForm): FieldErrors {
  const errors: FieldErrors = {};
  const body = billBody(form);
  const parsed = billSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = pathOf(issue.path) || 'bill';
      // zod speaks the language set in i18n/index.ts; the same text serves both.
      errors[field] ??= { zh: issue.message, en: issue.message };
    }
  }
  rule(errors, () => checkDate(body.date, 'date'));
  rule(errors, () => checkVisitType(body.visitType, 'visitType'));
  rule(errors, () => checkHospitalLevel(body.hospitalLevel, 'hospitalLevel'));
  rule(errors, () => checkDiagnosis(body.diagnosis, 'diagnosis'));
  rule(errors, () => checkRemote(body.remote, 'remote'));
  body.lines.forEach((line, i) => {
    const at = `lines[${i}]`;
    // Each field on its own first, so that every bad cell of a line is marked, then the line's
    // own rules across fields (over-limit above the amount, class C with a ratio…).
    rule(errors, () => YUAN_UNITS.money(line.amount, `${at}.amount`));
    rule(errors, () => checkLineClass(line.class, `${at}.class`));
    if ('overLimit' in line)
      rule(errors, () => YUAN_UNITS.money(line.overLimit, `${at}.overLimit`));
    if ('selfPayRatio' in line) {
      rule(errors, () => YUAN_UNITS.ratio(line.selfPayRatio, `${at}.selfPayRatio`));
    }
    rule(errors, () => readLine(line, at, YUAN_UNITS));
  });
  return errors;
}

/** An error the API answered, placed on the bill field it names (`bill.lines[0].amount`). */
export function apiFieldError(field: string | null): string | null {
  if (!field) return null;
  const m = /^bill\.(.+)$/.exec(field);
  return m ? m[1]! : null;
}

const CLASS_WORDS: Record<string, LineClass> = {
  A: 'A',
  B: 'B',
  C: 'C',
  甲: 'A',
  乙: 'B',
  丙: 'C',
  甲类: 'A',
  乙类: 'B',
  丙类: 'C',
};

/**
 * Lines pasted from a spreadsheet or typed: "amount class [overLimit [selfPay%]]" per line,
 * separated by tabs, commas (outside numbers) or spaces. Returns the lines it understood and the
 * line numbers (from 1) it did not.
 */
export function parsePastedLines(text: string): { lines: LineForm[]; bad: number[] } {
  const lines: LineForm[] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const row = raw.trim();
    if (!row) return;
    // Tabs first (Excel); otherwise commas followed by space or CJK commas, then spaces.
    const cells = (
      row.includes('\t') ? row.split('\t') : row.split(/\s*[，;；]\s*|\s+|,(?!\d{3}\b)/)
    )
      .map((c) => c.trim().replace(/%$/, ''))
      .filter((c) => c !== '');
    const [amount, cls, overLimit, pct] = cells;
    const c = cls ? (CLASS_WORDS[cls.toUpperCase()] ?? CLASS_WORDS[cls]) : undefined;
    if (!amount || !c || !/^-?[\d,]+(\.\d+)?$/.test(amount)) return void bad.push(i + 1);
    lines.push({ amount, class: c, overLimit: overLimit ?? '', selfPayPct: pct ?? '' });
  });
  return { lines, bad };
}
