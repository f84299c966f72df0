/**
 * What the registry API answers: records as JSON, amounts in yuan (docs/settlement.md §1), ID numbers
 * and sensitive flags as the actor may see them (kernel/access/masking.ts). Masking happens here, where
 * data leaves, never in the services.
 */
import { z } from 'zod';
import type { Actor } from '../../kernel/access/actor.ts';
import {
  certnoFor,
  maskCategories,
  maskSensitiveFlags,
  isSensitiveCategory,
} from '../../kernel/access/masking.ts';
import { fenToYuanNumber } from '../../kernel/money.ts';
import { CATEGORIES, type Category } from '../../policy/index.ts';
import {
  CONTRIBUTION_TYPES,
  ENROLMENT_END_REASONS,
  FLAG_END_REASONS,
  PERSON_STATUSES,
  SCHEMES,
  type Enrolment,
  type Flag,
  type Person,
  type PersonRecord,
  type VersionStamp,
} from '../model.ts';
import type { SearchHit, SearchPage } from '../repo/search.ts';

const stamp = {
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  changeReason: z.string().nullable(),
};

export const personView = z.object({
  certno: z.string(),
  name: z.string(),
  gender: z.enum(['male', 'female']),
  birthDate: z.string(),
  householdId: z.string().nullable(),
  regionCode: z.string(),
  phone: z.string().nullable(),
  status: z.enum(PERSON_STATUSES),
  deathDate: z.string().nullable(),
  missingSince: z.string().nullable(),
  ...stamp,
});

export const flagView = z.object({
  flagId: z.number().int(),
  category: z.enum(CATEGORIES),
  from: z.string().describe('YYYY-MM'),
  to: z.string().nullable().describe('YYYY-MM, inclusive; null = open'),
  source: z.string().nullable(),
  evidenceNo: z.string().nullable(),
  recognisedOn: z.string().nullable(),
  endReason: z.enum(FLAG_END_REASONS).nullable(),
  ...stamp,
});

export const enrolmentView = z.object({
  enrolmentId: z.number().int(),
  medicalYear: z.number().int(),
  scheme: z.enum(SCHEMES),
  contributionType: z.enum(CONTRIBUTION_TYPES),
  contribution: z.number().nullable().describe('yuan (null: not disclosed to this reader)'),
  fundedAmount: z.number().nullable().describe('yuan (null: not disclosed to this reader)'),
  funder: z.string().nullable(),
  enrolledOn: z.string(),
  benefitFrom: z.string(),
  benefitTo: z.string().nullable(),
  endReason: z.enum(ENROLMENT_END_REASONS).nullable(),
  refund: z.number().nullable().describe('yuan (null: not disclosed to this reader)'),
  refundedOn: z.string().nullable(),
  ...stamp,
});

export const recordView = z.object({
  asOf: z.string().nullable(),
  person: personView,
  flags: z.array(flagView),
  enrolments: z.array(enrolmentView),
});

