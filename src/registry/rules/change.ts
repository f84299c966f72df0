/**
 * What a rule asks the service to do. Rules are pure: they read a `PersonRecord` and return
 * changes; the service applies them in one transaction, writing a new version of every record
 * it touches and an audit entry for each.
 */
import type { Month } from '../../kernel/period.ts';
import type { EnrolmentFields, FlagEndReason, FlagFields, PersonFields } from '../model.ts';

export type Change =
  | { kind: 'update_person'; patch: Partial<PersonFields> }
  | { kind: 'create_flag'; flag: FlagFields }
  | { kind: 'end_flag'; flagId: number; toMonth: Month; endReason: FlagEndReason }
  | { kind: 'create_enrolment'; enrolment: EnrolmentFields }
  | { kind: 'update_enrolment'; enrolmentId: number; patch: Partial<EnrolmentFields> };
