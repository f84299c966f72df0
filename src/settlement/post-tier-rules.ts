/**
 * The pack's post-tier rules (`post_tier.yaml`, docs/settlement.md §9): dated values with their
 * reference, like every other rule of a pack. A pack without the file has no post-tier step. The
 * hospital's waiver applies to a bill at one of the agreement's institutions, of its visit types,
 * for a person holding one of its categories, within the free period (days) counted from the
 * person's first waived bill under it. A rule may be limited to the bills of a channel (the drugs
 * delivered to the door, docs/care.md §10) and kept from those inside another rule's free
 * period; a rule without days has no period. Parsing is here; choosing the steps is pure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { addDays } from '../kernel/dates.ts';
import { invalid } from '../kernel/errors.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { Bp } from '../kernel/ratio.ts';
import { CATEGORIES, VISIT_TYPES, type Category, type VisitType } from '../policy/index.ts';
import type { PostTierStep } from './post-tier.ts';

const dated = <T extends z.ZodTypeAny>(value: T) =>
  z
    .array(
      z.strictObject({
        value,
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        to: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        reference: z.string().min(1),
      }),
    )
    .min(1);

const percent = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,2})?%$/)
  .transform((t) => Math.round(Number(t.slice(0, -1)) * 100));

/** Where a bill comes from, when a rule cares: `delivery` is a care delivery's (docs/care.md §8). */
export const BILL_CHANNELS = ['delivery'] as const;
export type BillChannel = (typeof BILL_CHANNELS)[number];

const waiverRule = z.strictObject({
  title: z.strictObject({ zh: z.string(), en: z.string() }),
  programme: z.string().min(1),
  institutions: z.array(z.string().min(1)).min(1),
  visit_types: z.array(z.enum(VISIT_TYPES)).min(1),
  categories: z.array(z.enum(CATEGORIES)).min(1),
  channels: z.array(z.enum(BILL_CHANNELS)).min(1).optional(),
  not_during: z.string().min(1).optional(),
  days: dated(z.number().int().positive()).optional(),
  ratio: dated(percent),
});

const postTierFile = z
  .strictObject({
    hospital_waiver: z.record(z.string(), waiverRule).optional(),
  })
  .superRefine((f, ctx) => {
    // `not_during` names another rule of the file that has a free period.
    for (const [code, r] of Object.entries(f.hospital_waiver ?? {})) {
      if (r.not_during === undefined) continue;
      const other = f.hospital_waiver?.[r.not_during];
      if (!other || other.days === undefined || r.not_during === code)
        ctx.addIssue({
          code: 'custom',
          path: ['hospital_waiver', code, 'not_during'],
          message: `not a rule with days: ${r.not_during}`,
        });
    }
  });

interface Dated<T> {
  value: T;
  from: IsoDate;
  to?: IsoDate | undefined;
  reference: string;
}

export interface WaiverRule {
  code: string;
  title: { zh: string; en: string };
  programme: string;
  institutions: string[];
  visitTypes: VisitType[];
  categories: Category[];
  /** Only bills of these channels (null: any bill). */
  channels: BillChannel[] | null;
  /** Not for a person inside this rule's free period (the rule's code), e.g. free drugs. */
  notDuring: string | null;
  /** The free period; null: no period, every bill the rule names. */
  days: Dated<number>[] | null;
  ratio: Dated<Bp>[];
}

export interface PostTierRules {
  hospitalWaiver: WaiverRule[];
}

export const NO_POST_TIER: PostTierRules = { hospitalWaiver: [] };

const cache = new Map<string, PostTierRules>();

/** The post-tier rules of the pack in `dir` (read once per process). */
export function postTierRules(dir: string): PostTierRules {
  let rules = cache.get(dir);
  if (!rules) {
    rules = readRules(dir);
    cache.set(dir, rules);
  }
  return rules;
}

function readRules(dir: string): PostTierRules {
  let text: string;
  try {
    text = readFileSync(join(dir, 'post_tier.yaml'), 'utf8');
  } catch {
    return NO_POST_TIER;
  }
  const parsed = postTierFile.safeParse(parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = `post_tier.yaml ${issue?.path.join('.') ?? ''}`.trim();
    throw invalid(
      'policy.post_tier_invalid',
      at,
      `${join(dir, 'post_tier.yaml')} 格式错误：${issue?.message ?? ''}`,
      `${join(dir, 'post_tier.yaml')} is malformed: ${issue?.message ?? ''}`,
    );
  }
  return {
    hospitalWaiver: Object.entries(parsed.data.hospital_waiver ?? {}).map(([code, r]) => ({
      code,
      title: r.title,
      programme: r.programme,
      institutions: r.institutions,
      visitTypes: r.visit_types,
      categories: r.categories,
      channels: r.channels ?? null,
      notDuring: r.not_during ?? null,
      days: r.days ?? null,
      ratio: r.ratio,
    })),
  };
}

function on<T>(values: readonly Dated<T>[], date: IsoDate): Dated<T> | null {
  return values.find((v) => v.from <= date && (v.to === undefined || v.to >= date)) ?? null;
}

/** What a bill offers the rules: the facts they test. */
export interface WaiverFacts {
  date: IsoDate;
  visitType: VisitType;
  fixmedinsCode: string | null;
  categories: readonly Category[];
  channel: BillChannel | null;
}

/** The waiver rules a bill may fall under, before the free period is checked. */
export function waiverCandidates(rules: PostTierRules, f: WaiverFacts): WaiverRule[] {
  return rules.hospitalWaiver.filter(
    (r) =>
      f.fixmedinsCode !== null &&
      r.institutions.includes(f.fixmedinsCode) &&
      r.visitTypes.includes(f.visitType) &&
      r.categories.some((c) => f.categories.includes(c)) &&
      (r.channels === null || (f.channel !== null && r.channels.includes(f.channel))) &&
      (r.days === null || on(r.days, f.date) !== null) &&
      on(r.ratio, f.date) !== null,
  );
}

/**
 * The step of a candidate rule, or null past the free period: `start` is the person's first
 * waived bill under the rule (this bill's date when there is none).
 */
export function waiverStep(
  rule: WaiverRule,
  date: IsoDate,
  start: IsoDate | null,
): PostTierStep | null {
  const ratio = on(rule.ratio, date)!;
  if (rule.days === null) {
    return {
      kind: 'hospital_waiver',
      code: rule.code,
      programme: rule.programme,
      ratio: ratio.value,
      reference: ratio.reference,
      why: { zh: rule.title.zh, en: rule.title.en },
    };
  }
  const days = on(rule.days, date)!;
  const from = start !== null && start < date ? start : date;
  const last = addDays(from, days.value - 1);
  if (date > last) return null;
  const day = Math.round((Date.parse(date) - Date.parse(from)) / 86_400_000) + 1;
  return {
    kind: 'hospital_waiver',
    code: rule.code,
    programme: rule.programme,
    ratio: ratio.value,
    reference: ratio.reference,
    why: {
      zh: `${rule.title.zh}，自 ${from} 起第 ${day} 天，共 ${days.value} 天`,
      en: `${rule.title.en}, day ${day} of ${days.value} from ${from}`,
    },
  };
}

/**
 * Whether `date` falls in the free period of `rule` that began on `start` (the person's first
 * waived bill under it; null: none yet, so no period is running).
 */
export function inFreePeriod(rule: WaiverRule, date: IsoDate, start: IsoDate | null): boolean {
  if (start === null || rule.days === null || start > date) return false;
  const days = on(rule.days, date) ?? on(rule.days, start);
  return days !== null && date <= addDays(start, days.value - 1);
}
