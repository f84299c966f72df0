/**
 * Exit from poverty (脱贫不享受待遇), cancellation of 低保/特困 (取消待遇) and corrections end a
 * flag at a month (Wenshang seed, problem 2). The year's fee exemption stays (免缴费认定保留):
 * this rule never touches an enrolment, so the basic insurance of that year is enjoyed as usual.
 */
import { conflict, unprocessable } from '../../kernel/errors.ts';
import type { Month } from '../../kernel/period.ts';
import type { Flag, FlagEndReason } from '../model.ts';
import type { Change } from './change.ts';

/** Reasons a person may give; `death` comes only from recording the death. */
export type FlagEndRequest = Exclude<FlagEndReason, 'death'>;

export function endFlag(flag: Flag, lastMonth: Month, reason: FlagEndRequest): Change[] {
  if (flag.endReason !== null) {
    throw conflict(
      'flag.already_ended',
      'flagId',
      `该标识已于 ${flag.toMonth ?? ''} 中断（${flag.endReason}）`,
      `the flag already ended at ${flag.toMonth ?? ''} (${flag.endReason})`,
    );
  }
  if (flag.toMonth !== null && lastMonth > flag.toMonth) {
    throw unprocessable(
      'flag.end_after_to',
      'month',
      `中断月份晚于标识终止月 ${flag.toMonth}`,
      `the month is after the flag's last month ${flag.toMonth}`,
    );
  }
  // Only a correction may say the flag never held (a wrongly recorded flag).
  if (lastMonth < flag.fromMonth && reason !== 'correction') {
    throw unprocessable(
      'flag.end_before_from',
      'month',
      `中断月份早于标识起始月 ${flag.fromMonth}；标识有误请用更正`,
      `the month is before the flag's first month ${flag.fromMonth}; use a correction for a wrong flag`,
    );
  }
  return [{ kind: 'end_flag', flagId: flag.flagId, toMonth: lastMonth, endReason: reason }];
}
