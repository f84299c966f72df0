/**
 * The warning lifecycle: `new → pushed → confirmed | dismissed (reason) → assisted`,
 * and `withdrawn` when a cancelled settlement brings the burden back to the line or under it
 * while the warning is still open. A withdrawn warning re-opens as `new` if the person crosses
 * the same line again in the same year (still one warning per person, year and threshold).
 * Pure: which action may move which status where.
 */
export const WARNING_STATUSES = [
  'new',
  'pushed',
  'confirmed',
  'dismissed',
  'assisted',
  'withdrawn',
] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

export const STATUS_LABELS: Record<WarningStatus, { zh: string; en: string }> = {
  new: { zh: '新预警', en: 'new' },
  pushed: { zh: '已推送', en: 'pushed' },
  confirmed: { zh: '已认定', en: 'confirmed' },
  dismissed: { zh: '已排除', en: 'dismissed' },
  assisted: { zh: '已救助', en: 'assisted' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

/** Open warnings are still acted on; a cancel that brings the burden down withdraws them. */
export const OPEN_STATUSES: readonly WarningStatus[] = ['new', 'pushed', 'confirmed'];

export type WarningAction = 'push' | 'confirm' | 'dismiss' | 'assist' | 'withdraw' | 'reopen';

/** The statuses each action starts from, and where it leads. */
export function transition(action: WarningAction): {
  from: readonly WarningStatus[];
  to: WarningStatus;
} {
  switch (action) {
    case 'push':
      return { from: ['new'], to: 'pushed' };
    case 'confirm':
      return { from: ['pushed'], to: 'confirmed' };
    case 'dismiss':
      return { from: ['pushed'], to: 'dismissed' };
    case 'assist':
      return { from: ['confirmed'], to: 'assisted' };
    case 'withdraw':
      return { from: OPEN_STATUSES, to: 'withdrawn' };
    case 'reopen':
      return { from: ['withdrawn'], to: 'new' };
    default: {
      const never: never = action;
      throw new Error(`unknown action ${String(never)}`);
    }
  }
}

export const canApply = (action: WarningAction, status: WarningStatus): boolean =>
  transition(action).from.includes(status);

/** What assistance was granted when a warning is closed as `assisted`. */
export const ASSISTANCE_MEASURES = [
  'subsistence',
  'extreme_poverty',
  'low_income_marginal',
  'monitored',
  'temporary_assistance',
  'medical_assistance',
  'programme',
  'charity',
  'other',
] as const;
export type AssistanceMeasure = (typeof ASSISTANCE_MEASURES)[number];

export const MEASURE_LABELS: Record<AssistanceMeasure, { zh: string; en: string }> = {
  subsistence: { zh: '纳入低保', en: 'enrolled in subsistence allowance' },
  extreme_poverty: { zh: '纳入特困供养', en: 'recognised as extreme hardship' },
  low_income_marginal: { zh: '认定为低保边缘家庭', en: 'recognised as low-income marginal' },
  monitored: { zh: '纳入防返贫监测', en: 'included in return-to-poverty monitoring' },
  temporary_assistance: { zh: '临时救助', en: 'temporary assistance' },
  medical_assistance: { zh: '医疗救助倾斜', en: 'medical assistance' },
  programme: { zh: '救助项目', en: 'assistance programme' },
  charity: { zh: '慈善救助', en: 'charity' },
  other: { zh: '其他帮扶', en: 'other help' },
};
