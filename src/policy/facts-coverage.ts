/**
 * The facts of coverage.yaml (docs/chronic.md §5) on a day, as pack tests compare them and
 * `policy show` prints them: `coverage.checked_from`, `coverage.two_diseases.refill_tolerance_days`.
 */
import type { Fact } from './facts.ts';
import type { CoverageParams } from './resolve-coverage.ts';

export function coverageFacts(c: CoverageParams): Fact[] {
  return [
    {
      key: 'coverage.checked_from',
      kind: 'date',
      value: c.checkedFrom.value,
      provenance: c.checkedFrom.provenance,
    },
    {
      key: 'coverage.two_diseases.refill_tolerance_days',
      kind: 'days',
      value: c.refillToleranceDays.value,
      provenance: c.refillToleranceDays.provenance,
    },
  ];
}
