/**
 * Registering a person and changing their own fields (name, household, village, phone). Gender
 * and birth date come from the ID number and never change; status changes go through the life
 * events (death, missing, found) so their rules always run.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { appendAudit } from '../../audit/index.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import { isUniqueViolation } from '../../db/db.ts';
import { conflict, notFound, unprocessable } from '../../kernel/errors.ts';
import { checkId, normalizeId } from '../../kernel/idcard.ts';
import type { Person, PersonFields } from '../model.ts';
import { nameInitials } from '../pinyin.ts';
import { ensureHousehold, villageInScope } from '../repo/regions.ts';
import {
  insertConflict,
  listConflicts,
  registeredWhere,
  resolveConflict,
  type RegistrationConflict,
} from '../repo/conflicts.ts';
import type { Queryable } from '../../db/db.ts';
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
  const registered = (inScope: boolean) => {
    // Outside the caller's scope the answer says no more than that this number cannot be
    // registered here, so a township cannot probe who is registered elsewhere.
    if (!inScope) return notRegistrable();
    return conflict(
      'person.exists',
      'certno',
      '此人已在登记库中',
      'the person is already registered',
    );
  };
  type Outcome = { person: Person } | { person: null; existsInScope: boolean };
  const outcome: Outcome = await ctx.db
    .transaction(async (tx): Promise<Outcome> => {
      await villageInScope(tx, actor.scope, input.regionCode, 'regionCode');
      // Deliberately read unscoped: a person registered elsewhere in the province is still a
      // duplicate; whether the caller may see them decides only the answer.
      const where = await registeredWhere(tx, personScopeSql(actor.scope, 'p', 2), certno);
      if (where) return { person: null, existsInScope: where.inScope };
      return { person: await insertNew(tx) };
    })
    .catch(async (e: unknown): Promise<Outcome> => {
      // A concurrent registration of the same number committed first.
      if (!isUniqueViolation(e)) throw e;
      const where = await registeredWhere(ctx.db, personScopeSql(actor.scope, 'p', 2), certno);
      if (!where) throw e;
      return { person: null, existsInScope: where.inScope };
    });
  if (outcome.person) return outcome.person;
  if (!outcome.existsInScope) {
    await insertConflict(ctx.db, {
      certno,
      name: input.name,
      regionCode: input.regionCode,
      requestedBy: actor.id,
      reason: stamp.reason,
    });
  }
  throw registered(outcome.existsInScope);

  async function insertNew(tx: Queryable): Promise<Person> {
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
  }
}

/** The answer to registering a number that is registered outside the caller's scope. */
const notRegistrable = () =>
  conflict(
    'person.not_registrable',
    'certno',
    '此身份证号不能在您的辖区登记，已提交医保局核查处理',
    'this ID number cannot be registered in your area; the bureau has been asked to resolve it',
  );

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

/** The bureau's list of registrations refused outside a caller's scope. */
export function registrationConflicts(
  ctx: RegistryContext,
  actor: Actor,
  open: boolean,
): Promise<RegistrationConflict[]> {
  return listConflicts(ctx.db, actor.scope, open);
}

/** Closes one with what the bureau did (a transfer, a correction, nothing); audited. */
export async function resolveRegistrationConflict(
  ctx: RegistryContext,
  actor: Actor,
  conflictId: number,
  resolution: string,
): Promise<RegistrationConflict> {
  return ctx.db.transaction(async (tx) => {
    const done = await resolveConflict(tx, actor.scope, conflictId, actor.id, resolution);
    if (!done) {
      throw notFound(
        'registration_conflict.not_found',
        'id',
        `没有待处理的登记冲突 ${conflictId}`,
        `no open registration conflict ${conflictId}`,
      );
    }
    await appendAudit(tx, {
      actor,
      action: 'registry.registration_conflict.resolve',
      entity: 'registration_conflict',
      entityId: String(conflictId),
      certno: done.certno,
      before: null,
      after: done,
      reason: resolution,
    });
    return done;
  });
}
