/**
 * Applies a rule's changes to the database inside the caller's transaction: each change writes a
 * new version of the record it touches and an audit entry with the record before and after.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Queryable } from '../../db/db.ts';
import type { Enrolment, Flag, PersonRecord } from '../model.ts';
import { assertNever } from '../never.ts';
import { nameInitials } from '../pinyin.ts';
import { byEnrolmentOrder, byFlagOrder } from '../repo/rows.ts';
import type { Change } from '../rules/change.ts';
import {
  insertEnrolment,
  insertFlag,
  updateEnrolment,
  updateFlag,
  updatePerson,
  type WriteStamp,
} from '../repo/write.ts';

/** `action`: the audit action of the whole operation, e.g. `registry.person.death`. */
export async function writeChanges(
  tx: Queryable,
  actor: Actor,
  stamp: WriteStamp,
  rec: PersonRecord,
  changes: readonly Change[],
  action: string,
): Promise<PersonRecord> {
  const certno = rec.person.certno;
  let person = rec.person;
  const flags = new Map<number, Flag>(rec.flags.map((f) => [f.flagId, f]));
  const enrolments = new Map<number, Enrolment>(rec.enrolments.map((e) => [e.enrolmentId, e]));
  const audit = (entity: string, entityId: string | number, before: unknown, after: unknown) =>
    appendAudit(tx, {
      actor,
      action,
      entity,
      entityId: String(entityId),
      certno,
      before,
      after,
      reason: stamp.reason,
    });

  for (const c of changes) {
    switch (c.kind) {
      case 'update_person': {
        const patch = c.patch.name
          ? { ...c.patch, namePinyinInitials: nameInitials(c.patch.name) }
          : c.patch;
        const after = await updatePerson(tx, certno, patch, stamp);
        await audit('person', certno, person, after);
        person = after;
        break;
      }
      case 'create_flag': {
        const after = await insertFlag(tx, certno, c.flag, stamp);
        await audit('person_flag', after.flagId, null, after);
        flags.set(after.flagId, after);
        break;
      }
      case 'end_flag': {
        const before = flags.get(c.flagId);
        const after = await updateFlag(
          tx,
          certno,
          c.flagId,
          { toMonth: c.toMonth, endReason: c.endReason },
          stamp,
        );
        await audit('person_flag', c.flagId, before ?? null, after);
        flags.set(c.flagId, after);
        break;
      }
      case 'create_enrolment': {
        const after = await insertEnrolment(tx, certno, c.enrolment, stamp);
        await audit('enrolment', after.enrolmentId, null, after);
        enrolments.set(after.enrolmentId, after);
        break;
      }
      case 'update_enrolment': {
        const before = enrolments.get(c.enrolmentId);
        const after = await updateEnrolment(tx, certno, c.enrolmentId, c.patch, stamp);
        await audit('enrolment', c.enrolmentId, before ?? null, after);
        enrolments.set(c.enrolmentId, after);
        break;
      }
      default:
        assertNever(c, 'change');
    }
  }
  return {
    person,
    flags: [...flags.values()].sort(byFlagOrder),
    enrolments: [...enrolments.values()].sort(byEnrolmentOrder),
  };
}
