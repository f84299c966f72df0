/** What the assistance services need: the database and a clock (tests choose the day). */
import type { Db } from '../db/db.ts';
import { localDate } from '../kernel/clock.ts';
import type { IsoDate, Month } from '../kernel/period.ts';

export interface AssistanceContext {
  db: Db;
  now: () => Date;
}

export const assistanceContext = (
  db: Db,
  now: () => Date = () => new Date(),
): AssistanceContext => ({ db, now });

/** The bureau's today and this month (Asia/Shanghai). */
export function today(ctx: AssistanceContext): { date: IsoDate; month: Month } {
  const date = localDate(ctx.now());
  return { date, month: date.slice(0, 7) };
}
