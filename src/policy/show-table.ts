/**
 * The resolved table `triguard policy show` prints: one row per parameter, with Chinese and
 * English labels, the value (yuan, percent) and where it came from (file:line and how a rule
 * changed it). Levels are shown side by side as L1 / L2 / L3 when they differ.
 */
import { formatYuanGrouped } from '../kernel/money.ts';
import {
  CATEGORY_LABELS,
  TIERS,
  VISIT_TYPES,
  type Provenance,
  type Tier,
  type VisitType,
} from './types.ts';
import type { Label, PolicyPack } from './model.ts';
import type { IsoDate } from '../kernel/period.ts';
import { resolveParam } from './provenance.ts';
import { formatDiagnosisPattern } from './units.ts';
import { billFacts, packWideFacts, renderValue, type Fact } from './facts.ts';
import { coverageFacts } from './facts-coverage.ts';
import { resolveCoverage } from './resolve-coverage.ts';
import type { Grid } from './grid.ts';
import { FACT_LABELS, TIER_LABELS, VISIT_TYPE_LABELS } from './labels.ts';
import { displayWidth, padEnd } from './text-width.ts';

interface Row {
  zh: string;
  en: string;
  value: string;
  source: string;
}
type Line = Row | { section: Label };

/** The tiers of the cumulative form; their facts are keyed by the tier code. */
type CumulativeTierCode = Exclude<Tier, 'basic_insurance' | 'backstop'>;

export function showTable(pack: PolicyPack, grid: Grid): string[] {
  const who =
    grid.categories.length === 0
      ? '无 none'
      : grid.categories.map((c) => `${CATEGORY_LABELS[c].zh} ${c}`).join('、');
  const head = [
    `政策包 ${pack.name} — ${pack.title.zh} / ${pack.title.en}`,
    `区划 Region ${pack.region} · 险种 Scheme ${pack.scheme} · 有效期 Valid ${pack.validity.from} – ${pack.validity.to ?? ''}`,
    `日期 Date ${grid.date} · 身份 Categories ${who}`,
  ];
  if (grid.effectiveDate !== grid.date) {
    head.push(
      `注意：日期不在有效期内，按 ${grid.effectiveDate} 的取值 / Note: the date is outside the validity; values of ${grid.effectiveDate}`,
    );
  }
  const facts = grid.bills.map((b) => ({
    bill: b,
    facts: new Map(billFacts(pack, b).map((f) => [f.key, f])),
  }));
  const lines: Line[] = [
    { section: TIER_LABELS.basic_insurance },
    ...basicRows(facts),
    ...TIERS.flatMap((t) =>
      t === 'basic_insurance' || t === 'backstop' ? [] : cumulativeRows(t, facts),
    ),
    { section: TIER_LABELS.backstop },
    ...backstopRows(facts),
    { section: { zh: '门诊慢特病病种目录', en: 'Chronic and special disease catalogue' } },
    ...diseaseRows(pack, grid.effectiveDate),
    { section: { zh: '全包参数', en: 'Pack-wide' } },
    ...packWideFacts(grid.packWide).map((f) => factRow(f, labelOf(f.key))),
    { section: { zh: '持证、备案核验', en: 'Checking certificates and filings' } },
    ...coverageFacts(resolveCoverage(pack, grid.effectiveDate)).map((f) =>
      factRow(f, labelOf(f.key)),
    ),
  ];
  return [...head, '', ...layout(lines)];
}

type BillFacts = { bill: Grid['bills'][number]; facts: Map<string, Fact> }[];

const labelOf = (key: string): Label => {
  const last = key.split('.').at(-1) ?? key;
  const programme = /^pack_wide\.programmes\.([^.]+)\.budget$/.exec(key)?.[1];
  const l = FACT_LABELS[last] ?? { zh: last, en: last };
  return programme ? { zh: `${programme} ${l.zh}`, en: `${programme} ${l.en}` } : l;
};

function factRow(f: Fact, label: Label): Row {
  return { zh: label.zh, en: label.en, value: displayValue(f), source: sources(f.provenance) };
}

