/**
 * The monthly follow-up record (慢性病动态管理记录单, docs/care.md §2): what a record must hold and
 * when it may be dated. Pure: today is given.
 */
import { unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { ContractRow } from './contract.ts';

export const HEALTH_STATUSES = ['stable', 'improved', 'worse', 'new_symptoms'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const HEALTH_STATUS_LABELS: Record<HealthStatus, { zh: string; en: string }> = {
  stable: { zh: '平稳', en: 'stable' },
  improved: { zh: '好转', en: 'improved' },
  worse: { zh: '加重', en: 'worse' },
  new_symptoms: { zh: '出现新症状', en: 'new symptoms' },
};

export interface FollowupInput {
  visitedOn: IsoDate;
  visitor: string;
  healthStatus: HealthStatus;
  outpatientNeed: boolean;
  /** A catalogue disease the visitor suspects (code, e.g. M002); starts an application. */
  suspectedDisease?: string | null | undefined;
  suspectedDiagnosis?: string | null | undefined;
  medication?: string | null | undefined;
  systolic?: number | null | undefined;
  diastolic?: number | null | undefined;
  /** mmol/L, one decimal. */
  glucose?: number | null | undefined;
  note?: string | null | undefined;
}

/** The contract the visit falls under: the one in force on the visit day. */
export function contractOn(contracts: readonly ContractRow[], day: IsoDate): ContractRow | null {
  return (
    contracts.find((c) => c.validFrom <= day && (c.validTo === null || c.validTo >= day)) ?? null
  );
}

/** Refuses a record that cannot be true: dated in the future, before the contract, odd readings. */
export function checkFollowup(input: FollowupInput, today: IsoDate): void {
  if (input.visitedOn > today) {
    throw unprocessable(
      'care.visit_in_future',
      'visitedOn',
      `随访日期 ${input.visitedOn} 晚于今天 ${today}`,
      `the visit date ${input.visitedOn} is after today ${today}`,
    );
  }
  const { systolic, diastolic } = input;
  if ((systolic == null) !== (diastolic == null)) {
    throw unprocessable(
      'care.blood_pressure_pair',
      systolic == null ? 'systolic' : 'diastolic',
      '血压须同时填写收缩压和舒张压',
      'blood pressure needs both the systolic and the diastolic value',
    );
  }
  if (systolic != null && diastolic != null && diastolic >= systolic) {
    throw unprocessable(
      'care.blood_pressure_order',
      'diastolic',
      `舒张压 ${diastolic} 不低于收缩压 ${systolic}`,
      `diastolic ${diastolic} is not below systolic ${systolic}`,
    );
  }
  if (input.suspectedDiagnosis != null && input.suspectedDisease == null) {
    throw unprocessable(
      'care.diagnosis_without_disease',
      'suspectedDisease',
      '填写了疑似诊断，须同时选择疑似病种',
      'a suspected diagnosis needs the suspected disease',
    );
  }
}

/** Glucose as stored: tenths of mmol/L, rounded half up. */
export const glucoseTenths = (mmol: number | null | undefined): number | null =>
  mmol == null ? null : Math.floor(mmol * 10 + 0.5);
