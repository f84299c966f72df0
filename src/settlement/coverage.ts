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
import { matchesDiagnosis, type DiagnosisPattern, type ResolvedParams } from '../policy/index.ts';
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

/** A drug's two-diseases prescription: the bill date and the days it covers (null: not said). */
export interface Prescription {
  date: IsoDate;
  days: number | null;
}

/**
 * What the persistent path knows of a two-diseases bill's items (docs/chronic.md §3, §5): which of
 * its item codes are on the two-diseases drug list on the bill date, the last earlier
 * two-diseases prescription of each of its drugs, and the pack's refill tolerance.
 */
export interface DrugEvidence {
  listed: ReadonlySet<string>;
  last: ReadonlyMap<string, Prescription>;
  refillToleranceDays: number;
}

/** What the registry knows of the person; an absent list is not checked (docs/chronic.md §4). */
export interface CoverageEvidence {
  certificates?: readonly CoverageSpan[] | undefined;
  filings?: readonly CoverageSpan[] | undefined;
  /** Absent (the trial, whose lines carry no item codes): the drug list and refills are not checked. */
  drugs?: DrugEvidence | undefined;
}

/** In the order the checks run (docs/chronic.md §3). */
export const REFUSAL_CODES = [
  'chronic.not_in_catalogue',
  'chronic.no_certificate',
  'two_diseases.diagnosis',
  'two_diseases.level',
  'two_diseases.days',
  'two_diseases.item',
  'two_diseases.refill',
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
      if (evidence.drugs) {
        const drugRefusal = drugsRefusal(bill, evidence.drugs, field);
        if (drugRefusal) return drugRefusal;
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

/** Whole days from 1970-01-01 of an ISO date. */
const dayNumber = (date: IsoDate): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) /
  86_400_000;

/**
 * The days of a prescription still to run on `date`: a prescription of `days` made on `from`
 * covers `from` … `from + days − 1`.
 */
export const daysRemaining = (p: Prescription, date: IsoDate): number =>
  p.days === null ? 0 : Math.max(0, dayNumber(p.date) + p.days - dayNumber(date));

/**
 * The drug-list and refill checks of a two-diseases bill (docs/chronic.md §3, §5): every line an
 * item of the two-diseases drug list; no drug prescribed again while more than the tolerance of
 * its last prescription remains, so a 60-day prescription cannot be renewed the next day.
 */
function drugsRefusal(bill: Bill, drugs: DrugEvidence, field: string): Refusal | null {
  const j = bill.lines.findIndex((l) => l.itemCode === undefined || !drugs.listed.has(l.itemCode));
  if (j >= 0) {
    const code = bill.lines[j]?.itemCode;
    return refusal('two_diseases.item', `${field}.lines[${j}]`, {
      zh:
        code === undefined
          ? `门诊两病只支付两病用药目录内的药品，第 ${j + 1} 项没有医保目录编码`
          : `门诊两病只支付两病用药目录内的药品，第 ${j + 1} 项 ${code} 在 ${bill.date} 不在两病用药目录内`,
      en:
        code === undefined
          ? `a two-diseases bill pays only drugs of the two-diseases drug list; line ${j + 1} has no catalogue item code`
          : `a two-diseases bill pays only drugs of the two-diseases drug list; line ${j + 1} (${code}) is not on it on ${bill.date}`,
    });
  }
  const n = drugs.refillToleranceDays;
  for (const [k, line] of bill.lines.entries()) {
    const last = line.itemCode === undefined ? undefined : drugs.last.get(line.itemCode);
    if (!last) continue;
    const left = daysRemaining(last, bill.date);
    if (left > n) {
      return refusal('two_diseases.refill', `${field}.lines[${k}]`, {
        zh: `第 ${k + 1} 项 ${line.itemCode} 上次两病处方（${last.date}，${last.days} 天）到 ${bill.date} 还剩 ${left} 天，超过 ${n} 天不能再开`,
        en: `line ${k + 1} (${line.itemCode}): its last two-diseases prescription (${last.date}, ${last.days} days) has ${left} days left on ${bill.date}, more than ${n}; it cannot be prescribed again yet`,
      });
    }
  }
  return null;
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
