import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { randomBytes } from 'node:crypto';
import { describeDb, dropScratchDatabase } from '../../../test/support/db.ts';
import { openPostgres } from '../../db/postgres.ts';
import { migrate } from '../../db/migrate.ts';
import type { Db } from '../../db/db.ts';
import {
  BUDGET_QUEUE,
  CARE_QUEUE,
  CHECKPOINT_QUEUE,
  MONTHLY_QUEUE,
  startJobs,
  type Jobs,
} from './schedule.ts';

describeDb('scheduled jobs', (ctx) => {
  it('starts nothing on PGlite', async () => {
    if (ctx.kind !== 'pglite') return;
    const lines: string[] = [];
    const jobs = await startJobs(ctx.db, {}, (l) => lines.push(l));
    await jobs.stop();
    expect(lines[0]).toMatch(/PostgreSQL/);
  });

  // pg-boss connects by URL, so this suite makes its own scratch database.
  const url = process.env.DATABASE_URL;
  let name = '';
  let db: Db | undefined;
  let jobs: Jobs | undefined;
  beforeAll(async () => {
    if (ctx.kind !== 'postgres' || !url) return;
    name = `tg_jobs_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    db = await openPostgres(u.toString(), 4);
    await migrate(db);
  });
  afterAll(async () => {
    if (!db || !url) return;
    await jobs?.stop();
    await db.close();
    await dropScratchDatabase(url, name);
  });

  it('schedules the monthly run and runs a job for a named month on PostgreSQL', async () => {
    if (ctx.kind !== 'postgres' || !db || !url) return;
    const u = new URL(url);
    u.pathname = `/${name}`;
    jobs = await startJobs(db, { DATABASE_URL: u.toString() }, () => undefined);
    const boss = new PgBoss({ connectionString: u.toString(), schema: 'pgboss' });
    await boss.start();
    const schedules = await boss.getSchedules();
    expect(schedules.map((s) => [s.name, s.cron]).sort()).toEqual([
      ['assistance-budget-check', '*/15 * * * *'],
      ['audit-checkpoint', '0 3 * * *'],
      ['care-month-open', '0 1 1 * *'],
      ['monitoring-monthly', '0 2 1 * *'],
      ['monitoring-recheck', '30 1 * * *'],
    ]);
    await boss.send(MONTHLY_QUEUE, { month: '2022-03' });
    const budgetJob = (await boss.send(BUDGET_QUEUE, {}))!;
    const checkpointJob = (await boss.send(CHECKPOINT_QUEUE, {}))!;
    // The care month: a county with one contract has it opened with one person due.
    await db.query(
      `INSERT INTO person (certno, name, gender, birth_date, region_code)
       VALUES ('370899196003040072', '王秀英', 'female', '1960-03-04', '370899001001')`,
    );
    await db.query(
      `INSERT INTO care_contract (certno, township_code, doctor, team, fixmedins_code, valid_from, created_by)
       VALUES ('370899196003040072', '370899001', '刘医生', '一队', 'H37089910001', '2022-01-01', 'test')`,
    );
    await boss.send(CARE_QUEUE, { month: '2022-03' });
    let runs = 0;
    for (let i = 0; i < 100 && runs === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const r = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM monitoring_run WHERE month = '2022-03' AND actor_id = 'system:job:monitoring'`,
      );
      runs = r.rows[0]!.n;
    }
    let opened: { due: number; opened_by: string }[] = [];
    for (let i = 0; i < 100 && opened.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      opened = (
        await db.query<{ due: number; opened_by: string }>(
          `SELECT due, opened_by FROM care_month WHERE county = '370899' AND month = '2022-03'`,
        )
      ).rows;
    }
    expect(opened).toEqual([{ due: 1, opened_by: 'system:job:care' }]);
    let budget: string | undefined;
    for (let i = 0; i < 100 && budget !== 'completed' && budget !== 'failed'; i++) {
      budget = (await boss.getJobById(BUDGET_QUEUE, budgetJob))?.state;
      if (budget !== 'completed') await new Promise((r) => setTimeout(r, 200));
    }
    let checkpoint: string | undefined;
    for (let i = 0; i < 100 && checkpoint !== 'completed' && checkpoint !== 'failed'; i++) {
      checkpoint = (await boss.getJobById(CHECKPOINT_QUEUE, checkpointJob))?.state;
      if (checkpoint !== 'completed') await new Promise((r) => setTimeout(r, 200));
    }
    const checkpoints = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_checkpoint',
    );
    await boss.stop({ graceful: false, wait: true });
    expect(checkpoint).toBe('completed');
    expect(checkpoints.rows[0]!.n).toBe(1);
    expect(runs).toBe(1);
    expect(budget).toBe('completed');
  }, 60_000);
});
