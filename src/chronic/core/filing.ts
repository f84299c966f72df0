/**
 * Two-diseases filings (两病备案, docs/chronic.md §15): a hypertension (I10–I15) or diabetes
 * (E10–E14) patient filed at a primary-care institution without expert review. Pure.
 */
import { conflict, unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';
import {
  matchesDiagnosis,
  type DiagnosisPattern,
  type TwoDiseaseName,
} from '../../policy/index.ts';
import type { Filing } from './model.ts';

/** The diagnoses of each of the two diseases (chronic.md spec §3). */
export const TWO_DISEASE_DIAGNOSES: Record<TwoDiseaseName, readonly DiagnosisPattern[]> = {
  hypertension: [{ from: 'I10', to: 'I15' }],
  diabetes: [{ from: 'E10', to: 'E14' }],
};

export const TWO_DISEASE_LABELS: Record<TwoDiseaseName, { zh: string; en: string }> = {
  hypertension: { zh: '高血压', en: 'hypertension' },
  diabetes: { zh: '糖尿病', en: 'diabetes' },
};

export function twoDiseaseOf(diagnosis: string): TwoDiseaseName | null {
  for (const d of ['hypertension', 'diabetes'] as const) {
    if (matchesDiagnosis(TWO_DISEASE_DIAGNOSES[d], diagnosis)) return d;
  }
  return null;
}

/** The diagnosis must be the filed disease's: I10–I15 for hypertension, E10–E14 for diabetes. */
export function checkFilingDiagnosis(disease: TwoDiseaseName, diagnosis: string, field: string) {
  const of = twoDiseaseOf(diagnosis);
  if (of === null) {
    throw unprocessable(
      'chronic.filing_diagnosis',
      field,
      `两病备案须有高血压（I10–I15）或糖尿病（E10–E14）诊断，而非 ${diagnosis}`,
      `a two-diseases filing needs a hypertension (I10–I15) or diabetes (E10–E14) diagnosis, not ${diagnosis}`,
    );
  }
  if (of !== disease) {
    throw unprocessable(
      'chronic.filing_diagnosis',
      field,
      `诊断 ${diagnosis} 属于${TWO_DISEASE_LABELS[of].zh}，不是${TWO_DISEASE_LABELS[disease].zh}`,
      `diagnosis ${diagnosis} is ${of}, not ${disease}`,
    );
  }
}

/** A filing still in force on or after `from` for the same disease makes a new one a duplicate. */
export function checkNoOverlap(
  existing: readonly Pick<Filing, 'id' | 'disease' | 'validFrom' | 'validTo'>[],
  disease: TwoDiseaseName,
  from: IsoDate,
  to: IsoDate | null,
  field: string,
) {
  const clash = existing.find(
    (f) =>
      f.disease === disease &&
      (f.validTo === null || f.validTo >= from) &&
      (to === null || f.validFrom <= to),
  );
  if (clash) {
    throw conflict(
      'chronic.already_filed',
      field,
      `参保人已有${TWO_DISEASE_LABELS[disease].zh}两病备案（${clash.validFrom} 起）`,
      `the person is already filed for ${disease} (from ${clash.validFrom})`,
    );
  }
}

export function checkFilingEnd(
  f: Pick<Filing, 'validFrom' | 'validTo' | 'endedReason'>,
  on: IsoDate,
) {
  if (f.endedReason !== null) {
    throw conflict(
      'chronic.already_ended',
      'id',
      '该两病备案已终止',
      'the filing has already ended',
    );
  }
  if (on < f.validFrom) {
    throw unprocessable(
      'chronic.dates_out_of_order',
      'on',
      `终止日期 ${on} 早于备案起始日 ${f.validFrom}`,
      `the end date ${on} is before the filing starts (${f.validFrom})`,
    );
  }
  if (f.validTo !== null && on > f.validTo) {
    throw unprocessable(
      'chronic.dates_out_of_order',
      'on',
      `终止日期 ${on} 晚于备案截止日 ${f.validTo}`,
      `the end date ${on} is after the filing ends (${f.validTo})`,
    );
  }
}
