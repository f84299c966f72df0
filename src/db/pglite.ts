import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { OID, type Db, type Queryable, type QueryResult } from './db.ts';
import { insertRows } from './insert-rows.ts';
import { lockDataDir } from './data-dir-lock.ts';

const parsers = {
  [OID.int8]: (v: string) => Number(v),
  [OID.date]: (v: string) => v,
  [OID.timestamp]: (v: string) => v,
  [OID.timestamptz]: (v: string) => v,
};

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params as unknown[] | undefined);
      // PGlite counts no affected rows for a SELECT; PostgreSQL's tag counts the rows returned.
      return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

/**
 * Opens PGlite: `dataDir` undefined = in memory. A folder is this process's while it is open
 * (data-dir-lock.ts): another process gets a clear error instead of a damaged folder.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir, { extensions: { pg_trgm }, parsers });
  } catch (e) {
    release();
    throw e;
  }
  const base = wrap(pg);
  return {
    kind: 'pglite',
    ...base,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    // PGlite runs in this process: multi-row INSERTs in one transaction are its fastest path.
    copyRows: (table, columns, rows) =>
      pg.transaction((tx) => insertRows(wrap(tx), table, columns, rows)),
    // One process holds the folder, so a notice never comes from elsewhere; listening is kept
    // for the same code path on both databases.
    listen: async (channel, fn) => pg.listen(channel, () => fn('notify')),
    close: async () => {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}
