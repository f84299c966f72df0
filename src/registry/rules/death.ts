/**
 * A death (Wenshang seed, problem 2): the person's enrolment is interrupted and every flag is
 * interrupted at the month of death (标识中断于死亡的月份), so benefits before the death stay
 * intact. Flags ending earlier and enrolments already ended earlier are left as they are.
 */
import { conflict, invalid } from '../../kernel/errors.ts';
import { monthOf, type IsoDate } from '../../kernel/period.ts';
import type { PersonRecord } from '../model.ts';
import type { Change } from './change.ts';

export function recordDeath(rec: PersonRecord, deathDate: IsoDate, today: IsoDate): Change[] {
  const { person } = rec;
  if (person.status === 'deceased') {
    throw conflict(
      'person.already_deceased',
      'deathDate',
      `已登记死亡（${person.deathDate ?? ''}）`,
      `already recorded as deceased (${person.deathDate ?? ''})`,
    );
  }
  if (deathDate > today) {
    throw invalid('date.future', 'deathDate', '死亡日期不能晚于今天', 'deathDate is in the future');
  }
  if (deathDate < person.birthDate) {
    throw invalid(
      'date.before_birth',
      'deathDate',
      '死亡日期早于出生日期',
      'deathDate is before the birth date',
    );
  }
  const month = monthOf(deathDate);
  const changes: Change[] = [
    { kind: 'update_person', patch: { status: 'deceased', deathDate, missingSince: null } },
  ];
  for (const f of rec.flags) {
    if (f.toMonth === null || f.toMonth > month) {
      changes.push({ kind: 'end_flag', flagId: f.flagId, toMonth: month, endReason: 'death' });
    }
  }
  for (const e of rec.enrolments) {
    if (e.benefitTo === null || e.benefitTo > deathDate) {
      changes.push({
        kind: 'update_enrolment',
        enrolmentId: e.enrolmentId,
        patch: { benefitTo: deathDate, endReason: 'death' },
      });
    }
  }
  return changes;
}
