/**
 * Forward-only migrations: `src/db/migrations/NNNN_name.sql`, applied in order, each in its own
 * transaction, recorded in `schema_migration`. The same files run on PGlite and PostgreSQL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromPackageRoot } from '../kernel/package-root.ts';
import type { Db } from './db.ts';

const DIR = fromPackageRoot('src', 'db', 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.replace(/\.sql$/, ''),
      sql: readFileSync(join(dir, f), 'utf8'),
    }));
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migration (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Applies what has not run yet; returns the names applied. Safe to call on every start. */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  await db.exec(LEDGER);
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      // Serialise concurrent starters on PostgreSQL; harmless on PGlite.
      await tx.query('SELECT pg_advisory_xact_lock(7426001)');
      const seen = await tx.query('SELECT 1 FROM schema_migration WHERE version = $1', [m.version]);
      if (seen.rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}

/** The highest applied version, or 0. */
export async function migrationVersion(db: Db): Promise<number> {
  await db.exec(LEDGER);
  const r = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migration');
  return r.rows[0]?.v ?? 0;
}
