/**
 * Screening (摸底排查) rules, pure: which catalogue disease an inpatient diagnosis points to, what
 * a run's criteria may be, which region a run covers, what a visit may record, and the funnel's
 * shape (docs/chronic.md §15 Screening and §16 The funnel). No I/O, no clock: "today" is handed in.
 */
import { TriguardError, invalid, unprocessable } from '../../kernel/errors.ts';
import type { IsoDate, Month } from '../../kernel/period.ts';
import type { DataScope } from '../../kernel/access/actor.ts';
import { CATEGORIES, clampToValidity, type Category, type PolicyPack } from '../../policy/index.ts';

/** Seed 004's four reasons written in the household's book when nobody applied (未办理原因). */
export const NOT_APPLYING_REASONS = [
  'no_chronic_disease',
  'review_not_passed',
  'not_in_catalogue',
  'no_outpatient_need',
] as const;
export type NotApplyingReason = (typeof NOT_APPLYING_REASONS)[number];

export const NOT_APPLYING_LABELS: Record<NotApplyingReason, { zh: string; en: string }> = {
  no_chronic_disease: { zh: '未患慢性病', en: 'No chronic disease' },
  review_not_passed: { zh: '鉴定未通过', en: 'Review not passed' },
  not_in_catalogue: { zh: '不符合慢性病病种', en: 'Disease not in the catalogue' },
  no_outpatient_need: { zh: '无门诊就医需求', en: 'No outpatient need' },
};

/**
 * Where a listed person stands (the people list's `status` filter): not yet visited and not
 * applied; visited; a reason for not applying recorded; applied since the screening; certified
 * from such an application; refused on it and certified for nothing from it.
 */
export const PERSON_STATUSES = [
  'unvisited',
  'visited',
  'not_applying',
  'applied',
  'certified',
  'refused',
] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** The longest period one run may cover (two years and a day): a screening looks back a year. */
export const MAX_PERIOD_DAYS = 731;

/** An expanded range above this many prefixes is a pack the screening cannot use as a lookup. */
const MAX_PREFIXES = 20_000;

/** Upper case without dots and white space, as the pack compares diagnoses (policy diagnosis.ts). */
export const bareDiagnosis = (code: string): string => code.toUpperCase().replace(/[.\s]/g, '');

/** The SQL twin of bareDiagnosis for a text column: dots and the white space fields carry. */
export const bareDiagnosisSql = (column: string): string =>
  `translate(upper(${column}), E'. \\t\\n\\r\\f\\x0b\\u00a0\\u3000\\ufeff', '')`;

/**
 * The catalogue as a lookup: every prefix the pack's patterns cover on the date, expanded from
 * ranges (`F70-F79` is ten prefixes), mapped to its disease, and the prefix lengths in use. Since
 * prefixes of different diseases never overlap, a diagnosis matches the disease of whichever of
 * its heads (its first `n` characters, for each length `n`) is a key.
 */
export interface CatalogueKeys {
  pack: string;
  /** The date the catalogue was read on (the period's end, clamped into the pack's validity). */
  on: IsoDate;
  keys: Record<string, string>;
  /** Prefix lengths, longest first. */
  lengths: number[];
  /** The diseases in catalogue order, with their names. */
  diseases: { code: string; name: { zh: string; en: string } }[];
  /** The disease that is the pack's severe mental list (S004), covered by a `severe_mental` flag. */
  severeMental: string | null;
}

/** Characters an ICD-10 code is made of after bareDiagnosis, in code-unit order. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every string of the pattern's length between its ends (inclusive), over ALPHABET. */
export function expandPattern(p: { from: string; to: string }): string[] {
  const from = bareDiagnosis(p.from);
  const to = bareDiagnosis(p.to);
  if (from.length !== to.length || from > to) {
    throw new RangeError(`bad diagnosis range ${p.from}-${p.to}`);
  }
  if (from === to) return [from];
  const out: string[] = [];
  const walk = (head: string) => {
    if (out.length > MAX_PREFIXES) throw new RangeError(`range ${p.from}-${p.to} is too wide`);
    if (head.length === from.length) {
      if (head >= from && head <= to) out.push(head);
      return;
    }
    for (const c of ALPHABET) {
      const next = head + c;
      // Prune: a head already past `to`, or below `from`'s head of the same length, holds nothing.
      if (next > to.slice(0, next.length) || next < from.slice(0, next.length)) continue;
      walk(next);
    }
  };
  walk('');
  return out;
}

