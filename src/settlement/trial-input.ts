/**
 * Reads the trial document of docs/settlement.md §6: a pack name, the person's categories with month
 * ranges, and bills with amounts in yuan. The first broken rule is raised as `unprocessable`
 * naming its field (`bills[2].lines[0].overLimit`), so the CLI and the HTTP route say the same.
 */
import { unprocessable } from '../kernel/errors.ts';
import { parseMonth, type MonthRange } from '../kernel/period.ts';
import type { Category } from '../policy/index.ts';
import type { Bill } from './bill.ts';
import { readBill, YUAN_UNITS } from './bill-read.ts';
import { TWO_DISEASE_CODES, type CoverageEvidence, type CoverageSpan } from './coverage.ts';
import {
  asRule,
  checkArray,
  checkCategory,
  checkDate,
  checkObject,
  checkText,
} from './field-rules.ts';

export interface CategoryRange extends MonthRange {
  code: Category;
}

export interface TrialBill {
  id: string;
  bill: Bill;
}

export interface TrialInput {
  pack: string;
  categories: CategoryRange[];
  /** Certificates and filings; a list the person does not have is not checked (docs/chronic.md §4). */
  evidence: CoverageEvidence;
  bills: TrialBill[];
}

export function readTrialInput(raw: unknown): TrialInput {
  const doc = checkObject(raw, 'body', ['pack', 'person', 'bills']);
  const pack = checkText(doc.pack, 'pack');
  // A person with no categories is an ordinary insured person: both levels may be left out.
  const person =
    doc.person === undefined
      ? {}
      : checkObject(doc.person, 'person', ['categories', 'certificates', 'filings']);
  const categories = checkArray(person.categories ?? [], 'person.categories', false).map((c, i) =>
    readCategory(c, `person.categories[${i}]`),
  );
  const evidence: CoverageEvidence = {};
  if (person.certificates !== undefined) {
    // Certificate diseases are checked against the pack's catalogue once the pack is read.
    evidence.certificates = checkArray(person.certificates, 'person.certificates', false).map(
      (c, i) => readSpan(c, `person.certificates[${i}]`, null),
    );
  }
  if (person.filings !== undefined) {
    evidence.filings = checkArray(person.filings, 'person.filings', false).map((c, i) =>
      readSpan(c, `person.filings[${i}]`, TWO_DISEASE_CODES),
    );
  }
  const seen = new Set<string>();
  const bills = checkArray(doc.bills, 'bills', true).map((b, i) => {
    const field = `bills[${i}]`;
    const id = readId(checkObject(b, field).id, `${field}.id`, i);
    if (seen.has(id)) {
      throw unprocessable(
        'trial.duplicate_bill_id',
        `${field}.id`,
        `${field}.id 与前面的单据重复：${id}`,
        `${field}.id repeats an earlier bill: ${id}`,
      );
    }
    seen.add(id);
    return { id, bill: readBill(b, field, YUAN_UNITS, ['id']) };
  });
  return { pack, categories, evidence, bills };
}

/** `{disease, from, to}` with dates, `to` null or absent for open; `known` limits the disease. */
function readSpan(raw: unknown, field: string, known: readonly string[] | null): CoverageSpan {
  const o = checkObject(raw, field, ['disease', 'from', 'to']);
  const disease = checkText(o.disease, `${field}.disease`);
  if (known !== null && !known.includes(disease))
    throw unknownDisease(`${field}.disease`, disease, known);
  const from = checkDate(o.from, `${field}.from`);
  const to = o.to === undefined || o.to === null ? null : checkDate(o.to, `${field}.to`);
  refuseReversed(field, from, to);
  return { disease, from, to };
}

/** A period whose `to` comes before its `from` (dates or months, compared as text). */
function refuseReversed(field: string, from: string, to: string | null): void {
  if (to === null || to >= from) return;
  throw unprocessable(
    'period.reversed',
    `${field}.to`,
    `${field}.to 早于 from：${to} < ${from}`,
    `${field}.to is before from: ${to} < ${from}`,
  );
}

export function unknownDisease(field: string, disease: string, known: readonly string[]) {
  return unprocessable(
    'person.disease_unknown',
    field,
    `${field} 病种未知：${disease}（可选：${known.join('、')}）`,
    `${field} is an unknown disease: ${disease} (one of ${known.join(', ')})`,
  );
}

/** Every certificate names a disease of the pack's catalogue (bad input otherwise, docs/chronic.md §4). */
export function checkCertificateDiseases(input: TrialInput, catalogue: readonly string[]): void {
  input.evidence.certificates?.forEach((c, i) => {
    if (!catalogue.includes(c.disease)) {
      throw unknownDisease(`person.certificates[${i}].disease`, c.disease, catalogue);
    }
  });
}

/** Results are matched by id; a bill without one is named by its position, from 1. */
function readId(v: unknown, field: string, index: number): string {
  if (v === undefined || v === null) return String(index + 1);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return checkText(v, field);
}

function readCategory(raw: unknown, field: string): CategoryRange {
  const o = checkObject(raw, field, ['code', 'from', 'to']);
  const code = checkCategory(o.code, `${field}.code`);
  const from = readMonth(o.from, `${field}.from`);
  const to = o.to === undefined || o.to === null ? null : readMonth(o.to, `${field}.to`);
  refuseReversed(field, from, to);
  return { code, from, to };
}

function readMonth(v: unknown, field: string): string {
  return asRule(() => parseMonth(typeof v === 'string' ? v : JSON.stringify(v ?? null), field));
}
