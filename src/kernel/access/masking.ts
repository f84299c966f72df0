/**
 * Masking of sensitive fields for API answers, exports and the one bill. Psychiatric diagnoses and
 * severe-mental flags are shown only to roles with `registry:sensitive:read`; whole ID numbers
 * only to roles with `registry:certno:read` (others see the first 6 and last 4 digits). Call these
 * where data leaves the system (serialising a view, writing an export row, printing a bill), not
 * in repositories: the service logic itself still needs the true values.
 */
import { maskId } from '../idcard.ts';
import { can } from './roles.ts';

type Holder = { permissions: ReadonlySet<string> };

/** What a masked free-text field shows. */
export const MASKED = '***';

/** Identity categories that disclose a psychiatric condition. */
export const SENSITIVE_CATEGORIES: readonly string[] = ['severe_mental', 'mental_aid_card'];

export const mayReadSensitive = (actor: Holder) => can(actor, 'registry:sensitive:read');
export const mayReadCertno = (actor: Holder) => can(actor, 'registry:certno:read');

/** `370899199001010011` → `370899********0011`; anything not 18 characters is fully masked. */
export const maskCertno = (certno: string): string =>
  certno.length === 18 ? maskId(certno) : MASKED;

/** The ID number as this actor may see it. */
export const certnoFor = (actor: Holder, certno: string): string =>
  mayReadCertno(actor) ? certno : maskCertno(certno);

export const isSensitiveCategory = (category: string): boolean =>
  SENSITIVE_CATEGORIES.includes(category);

/** Drops sensitive categories for actors who may not see them (their absence reveals nothing). */
export function maskCategories<C extends string>(actor: Holder, categories: readonly C[]): C[] {
  return mayReadSensitive(actor)
    ? [...categories]
    : categories.filter((c) => !isSensitiveCategory(c));
}

/** Drops sensitive flags (severe_mental, mental_aid_card) for actors who may not see them. */
export function maskSensitiveFlags<F extends { category: string }>(
  actor: Holder,
  flags: readonly F[],
): F[] {
  return mayReadSensitive(actor)
    ? [...flags]
    : flags.filter((f) => !isSensitiveCategory(f.category));
}

/**
 * ICD-10 chapter V (F00–F99, mental and behavioural disorders), or a Chinese diagnosis name that
 * names one. Over-masking a diagnosis is harmless; under-masking is not, hence the broad words.
 */
const PSYCHIATRIC_CODE = /^\s*F\d{2}/i;
const PSYCHIATRIC_WORDS = /精神|分裂|躁狂|抑郁|双相|妄想|智力障碍|精神发育迟滞/;

export const isPsychiatricDiagnosis = (diagnosis: string): boolean =>
  PSYCHIATRIC_CODE.test(diagnosis) || PSYCHIATRIC_WORDS.test(diagnosis);

/** The diagnosis as this actor may see it: psychiatric ones become `***` without the permission. */
export const maskDiagnosis = (actor: Holder, diagnosis: string): string =>
  !mayReadSensitive(actor) && isPsychiatricDiagnosis(diagnosis) ? MASKED : diagnosis;

/** Does this answer reveal something sensitive to this actor (then audit the read)? */
export function revealsSensitive(
  actor: Holder,
  seen: { categories?: readonly string[]; diagnoses?: readonly string[] },
): boolean {
  if (!mayReadSensitive(actor)) return false;
  return (
    (seen.categories ?? []).some(isSensitiveCategory) ||
    (seen.diagnoses ?? []).some(isPsychiatricDiagnosis)
  );
}
