/** backstop.yaml → BackstopRules: who, which visit types, what share and which annual cap. */
import { VISIT_TYPES, type VisitType } from './types.ts';
import type { BackstopRules, BackstopVisitRule } from './model.ts';
import type { BackstopFile } from './schema.ts';
import type { YamlSource } from './yaml-source.ts';
import {
  at,
  categories,
  child,
  param,
  report,
  setting,
  type BuildContext,
} from './build-common.ts';

const isVisitType = (s: string): s is VisitType => (VISIT_TYPES as readonly string[]).includes(s);

export function buildBackstop(
  ctx: BuildContext,
  source: YamlSource,
  raw: BackstopFile,
): BackstopRules {
  const cats = categories(ctx, at(source, 'categories'), raw.categories);
  setting(ctx, at(source, 'categories'), cats.join(', '));
  setting(ctx, at(source, 'programme'), raw.programme);
  const requiresSevereMentalDiagnosis = raw.severe_mental_diagnosis_only ?? false;
  setting(ctx, at(source, 'severe_mental_diagnosis_only'), String(requiresSevereMentalDiagnosis));
  const visitTypes: Partial<Record<VisitType, BackstopVisitRule>> = {};
  for (const [vt, rule] of Object.entries(raw.visit_types)) {
    const a = at(source, 'visit_types', vt);
    if (!isVisitType(vt)) {
      report(
        ctx,
        a,
        `unknown visit type "${vt}" (known: ${VISIT_TYPES.join(', ')})`,
        `未知的就诊类型 "${vt}"（可用：${VISIT_TYPES.join('、')}）`,
      );
      continue;
    }
    setting(ctx, child(a, 'cap_group'), rule.cap_group);
    visitTypes[vt] = {
      ratio: param(ctx, child(a, 'ratio'), 'ratio', rule.ratio),
      capGroup: rule.cap_group,
      cap: param(ctx, child(a, 'cap'), 'money_or_null', rule.cap),
    };
  }
  return { programme: raw.programme, categories: cats, requiresSevereMentalDiagnosis, visitTypes };
}
