/**
 * Dated values: which one applies on a date, and whether a history is sound — no range ends
 * before it starts, no two overlap, and together they cover the pack's whole validity, so that
 * resolution inside the validity always finds exactly one value.
 */
import type { IsoDate } from '../kernel/period.ts';
import type { DatedParam, DatedValue, ParamKind, ParamKinds } from './model.ts';

export function addDays(date: IsoDate, n: number): IsoDate {
  const t = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
  );
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

export const covers = (v: { from: IsoDate; to: IsoDate | null }, date: IsoDate): boolean =>
  v.from <= date && (v.to === null || date <= v.to);

/** The value in force on `date`. Callers resolve inside the validity, where one always is. */
export function valueAt<K extends ParamKind>(
  param: DatedParam<K>,
  date: IsoDate,
): DatedValue<ParamKinds[K]> {
  const found = param.entries.find((e) => covers(e, date));
  if (!found) {
    // Unreachable for a loaded pack: the loader refuses histories with gaps in the validity.
    throw new Error(`${param.file} ${param.key}: no value on ${date}`);
  }
  return found;
}

export interface HistoryProblem {
  /** Index of the entry the problem is about, or null for the history as a whole. */
  index: number | null;
  en: string;
  zh: string;
}

/** Everything wrong with a history, given the pack's validity. */
export function checkHistory(
  entries: readonly { from: IsoDate; to: IsoDate | null; line: number }[],
  validity: { from: IsoDate; to: IsoDate | null },
): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  entries.forEach((e, index) => {
    if (e.to !== null && e.to < e.from) {
      problems.push({
        index,
        en: `ends (${e.to}) before it starts (${e.from})`,
        zh: `结束日期（${e.to}）早于开始日期（${e.from}）`,
      });
    }
  });
  const order = entries
    .map((e, index) => ({ ...e, index }))
    .sort((a, b) => (a.from < b.from ? -1 : 1));
  for (let i = 1; i < order.length; i++) {
    const a = order[i - 1];
    const b = order[i];
    if (a && b && (a.to === null || a.to >= b.from)) {
      problems.push({
        index: b.index,
        en: `the value from ${b.from} overlaps the value from ${a.from} (line ${a.line})${a.to === null ? `; give that one a "to" date before ${b.from}` : ''}`,
        zh: `自 ${b.from} 起的值与第 ${a.line} 行自 ${a.from} 起的值重叠${a.to === null ? `；请为前者设置早于 ${b.from} 的 to 日期` : ''}`,
      });
    }
  }
  if (problems.length > 0) return problems;
  for (const gap of gaps(order, validity)) {
    problems.push({
      index: null,
      en: `no value from ${gap.from} to ${gap.to ?? 'the end of the pack'} (the pack is valid from ${validity.from}${validity.to ? ` to ${validity.to}` : ''})`,
      zh: `${gap.from} 至 ${gap.to ?? '政策包结束'} 没有取值（政策包有效期自 ${validity.from}${validity.to ? ` 至 ${validity.to}` : ''}）`,
    });
  }
  return problems;
}

/** Periods of the validity no entry covers; entries are sorted and do not overlap. */
function gaps(
  sorted: readonly { from: IsoDate; to: IsoDate | null }[],
  validity: { from: IsoDate; to: IsoDate | null },
): { from: IsoDate; to: IsoDate | null }[] {
  const out: { from: IsoDate; to: IsoDate | null }[] = [];
  let cursor: IsoDate | null = validity.from; // first day not yet covered; null = all covered
  const beyond = (d: IsoDate) => validity.to !== null && d > validity.to;
  for (const e of sorted) {
    if (cursor === null || beyond(cursor)) break;
    if (e.to !== null && e.to < cursor) continue;
    if (e.from > cursor) {
      const end = addDays(e.from, -1);
      out.push({ from: cursor, to: validity.to !== null && end > validity.to ? validity.to : end });
    }
    cursor = e.to === null ? null : addDays(e.to, 1);
  }
  if (cursor !== null && !beyond(cursor)) out.push({ from: cursor, to: validity.to });
  return out;
}
