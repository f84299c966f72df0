/**
 * Scheduled jobs on PostgreSQL (pg-boss 10, in its own `pgboss` schema): the monthly warning run
 * at 02:00 on the 1st for the month just ended, and a daily re-check at 01:30 that withdraws
 * warnings a cancelled settlement brought back to the line, and every quarter of an hour the
 * assistance programmes' budget check (alerts at 80 % and 100 %); at 01:00 on the 1st the family
 * doctors' month opened (`triguard care open-month` by hand); at 03:00 daily a checkpoint of
 * every audit chain head (`triguard audit checkpoint` takes one on demand). pg-boss needs PostgreSQL; on PGlite
 * the server starts no jobs and `triguard monitor run --month` does the same by hand.
 *
 * Several servers may run this: pg-boss stores one schedule and hands each job to one worker.
 * A manual job may name its month: `{ "month": "2022-03" }`.
 */
import PgBoss from 'pg-boss';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { parseMonth } from '../../kernel/period.ts';
import { recheck, runMonth } from '../../monitoring/index.ts';
import { checkBudgets } from '../../assistance/index.ts';
import { takeCheckpoint } from '../audit.ts';
import { openMonths } from '../../care/index.ts';
import { addMonths } from '../../kernel/period.ts';
import { monthJustEnded, recheckYear } from './months.ts';

export const MONTHLY_QUEUE = 'monitoring-monthly';
export const RECHECK_QUEUE = 'monitoring-recheck';
/** Programme budgets: alerts at 80 % and 100 % raised within a quarter of an hour of spending. */
export const BUDGET_QUEUE = 'assistance-budget-check';
/** A checkpoint of every audit chain head, daily (audit-checkpoint.ts). */
export const CHECKPOINT_QUEUE = 'audit-checkpoint';
/** The family doctors' month: its due lists opened at 01:00 on the 1st (docs/care.md §9). */
export const CARE_QUEUE = 'care-month-open';
const TZ = 'Asia/Shanghai';

export const JOB_ACTOR: Actor = {
  ...SYSTEM_ACTOR,
  id: 'system:job:monitoring',
  name: 'scheduled monitoring',
};

const CARE_ACTOR: Actor = { ...SYSTEM_ACTOR, id: 'system:job:care', name: 'scheduled care month' };

const CHECKPOINT_ACTOR: Actor = {
  ...SYSTEM_ACTOR,
  id: 'system:job:audit-checkpoint',
  name: 'scheduled audit checkpoint',
};

export interface Jobs {
  stop(): Promise<void>;
}

/** Starts the schedule when the database is PostgreSQL; otherwise does nothing. */
export async function startJobs(
  db: Db,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<Jobs> {
  if (db.kind !== 'postgres' || !env.DATABASE_URL) {
    log(
      '定时任务需要 PostgreSQL；PGlite 上请用 triguard monitor run --month / scheduled jobs need PostgreSQL',
    );
    return { stop: async () => undefined };
  }
  const boss = new PgBoss({ connectionString: env.DATABASE_URL, schema: 'pgboss', max: 2 });
  boss.on('error', (e) => log(`pg-boss: ${e.message}`));
  await boss.start();
  await boss.createQueue(MONTHLY_QUEUE, { name: MONTHLY_QUEUE, retryLimit: 3, retryBackoff: true });
  await boss.createQueue(RECHECK_QUEUE, { name: RECHECK_QUEUE, retryLimit: 2 });
  await boss.schedule(MONTHLY_QUEUE, '0 2 1 * *', {}, { tz: TZ });
  await boss.schedule(RECHECK_QUEUE, '30 1 * * *', {}, { tz: TZ });
  await boss.createQueue(BUDGET_QUEUE, { name: BUDGET_QUEUE, retryLimit: 1 });
  await boss.schedule(BUDGET_QUEUE, '*/15 * * * *', {}, { tz: TZ });
  await boss.createQueue(CHECKPOINT_QUEUE, { name: CHECKPOINT_QUEUE, retryLimit: 2 });
  await boss.schedule(CHECKPOINT_QUEUE, '0 3 * * *', {}, { tz: TZ });
  await boss.createQueue(CARE_QUEUE, { name: CARE_QUEUE, retryLimit: 3, retryBackoff: true });
  await boss.schedule(CARE_QUEUE, '0 1 1 * *', {}, { tz: TZ });
  await boss.work<{ month?: string }>(CARE_QUEUE, async ([job]) => {
    const month = job?.data.month
      ? parseMonth(job.data.month, 'month')
      : addMonths(monthJustEnded(new Date()), 1);
    const counties = await openMonths(db, CARE_ACTOR, month);
    log(`care month ${month}: ${counties.map((c) => `${c.county} ${c.due} due`).join(', ')}`);
    return { month, counties };
  });
  await boss.work(CHECKPOINT_QUEUE, async () => {
    const cp = await takeCheckpoint(db, CHECKPOINT_ACTOR);
    log(`audit checkpoint ${cp.id}: ${cp.settlements.length} settlement chains, ${cp.digest}`);
    return { id: cp.id, digest: cp.digest };
  });
  await boss.work<{ month?: string }>(MONTHLY_QUEUE, async ([job]) => {
    const month = job?.data.month
      ? parseMonth(job.data.month, 'month')
      : monthJustEnded(new Date());
    const s = await runMonth(db, JOB_ACTOR, month);
    log(`monitoring run ${s.runId} ${month}: ${s.created} new, ${s.withdrawn} withdrawn`);
    return { runId: s.runId, created: s.created, reopened: s.reopened, withdrawn: s.withdrawn };
  });
  await boss.work(RECHECK_QUEUE, async () => {
    const withdrawn = await recheck(db, JOB_ACTOR, recheckYear(new Date()));
    return { withdrawn };
  });
  await boss.work(BUDGET_QUEUE, async () => {
    // This year's and last year's programmes: a late bill may still charge last year's budget.
    const year = new Date().getFullYear();
    const checks = [
      ...(await checkBudgets(db, { year })),
      ...(await checkBudgets(db, { year: year - 1 })),
    ];
    const raised = checks.reduce((n, c) => n + c.raised.length, 0);
    if (raised > 0) log(`assistance budget check: ${raised} alert(s) raised`);
    return { programmes: checks.length, raised };
  });
  log(
    `定时任务已启动 / scheduled jobs: ${MONTHLY_QUEUE} (0 2 1 * *), ${RECHECK_QUEUE} (30 1 * * *), ${BUDGET_QUEUE} (*/15 * * * *), ${CHECKPOINT_QUEUE} (0 3 * * *), ${CARE_QUEUE} (0 1 1 * *), ${TZ}`,
  );
  return { stop: () => boss.stop({ graceful: true, wait: true }) };
}
