/**
 * What the registry API answers: records as JSON, amounts in yuan (settlement.md §1), ID numbers
 * and sensitive flags as the actor may see them (auth/masking.ts). Masking happens here, where
 * data leaves, never in the services.
 */
import { z } from 'zod';
import type { Actor } from '../../auth/types.ts';
import {
  certnoFor,
  maskCategories,
  maskSensitiveFlags,
  isSensitiveCategory,
} from '../../auth/masking.ts';
import { fenToYuanNumber } from '../../kernel/money.ts';
import { CATEGORIES, type Category } from '../../policy/types.ts';
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
  contribution: z.number().describe('yuan'),
  fundedAmount: z.number().describe('yuan'),
  funder: z.string().nullable(),
  enrolledOn: z.string(),
  benefitFrom: z.string(),
  benefitTo: z.string().nullable(),
  endReason: z.enum(ENROLMENT_END_REASONS).nullable(),
  refund: z.number().describe('yuan'),
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

export const toPersonView = (actor: Actor, p: Person) => ({
  certno: certnoFor(actor, p.certno),
  name: p.name,
  gender: p.gender,
  birthDate: p.birthDate,
  householdId: p.householdId,
  regionCode: p.regionCode,
  phone: p.phone,
  status: p.status,
  deathDate: p.deathDate,
  missingSince: p.missingSince,
  ...stampOf(p),
});

const stampOf = (r: VersionStamp): VersionStamp => ({
  version: r.version,
  updatedAt: r.updatedAt,
  updatedBy: r.updatedBy,
  changeReason: r.changeReason,
});

export const toFlagView = (f: Flag) => ({
  flagId: f.flagId,
  category: f.category,
  from: f.fromMonth,
  to: f.toMonth,
  source: f.source,
  evidenceNo: f.evidenceNo,
  recognisedOn: f.recognisedOn,
  endReason: f.endReason,
  ...stampOf(f),
});

export const toEnrolmentView = (e: Enrolment) => ({
  enrolmentId: e.enrolmentId,
  medicalYear: e.medicalYear,
  scheme: e.scheme,
  contributionType: e.contributionType,
  contribution: fenToYuanNumber(e.contribution),
  fundedAmount: fenToYuanNumber(e.fundedAmount),
  funder: e.funder,
  enrolledOn: e.enrolledOn,
  benefitFrom: e.benefitFrom,
  benefitTo: e.benefitTo,
  endReason: e.endReason,
  refund: fenToYuanNumber(e.refund),
  refundedOn: e.refundedOn,
  ...stampOf(e),
});

/** The current record a write answers with (never as of a past day). */
export const writtenView = (actor: Actor, r: { record: PersonRecord }) =>
  toRecordView(actor, r.record, null);

export function toRecordView(actor: Actor, rec: PersonRecord, asOf: string | null) {
  return {
    asOf,
    person: toPersonView(actor, rec.person),
    flags: maskSensitiveFlags(actor, rec.flags).map(toFlagView),
    enrolments: rec.enrolments.map(toEnrolmentView),
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
    regionCode: h.regionCode,
    householdId: h.householdId,
    status: h.status,
    categories: maskCategories<Category>(actor, h.categories),
  })),
});
