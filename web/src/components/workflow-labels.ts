/**
 * People-facing names of the monitoring, assistance and reconciliation codes, from the tables the
 * API itself uses (src/monitoring, src/assistance, src/reconcile), so a status reads the same in
 * the app, the XLSX files and the API's messages.
 */
import {
  MEASURE_LABELS,
  STATUS_LABELS,
  WARNING_STATUSES,
  ASSISTANCE_MEASURES,
} from '../../../src/monitoring/status.ts';
import {
  DEPARTMENTS,
  FINDING_ACTIONS,
  FINDING_KINDS,
  FINDING_LABELS,
  LIST_KINDS,
  LIST_KIND_LABELS,
  PASS_CHANGE_LABELS,
  PROBLEM_STATES,
  PROBLEM_STATE_LABELS,
  RESOLUTIONS,
  RESOLUTION_LABELS,
} from '../../../src/reconcile/model.ts';
import { pick } from '../i18n/index.ts';

export {
  WARNING_STATUSES,
  ASSISTANCE_MEASURES,
  FINDING_KINDS,
  LIST_KINDS,
  PROBLEM_STATES,
  RESOLUTIONS,
};
export const THRESHOLDS = ['inscope', 'total'] as const;
export const DEPARTMENT_CODES = Object.keys(DEPARTMENTS);
export const PASS_CHANGES = ['new', 'still_open', 'accepted', 'fixed'] as const;
export const CARD_STATUSES = ['active', 'suspended', 'revoked'] as const;

type Tag = 'danger' | 'warning' | 'success' | 'info' | 'primary';

const labelOf =
  <K extends string>(table: Record<K, { zh: string; en: string }>) =>
  (code: string | null | undefined): string =>
    code && Object.hasOwn(table, code) ? pick(table[code as K]) : (code ?? '—');

export const warningStatusLabel = labelOf(STATUS_LABELS);
export const measureLabel = labelOf(MEASURE_LABELS);
export const findingLabel = labelOf(FINDING_LABELS);
export const findingActionLabel = labelOf(FINDING_ACTIONS);
export const listKindLabel = labelOf(LIST_KIND_LABELS);
export const departmentLabel = labelOf(DEPARTMENTS);
export const problemStateLabel = labelOf(PROBLEM_STATE_LABELS);
export const resolutionLabel = labelOf(RESOLUTION_LABELS);
export const passChangeLabel = labelOf(PASS_CHANGE_LABELS);

export function warningStatusTag(s: string): Tag {
  switch (s) {
    case 'new':
      return 'danger';
    case 'pushed':
      return 'warning';
    case 'confirmed':
      return 'primary';
    case 'assisted':
      return 'success';
    default:
      return 'info';
  }
}

export function problemStateTag(s: string): Tag {
  switch (s) {
    case 'open':
      return 'danger';
    case 'rectified':
      return 'warning';
    case 'verified':
      return 'primary';
    case 'closed':
      return 'success';
    default:
      return 'info';
  }
}

export function cardStatusTag(s: string): Tag {
  return s === 'active' ? 'success' : s === 'suspended' ? 'warning' : 'info';
}

/** "2022-11" from the API's month, or this month (Asia/Shanghai) as the default. */
export function thisMonth(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
}
