/**
 * Building blocks of the pack schema. Leaves convert scalars with units.ts and report problems in
 * English and Chinese (zod's own messages are English only); `dated` is the history form every
 * parameter takes: a list of `{ value, from, to?, reference, last_reviewed? }`.
 */
import { z } from 'zod';
import { VISIT_TYPES, TIERS, type Bracket, type Tier, type VisitType } from './types.ts';
import {
  parseDays,
  parseDiagnosisPattern,
  parseIsoDate,
  parseMoney,
  parseMoneyOrNull,
  parsePoints,
  parseRatio,
  show,
  type Parsed,
} from './units.ts';

/** A scalar converted by `parse`; a missing one is "required". */
export function leaf<T>(parse: (raw: unknown) => Parsed<T>) {
  return z.unknown().transform((raw, ctx): T => {
    const r: Parsed<T> =
      raw === undefined ? { ok: false, en: 'is required', zh: '缺少此项' } : parse(raw);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.en, params: { zh: r.zh } });
    return z.NEVER;
  });
}

function parseText(raw: unknown): Parsed<string> {
  if (typeof raw === 'string' && raw.trim() !== '') return { ok: true, value: raw.trim() };
  if (typeof raw === 'number') return { ok: true, value: String(raw) };
  return { ok: false, en: `${show(raw)} is not a text`, zh: `${show(raw)} 不是文字` };
}

function oneOf<const V extends string>(values: readonly V[], en: string, zh: string) {
  return (raw: unknown): Parsed<V> =>
    values.find((v) => v === raw) !== undefined
      ? { ok: true, value: raw as V }
      : {
          ok: false,
          en: `unknown ${en} "${show(raw)}" (known: ${values.join(', ')})`,
          zh: `未知的${zh} "${show(raw)}"（可用：${values.join('、')}）`,
        };
}

export const text = leaf(parseText);
export const bool = leaf((raw): Parsed<boolean> =>
  typeof raw === 'boolean'
    ? { ok: true, value: raw }
    : { ok: false, en: `${show(raw)} is not true or false`, zh: `${show(raw)} 应为 true 或 false` },
);
export const money = leaf(parseMoney);
export const moneyOrNull = leaf(parseMoneyOrNull);
export const ratio = leaf(parseRatio);
export const points = leaf(parsePoints);
export const date = leaf(parseIsoDate);
export const dateOrNull = leaf((raw): Parsed<string | null> =>
  raw === null ? { ok: true, value: null } : parseIsoDate(raw),
);
export const diagnosis = leaf(parseDiagnosisPattern);
export const days = leaf(parseDays);
export const visitType = leaf<VisitType>(oneOf(VISIT_TYPES, 'visit type', '就诊类型'));
export const tier = leaf<Tier>(oneOf(TIERS, 'tier', '保障层次'));
export const label = z.strictObject({ zh: text, en: text });
/** Category codes or names of `category_sets`; checked against pack.yaml when the pack is built. */
export const categoryNames = z.array(text).min(1);

/** Brackets as written: `- { above: 100000, ratio: 65% }`, the first above 0, rising. */
export const scale = z
  .array(z.strictObject({ above: money, ratio }))
  .min(1)
  .transform((rows, ctx): Bracket[] => {
    if (rows[0]?.above !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: [0, 'above'],
        message: 'the first bracket must start at 0',
        params: { zh: '第一段应从 0 开始' },
      });
    }
    rows.forEach((row, i) => {
      const prev = rows[i - 1];
      if (prev && row.above <= prev.above) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'above'],
          message: 'brackets must rise',
          params: { zh: '分段应逐段升高' },
        });
      }
    });
    return rows.map((row, i) => ({
      from: row.above,
      to: rows[i + 1]?.above ?? null,
      ratio: row.ratio,
    }));
  });

/** A parameter's history: one entry per period, each with the document it comes from. */
export function dated<S extends z.ZodType>(value: S) {
  return z
    .array(
      z.strictObject({
        value,
        from: date,
        to: z.optional(dateOrNull),
        reference: text,
        last_reviewed: z.optional(date),
      }),
    )
    .min(1);
}
export type RawDated<T> = {
  value: T;
  from: string;
  to?: string | null | undefined;
  reference: string;
  last_reviewed?: string | undefined;
}[];

/**
 * Either a parameter for all hospital levels (a dated list) or one per level
 * (`level1`, `level2`, `level3`). Dispatching on the shape keeps zod's messages about the form
 * the staffer actually wrote, instead of a union's "no branch matched".
 */
export function levelled<S extends z.ZodType>(value: S) {
  const all = dated(value);
  const perLevel = z.strictObject({ level1: all, level2: all, level3: all });
  type Out = { all: z.output<typeof all> } | { levels: z.output<typeof perLevel> };
  return z.unknown().transform((raw, ctx): Out => {
    if (Array.isArray(raw)) {
      const r = all.safeParse(raw, { reportInput: true });
      if (r.success) return { all: r.data };
      for (const issue of r.error.issues) ctx.addIssue({ ...issue });
    } else {
      const r = perLevel.safeParse(raw, { reportInput: true });
      if (r.success) return { levels: r.data };
      for (const issue of r.error.issues) ctx.addIssue({ ...issue });
    }
    return z.NEVER;
  });
}
