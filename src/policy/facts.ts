/**
 * Resolved parameters as a flat list of facts, `basic.ratio` → 90 %, each with its provenance and
 * a canonical text in yuan and percent. Pack tests compare facts by that text; `policy show`
 * prints it. One rendering for both keeps what a test asserts and what a staffer reads the same.
 */
import { formatYuan, type Fen } from '../kernel/money.ts';
import { formatPercent, type Bp } from '../kernel/ratio.ts';
import type { IsoDate } from '../kernel/period.ts';
import type {
  Bracket,
  Category,
  CumulativeTier,
  PackWideParams,
  Provenance,
  Resolved,
  ResolvedParams,
  Tier,
} from './types.ts';
import type { PolicyPack } from './model.ts';
import { resolveParam, scaleText } from './provenance.ts';
import { clampToValidity } from './resolve.ts';

export type FactValue =
  | { kind: 'bool'; value: boolean }
  | { kind: 'money'; value: Fen }
  | { kind: 'money_or_null'; value: Fen | null }
  | { kind: 'ratio'; value: Bp }
  | { kind: 'text'; value: string }
  | { kind: 'text_or_null'; value: string | null }
  | { kind: 'date'; value: IsoDate }
  | { kind: 'days'; value: number }
  | { kind: 'caps'; value: Record<string, Fen> }
  | { kind: 'scale'; value: Bracket[] }
  | { kind: 'categories'; value: Category[] };
export type FactKind = FactValue['kind'];

export type Fact = FactValue & { key: string; provenance: Provenance[] };

/** The canonical text of a value: what tests compare and people read. */
export function renderValue(f: FactValue): string {
  switch (f.kind) {
    case 'bool':
      return String(f.value);
    case 'money':
      return formatYuan(f.value);
    case 'money_or_null':
      return f.value === null ? 'none' : formatYuan(f.value);
    case 'ratio':
      return formatPercent(f.value);
    case 'text':
    case 'date':
      return f.value;
    case 'text_or_null':
      return f.value ?? 'none';
    case 'days':
      return String(f.value);
    case 'caps':
      return Object.keys(f.value)
        .sort()
        .map((g) => `${g} ${formatYuan(f.value[g] ?? 0)}`)
        .join(' · ');
    case 'scale':
      return scaleText(f.value);
    case 'categories':
      return [...f.value].sort().join(', ');
    default: {
      const never: never = f;
      return never;
    }
  }
}

const fact = (key: string, v: FactValue, provenance: Provenance[] = []): Fact => ({
  ...v,
  key,
  provenance,
});
const money = (key: string, r: Resolved<Fen>) =>
  fact(key, { kind: 'money', value: r.value }, r.provenance);
const ratio = (key: string, r: Resolved<Bp>) =>
  fact(key, { kind: 'ratio', value: r.value }, r.provenance);
const capOf = (key: string, r: Resolved<Fen | null>) =>
  fact(key, { kind: 'money_or_null', value: r.value }, r.provenance);

/** Facts of a cumulative tier, keyed by its tier code (`assistance.deductible`). */
function cumulativeFacts(
  prefix: Exclude<Tier, 'basic_insurance' | 'backstop'>,
  t: CumulativeTier,
): Fact[] {
  const out = [
    fact(`${prefix}.counts`, { kind: 'bool', value: t.counts }),
    fact(`${prefix}.entitled`, { kind: 'bool', value: t.params !== null }),
  ];
  if (t.params) {
    out.push(
      money(`${prefix}.deductible`, t.params.deductible),
      fact(
        `${prefix}.brackets`,
        { kind: 'scale', value: t.params.brackets.value },
        t.params.brackets.provenance,
      ),
      capOf(`${prefix}.cap`, t.params.cap),
    );
  }
  return out;
}

/** Every fact of one bill's parameters. */
export function billFacts(pack: PolicyPack, r: ResolvedParams): Fact[] {
  const date = clampToValidity(pack, r.context.date);
  const b = r.basic;
  const out: Fact[] = [
    fact(
      'severe_mental_diagnosis',
      { kind: 'bool', value: r.severeMentalDiagnosis },
      resolveParam(pack, pack.severeMentalDiagnosis, date).provenance,
    ),
    money('basic.deductible', b.deductible),
    fact('basic.deductible_scope', { kind: 'text', value: b.deductibleScope }),
    fact('basic.deductible_key', { kind: 'text_or_null', value: b.deductibleKey }),
    ratio('basic.ratio', b.ratio),
    fact(
      'basic.caps',
      { kind: 'caps', value: Object.fromEntries(b.capGroups.map((c) => [c.group, c.cap.value])) },
      b.capGroups.flatMap((c) => c.cap.provenance),
    ),
    ...(r.context.visitType === 'chronic_outpatient'
      ? [
          fact(
            'chronic.disease',
            { kind: 'text_or_null', value: r.disease?.code ?? null },
            r.disease?.provenance ?? [],
          ),
        ]
      : []),
    ...cumulativeFacts('critical_illness', r.criticalIllness),
    ...cumulativeFacts('assistance', r.assistance),
    ...cumulativeFacts('re_assistance', r.reAssistance),
    fact('backstop.entitled', { kind: 'bool', value: r.backstop !== null }),
  ];
  if (r.backstop) {
    out.push(
      ratio('backstop.ratio', r.backstop.ratio),
      fact('backstop.cap_group', { kind: 'text', value: r.backstop.capGroup }),
      capOf('backstop.cap', r.backstop.cap),
      fact('backstop.programme', { kind: 'text', value: r.backstop.programme }),
    );
  }
  return out;
}

export function packWideFacts(w: PackWideParams): Fact[] {
  return [
    money('pack_wide.per_capita_income', w.perCapitaIncome),
    fact('pack_wide.monitoring.inscope_categories', {
      kind: 'categories',
      value: w.monitoring.inscopeCategories,
    }),
    ratio('pack_wide.monitoring.inscope_share', w.monitoring.inscopeShare),
    ratio('pack_wide.monitoring.total_share', w.monitoring.totalShare),
    fact(
      'pack_wide.refund_cutoff',
      { kind: 'date', value: w.refundCutoff.value },
      w.refundCutoff.provenance,
    ),
    ...w.programmes.map((p) => money(`pack_wide.programmes.${p.code}.budget`, p.budget)),
  ];
}
