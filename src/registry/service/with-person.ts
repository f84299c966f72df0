/**
 * The shape of every single-person operation: in one transaction, lock the person, read them in
 * the actor's scope (404 outside it), let a pure rule decide the changes, write them as new
 * versions with audit entries, and answer the person as they now stand.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import { notFound } from '../../kernel/errors.ts';
import { maskId } from '../../kernel/idcard.ts';
import type { PersonRecord } from '../model.ts';
import type { Change } from '../rules/change.ts';
import { loadRecord, lockPerson } from '../repo/read.ts';
import { moment, type RegistryContext } from './context.ts';
import { writeChanges } from './write-changes.ts';

export interface Operation<R> {
  actor: Actor;
  certno: string;
  reason: string;
  /** Audit action, e.g. `registry.person.death`. */
  action: string;
  decide: (rec: PersonRecord, today: string) => { changes: Change[]; result: R };
  /** Checks or writes that need the database, run after the lock and before `decide`. */
  prepare?: (tx: Queryable, rec: PersonRecord) => Promise<void>;
}

export async function withPerson<R>(
  ctx: RegistryContext,
  op: Operation<R>,
): Promise<{ record: PersonRecord; result: R }> {
  const { stamp, today } = moment(ctx, op.actor, op.reason);
  return ctx.db.transaction(async (tx) => {
    await lockPerson(tx, op.certno);
    const rec = await loadRecord(tx, op.actor.scope, op.certno);
    if (!rec) throw personNotFound(op.certno);
    await op.prepare?.(tx, rec);
    const { changes, result } = op.decide(rec, today);
    const record = await writeChanges(tx, op.actor, stamp, rec, changes, op.action);
    return { record, result };
  });
}

export const personNotFound = (certno: string) =>
  notFound(
    'person.not_found',
    'certno',
    `登记库中没有此人（或不在您的数据范围内）：${maskId(certno)}`,
    `no such person in the registry (or outside your data scope): ${maskId(certno)}`,
  );
