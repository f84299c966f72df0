/** Does a primary diagnosis fall under the pack's severe mental disorder codes? */
import type { DiagnosisPattern } from './model.ts';

/**
 * `F20.0` matches `F20`; `F72.1` matches `F70-F79`. The code is compared on as many characters as
 * the pattern has, so a range of three-character categories covers all their subcodes.
 */
export function matchesDiagnosis(
  patterns: readonly DiagnosisPattern[],
  diagnosis: string,
): boolean {
  const code = diagnosis.trim().toUpperCase();
  return patterns.some((p) => {
    const head = code.slice(0, p.from.length);
    return head.length === p.from.length && p.from <= head && head <= p.to;
  });
}
