/**
 * Who a chronic or two-diseases visit is paid for (docs/chronic.md §3). A 门诊慢特病 visit is paid
 * only for a catalogue disease the person holds a certificate for; a 两病 visit only for
 * hypertension or diabetes, at primary care, for a filed patient, with prescriptions of at most
 * two months. A refused bill is not settled: it pays nothing and adds nothing to any accumulator.
 *
 * Pure: the caller supplies the certificates and filings. The trial takes them from its document;
 * day-to-day settlement reads them from the registry of certificates and raises the refusal as a
 * 422 (`refusalError`). An absent list means "not checked" (the trial then answers for a
 * certified or filed patient); an empty list checks and finds none.
 */
import { TriguardError } from '../kernel/errors.ts';
import type { IsoDate } from '../kernel/period.ts';
import { matchesDiagnosis } from '../policy/diagnosis.ts';
import type { DiagnosisPattern } from '../policy/model.ts';
import type { ResolvedParams } from '../policy/types.ts';
import type { Bill } from './bill.ts';
import { calculate, type Settlement } from './calculate.ts';
import type { Accumulators } from './accumulators.ts';

/** The two diseases of 门诊两病 and their diagnoses (seed 002, settlement.md §5). */
export const TWO_DISEASES = {
  hypertension: [{ from: 'I10', to: 'I15' }],
  diabetes: [{ from: 'E10', to: 'E14' }],
} as const satisfies Record<string, readonly DiagnosisPattern[]>;
export type TwoDisease = keyof typeof TWO_DISEASES;
export const TWO_DISEASE_CODES = Object.keys(TWO_DISEASES) as TwoDisease[];
/** 两病 is primary care (基层) only. */
export const TWO_DISEASES_LEVEL = 1;
/** A two-diseases prescription covers at most two months. */
export const TWO_DISEASES_MAX_DAYS = 60;

/** A certificate (门诊慢特病证) or a 两病 filing, valid from `from` to `to` (inclusive, null open). */
export interface CoverageSpan {
  /** A catalogue disease code (`M002`) for a certificate; `hypertension` | `diabetes` for a filing. */
  disease: string;
  from: IsoDate;
  to: IsoDate | null;
}

/** What the registry knows of the person; an absent list is not checked (docs/chronic.md §4). */
export interface CoverageEvidence {
  certificates?: readonly CoverageSpan[] | undefined;
  filings?: readonly CoverageSpan[] | undefined;
}

export const REFUSAL_CODES = [
  'chronic.not_in_catalogue',
  'chronic.no_certificate',
  'two_diseases.diagnosis',
  'two_diseases.level',
  'two_diseases.days',
  'two_diseases.not_filed',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  /** The field as the caller names the bill: `bills[2].hospitalLevel`, `bill.lines[0].days`. */
  field: string;
  message: { zh: string; en: string };
}

/** The two-diseases disease a diagnosis belongs to, or null. */
export function twoDiseaseOf(diagnosis: string): TwoDisease | null {
  return TWO_DISEASE_CODES.find((d) => matchesDiagnosis(TWO_DISEASES[d], diagnosis)) ?? null;
}

const holds = (span: CoverageSpan, date: IsoDate) =>
  span.from <= date && (span.to === null || date <= span.to);

const covered = (spans: readonly CoverageSpan[] | undefined, disease: string, date: IsoDate) =>
  spans === undefined || spans.some((s) => s.disease === disease && holds(s, date));

/**
 * The first rule of docs/chronic.md §3 the bill breaks, in the table's order, or null when it may be
 * settled. `params` are the bill's resolved parameters (its catalogue disease and the categories
 * the person holds on the bill date); `field` names the bill in the caller's document (`bills[2]`
 * in a trial, `bill` in a settle request). Other visit types are never refused here.
 */
