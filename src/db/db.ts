/**
 * The one database interface. Only `src/db/` and repositories touch SQL. Two adapters speak the
 * same PostgreSQL dialect: PGlite (embedded WASM Postgres: in memory for tests, a folder under
 * ./data for `npm start`) and node-postgres when DATABASE_URL is set (production).
 *
 * Both adapters return int8 as a JS number (amounts are fen, well inside 2^53), and date and
 * timestamp columns as their ISO text, so results are identical whichever runs underneath.
 */
export interface QueryResult<T> {
  rows: T[];
  /** The rows the statement changed or, for a SELECT, returned (PostgreSQL's command tag). */
  rowCount: number;
}

export interface Queryable {
  /**
   * One parameterised statement ($1, $2…). `prepare` keeps it parsed and planned on each
   * connection (PostgreSQL), for the few statements on hot paths whose text never varies.
   */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    opts?: QueryOptions,
  ): Promise<QueryResult<T>>;
  /** Several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export interface QueryOptions {
  prepare?: boolean;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Bulk-loads rows with COPY FROM STDIN (text format) where the driver can stream it; the
   * fallback is multi-row INSERTs. Values are written as given; null becomes \N.
   */
  copyRows(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly unknown[]>,
  ): Promise<number>;
  /**
   * Calls `fn` for every NOTIFY on `channel` (a lower-case word), and with 'lost' when the
   * connection that listens drops (notices may be missed until it is back: 'ready'). Resolves
   * once listening; the function it returns stops.
   */
  listen(channel: string, fn: (event: ListenEvent) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type ListenEvent = 'notify' | 'lost' | 'ready';

/** OIDs whose text form we keep (dates) or turn into numbers (int8). */
export const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

/** Escapes one value for COPY text format. */
export function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  const s = v instanceof Date ? v.toISOString() : String(v);
  // Most values hold nothing to escape: one test instead of four replaces (bulk loads write
  // tens of millions of values).
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPED, (c) => ESCAPES[c]!) : s;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The SQLSTATE of a database error (both drivers put it on `code`), or null. */
export function sqlState(e: unknown): string | null {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** A unique key refused the row (a concurrent writer inserted the same key first). */
export const isUniqueViolation = (e: unknown): boolean => sqlState(e) === '23505';
