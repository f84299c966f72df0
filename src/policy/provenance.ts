/**
 * Provenance of resolved numbers, and choosing the most favourable of several candidates
 * (docs/settlement.md §4): each parameter independently, lowest deductible, highest ratio, highest or
 * no cap. Provenance values are in program units — fen for money, basis points for ratios and
 * points, ISO dates — except lists and bracket scales, which are written out as text.
 */
import { fenToYuanNumber } from '../kernel/money.ts';
import { formatPercent } from '../kernel/ratio.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { Bracket, Provenance, Resolved } from './types.ts';
import type { DatedParam, Label, ParamKind, ParamKinds, PolicyPack } from './model.ts';
import { valueAt } from './dated.ts';
import { formatDiagnosisPattern } from './units.ts';

export function scaleText(brackets: readonly Bracket[]): string {
  return brackets
    .map(
      (b) =>
        `[${fenToYuanNumber(b.from)}, ${b.to === null ? '∞' : fenToYuanNumber(b.to)}) ${formatPercent(b.ratio)}`,
    )
    .join(' · ');
}

function provenanceValue<K extends ParamKind>(kind: K, value: ParamKinds[K]): Provenance['value'] {
  // Narrowing a generic value by its kind needs a cast per branch; the kinds table guarantees it.
  switch (kind) {
    case 'money':
    case 'money_or_null':
    case 'ratio':
    case 'points':
    case 'date':
    case 'days':
      return value as number | string | null;
    case 'diagnoses':
      return (value as ParamKinds['diagnoses']).map(formatDiagnosisPattern).join(', ');
    case 'categories':
      return (value as ParamKinds['categories']).join(', ');
    case 'scale':
      return scaleText(value as ParamKinds['scale']);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** The value of `param` on `date`, with its provenance. */
export function resolveParam<K extends ParamKind>(
  pack: PolicyPack,
  param: DatedParam<K>,
  date: IsoDate,
  note?: Label,
): Resolved<ParamKinds[K]> {
  const entry = valueAt(param, date);
  const provenance: Provenance = {
    pack: pack.name,
    file: param.file,
    line: entry.line,
    key: param.key,
    from: entry.from,
    to: entry.to,
    reference: entry.reference,
    value: provenanceValue(param.kind, entry.value),
  };
  if (note) provenance.note = note;
  return { value: entry.value, provenance: [provenance] };
}

/** A value computed from `base` by a rule: the rule's provenance follows the base's. */
export const derived = <T>(
  value: T,
  base: Resolved<unknown>,
  by: Resolved<unknown>,
): Resolved<T> => ({
  value,
  provenance: [...base.provenance, ...by.provenance],
});

/** The first candidate no other beats: ties keep the earlier one (the base before any group). */
export function mostFavourable<T>(
  candidates: readonly Resolved<T>[],
  better: (a: T, b: T) => boolean,
): Resolved<T> {
  const [first, ...rest] = candidates;
  if (!first) throw new Error('mostFavourable needs a candidate');
  return rest.reduce((best, c) => (better(c.value, best.value) ? c : best), first);
}

export const lower = (a: number, b: number) => a < b;
export const higher = (a: number, b: number) => a > b;
/** A higher cap is better, and no cap (null) is best. */
export const higherOrNone = (a: number | null, b: number | null) =>
  a === null ? b !== null : b !== null && a > b;

/** The same value, its provenance noted with how the rule was applied. */
export const withNote = <T>(r: Resolved<T>, note: Label): Resolved<T> => ({
  value: r.value,
  provenance: r.provenance.map((p) => ({ ...p, note })),
});
