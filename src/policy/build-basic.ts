/** basic.yaml → BasicRules, refusing unknown or unused cap groups and tilts that change nothing. */
import { VISIT_TYPES, type VisitType } from './types.ts';
import type { BasicRules, BasicTilt, BasicVariant, BasicVisitRule, DatedParam } from './model.ts';
import type { BasicFile } from './schema.ts';
import type { YamlSource } from './yaml-source.ts';
import {
  at,
  categories,
  categoriesParam,
  child,
  levelled,
  param,
  report,
  setting,
  type At,
  type BuildContext,
} from './build-common.ts';

export function buildBasic(ctx: BuildContext, source: YamlSource, raw: BasicFile): BasicRules {
  const capGroups: Record<string, DatedParam<'money'>> = {};
  for (const [name, history] of Object.entries(raw.cap_groups)) {
    capGroups[name] = param(ctx, at(source, 'cap_groups', name), 'money', history);
  }
  const used = new Set<string>();
  const groupList = (a: At, groups: string[]): string[] => {
    groups.forEach((g, i) => {
      used.add(g);
      if (!capGroups[g]) {
        report(
          ctx,
          child(a, i),
          `unknown cap group "${g}" (defined under cap_groups: ${Object.keys(capGroups).join(', ')})`,
          `未知的封顶组 "${g}"（cap_groups 中定义的有：${Object.keys(capGroups).join('、')}）`,
        );
      }
    });
    setting(ctx, a, groups.join(', '));
    return groups;
  };

  const visitTypes = Object.fromEntries(
    VISIT_TYPES.map((vt) => [vt, buildVisit(ctx, at(source, vt), vt, raw[vt], groupList)]),
  ) as Record<VisitType, BasicVisitRule>;

  for (const name of Object.keys(capGroups)) {
    if (!used.has(name)) {
      report(
        ctx,
        at(source, 'cap_groups', name),
        `cap group "${name}" is not used by any visit type`,
        `封顶组 "${name}" 没有任何就诊类型使用`,
      );
    }
  }

  const tilts: BasicTilt[] = Object.entries(raw.tilts ?? {}).map(([name, t]) => {
    const a = at(source, 'tilts', name);
    if (!t.deductible_factor && !t.ratio_add) {
      report(
        ctx,
        a,
        'a tilt needs deductible_factor or ratio_add',
        '倾斜规则应有 deductible_factor 或 ratio_add',
      );
    }
    setting(ctx, child(a, 'visit_types'), t.visit_types.join(', '));
    const cats = categories(ctx, child(a, 'categories'), t.categories);
    setting(ctx, child(a, 'categories'), cats.join(', '));
    return {
      name,
      title: t.title ?? { zh: name, en: name },
      categories: cats,
      visitTypes: t.visit_types,
      deductibleFactor: t.deductible_factor
        ? param(ctx, child(a, 'deductible_factor'), 'ratio', t.deductible_factor)
        : null,
      ratioAdd: t.ratio_add ? param(ctx, child(a, 'ratio_add'), 'points', t.ratio_add) : null,
    };
  });

  const remote = at(source, 'remote');
  return {
    capGroups,
    visitTypes,
    tilts,
    remote: {
      filed: param(ctx, child(remote, 'filed'), 'points', raw.remote.filed),
      unfiled: param(ctx, child(remote, 'unfiled'), 'points', raw.remote.unfiled),
      exempt: categoriesParam(
        ctx,
        child(remote, 'exempt_categories'),
        raw.remote.exempt_categories,
      ),
    },
  };
}

function buildVisit(
  ctx: BuildContext,
  a: At,
  vt: VisitType,
  raw: BasicFile[VisitType],
  groupList: (a: At, groups: string[]) => string[],
): BasicVisitRule {
  if (raw.deductible_scope === 'admission' && raw.deductible_key !== undefined) {
    report(
      ctx,
      child(a, 'deductible_key'),
      'a per-admission deductible is not accumulated, so it takes no deductible_key',
      '按次起付线不累计，不应设置 deductible_key',
    );
  }
  setting(ctx, child(a, 'deductible_scope'), raw.deductible_scope);
  const deductibleKey = raw.deductible_scope === 'annual' ? (raw.deductible_key ?? vt) : null;
  const variant = (key: 'severe_mental_diagnosis' | 'special_disease'): BasicVariant | null => {
    const v = raw[key];
    const vAt = child(a, key);
    if (!v) return null;
    return {
      deductible: v.deductible
        ? levelled(ctx, child(vAt, 'deductible'), 'money', v.deductible)
        : null,
      ratio: v.ratio ? levelled(ctx, child(vAt, 'ratio'), 'ratio', v.ratio) : null,
      capGroups: v.cap_groups ? groupList(child(vAt, 'cap_groups'), v.cap_groups) : null,
    };
  };
  // Only chronic_outpatient bills are matched against the disease catalogue.
  if (raw.special_disease && vt !== 'chronic_outpatient') {
    report(
      ctx,
      child(a, 'special_disease'),
      'only chronic_outpatient is paid by disease of the catalogue',
      '只有门诊慢特病（chronic_outpatient）按病种目录支付',
    );
  }
  return {
    deductibleScope: raw.deductible_scope,
    deductibleKey,
    deductible: levelled(ctx, child(a, 'deductible'), 'money', raw.deductible),
    ratio: levelled(ctx, child(a, 'ratio'), 'ratio', raw.ratio),
    capGroups: groupList(child(a, 'cap_groups'), raw.cap_groups),
    severeMental: variant('severe_mental_diagnosis'),
    specialDisease: variant('special_disease'),
  };
}
