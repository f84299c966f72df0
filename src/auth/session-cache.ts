/**
 * A short-lived, in-process cache of resolved sessions (see resolveSessionCached). Every
 * authenticated request resolved its session with a query; on the settlement path that was one
 * round trip in three. Entries live SESSION_CACHE_MS; any sign-out, password change, reset or
 * disable in this process empties the cache at once (they are rare), so whoever makes the change
 * never sees a stale answer. A revocation made by another server process is seen here within
 * SESSION_CACHE_MS.
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

/** Forgets every cached session (called by every change that can end or alter a session). */
export function forgetSessions(): void {
  generation++;
  entries.clear();
}

/** Bumped by forgetSessions: a read begun before a bump must not be remembered after it. */
export const sessionGeneration = (): number => generation;

export function cachedSession(key: string, now: number): UserRow | null {
  const hit = entries.get(key);
  return hit && hit.until > now ? hit.row : null;
}

/** Remembers a row read in generation `readIn`, unless the cache was emptied since. */
export function rememberSession(key: string, row: UserRow, readIn: number, now: number): void {
  if (readIn !== generation) return;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { row, until: now + SESSION_CACHE_MS });
}