/** Like the canonical text, but amounts grouped by thousands for reading. */
function displayValue(f: Fact): string {
  switch (f.kind) {
    case 'money':
      return formatYuanGrouped(f.value);
    case 'money_or_null':
      return f.value === null ? '不设 none' : formatYuanGrouped(f.value);
    case 'caps':
      return Object.entries(f.value)
        .map(([group, cap]) => `${group} ${formatYuanGrouped(cap)}`)
        .join(' · ');
    default:
      return renderValue(f);
  }
}

/** Facts of the three levels of one visit type and diagnosis, as one row. */
function levelRow(facts: (Fact | undefined)[], label: Label): Row | null {
  const present = facts.filter((f): f is Fact => f !== undefined);
  if (present.length === 0) return null;
  const values = present.map(displayValue);
  const same = values.every((v) => v === values[0]);
  return {
    zh: same ? label.zh : `${label.zh}（一/二/三级）`,
    en: same ? label.en : `${label.en} (L1/L2/L3)`,
    value: same ? (values[0] ?? '') : values.join(' / '),
    source: sources(present.flatMap((f) => f.provenance)),
  };
}

function basicRows(all: BillFacts): Row[] {
  const rows: Row[] = [];
  for (const vt of VISIT_TYPES) {
    const ordinary = all.filter(
      (b) => b.bill.context.visitType === vt && !b.bill.severeMentalDiagnosis,
    );
    const severe = all.filter(
      (b) => b.bill.context.visitType === vt && b.bill.severeMentalDiagnosis,
    );
    const variants = [ordinary, severe].filter((v) => v.length > 0);
    const plain = variants.map((v) => basicVariantRows(vt, v, v === severe && ordinary.length > 0));
    const [first, second] = plain;
    rows.push(...(first ?? []));
    // The severe-mental rows only when the pack treats that diagnosis differently.
    if (
      second &&
      JSON.stringify(second.map((r) => r.value)) !== JSON.stringify(first?.map((r) => r.value))
    ) {
      rows.push(...second);
    }
  }
  return rows;
}

function basicVariantRows(vt: VisitType, bills: BillFacts, severe: boolean): Row[] {
  const v = VISIT_TYPE_LABELS[vt];
  const sm = severe
    ? { zh: '·严重精神障碍诊断', en: ', severe mental diagnosis' }
    : { zh: '', en: '' };
  const scope =
    bills[0]?.bill.basic.deductibleScope === 'admission'
      ? { zh: '（每次）', en: ' per admission' }
      : { zh: '（每年）', en: ' per year' };
  const pick = (key: string) => bills.map((b) => b.facts.get(key));
  return [
    levelRow(pick('basic.deductible'), {
      zh: `${v.zh}${sm.zh} 起付线${scope.zh}`,
      en: `${v.en}${sm.en}: deductible${scope.en}`,
    }),
    levelRow(pick('basic.ratio'), { zh: `${v.zh}${sm.zh} 支付比例`, en: `${v.en}${sm.en}: ratio` }),
    levelRow(pick('basic.caps'), { zh: `${v.zh}${sm.zh} 封顶`, en: `${v.en}${sm.en}: caps` }),
  ].filter((r): r is Row => r !== null);
}

function cumulativeRows(tier: CumulativeTierCode, all: BillFacts): Line[] {
  const prefix = tier;
  const counting = VISIT_TYPES.filter((vt) =>
    all.some(
      (b) => b.bill.context.visitType === vt && b.facts.get(`${prefix}.counts`)?.value === true,
    ),
  );
  const lines: Line[] = [
    { section: TIER_LABELS[tier] },
    {
      zh: '计入的就诊类型',
      en: 'Visit types that count',
      value: counting.map((vt) => VISIT_TYPE_LABELS[vt].zh).join('、') || '无 none',
      source: '',
    },
  ];
  // The tier's parameters do not depend on the visit type once it counts: show one bill's.
  const sample = all.find(
    (b) => b.bill.context.visitType === counting[0] && !b.bill.severeMentalDiagnosis,
  );
  if (!sample || sample.facts.get(`${prefix}.entitled`)?.value !== true) {
    lines.push({ zh: '资格', en: 'Entitled', value: '无资格 not entitled', source: '' });
    return lines;
  }
  for (const key of ['deductible', 'brackets', 'cap']) {
    const f = sample.facts.get(`${prefix}.${key}`);
    if (f) lines.push(factRow(f, labelOf(key)));
  }
  return lines;
}

