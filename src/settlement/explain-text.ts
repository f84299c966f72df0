/**
 * The plain sentences of the one bill (一单式结算单): one per tier, in Chinese and English, built
 * from the tier's facts and the notes its pack rules carry (e.g. "低保减半 / halved for
 * subsistence"), so a clerk can read why each number is what it is.
 */
import { formatYuanGrouped as y } from '../kernel/money.ts';
import { formatPercent as pct, type Bp } from '../kernel/ratio.ts';
import type { HospitalLevel, Provenance, VisitType } from '../policy/index.ts';
import type { ExplainCap, TierFacts } from './explain.ts';
import { HOSPITAL_LEVEL_LABELS, TIER_LABELS, VISIT_TYPE_LABELS, type Label } from './labels.ts';
import { assertNever } from './never.ts';

export interface VisitInfo {
  visitType: VisitType;
  hospitalLevel: HospitalLevel;
}

type Lang = keyof Label;

/** The notes of the rules that shaped a number, in parentheses; empty when none. */
function notes(prov: readonly Provenance[], lang: Lang): string {
  let out = '';
  for (const p of prov) {
    const n = p.note?.[lang];
    if (n) out += out ? (lang === 'zh' ? '；' : '; ') + n : n;
  }
  if (!out) return '';
  return lang === 'zh' ? `（${out}）` : ` (${out})`;
}

function capText(caps: readonly ExplainCap[], lang: Lang): string {
  if (caps.length === 0) return '';
  const parts = caps.map((c) => {
    if (c.cap === null || c.roomBefore === null) {
      return lang === 'zh'
        ? `不设封顶线${notes(c.provenance, lang)}`
        : `no cap${notes(c.provenance, lang)}`;
    }
    return lang === 'zh'
      ? `封顶线 ${y(c.cap)} 元${notes(c.provenance, lang)}剩余 ${y(c.roomBefore)} 元`
      : `cap ${y(c.cap)}${notes(c.provenance, lang)} with ${y(c.roomBefore)} left`;
  });
  return lang === 'zh' ? `，${parts.join('、')}` : `, ${parts.join(', ')}`;
}

export function describe(f: TierFacts, visit: VisitInfo): Label {
  switch (f.tier) {
    case 'basic_insurance':
      return { zh: basic(f, visit, 'zh'), en: basic(f, visit, 'en') };
    case 'critical_illness':
    case 'assistance':
    case 're_assistance':
      return { zh: cumulative(f, visit, 'zh'), en: cumulative(f, visit, 'en') };
    case 'backstop':
      return { zh: backstop(f, 'zh'), en: backstop(f, 'en') };
    default:
      return assertNever(f.tier, 'tier');
  }
}

function basic(f: TierFacts, visit: VisitInfo, lang: Lang): string {
  const visitLabel = VISIT_TYPE_LABELS[visit.visitType][lang];
  const level = HOSPITAL_LEVEL_LABELS[visit.hospitalLevel][lang];
  const d = f.deductible ?? 0;
  const dn = notes(f.provenance.deductible, lang);
  const ratio = f.ratios[0]?.ratio ?? 0;
  const rn = notes(f.provenance.ratio, lang);
  const capped = f.capped ? (lang === 'zh' ? '（受封顶线限制）' : ' (limited by the cap)') : '';
  if (lang === 'zh') {
    const ded =
      d === 0
        ? `不设起付线${dn}`
        : f.deductibleScope === 'annual'
          ? `年度起付线 ${y(d)} 元${dn}，本年尚余 ${y(f.deductibleLeft ?? 0)} 元，本次计入 ${y(f.deductibleApplied)} 元`
          : `${visitLabel}起付线 ${y(d)} 元${dn}`;
    return `基本医保（${visitLabel}，${level}）：政策范围内 ${y(f.base)} 元，${ded}，报销比例 ${pct(ratio)}${rn}${capText(f.caps, lang)}，统筹基金支付 ${y(f.amount)} 元${capped}。`;
  }
  const ded =
    d === 0
      ? `no deductible${dn}`
      : f.deductibleScope === 'annual'
        ? `annual deductible ${y(d)}${dn}, ${y(f.deductibleLeft ?? 0)} still unmet, ${y(f.deductibleApplied)} applied now`
        : `deductible ${y(d)} per admission${dn}`;
  return `Basic insurance (${visitLabel}, ${level}): in scope ${y(f.base)} yuan, ${ded}, ratio ${pct(ratio)}${rn}${capText(f.caps, lang)}; the fund pays ${y(f.amount)} yuan${capped}.`;
}

