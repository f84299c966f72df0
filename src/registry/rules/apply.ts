/**
 * Applies changes to a record in memory: the state a rule's changes lead to. Tests read it to
 * check what a person may claim afterwards; the service uses it for the audit log's `after`.
 * New flags and enrolments get negative ids until the database assigns real ones.
 */
import type { Enrolment, Flag, PersonRecord, VersionStamp } from '../model.ts';
import { assertNever } from '../never.ts';
import type { Change } from './change.ts';

export function applyChanges(
  rec: PersonRecord,
  changes: readonly Change[],
  stamp: VersionStamp,
): PersonRecord {
  let { person } = rec;
  const flags: Flag[] = [...rec.flags];
  const enrolments: Enrolment[] = [...rec.enrolments];
  let temp = -1;
  const bump = (version: number) => ({ ...stamp, version: version + 1 });
  for (const c of changes) {
    switch (c.kind) {
      case 'update_person':
        person = { ...person, ...c.patch, ...bump(person.version) };
        break;
      case 'create_flag':
        flags.push({ ...c.flag, ...stamp, version: 1, flagId: temp--, certno: person.certno });
        break;
      case 'end_flag': {
        const i = flags.findIndex((f) => f.flagId === c.flagId);
        const f = flags[i];
        if (!f) throw new Error(`no flag ${c.flagId}`);
        flags[i] = { ...f, toMonth: c.toMonth, endReason: c.endReason, ...bump(f.version) };
        break;
      }
      case 'create_enrolment':
        enrolments.push({
          ...c.enrolment,
          ...stamp,
          version: 1,
          enrolmentId: temp--,
          certno: person.certno,
        });
        break;
      case 'update_enrolment': {
        const i = enrolments.findIndex((e) => e.enrolmentId === c.enrolmentId);
        const e = enrolments[i];
        if (!e) throw new Error(`no enrolment ${c.enrolmentId}`);
        enrolments[i] = { ...e, ...c.patch, ...bump(e.version) };
        break;
      }
      default:
        assertNever(c, 'change');
    }
  }
  return { person, flags, enrolments };
}
