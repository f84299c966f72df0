/** A scratch PostgreSQL database for a benchmark, created and dropped around it. */
import pg from 'pg';
import { openPostgres } from '../src/db/postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import type { Db } from '../src/db/db.ts';

export const benchUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function withScratchDb<T>(
  name: string,
  fn: (db: Db, url: string) => Promise<T>,
): Promise<T> {
  const base = new URL(benchUrl());
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base.toString() });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
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
