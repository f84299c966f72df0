/**
 * What every registry service needs: the database and a clock. The clock is injected so tests can
 * record versions on chosen days (the as-of queries are about days); production uses the wall
 * clock.
 */
import type { Db } from '../../db/db.ts';
import { invalid } from '../../kernel/errors.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { localDate } from '../../kernel/clock.ts';
import type { WriteStamp } from '../repo/write.ts';

export interface RegistryContext {
  db: Db;
  now: () => Date;
}

export const registryContext = (db: Db, now: () => Date = () => new Date()): RegistryContext => ({
  db,
  now,
});

/** Every change says why; the reason goes into the version and the audit log. */
export function requireReason(reason: string | null | undefined): string {
  const r = reason?.trim();
  if (!r) {
    throw invalid(
      'reason.required',
      'reason',
      '请填写变更原因',
      'a reason for the change is required',
    );
  }
  return r;
}

export interface Moment {
  stamp: WriteStamp;
  today: string;
}

/** One reading of the clock for a whole operation: its version stamp and the bureau's today. */
export function moment(ctx: RegistryContext, actor: Actor, reason: string): Moment {
  const at = ctx.now();
  return {
    stamp: { at: at.toISOString(), by: actor.id, reason: requireReason(reason) },
    today: localDate(at),
  };
}
