/**
 * The registry's records as the rest of the code sees them: a person, their identity flags and
 * their enrolments (names from shared/GLOSSARY.md). Amounts are fen; months `YYYY-MM`; dates
 * `YYYY-MM-DD`. Every record carries the stamp of its current version: who recorded it, when, why.
 */
import type { Fen } from '../kernel/money.ts';
import type { Gender } from '../kernel/idcard.ts';
import type { IsoDate, Month } from '../kernel/period.ts';
import type { Category } from '../policy/index.ts';

export const PERSON_STATUSES = ['alive', 'deceased', 'missing'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export const SCHEMES = ['resident', 'employee'] as const;
export type Scheme = (typeof SCHEMES)[number];

export const CONTRIBUTION_TYPES = ['paid', 'fee_exemption', 'funded_enrolment'] as const;
export type ContributionType = (typeof CONTRIBUTION_TYPES)[number];

/** Why a flag ended (docs/settlement.md §4 flags; GLOSSARY flag_interruption). */
export const FLAG_END_REASONS = ['death', 'exit', 'cancellation', 'correction'] as const;
export type FlagEndReason = (typeof FLAG_END_REASONS)[number];

/** Why an enrolment's benefits ended before the year did. */
export const ENROLMENT_END_REASONS = ['death', 'stopped', 'correction'] as const;
export type EnrolmentEndReason = (typeof ENROLMENT_END_REASONS)[number];

/** The key assistance categories (docs/settlement.md §4): fee-exempt, refunded, on the ledger. */
export const KEY_CATEGORIES: readonly Category[] = [
  'extreme_poverty',
  'subsistence',
  'poverty_returned',
];

/**
 * Categories whose holders get assistance with enrolment (Shandong 2022 implementing opinions:
 * 特困, 低保, 返贫致贫, 低保边缘, 监测对象, 因病致贫): a newly flagged one enrolling mid-year
 * takes the green channel.
 */
export const ASSISTED_CATEGORIES: readonly Category[] = [
  ...KEY_CATEGORIES,
  'low_income_marginal',
  'monitored',
  'illness_poverty',
];

/** Who recorded the current version of a record, when and why. */
export interface VersionStamp {
  version: number;
  /** ISO timestamp the version was recorded. */
  updatedAt: string;
  updatedBy: string;
  changeReason: string | null;
}

export interface PersonFields {
  name: string;
  householdId: string | null;
  regionCode: string;
  phone: string | null;
  status: PersonStatus;
  deathDate: IsoDate | null;
  missingSince: IsoDate | null;
}

export interface Person extends PersonFields, VersionStamp {
  certno: string;
  gender: Gender;
  birthDate: IsoDate;
  namePinyinInitials: string;
}

export interface FlagFields {
  category: Category;
  fromMonth: Month;
  /** Inclusive; null = open. Before `fromMonth` only for a flag ended before it began. */
  toMonth: Month | null;
  /** The department that recognised it (civil_affairs, rural_revitalisation, health…). */
  source: string | null;
  evidenceNo: string | null;
  /** The day the department recognised the category; the refund cut-off compares it. */
  recognisedOn: IsoDate | null;
  endReason: FlagEndReason | null;
}

export interface Flag extends FlagFields, VersionStamp {
  flagId: number;
  certno: string;
}

export interface EnrolmentFields {
  medicalYear: number;
  scheme: Scheme;
  contributionType: ContributionType;
  /** What the person paid (fen). */
  contribution: Fen;
  /** What assistance funds paid (fen), for funded_enrolment. */
  fundedAmount: Fen;
  funder: string | null;
  enrolledOn: IsoDate;
  benefitFrom: IsoDate;
  /** Last day with benefits when interrupted; null = to the end of the year. */
  benefitTo: IsoDate | null;
  endReason: EnrolmentEndReason | null;
  /** Contribution returned to the person (fen). */
  refund: Fen;
  refundedOn: IsoDate | null;
}

export interface Enrolment extends EnrolmentFields, VersionStamp {
  enrolmentId: number;
  certno: string;
}

/** One person with everything the rules look at. */
export interface PersonRecord {
  person: Person;
  flags: Flag[];
  enrolments: Enrolment[];
}

/** Does the flag hold in `month`? An ended-before-it-began flag holds in no month. */
export const flagHolds = (f: Pick<FlagFields, 'fromMonth' | 'toMonth'>, month: Month): boolean =>
  f.fromMonth <= month && (f.toMonth === null || month <= f.toMonth);

/** Does the flag hold in any month of the medical year? */
export const flagHoldsInYear = (f: Pick<FlagFields, 'fromMonth' | 'toMonth'>, year: number) =>
  f.fromMonth <= `${year}-12` &&
  (f.toMonth === null || (f.toMonth >= `${year}-01` && f.toMonth >= f.fromMonth));

/** Does the enrolment give benefits on `date`? */
export const enrolmentCovers = (
  e: Pick<EnrolmentFields, 'medicalYear' | 'benefitFrom' | 'benefitTo'>,
  date: IsoDate,
): boolean =>
  date.startsWith(`${e.medicalYear}-`) &&
  date >= e.benefitFrom &&
  (e.benefitTo === null || date <= e.benefitTo);