export function catalogueKeys(pack: PolicyPack, date: IsoDate): CatalogueKeys {
  const on = clampToValidity(pack, date);
  const keys: Record<string, string> = {};
  const lengths = new Set<number>();
  let severeMental: string | null = null;
  for (const d of pack.diseases) {
    const entry = d.diagnoses.entries.find((e) => e.from <= on && (e.to === null || on <= e.to));
    if (d.severeMental) severeMental = d.code;
    for (const p of entry?.value ?? []) {
      for (const prefix of expandPattern(p)) {
        keys[prefix] = d.code;
        lengths.add(prefix.length);
      }
    }
  }
  return {
    pack: pack.name,
    on,
    keys,
    lengths: [...lengths].sort((a, b) => b - a),
    diseases: pack.diseases.map((d) => ({ code: d.code, name: d.name })),
    severeMental,
  };
}

/** The disease a diagnosis matches, by the lookup (the same answer as the pack's findDisease). */
export function diseaseOf(c: CatalogueKeys, diagnosis: string): string | null {
  const code = bareDiagnosis(diagnosis);
  for (const n of c.lengths) {
    if (code.length < n) continue;
    const d = c.keys[code.slice(0, n)];
    if (d !== undefined) return d;
  }
  return null;
}

/**
 * How many characters of a stored diagnosis are compared as they are: settlement keeps a
 * diagnosis as checkDiagnosis normalised it (src/settlement/field-rules.ts), an upper-case chapter
 * letter and two digits first, so those three characters equal bareDiagnosis's.
 */
export const STORED_HEAD = 3;

/**
 * The lookup as the screening's SQL probes stored diagnoses: prefixes shorter than STORED_HEAD
 * widened to it over every character that may follow (`C` becomes `C00` … `CZZ`), so one probe of
 * a stay's first three characters finds them, without normalising each stay's code first; longer
 * prefixes are probed on the normalised code.
 */
export function probeKeys(c: CatalogueKeys): { keys: Record<string, string>; lengths: number[] } {
  const keys: Record<string, string> = {};
  const lengths = new Set<number>();
  for (const [prefix, disease] of Object.entries(c.keys)) {
    let heads = [prefix];
    while (heads[0]!.length < STORED_HEAD)
      heads = heads.flatMap((h) => [...ALPHABET].map((x) => h + x));
    for (const h of heads) keys[h] = disease;
    lengths.add(heads[0]!.length);
  }
  return { keys, lengths: [...lengths].sort((a, b) => b - a) };
}

// ---- criteria ------------------------------------------------------------------------------------

export interface ScreeningRequest {
  periodFrom: IsoDate;
  periodTo: IsoDate;
  categories?: readonly Category[] | undefined;
  regionCode?: string | undefined;
}

/** What a run was asked and what it used; stored with the run (`chronic_screening.criteria`). */
export interface ScreeningCriteria {
  periodFrom: IsoDate;
  periodTo: IsoDate;
  /** Identity categories held in some month of the period; empty = everyone. */
  categories: Category[];
  /** The region the run covers: the request's region within the caller's scope (null = all). */
  regionCode: string | null;
  /** The county whose pack gave the catalogue, and the pack. */
  county: string;
  pack: string;
  /** The disease of the pack's severe mental list, for masking the list to non-sensitive readers. */
  severeMental: string | null;
}

const dayNumber = (d: IsoDate) =>
  Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

