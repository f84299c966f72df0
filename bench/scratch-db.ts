/**
 * PostgreSQL databases for benchmarks: a scratch one created and dropped around a run, or a kept
 * one (a 10,000,000-person registry takes minutes to build) reused across runs.
 */
import pg from 'pg';
import { openPostgres } from '../src/db/postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import type { Db } from '../src/db/db.ts';

export const benchUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One statement on a connection of its own (a database's creation, a look at pg_stat_activity). */
export async function queryOnce<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

export async function withScratchDb<T>(
  name: string,
  fn: (db: Db, url: string) => Promise<T>,
): Promise<T> {
  const base = new URL(benchUrl());
  const admin = (sql: string) => queryOnce(base.toString(), sql);
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), 4);
  try {
    await migrate(db);
    return await fn(db, url.toString());
  } finally {
    await db.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/**
 * A benchmark's kept database: created when missing (dropped first when `fresh`), migrated, with
 * `bench_meta` recording the build steps done (`stepDone`), so a rerun skips them.
 */
export async function openKeptDb(name: string, fresh: boolean): Promise<{ db: Db; url: string }> {
  const admin = (sql: string) => queryOnce(benchUrl(), sql);
  if (fresh) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const exists = await admin(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (exists.length === 0) await admin(`CREATE DATABASE ${name}`);
  const url = new URL(benchUrl());
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), 4);
  await migrate(db);
  await db.exec(`CREATE TABLE IF NOT EXISTS bench_meta (step text PRIMARY KEY, detail text)`);
  return { db, url: url.toString() };
}

/** Whether a kept database's build step is done (recorded in bench_meta). */
export const stepDone = async (db: Db, step: string): Promise<boolean> =>
  (await db.query('SELECT 1 FROM bench_meta WHERE step = $1', [step])).rows.length > 0;
