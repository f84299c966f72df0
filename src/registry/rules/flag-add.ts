/**
 * Recording a flag: a category held over a month range, recognised by a department. Two flags of
 * the same category may not overlap (the month a bill falls in must name one flag), and nobody is
 * flagged after their death.
 */
import { conflict, unprocessable } from '../../kernel/errors.ts';
import { rangesOverlap, type IsoDate } from '../../kernel/period.ts';
import type { FlagFields, PersonRecord } from '../model.ts';
import type { Change } from './change.ts';

export type NewFlag = Omit<FlagFields, 'endReason'>;

export function addFlagChanges(rec: PersonRecord, flag: NewFlag, today: IsoDate): Change[] {
  if (rec.person.status === 'deceased') {
    throw conflict('person.deceased', 'certno', '此人已死亡', 'the person is deceased');
  }
  if (flag.toMonth !== null && flag.toMonth < flag.fromMonth) {
    throw unprocessable('flag.range', 'toMonth', '终止月早于起始月', 'toMonth is before fromMonth');
  }
  if (flag.recognisedOn !== null && flag.recognisedOn > today) {
    throw unprocessable(
      'date.future',
      'recognisedOn',
      '认定日期不能晚于今天',
      'recognisedOn is in the future',
    );
  }
  const clash = rec.flags.find(
    (f) =>
      f.category === flag.category &&
      // A flag ended before it began holds no month and cannot clash.
      (f.toMonth === null || f.toMonth >= f.fromMonth) &&
      rangesOverlap(
        { from: f.fromMonth, to: f.toMonth },
        { from: flag.fromMonth, to: flag.toMonth },
      ),
  );
  if (clash) {
    throw conflict(
      'flag.overlap',
      'fromMonth',
      `与已有的同类标识（${clash.fromMonth}～${clash.toMonth ?? ''}）时间重叠`,
      `overlaps the existing ${flag.category} flag ${clash.fromMonth}..${clash.toMonth ?? 'open'}`,
    );
  }
  return [{ kind: 'create_flag', flag: { ...flag, endReason: null } }];
}
