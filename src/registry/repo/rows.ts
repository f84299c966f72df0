/**
 * Rows of the registry's tables as the records of `model.ts`, and the columns patches write.
 */
import type { Category } from '../../policy/index.ts';
import type {
  ContributionType,
  Enrolment,
  EnrolmentEndReason,
  EnrolmentFields,
  Flag,
  FlagEndReason,
  FlagFields,
  Person,
  PersonFields,
  PersonStatus,
  Scheme,
  VersionStamp,
} from '../model.ts';

/**
 * Rows travel as JSON (`row_to_json(t)`): one statement then brings a person with their flags
 * and enrolments, and history rows (JSON already) come back the same way. JSON is also the
 * cheapest form for the database to build, which matters on the hottest query (the ID lookup).
 */
type Json = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** JSON timestamps carry the session's offset; the registry speaks UTC ISO with milliseconds. */
const iso = (v: unknown): string => new Date(String(v)).toISOString();

const stampOf = (j: Json): VersionStamp => ({
  version: Number(j.version),
  updatedAt: iso(j.updated_at),
  updatedBy: str(j.updated_by),
  changeReason: strOrNull(j.change_reason),
});

export const personFromJson = (j: Json): Person => ({
  certno: str(j.certno),
  name: str(j.name),
  gender: j.gender as Person['gender'],
  birthDate: str(j.birth_date),
  namePinyinInitials: str(j.name_pinyin_initials),
  householdId: strOrNull(j.household_id),
  regionCode: str(j.region_code),
  phone: strOrNull(j.phone),
  status: j.status as PersonStatus,
  deathDate: strOrNull(j.death_date),
  missingSince: strOrNull(j.missing_since),
  ...stampOf(j),
});

export const flagFromJson = (j: Json): Flag => ({
  flagId: Number(j.flag_id),
  certno: str(j.certno),
  category: j.category as Category,
  fromMonth: str(j.from_month),
  toMonth: strOrNull(j.to_month),
  source: strOrNull(j.source),
  evidenceNo: strOrNull(j.evidence_no),
  recognisedOn: strOrNull(j.recognised_on),
  endReason: strOrNull(j.end_reason) as FlagEndReason | null,
  ...stampOf(j),
});

export const enrolmentFromJson = (j: Json): Enrolment => ({
  enrolmentId: Number(j.enrolment_id),
  certno: str(j.certno),
  medicalYear: Number(j.medical_year),
  scheme: j.scheme as Scheme,
  contributionType: j.contribution_type as ContributionType,
  contribution: Number(j.contribution),
  fundedAmount: Number(j.funded_amount),
  funder: strOrNull(j.funder),
  enrolledOn: str(j.enrolled_on),
  benefitFrom: str(j.benefit_from),
  benefitTo: strOrNull(j.benefit_to),
  endReason: strOrNull(j.end_reason) as EnrolmentEndReason | null,
  refund: Number(j.refund),
  refundedOn: strOrNull(j.refunded_on),
  ...stampOf(j),
});

/** Flags in month order, enrolments by year and scheme: the order every answer uses. */
export const byFlagOrder = (a: Flag, b: Flag) =>
  a.fromMonth.localeCompare(b.fromMonth) || a.flagId - b.flagId;
export const byEnrolmentOrder = (a: Enrolment, b: Enrolment) =>
  a.medicalYear - b.medicalYear ||
  a.scheme.localeCompare(b.scheme) ||
  a.enrolmentId - b.enrolmentId;

/** A timestamp as UTC ISO text with milliseconds (for lists built in SQL). */
export const isoTs = (expr: string) =>
  `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Field → column, for writing patches. Only these keys reach SQL. */
export const PERSON_COLUMN: Record<keyof PersonFields, string> = {
  name: 'name',
  householdId: 'household_id',
  regionCode: 'region_code',
  phone: 'phone',
  status: 'status',
  deathDate: 'death_date',
  missingSince: 'missing_since',
};

export const FLAG_COLUMN: Record<keyof FlagFields, string> = {
  category: 'category',
  fromMonth: 'from_month',
  toMonth: 'to_month',
  source: 'source',
  evidenceNo: 'evidence_no',
  recognisedOn: 'recognised_on',
  endReason: 'end_reason',
};

export const ENROLMENT_COLUMN: Record<keyof EnrolmentFields, string> = {
  medicalYear: 'medical_year',
  scheme: 'scheme',
  contributionType: 'contribution_type',
  contribution: 'contribution',
  fundedAmount: 'funded_amount',
  funder: 'funder',
  enrolledOn: 'enrolled_on',
  benefitFrom: 'benefit_from',
  benefitTo: 'benefit_to',
  endReason: 'end_reason',
  refund: 'refund',
  refundedOn: 'refunded_on',
};

/** The registry's versioned tables and the entity name their history rows carry. */
export type Entity = 'person' | 'person_flag' | 'enrolment';
