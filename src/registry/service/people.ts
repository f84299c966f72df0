/**
 * Registering a person and changing their own fields (name, household, village, phone). Gender
 * and birth date come from the ID number and never change; status changes go through the life
 * events (death, missing, found) so their rules always run.
 */
import type { Actor } from '../../auth/types.ts';
import { appendAudit } from '../../auth/audit.ts';
import type { Queryable } from '../../db/db.ts';
import { conflict, unprocessable } from '../../kernel/errors.ts';
import { checkId, normalizeId } from '../../kernel/idcard.ts';
import type { Person, PersonFields } from '../model.ts';
import { nameInitials } from '../pinyin.ts';
import { ensureHousehold, villageInScope } from '../repo/regions.ts';
import { insertPerson } from '../repo/write.ts';
import { moment, type RegistryContext } from './context.ts';
import { withPerson } from './with-person.ts';

export interface NewPersonInput {
  certno: string;
  name: string;
  regionCode: string;
  householdId: string | null;
  phone: string | null;
}

export async function registerPerson(
  ctx: RegistryContext,
  actor: Actor,
  input: NewPersonInput,
  reason: string,
): Promise<Person> {
  const certno = normalizeId(input.certno, 'certno');
  const id = checkId(certno);
  const { stamp, today } = moment(ctx, actor, reason);
  if ((id.birthDate ?? '') > today) {
    throw unprocessable(
      'date.future',
      'certno',
      '身份证号中的出生日期晚于今天',
      'the birth date in the ID number is in the future',
    );
  }
  return ctx.db.transaction(async (tx) => {
    await villageInScope(tx, actor.scope, input.regionCode, 'regionCode');
    if (await exists(tx, certno)) {
      throw conflict(
        'person.exists',
        'certno',
        '此人已在登记库中',
        'the person is already registered',
      );
    }
    if (input.householdId) {
      await ensureHousehold(tx, input.householdId, input.regionCode, certno);
    }
    const person = await insertPerson(
      tx,
      {
        certno,
        gender: id.gender!,
        birthDate: id.birthDate!,
        name: input.name,
        namePinyinInitials: nameInitials(input.name),
        regionCode: input.regionCode,
        householdId: input.householdId,
        phone: input.phone,
        status: 'alive',
        deathDate: null,
        missingSince: null,
      },
      stamp,
    );
    await appendAudit(tx, {
      actor,
      action: 'registry.person.create',
      entity: 'person',
      entityId: certno,
      certno,
      before: null,
      after: person,
      reason: stamp.reason,
    });
    return person;
  });
}

async function exists(q: Queryable, certno: string): Promise<boolean> {
  // Deliberately unscoped: a person registered elsewhere in the province is still a duplicate.
  const r = await q.query('SELECT 1 FROM person WHERE certno = $1', [certno]);
  return r.rows.length > 0;
}

export type PersonPatch = Partial<
  Pick<PersonFields, 'name' | 'householdId' | 'regionCode' | 'phone'>
>;

export async function updatePersonFields(
  ctx: RegistryContext,
  actor: Actor,
  certno: string,
  patch: PersonPatch,
  reason: string,
): Promise<Person> {
  const { record } = await withPerson(ctx, {
    actor,
    certno,
    reason,
    action: 'registry.person.update',
    decide: (rec) => {
      const changed = (Object.keys(patch) as (keyof PersonPatch)[]).filter(
        (k) => patch[k] !== undefined && patch[k] !== rec.person[k],
      );
      if (changed.length === 0) {
        throw unprocessable('person.no_change', null, '没有需要变更的内容', 'nothing to change');
      }
      return {
        changes: [
          { kind: 'update_person', patch: Object.fromEntries(changed.map((k) => [k, patch[k]])) },
        ],
        result: null,
      };
    },
    // The new village must be one the actor may place people in; a new household is created.
    prepare: async (tx, rec) => {
      const region = patch.regionCode ?? rec.person.regionCode;
      if (patch.regionCode) await villageInScope(tx, actor.scope, patch.regionCode, 'regionCode');
      if (patch.householdId) await ensureHousehold(tx, patch.householdId, region, certno);
    },
  });
  return record.person;
}
