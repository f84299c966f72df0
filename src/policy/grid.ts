/**
 * A pack resolved for one date and set of categories, for every visit type and hospital level —
 * the table `policy show` prints and `GET /api/v1/policies/{pack}` returns. Without a diagnosis
 * each bill is resolved twice, for an ordinary diagnosis and for a severe mental one, because the
 * pack's rules differ between them.
 */
import type { IsoDate } from '../kernel/period.ts';
import {
  VISIT_TYPES,
  type Category,
  type HospitalLevel,
  type PackWideParams,
  type Remote,
  type ResolvedParams,
} from './types.ts';
import type { PolicyPack } from './model.ts';
import { clampToValidity, resolveBill, resolvePackWide } from './resolve.ts';
import { valueAt } from './dated.ts';

export interface GridOptions {
  date: IsoDate;
  categories: readonly Category[];
  remote?: Remote;
  /** One diagnosis for every bill; by default an ordinary one and a severe mental one. */
  diagnosis?: string;
}

export interface Grid {
  date: IsoDate;
  /** The date lookups used (the date clamped into the pack's validity). */
  effectiveDate: IsoDate;
  categories: Category[];
  packWide: PackWideParams;
  bills: ResolvedParams[];
}

export const LEVELS: readonly HospitalLevel[] = [1, 2, 3];

/** A code the pack counts as a severe mental diagnosis on `date`, e.g. `F20`. */
export function severeMentalExample(pack: PolicyPack, date: IsoDate): string {
  const [first] = valueAt(pack.severeMentalDiagnosis, clampToValidity(pack, date)).value;
  return first?.from ?? 'F20';
}

export function resolveGrid(pack: PolicyPack, opts: GridOptions): Grid {
  const diagnoses =
    opts.diagnosis !== undefined ? [opts.diagnosis] : ['', severeMentalExample(pack, opts.date)];
  const bills = VISIT_TYPES.flatMap((visitType) =>
    diagnoses.flatMap((diagnosis) =>
      LEVELS.map((hospitalLevel) =>
        resolveBill(pack, {
          date: opts.date,
          visitType,
          hospitalLevel,
          diagnosis,
          remote: opts.remote ?? null,
          categories: opts.categories,
        }),
      ),
    ),
  );
  return {
    date: opts.date,
    effectiveDate: clampToValidity(pack, opts.date),
    categories: [...opts.categories],
    packWide: resolvePackWide(pack, opts.date),
    bills,
  };
}
