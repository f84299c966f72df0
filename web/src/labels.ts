/**
 * People-facing names of domain codes, from the same tables the API and the one bill use
 * (src/policy), so the web app never invents a second name for a concept.
 */
import { CATEGORY_LABELS, CATEGORIES, TIERS, VISIT_TYPES } from '../../src/policy/types.ts';
import type { Category, Tier, VisitType } from '../../src/policy/types.ts';
import { TIER_LABELS, VISIT_TYPE_LABELS, LEVEL_LABELS } from '../../src/policy/labels.ts';
import { pick } from './i18n/index.ts';

export { CATEGORIES, TIERS, VISIT_TYPES };
export type { Category, Tier, VisitType };

const isCategory = (c: string): c is Category => (CATEGORIES as readonly string[]).includes(c);
const isTier = (t: string): t is Tier => (TIERS as readonly string[]).includes(t);
const isVisitType = (v: string): v is VisitType => (VISIT_TYPES as readonly string[]).includes(v);

export const categoryLabel = (c: string) => (isCategory(c) ? pick(CATEGORY_LABELS[c]) : c);
export const tierLabel = (t: string) => (isTier(t) ? pick(TIER_LABELS[t]) : t);
export const visitTypeLabel = (v: string) => (isVisitType(v) ? pick(VISIT_TYPE_LABELS[v]) : v);
export const levelLabel = (l: number) =>
  l === 1 || l === 2 || l === 3 ? pick(LEVEL_LABELS[l]) : String(l);

/** The tag colour of a category: the assistance categories stand out. */
export function categoryTagType(c: string): 'danger' | 'warning' | 'success' | 'info' | 'primary' {
  switch (c) {
    case 'extreme_poverty':
    case 'subsistence':
      return 'danger';
    case 'poverty_returned':
    case 'illness_poverty':
      return 'warning';
    case 'low_income_marginal':
    case 'monitored':
      return 'primary';
    default:
      return 'info';
  }
}