/** The period and categories, checked; the region is settled by `runRegion`. */
export function checkPeriod(r: ScreeningRequest): { categories: Category[] } {
  if (r.periodTo < r.periodFrom) {
    throw unprocessable(
      'chronic.period_reversed',
      'periodTo',
      `排查期间的结束日期 ${r.periodTo} 早于开始日期 ${r.periodFrom}`,
      `periodTo ${r.periodTo} is before periodFrom ${r.periodFrom}`,
    );
  }
  if (dayNumber(r.periodTo) - dayNumber(r.periodFrom) + 1 > MAX_PERIOD_DAYS) {
    throw unprocessable(
      'chronic.period_too_long',
      'periodTo',
      `排查期间最长 ${MAX_PERIOD_DAYS} 天`,
      `a screening period spans at most ${MAX_PERIOD_DAYS} days`,
    );
  }
  const categories = [...new Set(r.categories ?? [])];
  categories.forEach((c, i) => {
    if (!(CATEGORIES as readonly string[]).includes(c)) {
      throw invalid(
        'chronic.category_unknown',
        `categories[${i}]`,
        `未知的身份类别：${c}`,
        `unknown category: ${c}`,
      );
    }
  });
  return { categories: categories.sort() };
}

/**
 * The region a run covers: the narrower of the request's region and the caller's scope when one
 * holds the other; a region beside the caller's is out of scope (403). The system scope takes the
 * request's region as it is.
 */
export function runRegion(scope: DataScope, regionCode: string | undefined): string | null {
  const own = scope.kind === 'system' ? null : scope.regionCode;
  if (regionCode === undefined) return own;
  if (own === null || regionCode.startsWith(own)) return regionCode;
  if (own.startsWith(regionCode)) return own;
  throw new TriguardError('forbidden', 'region.out_of_scope', 'regionCode', {
    zh: `行政区划 ${regionCode} 不在您的数据范围内`,
    en: `region ${regionCode} is outside your data scope`,
  });
}

/** The months of the period, for the category condition (flags hold month ranges). */
export const periodMonths = (c: { periodFrom: IsoDate; periodTo: IsoDate }): [Month, Month] => [
  c.periodFrom.slice(0, 7),
  c.periodTo.slice(0, 7),
];

// ---- visits --------------------------------------------------------------------------------------

export interface VisitRequest {
  visitedOn: IsoDate;
  notApplying?: NotApplyingReason | null | undefined;
  note?: string | null | undefined;
}

export interface Visit {
  visitedOn: IsoDate;
  notApplying: NotApplyingReason | null;
  note: string | null;
}

export const MAX_NOTE = 500;

/**
 * A visit is made after the list exists and not in the future: `runDate` is the day the run was
 * made and `today` the bureau's day (both Asia/Shanghai).
 */
export function checkVisit(v: VisitRequest, runDate: IsoDate, today: IsoDate): Visit {
  if (v.visitedOn > today) {
    throw unprocessable(
      'chronic.visit_in_future',
      'visitedOn',
      `走访日期 ${v.visitedOn} 晚于今天`,
      `visitedOn ${v.visitedOn} is after today`,
    );
  }
  if (v.visitedOn < runDate) {
    throw unprocessable(
      'chronic.visit_before_screening',
      'visitedOn',
      `走访日期 ${v.visitedOn} 早于排查名单生成日期 ${runDate}`,
      `visitedOn ${v.visitedOn} is before the list was made (${runDate})`,
    );
  }
  const note = v.note?.trim() ? v.note.trim() : null;
  if (note !== null && note.length > MAX_NOTE) {
    throw invalid(
      'chronic.note_too_long',
      'note',
      `备注最长 ${MAX_NOTE} 字`,
      `note is at most ${MAX_NOTE} characters`,
    );
  }
  return { visitedOn: v.visitedOn, notApplying: v.notApplying ?? null, note };
}

// ---- the funnel ----------------------------------------------------------------------------------

export interface Funnel {
  screeningId: number | null;
  screened: number;
  visited: number;
  applied: number;
  certified: number;
  refused: number;
  notApplying: Record<NotApplyingReason, number>;
}

export function emptyFunnel(screeningId: number | null = null): Funnel {
  return {
    screeningId,
    screened: 0,
    visited: 0,
    applied: 0,
    certified: 0,
    refused: 0,
    notApplying: Object.fromEntries(NOT_APPLYING_REASONS.map((r) => [r, 0])) as Record<
      NotApplyingReason,
      number
    >,
  };
}
