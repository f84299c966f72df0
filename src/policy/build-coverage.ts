/**
 * coverage.yaml → when settlement starts checking certificates and filings, and the refill
 * tolerance of two-diseases prescriptions (docs/chronic.md §5).
 */
import type { CoverageRules } from './model.ts';
import type { CoverageFile } from './schema-coverage.ts';
import type { YamlSource } from './yaml-source.ts';
import { at, child, param, type BuildContext } from './build-common.ts';

export function buildCoverage(
  ctx: BuildContext,
  source: YamlSource,
  raw: CoverageFile,
): CoverageRules {
  const td = at(source, 'two_diseases');
  return {
    checkedFrom: param(ctx, at(source, 'checked_from'), 'date', raw.checked_from),
    refillToleranceDays: param(
      ctx,
      child(td, 'refill_tolerance_days'),
      'days',
      raw.two_diseases.refill_tolerance_days,
    ),
  };
}
