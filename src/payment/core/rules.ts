/**
 * The payment rules of one pack resolved for a date into plain numbers (fen, basis points, days),
 * and which method pays a group of bills (docs/payment.md §2). Pure: the pack is data.
 */
import {
  matchesDiagnosis,
  valueAt,
  type CapitationPackage,
  type DiagnosisPattern,
  type HospitalLevel,
  type InstitutionClass,
  type PaymentMethod,
  type PaymentRule,
  type PaymentRules,
  type VisitType,
} from '../../policy/index.ts';
import type { IsoDate } from '../../kernel/period.ts';

export interface ResolvedPackage {
  code: string;
  name: { zh: string; en: string };
  area: string;
  institution: string;
  perCapita: number;
  centreShare: number;
  referralFromLevel: HospitalLevel;
  overspend: CapitationPackage['overspend'];
  surplus: CapitationPackage['surplus'];
}

/** An outpatient disease group (§11) with its rate on the date. */
export interface ResolvedOutpatientGroup {
  code: string;
  diagnoses: DiagnosisPattern[];
  per: 'case' | 'month';
  rate: number;
}

export interface ResolvedPayment {
  date: IsoDate;
  rules: PaymentRules;
  bedDay: { shortStayDays: number; longStayDays: number; longStayRatio: number };
  packages: ResolvedPackage[];
  outpatientGroups: ResolvedOutpatientGroup[];
  budgets: Map<string, number>;
  sharing: { tolerance: number; fundShare: number; retainedShare: number };
  excludedGroups: string[];
  prepayment: Map<string, { basis: 'budget' | 'last_year'; basisAmount: number; share: number }>;
}

export function resolvePayment(rules: PaymentRules, date: IsoDate): ResolvedPayment {
  const v = <T>(p: { entries: { value: T; from: string; to: string | null }[] }): T =>
    valueAt(p as never, date).value as T;
  const budgets = new Map(
    rules.globalBudget.budgets.map((b) => [b.institution, v<number>(b.budget)]),
  );
  return {
    date,
    rules,
    bedDay: {
      shortStayDays: v(rules.perBedDay.shortStayDays),
      longStayDays: v(rules.perBedDay.longStayDays),
      longStayRatio: v(rules.perBedDay.longStayRatio),
    },
    packages: rules.capitation.map((p) => ({
      code: p.code,
      name: p.name,
      area: p.area,
      institution: p.institution,
      perCapita: v(p.perCapita),
      centreShare: v(p.centreShare),
      referralFromLevel: p.referralFromLevel,
      overspend: p.overspend,
      surplus: p.surplus,
    })),
    outpatientGroups: rules.outpatientGroups.map((g) => ({
      code: g.code,
      diagnoses: g.diagnoses,
      per: g.per,
      rate: v<number>(g.rate),
    })),
    budgets,
    sharing: {
      tolerance: v(rules.globalBudget.overspendTolerance),
      fundShare: v(rules.globalBudget.overspendFundShare),
      retainedShare: v(rules.globalBudget.underspendRetainedShare),
    },
    excludedGroups: rules.globalBudget.excludedGroups,
    prepayment: new Map(
      rules.prepayment.map((p) => [
        p.institution,
        {
          basis: p.basis,
          basisAmount:
            p.basis === 'budget' ? (budgets.get(p.institution) ?? 0) : v<number>(p.lastYear!),
          share: v(p.monthlyShare),
        },
      ]),
    ),
  };
}

/** The class an institution is paid under: listed by code first, else by its level. */
export function classOf(
  rules: PaymentRules,
  institution: string,
  level: HospitalLevel,
): InstitutionClass | null {
  return (
    rules.classes.find((c) => c.institutions.includes(institution)) ??
    rules.classes.find((c) => c.institutions.length === 0 && c.levels.includes(level)) ??
    null
  );
}

/** The first diagnosis group a diagnosis falls in, in the pack's order; null = none. */
export function groupOf(rules: PaymentRules, diagnosis: string): string | null {
  return rules.diagnosisGroups.find((g) => matchesDiagnosis(g.diagnoses, diagnosis))?.code ?? null;
}

export interface MethodChoice {
  method: PaymentMethod;
  classCode: string | null;
  /** The diagnosis group the bill falls in (the rule's, or the first that matches). */
  group: string | null;
  package: string | null;
}

/**
 * docs/payment.md §2: the first rule of the institution's class whose visit types and diagnosis
 * group match; no class or no matching rule = by item. A global-budget rule does not take a bill
 * of a group the budget excludes: that bill is paid by item.
 */
export function methodFor(
  p: ResolvedPayment,
  bill: { institution: string; level: HospitalLevel; visitType: VisitType; diagnosis: string },
): MethodChoice {
  const cls = classOf(p.rules, bill.institution, bill.level);
  const group = groupOf(p.rules, bill.diagnosis);
  const matches = (g: string | null): boolean =>
    g === null ||
    p.rules.diagnosisGroups.some(
      (d) => d.code === g && matchesDiagnosis(d.diagnoses, bill.diagnosis),
    );
  for (const r of cls?.rules ?? []) {
    if (r.visitTypes && !r.visitTypes.includes(bill.visitType)) continue;
    if (r.method === 'outpatient_group') {
      // Taken when the diagnosis falls in an outpatient group (the rule's own, if it names one).
      const og = outpatientGroupOf(p, bill.diagnosis);
      if (!og || (r.outpatientGroup !== null && r.outpatientGroup !== og.code)) continue;
      return { method: r.method, classCode: cls!.code, group: og.code, package: null };
    }
    if (!matches(r.diagnosisGroup)) continue;
    if (r.method === 'global_budget' && group !== null && p.excludedGroups.includes(group)) {
      return { method: 'fee_for_service', classCode: cls!.code, group, package: null };
    }
    return {
      method: r.method,
      classCode: cls!.code,
      group: r.diagnosisGroup ?? group,
      package: r.package,
    };
  }
  return { method: 'fee_for_service', classCode: cls?.code ?? null, group, package: null };
}

