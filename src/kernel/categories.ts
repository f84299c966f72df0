/**
 * The identity categories (身份类别) a person's flags carry: the one vocabulary the registry, the
 * policy packs, reconciliation and monitoring share.
 */
export const CATEGORIES = [
  'extreme_poverty',
  'subsistence',
  'poverty_returned',
  'low_income_marginal',
  'monitored',
  'illness_poverty',
  'severe_mental',
  'mental_aid_card',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, { zh: string; en: string }> = {
  extreme_poverty: { zh: '特困人员', en: 'Extreme hardship' },
  subsistence: { zh: '低保对象', en: 'Subsistence allowance' },
  poverty_returned: { zh: '返贫致贫人口', en: 'Poverty-alleviation target' },
  low_income_marginal: { zh: '低保边缘家庭成员', en: 'Low-income marginal family' },
  monitored: { zh: '防返贫监测对象', en: 'Monitored against return to poverty' },
  illness_poverty: { zh: '因病致贫重病患者', en: 'Impoverished by illness' },
  severe_mental: { zh: '严重精神障碍患者', en: 'Severe mental disorder patient' },
  mental_aid_card: { zh: '精神障碍医疗救助卡', en: 'Mental-disorder assistance card holder' },
};
