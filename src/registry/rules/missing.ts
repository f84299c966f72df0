/**
 * A missing person (Wenshang seed, problem 1): while the family keeps looking (家属表示不放弃寻找)
 * the person keeps every benefit — the status becomes `missing` and flags and enrolments are left
 * untouched, so a person who returns simply carries on. A family that gives up leads to a
 * cancelled household registration, which is recorded as a death or a flag cancellation instead.
 */
import { conflict, unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { Person } from '../model.ts';
import type { Change } from './change.ts';

export function markMissing(
  person: Person,
  since: IsoDate,
  familyKeepsLooking: boolean,
  today: IsoDate,
): Change[] {
  if (person.status !== 'alive') {
    throw conflict(
      'person.not_alive',
      'status',
      `状态为 ${person.status}，不能登记失联`,
      `status is ${person.status}; only a living person can be recorded missing`,
    );
  }
  if (!familyKeepsLooking) {
    throw unprocessable(
      'person.missing_not_sought',
      'familyKeepsLooking',
      '家属放弃寻找的，请按注销户口处理（登记死亡或中断标识）',
      'the family has given up the search: record the death or end the flags instead',
    );
  }
  if (since > today) {
    throw unprocessable('date.future', 'since', '失联日期不能晚于今天', 'since is in the future');
  }
  return [{ kind: 'update_person', patch: { status: 'missing', missingSince: since } }];
}

/** The missing person is back: alive again, nothing else changes. */
export function markFound(person: Person): Change[] {
  if (person.status !== 'missing') {
    throw conflict(
      'person.not_missing',
      'status',
      '此人未登记失联',
      'the person is not recorded as missing',
    );
  }
  return [{ kind: 'update_person', patch: { status: 'alive', missingSince: null } }];
}
