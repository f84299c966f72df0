/**
 * The chronic-disease application as the form edits it: the diseases with their diagnoses, the
 * documents of the pack's checklist chosen for upload, 容缺 (a deadline when required documents
 * are missing) and on-site assessment; its checks, in the words the API would use, and the body
 * POST /api/v1/chronic/applications takes.
 */
import { normaliseDate } from '../../../src/kernel/period.ts';
import type { CatalogueDisease, ChecklistDocument } from '../api/types.ts';

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
/** The API's limit for one attachment. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

export interface ApplicationForm {
  certno: string;
  /** Catalogue codes, in the order chosen. */
  diseases: string[];
  /** Disease code → ICD-10 diagnosis as typed (may be blank). */
  diagnoses: Record<string, string>;
  /** Document kind → the file chosen for it. */
  files: Record<string, File | null>;
  acceptedOn: string;
  documentsDue: string;
  onsite: boolean;
  note: string;
}

export const newApplication = (today: string): ApplicationForm => ({
  certno: '',
  diseases: [],
  diagnoses: {},
  files: {},
  acceptedOn: today,
  documentsDue: '',
  onsite: false,
  note: '',
});

/** Required kinds of the checklist with neither an uploaded nor a chosen file. */
export function missingDocuments(
  checklist: readonly ChecklistDocument[],
  have: (kind: string) => boolean,
): string[] {
  return checklist.filter((d) => d.required && !have(d.kind)).map((d) => d.kind);
}

/** The spec's match: a diagnosis starts with one of the prefixes (upper case, dot ignored). */
export function diagnosisMatches(diagnosis: string, prefixes: readonly string[]): boolean {
  const d = diagnosis.toUpperCase().replace(/\./g, '').trim();
  return prefixes.some((p) => d.startsWith(p.toUpperCase().replace(/\./g, '')));
}

/** Why a file cannot be attached ('type' | 'size'), or null when it can. */
export function fileProblem(file: { type: string; size: number }): 'type' | 'size' | null {
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) return 'type';
  if (file.size > ATTACHMENT_MAX_BYTES) return 'size';
  return null;
}

export type FormErrorKey =
  'person' | 'diseases' | 'acceptedOn' | 'documentsDue' | `diagnosis.${string}`;

export interface FormProblem {
  /** i18n key of the message. */
  key: string;
  params?: Record<string, string>;
}

/** Every problem of the form at once, by field; empty when it can be sent. */
export function checkApplication(
  form: ApplicationForm,
  catalogue: readonly CatalogueDisease[],
  checklist: readonly ChecklistDocument[],
): Partial<Record<FormErrorKey, FormProblem>> {
  const out: Partial<Record<FormErrorKey, FormProblem>> = {};
  if (!form.certno) out.person = { key: 'chronic.choosePerson' };
  if (form.diseases.length === 0) out.diseases = { key: 'chronic.application.chooseDiseases' };
  for (const code of form.diseases) {
    const dx = (form.diagnoses[code] ?? '').trim();
    const disease = catalogue.find((d) => d.code === code);
    if (dx && disease && !diagnosisMatches(dx, disease.diagnoses)) {
      out[`diagnosis.${code}`] = {
        key: 'chronic.application.diagnosisMismatch',
        params: { prefixes: disease.diagnoses.join(', ') },
      };
    }
  }
  const accepted = normaliseDate(form.acceptedOn);
  if (!accepted) out.acceptedOn = { key: 'common.required' };
  const missing = missingDocuments(checklist, (k) => Boolean(form.files[k]));
  if (missing.length > 0 && !form.onsite) {
    const due = normaliseDate(form.documentsDue);
    if (!due) out.documentsDue = { key: 'chronic.application.documentsDueRequired' };
    else if (accepted && due < accepted) {
      out.documentsDue = { key: 'chronic.application.documentsDueRequired' };
    }
  }
  return out;
}

export interface ApplicationBody {
  certno: string;
  diseases: { disease: string; diagnosis?: string }[];
  acceptedOn: string;
  documentsDue?: string;
  onsite?: boolean;
  note?: string;
}

/**
 * The body of POST /applications. The documents are uploaded after the application exists, so
 * at its creation the server counts every required document as missing: when the form holds
 * all of them, the deadline sent is the acceptance day itself (they are supplied at once);
 * otherwise the deadline typed for 容缺. On-site assessment needs none.
 */
export function applicationBody(
  form: ApplicationForm,
  checklist: readonly ChecklistDocument[],
): ApplicationBody {
  const acceptedOn = normaliseDate(form.acceptedOn) ?? form.acceptedOn;
  const body: ApplicationBody = {
    certno: form.certno,
    diseases: form.diseases.map((disease) => {
      const dx = (form.diagnoses[disease] ?? '').trim().toUpperCase();
      return dx ? { disease, diagnosis: dx } : { disease };
    }),
    acceptedOn,
  };
  if (form.onsite) body.onsite = true;
  else {
    const missing = missingDocuments(checklist, (k) => Boolean(form.files[k]));
    const requiredKinds = checklist.some((d) => d.required);
    if (missing.length > 0) body.documentsDue = normaliseDate(form.documentsDue) ?? '';
    else if (requiredKinds) body.documentsDue = acceptedOn;
  }
  const note = form.note.trim();
  if (note) body.note = note;
  return body;
}

/** The files to upload after creation, in checklist order. */
export function chosenFiles(
  form: ApplicationForm,
  checklist: readonly ChecklistDocument[],
): { kind: string; file: File }[] {
  const out: { kind: string; file: File }[] = [];
  for (const d of checklist) {
    const f = form.files[d.kind];
    if (f) out.push({ kind: d.kind, file: f });
  }
  return out;
}

/** Is this ID number shown masked (`370899********0011`)? */
export const isMasked = (certno: string): boolean => certno.includes('*');

/**
 * The whole ID number a form sends for a person the caller sees masked: the number typed, when
 * it is 18 characters and its masked form is the one shown; else null.
 */
export function unmask(shown: string, typed: string | null | undefined): string | null {
  if (!isMasked(shown)) return shown;
  const t = (typed ?? '').trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(t)) return null;
  return `${t.slice(0, 6)}********${t.slice(-4)}` === shown.toUpperCase() ? t : null;
}