/** The outpatient disease group a diagnosis falls in (groups never overlap), if any. */
export const outpatientGroupOf = (
  p: ResolvedPayment,
  diagnosis: string,
): ResolvedOutpatientGroup | null =>
  p.outpatientGroups.find((g) => matchesDiagnosis(g.diagnoses, diagnosis)) ?? null;

/** The capitation package whose area holds a person's region code, if any. */
export const packageOfResident = (p: ResolvedPayment, regionCode: string): ResolvedPackage | null =>
  p.packages.find((k) => regionCode.startsWith(k.area)) ?? null;

/** A rule as the aggregate tests it: its visit types and its group's patterns (null: any). */
export interface RuleTest {
  visitTypes: VisitType[] | null;
  patterns: DiagnosisPattern[] | null;
}

/**
 * What the month's aggregate must tell apart for the statement (§7), so that the database groups
 * the settlements by what decides their payment rather than by every diagnosis: the diagnosis
 * groups' and then the outpatient groups' patterns in pack order (a bill's method depends on its
 * diagnosis only through the groups it falls in), and which bills a per bed-day rule takes (§2) — only those need their stay read.
 * A class's bills are per bed-day when a per bed-day rule is the first of its rules to match:
 * `bedDay` lists, per class with such a rule, who belongs to it and, for each of its per bed-day
 * rules, that rule with the rules before it.
 */
export interface AggregateShape {
  groups: DiagnosisPattern[][];
  /** Institutions listed by code in any class (the others are classed by level). */
  listed: string[];
  bedDay: {
    /** Listed institutions of the class, or null for a class by level. */
    institutions: string[] | null;
    /** For a class by level: the levels it takes (none an earlier class by level took). */
    levels: HospitalLevel[];
    rules: { rule: RuleTest; before: RuleTest[] }[];
  }[];
  /**
   * Bills whose patients are counted (outpatient groups paid per patient and month, §11): per
   * class with such a rule, its visit types and the per-month groups' patterns. Wider than the
   * rules: a counted bill not paid so just carries a count it does not use.
   */
  patients: {
    institutions: string[] | null;
    levels: HospitalLevel[];
    visitTypes: VisitType[] | null;
    patterns: DiagnosisPattern[];
  }[];
  shortStayDays: number;
  longStayDays: number;
}

export function aggregateShape(p: ResolvedPayment): AggregateShape {
  const patterns = (code: string | null): DiagnosisPattern[] | null =>
    code === null ? null : (p.rules.diagnosisGroups.find((g) => g.code === code)?.diagnoses ?? []);
  const outpatient = (code: string | null): DiagnosisPattern[] =>
    p.outpatientGroups.filter((g) => code === null || g.code === code).flatMap((g) => g.diagnoses);
  const test = (r: PaymentRule): RuleTest => ({
    visitTypes: r.visitTypes,
    patterns:
      r.method === 'outpatient_group' ? outpatient(r.outpatientGroup) : patterns(r.diagnosisGroup),
  });
  const taken = new Set<HospitalLevel>();
  const bedDay: AggregateShape['bedDay'] = [];
  const patients: AggregateShape['patients'] = [];
  for (const c of p.rules.classes) {
    const byLevel = c.institutions.length === 0;
    const levels = byLevel ? c.levels.filter((l) => !taken.has(l)) : [];
    if (byLevel) c.levels.forEach((l) => taken.add(l));
    const rules = c.rules.flatMap((r, i) =>
      r.method === 'per_bed_day' ? [{ rule: test(r), before: c.rules.slice(0, i).map(test) }] : [],
    );
    const who = { institutions: byLevel ? null : c.institutions, levels };
    if (byLevel && levels.length === 0) continue;
    if (rules.length > 0) bedDay.push({ ...who, rules });
    // Per patient and month: the bills of such a group need their patients counted.
    const monthly = p.outpatientGroups.filter((g) => g.per === 'month');
    const takes = c.rules.filter(
      (r) =>
        r.method === 'outpatient_group' &&
        monthly.some((g) => r.outpatientGroup === null || r.outpatientGroup === g.code),
    );
    if (takes.length > 0) {
      patients.push({
        ...who,
        visitTypes: takes.some((r) => r.visitTypes === null)
          ? null
          : [...new Set(takes.flatMap((r) => r.visitTypes ?? []))].sort(),
        patterns: monthly.flatMap((g) => g.diagnoses),
      });
    }
  }
  return {
    groups: [
      ...p.rules.diagnosisGroups.map((g) => g.diagnoses),
      ...p.outpatientGroups.map((g) => g.diagnoses),
    ],
    listed: p.rules.classes.flatMap((c) => c.institutions),
    bedDay,
    patients,
    shortStayDays: p.bedDay.shortStayDays,
    longStayDays: p.bedDay.longStayDays,
  };
}