/** One row per disease: kind, national code, prefixes and the sub-cap in force on the date. */
function diseaseRows(pack: PolicyPack, date: IsoDate): Row[] {
  return pack.diseases.map((d) => {
    const dx = resolveParam(pack, d.diagnoses, date);
    const cap = d.subCap ? resolveParam(pack, d.subCap, date) : null;
    const kind = d.kind === 'chronic' ? '慢性病 chronic' : '特殊病 special';
    const parts = [kind, d.nationalCode, dx.value.map(formatDiagnosisPattern).join(', ')];
    if (cap) parts.push(formatYuanGrouped(cap.value));
    return {
      zh: `${d.code} ${d.name.zh}`,
      en: d.name.en,
      value: parts.join(' · '),
      source: sources([...dx.provenance, ...(cap?.provenance ?? [])]),
    };
  });
}

function backstopRows(all: BillFacts): Row[] {
  const rows: Row[] = [];
  for (const vt of VISIT_TYPES) {
    const b = all.find((x) => x.bill.context.visitType === vt && x.bill.backstop !== null);
    if (!b?.bill.backstop) continue;
    const v = VISIT_TYPE_LABELS[vt];
    const ratio = b.facts.get('backstop.ratio');
    const cap = b.facts.get('backstop.cap');
    if (ratio) rows.push(factRow(ratio, { zh: `${v.zh} 兜底比例`, en: `${v.en}: ratio` }));
    if (cap) {
      rows.push(
        factRow(cap, {
          zh: `${v.zh} 年度上限（${b.bill.backstop.capGroup}）`,
          en: `${v.en}: annual cap (${b.bill.backstop.capGroup})`,
        }),
      );
    }
    rows.push({
      zh: `${v.zh} 救助项目`,
      en: `${v.en}: programme`,
      value: b.bill.backstop.programme,
      source: '',
    });
  }
  if (rows.length === 0)
    rows.push({ zh: '资格', en: 'Entitled', value: '无资格 not entitled', source: '' });
  return rows;
}

/** `basic.yaml:17,21,84（低保对象起付线减半 / deductible halved for subsistence）` */
function sources(prov: readonly Provenance[]): string {
  const byFile = new Map<string, Set<number>>();
  const notes = new Map<string, string>();
  for (const p of prov) {
    byFile.set(p.file, (byFile.get(p.file) ?? new Set()).add(p.line));
    if (p.note) notes.set(p.note.zh, `${p.note.zh} / ${p.note.en}`);
  }
  const where = [...byFile].map(
    ([file, lines]) => `${file}:${[...lines].sort((a, b) => a - b).join(',')}`,
  );
  const how = [...notes.values()];
  return how.length > 0 ? `${where.join(' ')}（${how.join('；')}）` : where.join(' ');
}

function layout(lines: Line[]): string[] {
  const rows = lines.filter((l): l is Row => !('section' in l));
  const header: Row = { zh: '参数', en: 'Parameter', value: '值 Value', source: '来源 Source' };
  const w = (pick: (r: Row) => string) =>
    Math.max(...[header, ...rows].map((r) => displayWidth(pick(r))));
  const wz = w((r) => r.zh);
  const we = w((r) => r.en);
  const wv = w((r) => r.value);
  const fmt = (r: Row) =>
    `${padEnd(r.zh, wz)}  ${padEnd(r.en, we)}  ${padEnd(r.value, wv)}  ${r.source}`.trimEnd();
  return [
    fmt(header),
    ...lines.map((l) => ('section' in l ? `\n【${l.section.zh} ${l.section.en}】` : fmt(l))),
  ];
}
