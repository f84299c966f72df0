/**
 * What a pack test may expect, by key, and how the expected value is read: in the units of the
 * pack files (yuan, percent), rendered to the same canonical text as the actual fact.
 */
import { CATEGORIES, type Category } from './types.ts';
import { renderValue, type FactValue } from './facts.ts';
import {
  parseDays,
  parseIsoDate,
  parseMoney,
  parseMoneyOrNull,
  parseRatio,
  show,
  type Parsed,
} from './units.ts';
import { scale } from './schema-common.ts';

export interface ExpectKey {
  /** The fact compared: `assistance.ratio` is checked against `assistance.brackets`. */
  fact: string;
  /** Bill keys need a context; pack_wide keys do not. */
  scope: 'bill' | 'pack_wide';
  read(raw: unknown): Parsed<string>;
}

const TIERS = '(critical_illness|assistance|re_assistance)';
const RULES: [
  RegExp,
  ExpectKey['scope'],
  (m: RegExpExecArray) => string,
  (raw: unknown) => Parsed<FactValue>,
][] = [
  [/^severe_mental_diagnosis$/, 'bill', (m) => m[0], asBool],
  [/^basic\.deductible$/, 'bill', (m) => m[0], lift('money', parseMoney)],
  [/^basic\.deductible_scope$/, 'bill', (m) => m[0], asText],
  [/^basic\.deductible_key$/, 'bill', (m) => m[0], asTextOrNull],
  [/^basic\.ratio$/, 'bill', (m) => m[0], lift('ratio', parseRatio)],
  [/^basic\.caps$/, 'bill', (m) => m[0], asCaps],
  [/^chronic\.disease$/, 'bill', (m) => m[0], asTextOrNull],
  [new RegExp(`^${TIERS}\\.(counts|entitled)$`), 'bill', (m) => m[0], asBool],
  [new RegExp(`^${TIERS}\\.deductible$`), 'bill', (m) => m[0], lift('money', parseMoney)],
  [new RegExp(`^${TIERS}\\.brackets$`), 'bill', (m) => m[0], asScale],
  [new RegExp(`^${TIERS}\\.ratio$`), 'bill', (m) => `${m[1]}.brackets`, asSingleBracket],
  [new RegExp(`^${TIERS}\\.cap$`), 'bill', (m) => m[0], lift('money_or_null', parseMoneyOrNull)],
  [/^backstop\.entitled$/, 'bill', (m) => m[0], asBool],
  [/^backstop\.ratio$/, 'bill', (m) => m[0], lift('ratio', parseRatio)],
  [/^backstop\.(cap_group|programme)$/, 'bill', (m) => m[0], asText],
  [/^backstop\.cap$/, 'bill', (m) => m[0], lift('money_or_null', parseMoneyOrNull)],
  [/^pack_wide\.per_capita_income$/, 'pack_wide', (m) => m[0], lift('money', parseMoney)],
  [/^pack_wide\.monitoring\.inscope_categories$/, 'pack_wide', (m) => m[0], asCategories],
  [
    /^pack_wide\.monitoring\.(inscope|total)_share$/,
    'pack_wide',
    (m) => m[0],
    lift('ratio', parseRatio),
  ],
  [/^pack_wide\.refund_cutoff$/, 'pack_wide', (m) => m[0], lift('date', parseIsoDate)],
  [/^pack_wide\.programmes\.[^.]+\.budget$/, 'pack_wide', (m) => m[0], lift('money', parseMoney)],
  [/^coverage\.checked_from$/, 'pack_wide', (m) => m[0], lift('date', parseIsoDate)],
  [
    /^coverage\.two_diseases\.refill_tolerance_days$/,
    'pack_wide',
    (m) => m[0],
    lift('days', parseDays),
  ],
];

/** The rule for an expected key, or null when no fact has that key. */
export function expectKey(key: string): ExpectKey | null {
  for (const [re, scope, fact, read] of RULES) {
    const m = re.exec(key);
    if (m) {
      return {
        fact: fact(m),
        scope,
        read: (raw) => {
          const r = read(raw);
          return r.ok ? { ok: true, value: renderValue(r.value) } : r;
        },
      };
    }
  }
  return null;
}

type Kinded<K extends FactValue['kind']> = Extract<FactValue, { kind: K }>;

function lift<K extends 'money' | 'money_or_null' | 'ratio' | 'date' | 'days'>(
  kind: K,
  parse: (raw: unknown) => Parsed<Kinded<K>['value']>,
) {
  return (raw: unknown): Parsed<FactValue> => {
    const r = parse(raw);
    return r.ok ? { ok: true, value: { kind, value: r.value } as Kinded<K> } : r;
  };
}

const bad = (raw: unknown, en: string, zh: string): Parsed<FactValue> => ({
  ok: false,
  en: `${show(raw)} is not ${en}`,
  zh: `${show(raw)} 不是${zh}`,
});

function asBool(raw: unknown): Parsed<FactValue> {
  return typeof raw === 'boolean'
    ? { ok: true, value: { kind: 'bool', value: raw } }
    : bad(raw, 'true or false', ' true 或 false');
}

function asText(raw: unknown): Parsed<FactValue> {
  return typeof raw === 'string'
    ? { ok: true, value: { kind: 'text', value: raw } }
    : bad(raw, 'a text', '文字');
}

function asTextOrNull(raw: unknown): Parsed<FactValue> {
  return raw === null || typeof raw === 'string'
    ? { ok: true, value: { kind: 'text_or_null', value: raw } }
    : bad(raw, 'a text or null', '文字或 null');
}

function asCaps(raw: unknown): Parsed<FactValue> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return bad(raw, 'a mapping of cap group to yuan', '封顶组到金额的映射');
  }
  const value: Record<string, number> = {};
  for (const [group, amount] of Object.entries(raw)) {
    const r = parseMoney(amount);
    if (!r.ok) return r;
    value[group] = r.value;
  }
  return { ok: true, value: { kind: 'caps', value } };
}

function asScale(raw: unknown): Parsed<FactValue> {
  const r = scale.safeParse(raw);
  return r.success
    ? { ok: true, value: { kind: 'scale', value: r.data } }
    : bad(raw, 'a list of { above, ratio }', '{ above, ratio } 的列表');
}

function asSingleBracket(raw: unknown): Parsed<FactValue> {
  const r = parseRatio(raw);
  return r.ok
    ? { ok: true, value: { kind: 'scale', value: [{ from: 0, to: null, ratio: r.value }] } }
    : r;
}

function asCategories(raw: unknown): Parsed<FactValue> {
  const known = (c: unknown): c is Category => (CATEGORIES as readonly unknown[]).includes(c);
  return Array.isArray(raw) && raw.every(known)
    ? { ok: true, value: { kind: 'categories', value: raw } }
    : bad(raw, 'a list of category codes', '身份类别代码列表');
}
