/**
 * Warnings that do not make a pack unusable: values whose `last_reviewed` is older than the
 * review interval while they are still in force. Values that stopped applying before `today` are
 * history and are not reviewed again. A value without `last_reviewed` is not warned about: the
 * field is optional, and a bureau that does not track reviews should not drown in warnings.
 */
import type { IsoDate } from '../kernel/period.ts';
import type { PolicyPack } from './model.ts';
import { addDays } from './dated.ts';

export interface Warning {
  file: string;
  line: number;
  key: string;
  message: string;
  zh: string;
}

export const DEFAULT_REVIEW_DAYS = 365;

export function staleValues(
  pack: PolicyPack,
  today: IsoDate,
  reviewDays: number = DEFAULT_REVIEW_DAYS,
): Warning[] {
  const due = addDays(today, -reviewDays);
  const packEnd = pack.validity.to;
  return pack.params.flatMap((p) =>
    p.entries.flatMap((e) => {
      const end = e.to === null ? packEnd : packEnd === null || e.to < packEnd ? e.to : packEnd;
      const inForce = end === null || end >= today;
      if (!inForce || e.lastReviewed === null || e.lastReviewed >= due) return [];
      return [
        {
          file: p.file,
          line: e.line,
          key: p.key,
          message: `last reviewed ${e.lastReviewed}, more than ${reviewDays} days before ${today}`,
          zh: `上次复核于 ${e.lastReviewed}，距 ${today} 已超过 ${reviewDays} 天`,
        },
      ];
    }),
  );
}
