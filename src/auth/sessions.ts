/**
 * Sessions: an http-only cookie for the web app, a bearer token for machine clients. The secret
 * goes to the client once; the database keeps only its SHA-256, so a leaked table cannot be
 * replayed. A cookie session's CSRF token is derived from its secret (HMAC), so it needs no
 * storage and dies with the session.
 */
import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import { userColumns, type UserRow } from './accounts.ts';
import {
  cachedSession,
  forgetSessions,
  SESSIONS_CHANNEL,
  rememberSession,
  sessionGeneration,
} from './session-cache.ts';

export type SessionKind = 'cookie' | 'bearer';

export const SESSION_COOKIE = 'triguard_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A working day for people; machine tokens choose their own lifetime. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export const newSecret = (): string => randomBytes(32).toString('base64url');
/** Every request's token is hashed to find its session: one-shot, without a Hash object. */
export const secretHash = (secret: string): string => hash('sha256', secret, 'hex');

export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('triguard-csrf').digest('base64url');
}

export function csrfMatches(secret: string, given: string | undefined): boolean {
  if (!given) return false;
  const want = Buffer.from(csrfTokenFor(secret));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface NewSession {
  secret: string;
  expiresAt: string;
}

export async function createSession(
  q: Queryable,
  s: { userId: string; kind: SessionKind; origin: string | null; ttlMs: number; label?: string },
): Promise<NewSession> {
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + s.ttlMs).toISOString();
  await q.query(
    `INSERT INTO auth_session (token_hash, user_id, kind, label, origin, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6::timestamptz)`,
    [secretHash(secret), s.userId, s.kind, s.label ?? null, s.origin, expiresAt],
  );
  return { secret, expiresAt };
}

/** The live session's account: not expired, not revoked, account not disabled. */
export async function resolveSession(
  q: Queryable,
  secret: string,
  kind: SessionKind,
): Promise<UserRow | null> {
  const r = await q.query<UserRow>(
    `SELECT ${userColumns('u')}
       FROM auth_session s JOIN app_user u ON u.user_id = s.user_id
      WHERE s.token_hash = $1 AND s.kind = $2 AND s.revoked_at IS NULL AND s.expires_at > now()
        AND u.disabled_at IS NULL`,
    [secretHash(secret), kind],
  );
  return r.rows[0] ?? null;
}

/** resolveSession, answered from the in-process cache while an entry is fresh (session-cache.ts). */
export async function resolveSessionCached(
  q: Queryable,
  secret: string,
  kind: SessionKind,
): Promise<UserRow | null> {
  const key = `${kind}:${secretHash(secret)}`;
  const now = Date.now();
  const hit = cachedSession(key, now);
  if (hit) return hit;
  const readIn = sessionGeneration();
  const row = await resolveSession(q, secret, kind);
  if (row) rememberSession(key, row, readIn, now);
  return row;
}

export async function revokeSession(q: Queryable, secret: string): Promise<void> {
  forgetSessions();
  await q.query(
    'UPDATE auth_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL',
    [secretHash(secret)],
  );
  await noticeSessions(q);
}

/**
 * Tells every server process to forget its cached sessions. Sent in the caller's transaction, a
 * notice is delivered when it commits — after the change it announces is visible.
 */
async function noticeSessions(q: Queryable): Promise<void> {
  await q.query(`SELECT pg_notify('${SESSIONS_CHANNEL}', '')`);
}

/** Signs the account out everywhere, except (optionally) the session making the change. */
export async function revokeUserSessions(
  q: Queryable,
  userId: string,
  exceptSecret?: string,
): Promise<void> {
  forgetSessions();
  await q.query(
    `UPDATE auth_session SET revoked_at = now()
      WHERE user_id = $1 AND revoked_at IS NULL AND token_hash <> $2`,
    [userId, exceptSecret ? secretHash(exceptSecret) : ''],
  );
  await noticeSessions(q);
}
