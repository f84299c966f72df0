import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { runQuery } from './pg-query.ts';
import {
  OID,
  copyText,
  type Db,
  type ListenEvent,
  type Queryable,
  type QueryOptions,
  type QueryResult,
} from './db.ts';

const keepText = (v: string) => v;
const typeParsers: Record<number, (v: string) => unknown> = {
  [OID.int8]: (v: string) => Number(v),
  [OID.date]: keepText,
  [OID.timestamp]: keepText,
  [OID.timestamptz]: keepText,
};

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    typeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** One name per prepared text: the server keeps a statement per name and connection. */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `tg_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function wrap(c: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(
      sql: string,
      params?: readonly unknown[],
      opts?: QueryOptions,
    ): Promise<QueryResult<T>> {
      const r = await runQuery(
        c,
        sql,
        params as unknown[] | undefined,
        types,
        opts?.prepare ? statementName(sql) : undefined,
      );
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  };
}

export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // Fail fast on a wrong URL rather than on the first request.
  await pool.query('SELECT 1');
  const base = wrap(pool);
  return {
    kind: 'postgres',
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async copyRows(table, columns, rows) {
      const client = await pool.connect();
      let count = 0;
      try {
        const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
        const lines = function* () {
          let buf = '';
          for (const row of rows) {
            buf += row.map(copyText).join('\t') + '\n';
            count++;
            if (buf.length > 1 << 16) {
              yield buf;
              buf = '';
            }
          }
          if (buf) yield buf;
        };
        await pipeline(Readable.from(lines()), sink);
        return count;
      } finally {
        client.release();
      }
    },
    listen: (channel, fn) => listenOn(url, channel, fn),
    close: () => pool.end(),
  };
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries). When it
 * drops, `fn('lost')`, and it reconnects every second until it listens again (`fn('ready')`).
 */
async function listenOn(
  url: string,
  channel: string,
  fn: (event: ListenEvent) => void,
): Promise<() => Promise<void>> {
  if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const again = () => {
    // Unref'd: a listener waiting to reconnect does not keep a finished process alive.
    retry = setTimeout(() => void connect(false).catch(() => undefined), 1000).unref();
  };
  const connect = async (first: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: url, types });
    c.on('notification', (m) => {
      if (m.channel === channel) fn('notify');
    });
    // An 'end' follows every error; reconnecting is done there once.
    c.on('error', () => undefined);
    c.on('end', () => {
      if (client !== c || stopped) return;
      client = null;
      fn('lost');
      again();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (e) {
      await c.end().catch(() => undefined);
      // The first attempt reports to the caller; later ones keep trying.
      if (first) throw e;
      if (!stopped) again();
      return;
    }
    if (stopped) {
      await c.end();
      return;
    }
    client = c;
    fn('ready');
  };
  await connect(true);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end();
  };
}
