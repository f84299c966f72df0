/**
 * A short-lived, in-process cache of resolved sessions (see resolveSessionCached). Every
 * authenticated request resolved its session with a query; on the settlement path that was one
 * round trip in three. Entries live SESSION_CACHE_MS; any sign-out, password change, reset or
 * disable empties the cache at once (they are rare) — in this process directly, and in every
 * other server process through the database's notice (SESSIONS_CHANNEL), which each process
 * listens for. While a process cannot listen, it does not cache.
 */
import type { UserRow } from './accounts.ts';

export const SESSION_CACHE_MS = 3_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  row: UserRow;
  until: number;
}

const entries = new Map<string, Entry>();
let generation = 0;

/** The notice every change that ends or alters a session sends to all server processes. */
export const SESSIONS_CHANNEL = 'triguard_sessions';

/** Listeners whose connection is down: a revocation elsewhere could go unheard, so no caching. */
const deaf = new Set<object>();

/**
 * Follows one listener's state (db.listen's events): any notice empties the cache; a lost
 * connection stops caching until it listens again.
 */
export function sessionNotices(listener: object) {
  return (event: 'notify' | 'lost' | 'ready'): void => {
    if (event === 'lost') deaf.add(listener);
    if (event === 'ready') deaf.delete(listener);
    forgetSessions();
  };
}

/** A stopped listener no longer counts. */
export const forgetListener = (listener: object): void => {
  deaf.delete(listener);
};

/** Forgets every cached session (called by every change that can end or alter a session). */
export function forgetSessions(): void {
  generation++;
  entries.clear();
}

/** Bumped by forgetSessions: a read begun before a bump must not be remembered after it. */
export const sessionGeneration = (): number => generation;

export function cachedSession(key: string, now: number): UserRow | null {
  if (deaf.size > 0) return null;
  const hit = entries.get(key);
  return hit && hit.until > now ? hit.row : null;
}

/** Remembers a row read in generation `readIn`, unless the cache was emptied since. */
export function rememberSession(key: string, row: UserRow, readIn: number, now: number): void {
  if (readIn !== generation || deaf.size > 0) return;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { row, until: now + SESSION_CACHE_MS });
}
