import { describe, expect, it } from 'vitest';
import type { UserRow } from './accounts.ts';
import {
  cachedSession,
  forgetSessions,
  rememberSession,
  SESSION_CACHE_MS,
  sessionGeneration,
} from './session-cache.ts';

const row = { user_id: 'u1' } as unknown as UserRow;

describe('the session cache', () => {
  it('answers while fresh and not after SESSION_CACHE_MS', () => {
    forgetSessions();
    rememberSession('k1', row, sessionGeneration(), 1_000);
    expect(cachedSession('k1', 1_000 + SESSION_CACHE_MS - 1)).toBe(row);
    expect(cachedSession('k1', 1_000 + SESSION_CACHE_MS)).toBeNull();
  });

  it('forgets everything on a sign-out, and never remembers a read that began before it', () => {
    rememberSession('k2', row, sessionGeneration(), 0);
    const readIn = sessionGeneration();
    forgetSessions();
    expect(cachedSession('k2', 1)).toBeNull();
    rememberSession('k3', row, readIn, 1);
    expect(cachedSession('k3', 2)).toBeNull();
  });
});
