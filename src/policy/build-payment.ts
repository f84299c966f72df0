/**
 * payment.yaml → how the fund pays each designated institution (docs/payment.md §1–§7): the
 * diagnosis groups payment rules name, the institution classes and the method each class is paid
 * by, per bed-day rates with the short- and long-stay rules, capitation packages, global budgets
 * with their sharing rule, and monthly prepayment. A pack without the file has no payment rules.
 */
import { z } from 'zod';
import type {
  CapitationPackage,
  PaymentMethod,
  InstitutionClass,
  OutpatientGroup,
  PaymentRule,
  PaymentRules,
} from './model.ts';
import type { HospitalLevel } from './types.ts';
import {
  bool,
  dated,
  days,
  diagnosis,
  label,
  leaf,
  money,
  ratio,
  text,
  visitType,
} from './schema-common.ts';
import type { Parsed } from './units.ts';
import type { YamlSource } from './yaml-source.ts';
import { patternsOverlap } from './diagnosis.ts';
import { formatDiagnosisPattern } from './units.ts';
import { at, child, param, report, setting, type BuildContext } from './build-common.ts';

export const PAYMENT_METHODS = [
  'fee_for_service',
  'per_bed_day',
  'capitation',
  'global_budget',
  'outpatient_group',
] as const satisfies readonly PaymentMethod[];

function oneOf<const V extends string>(values: readonly V[], what: string, zh: string) {
  return leaf((raw): Parsed<V> =>
    values.find((v) => v === raw) !== undefined
      ? { ok: true, value: raw as V }
      : {
          ok: false,
          en: `unknown ${what} "${String(raw)}" (known: ${values.join(', ')})`,
          zh: `未知的${zh} "${String(raw)}"（可用：${values.join('、')}）`,
        },
  );
}

const level = leaf((raw): Parsed<HospitalLevel> =>
  raw === 1 || raw === 2 || raw === 3
    ? { ok: true, value: raw }
    : { ok: false, en: `level is 1, 2 or 3, not ${String(raw)}`, zh: `医院等级应为 1、2 或 3` },
);
const CODE_RE = /^[A-Z0-9]{6,32}$/;
const institutionCode = leaf((raw): Parsed<string> =>
  typeof raw === 'string' && CODE_RE.test(raw)
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `${String(raw)} is not an institution code (fixmedins_code)`,
        zh: `${String(raw)} 不是定点医药机构编号`,
      },
);
const AREA_RE = /^\d{6}(\d{3})*$/;
const area = leaf((raw): Parsed<string> => {
  const s = typeof raw === 'number' ? String(raw) : raw;
  return typeof s === 'string' && AREA_RE.test(s)
    ? { ok: true, value: s }
    : {
        ok: false,
        en: `${String(raw)} is not a region code`,
        zh: `${String(raw)} 不是行政区划代码`,
      };
});

const rule = z.strictObject({
  method: oneOf(PAYMENT_METHODS, 'payment method', '支付方式'),
  visit_types: z.optional(z.array(visitType).min(1)),
  diagnosis_group: z.optional(text),
  package: z.optional(text),
  outpatient_group: z.optional(text),
});

export const paymentFile = z.strictObject({
  diagnosis_groups: z.record(
    z.string(),
    z.strictObject({ name: label, diagnoses: z.array(diagnosis).min(1) }),
  ),
  classes: z.record(
    z.string(),
    z.strictObject({
      name: label,
      institutions: z.optional(z.array(institutionCode).min(1)),
      levels: z.optional(z.array(level).min(1)),
      in_global_budget: bool,
      rules: z.array(rule).min(1),
    }),
  ),
  per_bed_day: z.strictObject({
    rates: z.record(z.string(), z.record(z.enum(['level1', 'level2', 'level3']), dated(money))),
    short_stay_days: dated(days),
    long_stay_days: dated(days),
    long_stay_ratio: dated(ratio),
  }),
  capitation: z.record(
    z.string(),
    z.strictObject({
      name: label,
      area,
      institution: institutionCode,
      per_capita: dated(money),
      centre_share: dated(ratio),
      referral_from_level: level,
      overspend: oneOf(['not_topped_up', 'topped_up'] as const, 'overspend rule', '超支规则'),
      surplus: oneOf(['retained', 'returned'] as const, 'surplus rule', '结余规则'),
    }),
  ),
  outpatient_groups: z.optional(
    z.record(
      z.string(),
      z.strictObject({
        name: label,
        diagnoses: z.array(diagnosis).min(1),
        per: oneOf(['case', 'month'] as const, 'outpatient group basis', '门诊病组计价方式'),
        rate: dated(money),
      }),
    ),
  ),
  global_budget: z.strictObject({
    budgets: z.record(z.string(), dated(money)),
    excluded_groups: z.array(text),
    overspend_tolerance: dated(ratio),
    overspend_fund_share: dated(ratio),
    underspend_retained_share: dated(ratio),
  }),
  prepayment: z.record(
    z.string(),
    z.strictObject({
      basis: oneOf(['budget', 'last_year'] as const, 'prepayment basis', '预付基数'),
      last_year: z.optional(dated(money)),
      monthly_share: dated(ratio),
    }),
  ),
});
export type PaymentFile = z.output<typeof paymentFile>;

