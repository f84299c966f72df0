/**
 * The records of the chronic workflow as the service works with them: true values (whole ID
 * numbers, psychiatric diagnoses); views.ts masks them for the caller. Names follow the glossary.
 */
import type { DocumentKind, Label, TwoDiseaseName } from '../../policy/index.ts';
import type { IsoDate } from '../../kernel/period.ts';

export const CHANNELS = ['window', 'township', 'doctor', 'hospital', 'gateway'] as const;
export type Channel = (typeof CHANNELS)[number];

export const APPLICATION_STATUSES = ['incomplete', 'under_review', 'decided', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export type Decision = 'pending' | 'approved' | 'refused';

/** Why an expert refuses a disease (the notice prints each). */
export const REFUSAL_REASONS = [
  'not_meeting_criteria',
  'documents_insufficient',
  'not_in_catalogue',
  'other',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const REFUSAL_REASON_LABELS: Record<RefusalReason, Label> = {
  not_meeting_criteria: { zh: '未达到该病种鉴定标准', en: 'does not meet the criteria' },
  documents_insufficient: { zh: '申请材料不足以证明病情', en: 'the documents do not prove it' },
  not_in_catalogue: { zh: '所患疾病不属于门诊慢特病病种目录', en: 'not a catalogue disease' },
  other: { zh: '其他原因', en: 'another reason' },
};

/** Attachments: the checklist's documents, or another one. */
export const ATTACHMENT_KINDS = [
  'medical_record',
  'test_result',
  'prescription_history',
  'family_doctor_contract',
  'health_check',
  'other',
] as const satisfies readonly (DocumentKind | 'other')[];
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export interface ApplicationDisease {
  disease: string;
  /** The catalogue's name of the disease (the code when no catalogue knows it). */
  name: Label;
  /** S004, the severe mental disorders: masked without registry:sensitive:read. */
  severeMental: boolean;
  diagnosis: string | null;
  decision: Decision;
  /** Review steps done. */
  step: number;
  reason: RefusalReason | null;
  reasonNote: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface AttachmentMeta {
  id: number;
  kind: AttachmentKind;
  fileName: string;
  mediaType: MediaType;
  sizeBytes: number;
  uploadedAt: string;
}

export interface Application {
  id: number;
  certno: string;
  name: string;
  regionCode: string;
  channel: Channel;
  fixmedinsCode: string | null;
  status: ApplicationStatus;
  acceptedOn: IsoDate;
  documentsDue: IsoDate | null;
  onsite: boolean;
  reviewSteps: 1 | 2;
  note: string | null;
  gatewaySn: string | null;
  withdrawnReason: string | null;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  diseases: ApplicationDisease[];
  documents: AttachmentMeta[];
  /** The checklist's required documents not uploaded yet. */
  missingDocuments: DocumentKind[];
  /** The person's certificate number once a disease of this application is on it. */
  certificateNo: string | null;
}

/** An application as stored: the catalogue's names and the missing documents come later. */
export type ApplicationRow = Omit<Application, 'diseases' | 'missingDocuments'> & {
  diseases: Omit<ApplicationDisease, 'name' | 'severeMental'>[];
};

export const END_REASONS = ['revoked', 'expired', 'death', 'correction'] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface CertificateDisease {
  disease: string;
  name: Label;
  kind: 'chronic' | 'special' | null;
  severeMental: boolean;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  applicationId: number | null;
  endedReason: EndReason | null;
  endedNote: string | null;
  endedAt: string | null;
}

export interface Certificate {
  certno: string;
  name: string;
  regionCode: string;
  certificateNo: string;
  issuedOn: IsoDate;
  source: 'review' | 'import';
  diseases: CertificateDisease[];
}

/** A certificate as stored: the catalogue's names of its diseases come later. */
export type CertificateRow = Omit<Certificate, 'diseases'> & {
  diseases: Omit<CertificateDisease, 'name' | 'kind' | 'severeMental'>[];
};

export const FILING_SOURCES = ['doctor', 'hospital', 'gateway', 'import'] as const;
export type FilingSource = (typeof FILING_SOURCES)[number];
export const FILING_END_REASONS = ['cancelled', 'death', 'correction'] as const;
export type FilingEndReason = (typeof FILING_END_REASONS)[number];

export interface Filing {
  id: number;
  certno: string;
  name: string;
  disease: TwoDiseaseName;
  diagnosis: string | null;
  fixmedinsCode: string;
  institutionName: string | null;
  regionCode: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  source: FilingSource;
  gatewaySn: string | null;
  endedReason: FilingEndReason | null;
  createdBy: string;
  createdAt: string;
}

export interface ScreeningNote {
  screeningId: number;
  notApplying: string | null;
  note: string | null;
  visitedOn: IsoDate | null;
}

export interface PersonChronic {
  certno: string;
  certificate: Certificate | null;
  filings: Filing[];
  applications: Application[];
  screening: ScreeningNote[];
}

/** A certificate disease covers `date` (both ends inclusive). */
export const coversDate = (d: { validFrom: IsoDate; validTo: IsoDate | null }, date: IsoDate) =>
  d.validFrom <= date && (d.validTo === null || date <= d.validTo);

/** Active: not ended, and still open or running to a day not yet past. */
export const isActive = (
  d: { validTo: IsoDate | null; endedReason: string | null },
  today: IsoDate,
): boolean => d.endedReason === null && (d.validTo === null || d.validTo >= today);
