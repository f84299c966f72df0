/**
 * The words and tag colours of the chronic workflow's codes (application status, decisions,
 * refusal and end reasons, reasons for not applying), so a code reads the same on every page; the
 * refusal reasons come from the API's own table (src/chronic), the words the refusal notice
 * prints. An unknown code shows as itself.
 */
import { i18n, pick } from '../i18n/index.ts';
import type { Message } from '../api/client.ts';
import type { ScreenedPerson } from '../api/types.ts';
import {
  APPLICATION_STATUSES,
  END_REASONS,
  FILING_END_REASONS,
  REFUSAL_REASONS,
  REFUSAL_REASON_LABELS,
} from '../../../src/chronic/core/model.ts';

export { APPLICATION_STATUSES, FILING_END_REASONS, REFUSAL_REASONS };
export const CERTIFICATE_END_REASONS = END_REASONS;

type Tag = 'danger' | 'warning' | 'success' | 'info' | 'primary';

const label =
  (prefix: string) =>
  (code: string | null | undefined): string => {
    if (!code) return '—';
    const key = `${prefix}.${code}`;
    return i18n.global.te(key) ? i18n.global.t(key) : code;
  };

export const NOT_APPLYING = [
  'no_chronic_disease',
  'review_not_passed',
  'not_in_catalogue',
  'no_outpatient_need',
] as const;
export const TWO_DISEASES = ['hypertension', 'diabetes'] as const;

export const applicationStatusLabel = label('chronic.application.statuses');
export const decisionLabel = label('chronic.application.decisions');
export const refusalReasonLabel = (code: string | null | undefined): string =>
  code && Object.hasOwn(REFUSAL_REASON_LABELS, code)
    ? pick(REFUSAL_REASON_LABELS[code as keyof typeof REFUSAL_REASON_LABELS])
    : (code ?? '—');
export const notApplyingLabel = label('chronic.screening.reasons');
export const channelLabel = label('chronic.application.channels');
export const certificateEndLabel = label('chronic.certificate.endReasons');
export const filingEndLabel = label('chronic.filing.endReasons');
export const filingSourceLabel = label('chronic.filing.sources');
export const twoDiseaseLabel = label('chronic.filing.diseases');
export const diseaseKindLabel = label('chronic.kinds');
export const screeningStateLabel = label('chronic.screening.state');

export function applicationStatusTag(s: string): Tag {
  switch (s) {
    case 'incomplete':
      return 'warning';
    case 'under_review':
      return 'primary';
    case 'decided':
      return 'success';
    default:
      return 'info';
  }
}

export function decisionTag(d: string): Tag {
  return d === 'approved' ? 'success' : d === 'refused' ? 'danger' : 'info';
}

/** A disease as `M002 糖尿病（合并并发症）`, its name in the current language when known. */
export const diseaseText = (code: string, name?: Message | null): string =>
  name ? `${code} ${pick(name)}` : code;

/** Where a screened person stands, furthest step first (the people list's `status` filter). */
export function screeningState(p: ScreenedPerson): ScreeningState {
  if (p.certified) return 'certified';
  if (p.refused) return 'refused';
  if (p.applicationId !== null && p.applicationId !== undefined) return 'applied';
  if (p.notApplying) return 'not_applying';
  if (p.visitedOn) return 'visited';
  return 'unvisited';
}

export const SCREENING_STATES = [
  'unvisited',
  'visited',
  'not_applying',
  'applied',
  'certified',
  'refused',
] as const;
export type ScreeningState = (typeof SCREENING_STATES)[number];

export const STATE_TAGS = {
  unvisited: 'info',
  visited: 'primary',
  not_applying: 'warning',
  applied: 'primary',
  refused: 'danger',
  certified: 'success',
} as const satisfies Record<ScreeningState, Tag>;

/** The day after `days` days from `iso` (a YYYY-MM-DD), for default deadlines. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today in the bureau's time zone (China has one), as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}