export function buildPayment(
  ctx: BuildContext,
  source: YamlSource,
  raw: PaymentFile,
): PaymentRules {
  const groups = Object.entries(raw.diagnosis_groups).map(([code, g]) => ({
    code,
    name: g.name,
    diagnoses: g.diagnoses,
  }));
  const groupCodes = new Set(groups.map((g) => g.code));
  const needGroup = (a: ReturnType<typeof at>, code: string): void => {
    if (!groupCodes.has(code)) {
      report(
        ctx,
        a,
        `unknown diagnosis group "${code}" (diagnosis_groups: ${[...groupCodes].join(', ')})`,
        `未知的诊断组 "${code}"（diagnosis_groups：${[...groupCodes].join('、')}）`,
      );
    }
  };
  const packages = new Set(Object.keys(raw.capitation));
  const outpatientCodes = new Set(Object.keys(raw.outpatient_groups ?? {}));
  const classes: InstitutionClass[] = [];
  const owner = new Map<string, string>();
  for (const [code, c] of Object.entries(raw.classes)) {
    const a = at(source, 'classes', code);
    if (!c.institutions && !c.levels) {
      report(ctx, a, 'a class lists institutions or levels', '机构类别须列出机构或等级');
    }
    for (const [i, inst] of (c.institutions ?? []).entries()) {
      const taken = owner.get(inst);
      if (taken) {
        report(
          ctx,
          child(a, 'institutions', i),
          `${inst} is already in class ${taken}`,
          `${inst} 已属于机构类别 ${taken}`,
        );
      }
      owner.set(inst, code);
    }
    const rules = c.rules.map((r, i): PaymentRule => {
      const ra = child(a, 'rules', i);
      if (r.diagnosis_group !== undefined)
        needGroup(child(ra, 'diagnosis_group'), r.diagnosis_group);
      if (r.method === 'capitation' && (r.package === undefined || !packages.has(r.package))) {
        report(
          ctx,
          child(ra, 'package'),
          `a capitation rule names one of the capitation packages (${[...packages].join(', ')})`,
          `按人头付费规则须指明 capitation 中的一个包（${[...packages].join('、')}）`,
        );
      }
      if (r.method === 'outpatient_group') {
        if (outpatientCodes.size === 0) {
          report(
            ctx,
            child(ra, 'method'),
            'an outpatient-group rule needs outpatient_groups',
            '门诊病组付费规则须先在 outpatient_groups 中定义病组',
          );
        }
        if (r.outpatient_group !== undefined && !outpatientCodes.has(r.outpatient_group)) {
          report(
            ctx,
            child(ra, 'outpatient_group'),
            `unknown outpatient group "${r.outpatient_group}" (outpatient_groups: ${[...outpatientCodes].join(', ')})`,
            `未知的门诊病组 "${r.outpatient_group}"（outpatient_groups：${[...outpatientCodes].join('、')}）`,
          );
        }
        if (r.visit_types === undefined || r.visit_types.includes('inpatient')) {
          report(
            ctx,
            child(ra, 'visit_types'),
            'an outpatient-group rule lists outpatient visit types only',
            '门诊病组付费规则须列出门诊就诊类型，不含住院',
          );
        }
      } else if (r.outpatient_group !== undefined) {
        report(
          ctx,
          child(ra, 'outpatient_group'),
          'only an outpatient_group rule names an outpatient group',
          '只有 outpatient_group 规则可指定门诊病组',
        );
      }
      return {
        method: r.method,
        visitTypes: r.visit_types ?? null,
        diagnosisGroup: r.diagnosis_group ?? null,
        package: r.package ?? null,
        outpatientGroup: r.outpatient_group ?? null,
      };
    });
    setting(ctx, child(a, 'rules'), rules.map((r) => r.method).join(', '));
    classes.push({
      code,
      name: c.name,
      institutions: c.institutions ?? [],
      levels: c.levels ?? [],
      inGlobalBudget: c.in_global_budget,
      rules,
    });
  }
  const classOf = (inst: string): InstitutionClass | undefined =>
    classes.find((c) => c.institutions.includes(inst));
  const needClass = (a: ReturnType<typeof at>, inst: string): void => {
    if (!classOf(inst)) {
      report(
        ctx,
        a,
        `${inst} belongs to no institution class (classes.*.institutions)`,
        `${inst} 不属于任何机构类别（classes.*.institutions）`,
      );
    }
  };

  const pb = at(source, 'per_bed_day');
  const rates: PaymentRules['perBedDay']['rates'] = [];
  for (const [group, byLevel] of Object.entries(raw.per_bed_day.rates)) {
    needGroup(child(pb, 'rates', group), group);
    for (const [lv, hist] of Object.entries(byLevel)) {
      if (!hist) continue;
      rates.push({
        group,
        level: Number(lv.slice(5)) as HospitalLevel,
        rate: param(ctx, child(pb, 'rates', group, lv), 'money', hist),
      });
    }
  }

  const capitation = Object.entries(raw.capitation).map(([code, p]): CapitationPackage => {
    const a = at(source, 'capitation', code);
    needClass(child(a, 'institution'), p.institution);
    return {
      code,
      name: p.name,
      area: p.area,
      institution: p.institution,
      perCapita: param(ctx, child(a, 'per_capita'), 'money', p.per_capita),
      centreShare: param(ctx, child(a, 'centre_share'), 'ratio', p.centre_share),
      referralFromLevel: p.referral_from_level,
      overspend: p.overspend,
      surplus: p.surplus,
    };
  });

  const outpatientGroups: OutpatientGroup[] = [];
  for (const [code, g] of Object.entries(raw.outpatient_groups ?? {})) {
    const a = at(source, 'outpatient_groups', code);
    // A diagnosis in two groups would be paid by whichever comes first: refuse the ambiguity.
    for (const [i, pat] of g.diagnoses.entries()) {
      const other = outpatientGroups.find((o) => o.diagnoses.some((q) => patternsOverlap(pat, q)));
      if (other) {
        report(
          ctx,
          child(a, 'diagnoses', i),
          `${formatDiagnosisPattern(pat)} overlaps outpatient group ${other.code}`,
          `${formatDiagnosisPattern(pat)} 与门诊病组 ${other.code} 的诊断重叠`,
        );
      }
    }
    outpatientGroups.push({
      code,
      name: g.name,
      diagnoses: g.diagnoses,
      per: g.per,
      rate: param(ctx, child(a, 'rate'), 'money', g.rate),
    });
  }

  const gb = at(source, 'global_budget');
  const budgets = Object.entries(raw.global_budget.budgets).map(([institution, hist]) => {
    needClass(child(gb, 'budgets', institution), institution);
    return { institution, budget: param(ctx, child(gb, 'budgets', institution), 'money', hist) };
  });
  raw.global_budget.excluded_groups.forEach((g, i) =>
    needGroup(child(gb, 'excluded_groups', i), g),
  );

  const prepayment = Object.entries(raw.prepayment).map(([institution, p]) => {
    const a = at(source, 'prepayment', institution);
    needClass(a, institution);
    if (p.basis === 'budget' && !budgets.some((b) => b.institution === institution)) {
      report(
        ctx,
        child(a, 'basis'),
        `${institution} has no global budget to prepay a share of`,
        `${institution} 没有总额预算，不能按预算预付`,
      );
    }
    if (p.basis === 'last_year' && !p.last_year) {
      report(
        ctx,
        child(a, 'last_year'),
        'basis last_year needs last_year',
        '按上年预付须写 last_year',
      );
    }
    return {
      institution,
      basis: p.basis,
      lastYear: p.last_year ? param(ctx, child(a, 'last_year'), 'money', p.last_year) : null,
      monthlyShare: param(ctx, child(a, 'monthly_share'), 'ratio', p.monthly_share),
    };
  });

  return {
    diagnosisGroups: groups,
    classes,
    perBedDay: {
      rates,
      shortStayDays: param(
        ctx,
        child(pb, 'short_stay_days'),
        'days',
        raw.per_bed_day.short_stay_days,
      ),
      longStayDays: param(ctx, child(pb, 'long_stay_days'), 'days', raw.per_bed_day.long_stay_days),
      longStayRatio: param(
        ctx,
        child(pb, 'long_stay_ratio'),
        'ratio',
        raw.per_bed_day.long_stay_ratio,
      ),
    },
    capitation,
    outpatientGroups,
    globalBudget: {
      budgets,
      excludedGroups: raw.global_budget.excluded_groups,
      overspendTolerance: param(
        ctx,
        child(gb, 'overspend_tolerance'),
        'ratio',
        raw.global_budget.overspend_tolerance,
      ),
      overspendFundShare: param(
        ctx,
        child(gb, 'overspend_fund_share'),
        'ratio',
        raw.global_budget.overspend_fund_share,
      ),
      underspendRetainedShare: param(
        ctx,
        child(gb, 'underspend_retained_share'),
        'ratio',
        raw.global_budget.underspend_retained_share,
      ),
    },
    prepayment,
  };
}
