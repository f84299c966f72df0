/** pack_wide.yaml → the numbers that do not depend on a bill (monitoring, refunds, programmes). */
import type { PackWideRules } from './model.ts';
import type { PackWideFile } from './schema.ts';
import type { YamlSource } from './yaml-source.ts';
import { at, categories, child, param, setting, type BuildContext } from './build-common.ts';

export function buildPackWide(
  ctx: BuildContext,
  source: YamlSource,
  raw: PackWideFile,
): PackWideRules {
  const m = at(source, 'monitoring');
  const inscopeCategories = categories(
    ctx,
    child(m, 'inscope_categories'),
    raw.monitoring.inscope_categories,
  );
  setting(ctx, child(m, 'inscope_categories'), inscopeCategories.join(', '));
  return {
    perCapitaIncome: param(ctx, at(source, 'per_capita_income'), 'money', raw.per_capita_income),
    monitoring: {
      inscopeCategories,
      inscopeShare: param(ctx, child(m, 'inscope_share'), 'ratio', raw.monitoring.inscope_share),
      totalShare: param(ctx, child(m, 'total_share'), 'ratio', raw.monitoring.total_share),
    },
    refundCutoff: param(ctx, at(source, 'refund_cutoff'), 'date', raw.refund_cutoff),
    programmes: Object.entries(raw.programmes).map(([code, p]) => {
      const a = at(source, 'programmes', code);
      setting(ctx, child(a, 'tiers'), p.tiers.join(', '));
      return {
        code,
        title: p.title,
        tiers: p.tiers,
        budget: param(ctx, child(a, 'budget'), 'money', p.budget),
      };
    }),
  };
}
