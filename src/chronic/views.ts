/**
 * What the chronic API answers (docs/chronic.md §14): zod schemas for the OpenAPI document and
 * the mapping from the service's records, masked for the caller. Whole ID numbers need
 * registry:certno:read; S004 and psychiatric diagnoses need registry:sensitive:read (without it
 * the disease, its name, diagnosis and notes read `***`, and its documents' names too).
 */
import { z } from 'zod';
import {
  certnoFor,
  isPsychiatricDiagnosis,
  MASKED,
  maskDiagnosis,
  mayReadSensitive,
} from '../kernel/access/masking.ts';
import type { Actor } from '../kernel/access/actor.ts';
import { fenToYuanNumber } from '../kernel/money.ts';
import { DOCUMENT_KINDS } from '../policy/index.ts';
import type { Catalogue } from './core/catalogue.ts';
import {
  APPLICATION_STATUSES,
  ATTACHMENT_KINDS,
  CHANNELS,
  END_REASONS,
  FILING_END_REASONS,
  FILING_SOURCES,
  MEDIA_TYPES,
  REFUSAL_REASONS,
  type Application,
  type AttachmentMeta,
  type Certificate,
  type Filing,
  type PersonChronic,
} from './core/model.ts';

const label = z.object({ zh: z.string(), en: z.string() });
const MASKED_LABEL = { zh: MASKED, en: MASKED };

export const catalogueView = z.object({
  pack: z.string(),
  reviewSteps: z.number().int(),
  documents: z.array(
    z.object({ kind: z.enum(DOCUMENT_KINDS), required: z.boolean(), name: label }),
  ),
  diseases: z.array(
    z.object({
      code: z.string(),
      name: label,
      nationalCode: z.string(),
      kind: z.enum(['chronic', 'special']),
      subCap: z.number().nullable().describe('元 / yuan a year; null for a special disease'),
      diagnoses: z.array(z.string()),
    }),
  ),
  twoDiseases: z.object({ hypertension: z.array(z.string()), diabetes: z.array(z.string()) }),
});

export const toCatalogueView = (c: Catalogue): z.infer<typeof catalogueView> => ({
  pack: c.pack,
  reviewSteps: c.reviewSteps,
  documents: c.documents,
  diseases: c.diseases.map((d) => ({
    code: d.code,
    name: d.name,
    nationalCode: d.nationalCode,
    kind: d.kind,
    subCap: d.subCap === null ? null : fenToYuanNumber(d.subCap),
    diagnoses: d.diagnoses,
  })),
  twoDiseases: c.twoDiseases,
});

export const attachmentView = z.object({
  id: z.number().int(),
  kind: z.enum(ATTACHMENT_KINDS),
  fileName: z.string(),
  mediaType: z.enum(MEDIA_TYPES),
  sizeBytes: z.number().int(),
  uploadedAt: z.string(),
});

export const applicationView = z.object({
  id: z.number().int(),
  certno: z.string(),
  name: z.string(),
  regionCode: z.string(),
  channel: z.enum(CHANNELS),
  fixmedinsCode: z.string().nullable(),
  status: z.enum(APPLICATION_STATUSES),
  acceptedOn: z.string(),
  documentsDue: z.string().nullable(),
  onsite: z.boolean(),
  reviewSteps: z.number().int(),
  note: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  diseases: z.array(
    z.object({
      disease: z.string(),
      name: label,
      diagnosis: z.string().nullable(),
      decision: z.enum(['pending', 'approved', 'refused']),
      step: z.number().int(),
      reason: z.enum(REFUSAL_REASONS).nullable(),
      reasonNote: z.string().nullable(),
      decidedBy: z.string().nullable(),
      decidedAt: z.string().nullable(),
    }),
  ),
  documents: z.array(attachmentView),
  missingDocuments: z.array(z.enum(DOCUMENT_KINDS)),
  certificateNo: z.string().nullable(),
});
export type ApplicationView = z.infer<typeof applicationView>;

const text = (actor: Actor, t: string | null) => (t === null ? null : maskDiagnosis(actor, t));

/** Does the application show the caller something sensitive (then the read is audited)? */
export const applicationSensitive = (a: Application) =>
  a.diseases.some(
    (d) => d.severeMental || (d.diagnosis !== null && isPsychiatricDiagnosis(d.diagnosis)),
  );

export const revealsApplication = (actor: Actor, a: Application) =>
  mayReadSensitive(actor) && applicationSensitive(a);