function cumulative(f: TierFacts, visit: VisitInfo, lang: Lang): string {
  const name = TIER_LABELS[f.tier][lang];
  const c = f.cumulativeBefore ?? 0;
  if (!f.counts) {
    const visitLabel = VISIT_TYPE_LABELS[visit.visitType][lang];
    return lang === 'zh'
      ? `${name}：${visitLabel}不计入${name}，不予支付。`
      : `${name}: ${visitLabel} visits do not count toward it; nothing paid.`;
  }
  if (!f.entitled) {
    return lang === 'zh'
      ? `${name}：本次计入年度累计 ${y(f.base)} 元（累计 ${y(c + f.base)} 元），无享受该项待遇的身份，不予支付。`
      : `${name}: ${y(f.base)} yuan added to the year-to-date base (now ${y(c + f.base)}); no entitling category, nothing paid.`;
  }
  const d = f.deductible ?? 0;
  const dn = notes(f.provenance.deductible, lang);
  const above = f.base - f.deductibleApplied;
  const head =
    lang === 'zh'
      ? `${name}：本次基数 ${y(f.base)} 元，年度累计 ${y(c)} 元增至 ${y(c + f.base)} 元，${d === 0 ? `不设起付线${dn}` : `年度起付线 ${y(d)} 元${dn}`}`
      : `${name}: base ${y(f.base)} yuan, year-to-date ${y(c)} → ${y(c + f.base)}, ${d === 0 ? `no deductible${dn}` : `annual deductible ${y(d)}${dn}`}`;
  if (above === 0) {
    return lang === 'zh'
      ? `${head}，累计未超过起付线，不予支付。`
      : `${head}; the year-to-date base is under the deductible, nothing paid.`;
  }
  const on = d === 0 ? '' : lang === 'zh' ? '超过起付线部分 ' : 'above it ';
  return lang === 'zh'
    ? `${head}，${on}${pieces(f, lang)}${notes(f.provenance.ratio, lang)}${capText(f.caps, lang)}，支付 ${y(f.amount)} 元${f.capped ? '（受封顶线限制）' : ''}。`
    : `${head}; ${on}${pieces(f, lang)}${notes(f.provenance.ratio, lang)}${capText(f.caps, lang)}; pays ${y(f.amount)} yuan${f.capped ? ' (limited by the cap)' : ''}.`;
}

function pieces(f: TierFacts, lang: Lang): string {
  const unit = lang === 'zh' ? ' 元' : '';
  const parts: string[] = [];
  for (const r of f.ratios) {
    if (r.base > 0) parts.push(`${y(r.base)}${unit} × ${pct(r.ratio)}`);
  }
  return parts.join(' + ');
}

function backstop(f: TierFacts, lang: Lang): string {
  if (!f.entitled) return lang === 'zh' ? '财政兜底：不适用。' : 'Fiscal backstop: does not apply.';
  const ratio: Bp = f.ratios[0]?.ratio ?? 0;
  const rn = notes(f.provenance.ratio, lang);
  const capped = f.capped ? (lang === 'zh' ? '（受限额限制）' : ' (limited by the cap)') : '';
  return lang === 'zh'
    ? `财政兜底（${f.programme ?? ''}）：剩余政策范围内 ${y(f.base)} 元 × ${pct(ratio)}${rn}${capText(f.caps, lang)}，支付 ${y(f.amount)} 元${capped}。`
    : `Fiscal backstop (${f.programme ?? ''}): in scope left ${y(f.base)} yuan × ${pct(ratio)}${rn}${capText(f.caps, lang)}; pays ${y(f.amount)} yuan${capped}.`;
}