export const searchView = z.object({
  items: z.array(
    z.object({
      certno: z.string(),
      name: z.string(),
      gender: z.enum(['male', 'female']),
      birthDate: z.string(),
      regionCode: z.string(),
      householdId: z.string().nullable(),
      status: z.enum(PERSON_STATUSES),
      categories: z.array(z.enum(CATEGORIES)),
    }),
  ),
  total: z.number().int(),
  totalCapped: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const versionsView = z.array(
  z.object({
    entity: z.enum(['person', 'person_flag', 'enrolment']),
    entityId: z.string(),
    version: z.number().int(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    updatedBy: z.string(),
    changeReason: z.string().nullable(),
  }),
);

/**
 * A designated institution learns of its patients what the national platform's person query
 * (1101) answers: name, gender, birth date, the insurance area, benefits and the identity
 * categories that change what a patient pays — not the household, village, phone, evidence or
 * what anyone paid or was funded. The registry record stays the bureau's.
 */
const patientOnly = (actor: Actor): boolean => actor.scope.kind === 'institution';

/** The insurance area (the county) of a village code, as 1101's insuplc_admdvs gives it. */
const countyOf = (regionCode: string) => regionCode.slice(0, 6);

export const toPersonView = (actor: Actor, p: Person) => ({
  certno: certnoFor(actor, p.certno),
  name: p.name,
  gender: p.gender,
  birthDate: p.birthDate,
  householdId: patientOnly(actor) ? null : p.householdId,
  regionCode: patientOnly(actor) ? countyOf(p.regionCode) : p.regionCode,
  phone: patientOnly(actor) ? null : p.phone,
  status: p.status,
  deathDate: p.deathDate,
  missingSince: p.missingSince,
  ...stampFor(actor, p),
});

const stampOf = (r: VersionStamp): VersionStamp => ({
  version: r.version,
  updatedAt: r.updatedAt,
  updatedBy: r.updatedBy,
  changeReason: r.changeReason,
});

export const toFlagView = (actor: Actor, f: Flag) => ({
  flagId: f.flagId,
  category: f.category,
  from: f.fromMonth,
  to: f.toMonth,
  source: patientOnly(actor) ? null : f.source,
  evidenceNo: patientOnly(actor) ? null : f.evidenceNo,
  recognisedOn: f.recognisedOn,
  endReason: f.endReason,
  ...stampFor(actor, f),
});

/** Who changed a record and why is the bureau's business, not a hospital's. */
const stampFor = (actor: Actor, r: VersionStamp): VersionStamp =>
  patientOnly(actor)
    ? { version: r.version, updatedAt: r.updatedAt, updatedBy: '', changeReason: null }
    : stampOf(r);

/** The flags a reader is shown: sensitive ones only with the permission. */
export const flagsFor = (actor: Actor, flags: readonly Flag[]) =>
  maskSensitiveFlags(actor, flags).map((f) => toFlagView(actor, f));

export const toEnrolmentView = (actor: Actor, e: Enrolment) => ({
  enrolmentId: e.enrolmentId,
  medicalYear: e.medicalYear,
  scheme: e.scheme,
  contributionType: e.contributionType,
  contribution: patientOnly(actor) ? null : fenToYuanNumber(e.contribution),
  fundedAmount: patientOnly(actor) ? null : fenToYuanNumber(e.fundedAmount),
  funder: patientOnly(actor) ? null : e.funder,
  enrolledOn: e.enrolledOn,
  benefitFrom: e.benefitFrom,
  benefitTo: e.benefitTo,
  endReason: e.endReason,
  refund: patientOnly(actor) ? null : fenToYuanNumber(e.refund),
  refundedOn: e.refundedOn,
  ...stampFor(actor, e),
});

/** The current record a write answers with (never as of a past day). */
export const writtenView = (actor: Actor, r: { record: PersonRecord }) =>
  toRecordView(actor, r.record, null);

export function toRecordView(actor: Actor, rec: PersonRecord, asOf: string | null) {
  return {
    asOf,
    person: toPersonView(actor, rec.person),
    flags: flagsFor(actor, rec.flags),
    enrolments: rec.enrolments.map((e) => toEnrolmentView(actor, e)),
  };
}

/** Did the answer show a flag that discloses a psychiatric condition? (then the read is audited) */
export const showsSensitive = (actor: Actor, flags: readonly Flag[]): boolean =>
  maskSensitiveFlags(actor, flags).some((f) => isSensitiveCategory(f.category));

export const toSearchView = (actor: Actor, page: SearchPage) => ({
  ...page,
  items: page.items.map((h: SearchHit) => ({
    certno: certnoFor(actor, h.certno),
    name: h.name,
    gender: h.gender,
    birthDate: h.birthDate,
    regionCode: patientOnly(actor) ? countyOf(h.regionCode) : h.regionCode,
    householdId: patientOnly(actor) ? null : h.householdId,
    status: h.status,
    categories: maskCategories<Category>(actor, h.categories),
  })),
});
