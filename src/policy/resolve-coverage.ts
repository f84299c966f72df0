/**
 * The coverage parameters on a bill date (docs/chronic.md §5), each with provenance. Pure; a date
 * outside the pack's validity is clamped into it, as every resolution is.
 */
import type { IsoDate } from '../kernel/period.ts';
import type { PolicyPack } from './model.ts';
import { resolveParam } from './provenance.ts';
import { clampToValidity } from './resolve.ts';
import type { Resolved } from './types.ts';

export interface CoverageParams {
  /** Certificates and filings are checked for bills dated on or after this date. */
  checkedFrom: Resolved<IsoDate>;
  /** Days of a drug's last two-diseases prescription that may remain at the next one. */
  refillToleranceDays: Resolved<number>;
}

export function resolveCoverage(pack: PolicyPack, date: IsoDate): CoverageParams {
  const on = clampToValidity(pack, date);
  return {
    checkedFrom: resolveParam(pack, pack.coverage.checkedFrom, on),
    refillToleranceDays: resolveParam(pack, pack.coverage.refillToleranceDays, on),
  };
}

/** Does settlement check certificates and filings for a bill of `date`? */
export const checksCoverage = (c: CoverageParams, date: IsoDate): boolean =>
  date >= c.checkedFrom.value;
