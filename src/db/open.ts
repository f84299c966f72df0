import { mkdirSync } from 'node:fs';
import type { Db } from './db.ts';

export interface OpenOptions {
  /** PostgreSQL URL; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; undefined = in memory. */
  dataDir?: string | undefined;
}

/** DATABASE_URL wins; otherwise PGlite (a folder under ./data for `npm start`). */
export async function openDb(opts: OpenOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(opts.databaseUrl);
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const { openPglite } = await import('./pglite.ts');
  return openPglite(opts.dataDir);
}

/** The database the CLI and server use, from the environment. */
export const openFromEnv = (env: NodeJS.ProcessEnv = process.env) =>
  openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.TRIGUARD_DATA ?? './data/pglite' });
