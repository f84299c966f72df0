/**
 * The rules of an application (docs/chronic.md §11–§12): what a new one must hold, the status it
 * starts in (容缺: incomplete with a deadline), and how expert decisions move it. Pure: the
 * service gives it the catalogue, the person's certificate and open applications, and today.
 */
import { conflict, unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { PolicyPack } from '../../policy/index.ts';
import { diagnosisFits, diseaseOf, missingDocuments, type Catalogue } from './catalogue.ts';
import type {
  Application,
  ApplicationDisease,
  ApplicationStatus,
  Decision,
  RefusalReason,
} from './model.ts';

export interface NewApplication {
  diseases: { disease: string; diagnosis: string | null }[];
  acceptedOn: IsoDate;
  documentsDue: IsoDate | null;
  onsite: boolean;
}

export interface PersonState {
  /** Deceased on this date, if so. */
  deathDate: IsoDate | null;
  /** Diseases the person's certificate covers on the acceptance date or later. */
  certified: ReadonlySet<string>;
  /** Diseases still pending in another open application. */
  pending: ReadonlySet<string>;
}

/**
 * Checks a new application against the catalogue and the person; answers the status it starts
 * in. Bad input is a 422 naming the field (`diseases[1].disease`, `documentsDue`).
 */
export function checkNewApplication(
  input: NewApplication,
  pack: PolicyPack,
  cat: Catalogue,
  person: PersonState,
  today: IsoDate,
): {
  status: Extract<ApplicationStatus, 'incomplete' | 'under_review'>;
  documentsDue: IsoDate | null;
} {
  if (input.acceptedOn > today) {
    throw unprocessable(
      'chronic.accepted_in_future',
      'acceptedOn',
      `受理日期 ${input.acceptedOn} 晚于今天 ${today}`,
      `the acceptance date ${input.acceptedOn} is after today ${today}`,
    );
  }
  if (person.deathDate !== null && person.deathDate < input.acceptedOn) {
    throw unprocessable(
      'chronic.person_deceased',
      'certno',
      `参保人已于 ${person.deathDate} 死亡`,
      `the person died on ${person.deathDate}`,
    );
  }
  const seen = new Set<string>();
  input.diseases.forEach((d, i) => {
    const field = `diseases[${i}].disease`;
    const known = diseaseOf(cat, d.disease);
    if (!known) {
      throw unprocessable(
        'chronic.unknown_disease',
        field,
        `病种 ${d.disease} 不在门诊慢特病病种目录（${cat.pack}）中`,
        `${d.disease} is not a disease of the catalogue (${cat.pack})`,
      );
    }
    if (seen.has(d.disease)) {
      throw unprocessable(
        'chronic.duplicate_disease',
        field,
        `病种 ${d.disease} 重复`,
        `${d.disease} is listed twice`,
      );
    }
    seen.add(d.disease);
    if (d.diagnosis !== null && !diagnosisFits(pack, d.disease, d.diagnosis, input.acceptedOn)) {
      throw unprocessable(
        'chronic.diagnosis_mismatch',
        `diseases[${i}].diagnosis`,
        `诊断 ${d.diagnosis} 不属于病种 ${d.disease}（${known.diagnoses.join('、')}）`,
        `diagnosis ${d.diagnosis} is not ${d.disease} (${known.diagnoses.join(', ')})`,
      );
    }
    if (person.certified.has(d.disease)) {
      throw unprocessable(
        'chronic.already_certified',
        field,
        `参保人的门诊慢特病证已包含病种 ${d.disease}`,
        `the person's certificate already covers ${d.disease}`,
      );
    }
    if (person.pending.has(d.disease)) {
      throw conflict(
        'chronic.already_applied',
        field,
        `参保人已有病种 ${d.disease} 的申请在办理中`,
        `an application for ${d.disease} is already open for the person`,
      );
    }
  });
  if (input.documentsDue !== null && input.documentsDue < input.acceptedOn) {
    throw unprocessable(
      'chronic.dates_out_of_order',
      'documentsDue',
      `补交材料期限 ${input.documentsDue} 早于受理日期 ${input.acceptedOn}`,
      `the documents deadline ${input.documentsDue} is before the acceptance date ${input.acceptedOn}`,
    );
  }
  // A new application has no attachment yet: a required document is missing unless it was
  // decided on the spot (现场鉴定).
  const missing = missingDocuments(cat, []);
  if (input.onsite || missing.length === 0)
    return { status: 'under_review', documentsDue: input.documentsDue };
  if (input.documentsDue === null) {
    throw unprocessable(
      'chronic.documents_due_required',
      'documentsDue',
      `缺少必备材料（${missing.join('、')}），容缺受理须填写补交期限`,
      `required documents are missing (${missing.join(', ')}): give the deadline to supply them`,
    );
  }
  return { status: 'incomplete', documentsDue: input.documentsDue };
}

export interface DecisionInput {
  disease: string;
  decision: 'approved' | 'refused';
  reason: RefusalReason | null;
  note: string | null;
}

export interface DiseaseChange {
  disease: string;
  decision: Decision;
  step: number;
  reason: RefusalReason | null;
  note: string | null;
}

export interface DecisionOutcome {
  /** The diseases' new state, one per decision. */
  changes: DiseaseChange[];
  /** The review rows to record, one per decision (the step it decided). */
  reviews: {
    disease: string;
    step: 1 | 2;
    decision: 'approved' | 'refused';
    reason: RefusalReason | null;
    note: string | null;
  }[];
  /** Every disease of the application is now decided. */
  complete: boolean;
}

export const notUnderReview = (status: ApplicationStatus) =>
  conflict(
    'chronic.not_under_review',
    'id',
    `申请当前状态为 ${status}，不在专家评审中`,
    `the application is ${status}, not under review`,
  );

/**
 * Applies a reviewer's decisions (docs/chronic.md §12). A refusal at any step is final; an
 * approval is final at the last step, and with two steps the second is another reviewer's.
 */
export function decide(
  app: Pick<Application, 'status' | 'reviewSteps' | 'diseases'>,
  decisions: readonly DecisionInput[],
  reviewerId: string,
): DecisionOutcome {
  if (app.status !== 'under_review') throw notUnderReview(app.status);
  const byDisease = new Map<string, ApplicationDisease>(app.diseases.map((d) => [d.disease, d]));
  const seen = new Set<string>();
  const changes: DiseaseChange[] = [];
  const reviews: DecisionOutcome['reviews'] = [];
  decisions.forEach((d, i) => {
    const field = `decisions[${i}].disease`;
    const current = byDisease.get(d.disease);
    if (!current) {
      throw unprocessable(
        'chronic.disease_not_applied',
        field,
        `本申请不包含病种 ${d.disease}`,
        `the application does not ask for ${d.disease}`,
      );
    }
    if (seen.has(d.disease)) {
      throw unprocessable(
        'chronic.duplicate_disease',
        field,
        `病种 ${d.disease} 重复`,
        `${d.disease} is decided twice`,
      );
    }
    seen.add(d.disease);
    if (current.decision !== 'pending') {
      throw conflict(
        'chronic.already_decided',
        field,
        `病种 ${d.disease} 已评审（${current.decision}）`,
        `${d.disease} is already decided (${current.decision})`,
      );
    }
    const step = current.step + 1;
    if (step > 1 && current.decidedBy === reviewerId) {
      throw conflict(
        'chronic.same_reviewer',
        field,
        `病种 ${d.disease} 的复审须由另一名专家进行`,
        `the second review of ${d.disease} must be another reviewer's`,
      );
    }
    if (d.decision === 'refused' && d.reason === null) {
      throw unprocessable(
        'chronic.reason_required',
        `decisions[${i}].reason`,
        '不通过须选择原因',
        'a refusal needs a reason',
      );
    }
    const reason = d.decision === 'refused' ? d.reason : null;
    const decision: Decision =
      d.decision === 'refused' ? 'refused' : step >= app.reviewSteps ? 'approved' : 'pending';
    changes.push({ disease: d.disease, decision, step, reason, note: d.note });
    reviews.push({
      disease: d.disease,
      step: step as 1 | 2,
      decision: d.decision,
      reason,
      note: d.note,
    });
  });
  const after = new Map(changes.map((c) => [c.disease, c.decision]));
  const complete = app.diseases.every((d) => (after.get(d.disease) ?? d.decision) !== 'pending');
  return { changes, reviews, complete };
}

/** An application that may still change (documents, withdrawal). */
export const isOpen = (status: ApplicationStatus) =>
  status === 'incomplete' || status === 'under_review';

export const applicationClosed = (status: ApplicationStatus) =>
  conflict(
    'chronic.application_closed',
    'id',
    `申请已${status === 'withdrawn' ? '撤回' : '办结'}，不能再更改`,
    `the application is ${status} and cannot change`,
  );
