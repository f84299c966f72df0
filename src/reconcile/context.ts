/**
 * What reconciliation services need: the database and a clock (injected, so tests run passes and
 * overdue checks on chosen days; production uses the wall clock).
 */
import type { Db } from '../db/db.ts';
import { localDate } from '../kernel/clock.ts';
import type { IsoDate } from '../kernel/period.ts';

export interface ReconcileContext {
  db: Db;
  now: () => Date;
}

export const reconcileContext = (db: Db, now: () => Date = () => new Date()): ReconcileContext => ({
  db,
  now,
});

export const todayOf = (ctx: ReconcileContext): IsoDate => localDate(ctx.now());