export function toApplicationView(actor: Actor, a: Application): ApplicationView {
  const hide = !mayReadSensitive(actor) && applicationSensitive(a);
  const masked = (d: Application['diseases'][number]) =>
    !mayReadSensitive(actor) &&
    (d.severeMental || (d.diagnosis !== null && isPsychiatricDiagnosis(d.diagnosis)));
  return {
    id: a.id,
    certno: certnoFor(actor, a.certno),
    name: a.name,
    regionCode: a.regionCode,
    channel: a.channel,
    fixmedinsCode: a.fixmedinsCode,
    status: a.status,
    acceptedOn: a.acceptedOn,
    documentsDue: a.documentsDue,
    onsite: a.onsite,
    reviewSteps: a.reviewSteps,
    note: hide && a.note !== null ? MASKED : text(actor, a.note),
    withdrawnReason: text(actor, a.withdrawnReason),
    createdBy: a.createdBy,
    createdAt: a.createdAt,
    closedAt: a.closedAt,
    diseases: a.diseases.map((d) =>
      masked(d)
        ? {
            disease: MASKED,
            name: MASKED_LABEL,
            diagnosis: d.diagnosis === null ? null : MASKED,
            decision: d.decision,
            step: d.step,
            reason: d.reason,
            reasonNote: d.reasonNote === null ? null : MASKED,
            decidedBy: d.decidedBy,
            decidedAt: d.decidedAt,
          }
        : {
            disease: d.disease,
            name: d.name,
            diagnosis: d.diagnosis,
            decision: d.decision,
            step: d.step,
            reason: d.reason,
            reasonNote: text(actor, d.reasonNote),
            decidedBy: d.decidedBy,
            decidedAt: d.decidedAt,
          },
    ),
    documents: a.documents.map((d) => toAttachmentView(d, hide)),
    missingDocuments: a.missingDocuments,
    certificateNo: a.certificateNo,
  };
}

export const toAttachmentView = (d: AttachmentMeta, hide = false) => ({
  id: d.id,
  kind: d.kind,
  fileName: hide ? MASKED : d.fileName,
  mediaType: d.mediaType,
  sizeBytes: d.sizeBytes,
  uploadedAt: d.uploadedAt,
});

export const certificateView = z.object({
  certificateNo: z.string(),
  certno: z.string(),
  name: z.string(),
  regionCode: z.string(),
  issuedOn: z.string(),
  source: z.enum(['review', 'import']),
  diseases: z.array(
    z.object({
      disease: z.string(),
      name: label,
      kind: z.enum(['chronic', 'special']).nullable(),
      validFrom: z.string(),
      validTo: z.string().nullable(),
      applicationId: z.number().int().nullable(),
      endedReason: z.enum(END_REASONS).nullable(),
      endedNote: z.string().nullable(),
      endedAt: z.string().nullable(),
      active: z.boolean(),
    }),
  ),
});
export type CertificateView = z.infer<typeof certificateView>;

export const certificateSensitive = (c: Certificate) => c.diseases.some((d) => d.severeMental);

export function toCertificateView(actor: Actor, c: Certificate, today: string): CertificateView {
  const sees = mayReadSensitive(actor);
  return {
    certificateNo: c.certificateNo,
    certno: certnoFor(actor, c.certno),
    name: c.name,
    regionCode: c.regionCode,
    issuedOn: c.issuedOn,
    source: c.source,
    diseases: c.diseases.map((d) => {
      const hide = d.severeMental && !sees;
      return {
        disease: hide ? MASKED : d.disease,
        name: hide ? MASKED_LABEL : d.name,
        kind: d.kind,
        validFrom: d.validFrom,
        validTo: d.validTo,
        applicationId: d.applicationId,
        endedReason: d.endedReason,
        endedNote: d.endedNote === null ? null : hide ? MASKED : maskDiagnosis(actor, d.endedNote),
        endedAt: d.endedAt,
        active: d.endedReason === null && (d.validTo === null || d.validTo >= today),
      };
    }),
  };
}

export const filingView = z.object({
  id: z.number().int(),
  certno: z.string(),
  name: z.string(),
  disease: z.enum(['hypertension', 'diabetes']),
  diagnosis: z.string().nullable(),
  fixmedinsCode: z.string(),
  institutionName: z.string().nullable(),
  regionCode: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  source: z.enum(FILING_SOURCES),
  endedReason: z.enum(FILING_END_REASONS).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type FilingView = z.infer<typeof filingView>;

export const toFilingView = (actor: Actor, f: Filing): FilingView => ({
  id: f.id,
  certno: certnoFor(actor, f.certno),
  name: f.name,
  disease: f.disease,
  diagnosis: text(actor, f.diagnosis),
  fixmedinsCode: f.fixmedinsCode,
  institutionName: f.institutionName,
  regionCode: f.regionCode,
  validFrom: f.validFrom,
  validTo: f.validTo,
  source: f.source,
  endedReason: f.endedReason,
  createdBy: f.createdBy,
  createdAt: f.createdAt,
});

export const personChronicView = z.object({
  certno: z.string(),
  certificate: certificateView.nullable(),
  filings: z.array(filingView),
  applications: z.array(applicationView),
  screening: z.array(
    z.object({
      screeningId: z.number().int(),
      notApplying: z.string().nullable(),
      note: z.string().nullable(),
      visitedOn: z.string().nullable(),
    }),
  ),
});

export const personSensitive = (p: PersonChronic) =>
  (p.certificate !== null && certificateSensitive(p.certificate)) ||
  p.applications.some(applicationSensitive);

export const toPersonChronicView = (actor: Actor, p: PersonChronic, today: string) => ({
  certno: certnoFor(actor, p.certno),
  certificate: p.certificate && toCertificateView(actor, p.certificate, today),
  filings: p.filings.map((f) => toFilingView(actor, f)),
  applications: p.applications.map((a) => toApplicationView(actor, a)),
  screening: p.screening.map((s) => ({ ...s, note: text(actor, s.note) })),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int() });