export function coverageRefusal(
  params: ResolvedParams,
  bill: Bill,
  evidence: CoverageEvidence,
  field: string,
): Refusal | null {
  const d = bill.diagnosis;
  switch (bill.visitType) {
    case 'chronic_outpatient': {
      const disease = params.disease;
      if (disease === null) {
        return refusal('chronic.not_in_catalogue', `${field}.diagnosis`, {
          zh: `诊断 ${d} 不属于政策包 ${params.pack} 门诊慢特病病种目录的任何病种，不能按门诊慢特病结算（可按普通门诊等方式结算）`,
          en: `diagnosis ${d} is not a disease of the chronic and special disease catalogue of ${params.pack}; settle the visit another way (e.g. as a general outpatient visit)`,
        });
      }
      // A registered severe mental disorder patient needs no certificate for S004 (seed 001).
      const flagged = disease.severeMental && params.context.categories.includes('severe_mental');
      if (!flagged && !covered(evidence.certificates, disease.code, bill.date)) {
        return refusal('chronic.no_certificate', `${field}.diagnosis`, {
          zh: `参保人在 ${bill.date} 没有有效的门诊慢特病证（${disease.code} ${disease.name.zh}）`,
          en: `the person holds no certificate for ${disease.code} (${disease.name.en}) valid on ${bill.date}`,
        });
      }
      return null;
    }
    case 'two_diseases': {
      const which = twoDiseaseOf(d);
      if (which === null) {
        return refusal('two_diseases.diagnosis', `${field}.diagnosis`, {
          zh: `门诊两病只支付高血压（I10–I15）和糖尿病（E10–E14），诊断为 ${d}`,
          en: `two-diseases visits are paid only for hypertension (I10–I15) or diabetes (E10–E14), not ${d}`,
        });
      }
      if (bill.hospitalLevel !== TWO_DISEASES_LEVEL) {
        return refusal('two_diseases.level', `${field}.hospitalLevel`, {
          zh: `门诊两病只在一级（基层）医疗机构结算，本单据为 ${bill.hospitalLevel} 级`,
          en: `two-diseases visits are settled at level 1 (primary care) only, not level ${bill.hospitalLevel}`,
        });
      }
      const j = bill.lines.findIndex((l) => (l.days ?? 0) > TWO_DISEASES_MAX_DAYS);
      if (j >= 0) {
        return refusal('two_diseases.days', `${field}.lines[${j}].days`, {
          zh: `门诊两病处方最长 ${TWO_DISEASES_MAX_DAYS} 天，第 ${j + 1} 项为 ${bill.lines[j]?.days} 天`,
          en: `a two-diseases prescription covers at most ${TWO_DISEASES_MAX_DAYS} days; line ${j + 1} covers ${bill.lines[j]?.days}`,
        });
      }
      if (!covered(evidence.filings, which, bill.date)) {
        const zh = which === 'hypertension' ? '高血压' : '糖尿病';
        return refusal('two_diseases.not_filed', `${field}.diagnosis`, {
          zh: `参保人在 ${bill.date} 没有有效的门诊两病（${zh}）备案`,
          en: `the person has no two-diseases filing for ${which} valid on ${bill.date}`,
        });
      }
      return null;
    }
    default:
      return null;
  }
}

const refusal = (code: RefusalCode, field: string, message: Refusal['message']): Refusal => ({
  code,
  field,
  message,
});

/** A refusal as the 422 day-to-day settlement answers with (`infcode` -1 on the gateway). */
export const refusalError = (r: Refusal): TriguardError =>
  new TriguardError('unprocessable', r.code, r.field, r.message);

export type CoveredSettlement = { refused: Refusal } | { refused: null; settlement: Settlement };

/**
 * Checks the bill, then settles it when nothing refuses it. A refused bill leaves the
 * accumulators as they were: the calculator is not even called.
 */
export function settleCovered(
  params: ResolvedParams,
  bill: Bill,
  acc: Accumulators,
  evidence: CoverageEvidence,
  field: string,
): CoveredSettlement {
  const refused = coverageRefusal(params, bill, evidence, field);
  return refused ? { refused } : { refused: null, settlement: calculate(params, bill, acc) };
}
