import { mkdirSync } from 'node:fs';
import type { Db } from './db.ts';

export interface OpenOptions {
  /** PostgreSQL URL; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; undefined = in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL connections to keep (default 10). */
  poolSize?: number | undefined;
}

/** DATABASE_URL wins; otherwise PGlite (a folder under ./data for `npm start`). */
export async function openDb(opts: OpenOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(opts.databaseUrl, opts.poolSize);
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const { openPglite } = await import('./pglite.ts');
  return openPglite(opts.dataDir);
}

/** The embedded database's folder: TRIGUARD_DATA, or ./data/pglite. */
export const pgliteDirOf = (env: NodeJS.ProcessEnv): string => env.TRIGUARD_DATA ?? './data/pglite';

/** The database the CLI and server use, from the environment (DATABASE_POOL: connections). */
export const openFromEnv = (env: NodeJS.ProcessEnv = process.env) =>
  openDb({
    databaseUrl: env.DATABASE_URL,
    dataDir: pgliteDirOf(env),
    poolSize: poolSizeOf(env.DATABASE_POOL),
  });

/** DATABASE_POOL, checked: a whole number from 1 to 1000, or unset. */
export function poolSizeOf(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new Error(`DATABASE_POOL must be a whole number from 1 to 1000, not "${text}"`);
  }
  return n;
}
