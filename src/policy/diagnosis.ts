/** Matching primary diagnoses against the ICD-10 prefixes and ranges of a pack. */
import type { DiagnosisPattern } from './model.ts';

/** Upper case without dots and spaces: `i25.1` and `I251` are the same code to a prefix. */
const bare = (code: string): string => code.trim().toUpperCase().replace(/[.\s]/g, '');

/**
 * `F20.0` matches `F20`; `F72.1` matches `F70-F79`; `C34.9` matches `C`. The code is compared on
 * as many characters as the pattern has, so a range of three-character categories covers all
 * their subcodes.
 */
export function matchesDiagnosis(
  patterns: readonly DiagnosisPattern[],
  diagnosis: string,
): boolean {
  const code = bare(diagnosis);
  return patterns.some((p) => {
    const from = bare(p.from);
    const to = bare(p.to);
    const head = code.slice(0, from.length);
    return head.length === from.length && from <= head && head <= to;
  });
}

/**
 * Could one diagnosis match both patterns? The longer pattern, cut to the shorter one's length,
 * is a range of prefixes (cutting keeps the order); they overlap when the two ranges meet.
 */
export function patternsOverlap(a: DiagnosisPattern, b: DiagnosisPattern): boolean {
  const [short, long] = bare(a.from).length <= bare(b.from).length ? [a, b] : [b, a];
  const n = bare(short.from).length;
  const longFrom = bare(long.from).slice(0, n);
  const longTo = bare(long.to).slice(0, n);
  return bare(short.from) <= longTo && longFrom <= bare(short.to);
}
