/** Dates and categories of a person as the settlement window needs them. */
import type { Enrolment, Flag } from '../api/types.ts';

/**
 * The bill date to start from: today when the person has resident benefits today; otherwise the
 * last day of benefits of their latest resident enrolment (a demo county enrolled for an earlier
 * year settles bills of that year).
 */
export function defaultBillDate(enrolments: readonly Enrolment[], today: string): string {
  const resident = enrolments.filter((e) => e.scheme === 'resident');
  const covers = (e: Enrolment) =>
    e.benefitFrom <= today &&
    (e.benefitTo === null || e.benefitTo >= today) &&
    today.slice(0, 4) === String(e.medicalYear);
  if (resident.some(covers)) return today;
  const latest = [...resident].sort((a, b) => b.medicalYear - a.medicalYear)[0];
  if (!latest) return today;
  const yearEnd = `${latest.medicalYear}-12-31`;
  const end = latest.benefitTo !== null && latest.benefitTo < yearEnd ? latest.benefitTo : yearEnd;
  return end > today ? today : end;
}

/** The categories a person holds in the month of `date`. */
export function heldCategories(flags: readonly Flag[], date: string): string[] {
  const month = date.slice(0, 7);
  const held = flags.filter((f) => f.from <= month && (f.to === null || f.to >= month));
  return [...new Set(held.map((f) => f.category))].sort();
}
