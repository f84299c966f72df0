/**
 * What the policy pack already says about a programme (pack_wide.yaml `programmes`, and the
 * backstop's programme and card category): a programme registered without those fields takes
 * them from the pack valid for its county on 1 January of its year, so the budget the pack
 * documents (Lai'an: 1,000,000 a year) is the one tracked.
 */
import { resolvePackWide, type Category, type Tier } from '../policy/index.ts';
import type { PackCatalog } from '../settlement/index.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { FUNDED_TIERS, type FundedTier } from './model.ts';
import type { NewProgramme } from './programmes.ts';

export type ProgrammeDefaults = Partial<
  Omit<NewProgramme, 'regionCode' | 'code' | 'year' | 'reason'>
>;

/** The programme codes the pack valid for the county on 1 January of `year` names. */
export function packProgrammeCodes(packs: PackCatalog, regionCode: string, year: number): string[] {
  try {
    return packs.choose(regionCode, `${year}-01-01`).packWide.programmes.map((p) => p.code);
  } catch (e) {
    if (isTriguardError(e)) return [];
    throw e;
  }
}

export function packDefaults(
  packs: PackCatalog,
  regionCode: string,
  code: string,
  year: number,
): ProgrammeDefaults {
  let pack;
  try {
    pack = packs.choose(regionCode, `${year}-01-01`);
  } catch (e) {
    if (isTriguardError(e)) return {};
    throw e;
  }
  const rule = pack.packWide.programmes.find((p) => p.code === code);
  if (!rule) return {};
  const wide = resolvePackWide(pack, `${year}-01-01`).programmes.find((p) => p.code === code);
  const cards: Category[] = pack.backstop.programme === code ? pack.backstop.categories : [];
  return {
    title: rule.title,
    budget: wide?.budget.value,
    tiers: rule.tiers.filter((t): t is FundedTier & Tier =>
      (FUNDED_TIERS as readonly string[]).includes(t),
    ),
    // The backstop pays holders of one card category; its holders are the severe-mental patients.
    cardCategory: cards.length === 1 ? cards[0]! : null,
    eligibleCategories: cards.includes('mental_aid_card') ? ['severe_mental'] : [],
  };
}

/** The new programme: the request's fields, else the pack's, else an error naming the field. */
export function withDefaults(
  given: Partial<NewProgramme> & Pick<NewProgramme, 'regionCode' | 'code' | 'year' | 'reason'>,
  d: ProgrammeDefaults,
): NewProgramme {
  return {
    regionCode: given.regionCode,
    code: given.code,
    year: given.year,
    reason: given.reason,
    title: given.title ?? d.title ?? { zh: given.code, en: given.code },
    budget: given.budget ?? d.budget ?? -1,
    tiers: given.tiers ?? d.tiers ?? [],
    eligibleCategories: given.eligibleCategories ?? d.eligibleCategories ?? [],
    cardCategory: given.cardCategory !== undefined ? given.cardCategory : (d.cardCategory ?? null),
  };
}
