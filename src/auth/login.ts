/**
 * Signing in, out and changing one's password. Five wrong passwords in a row lock the account
 * for fifteen minutes. Every failure answers the same way (unknown user, wrong password, locked,
 * disabled) and takes the same time, so the answer does not tell an attacker which usernames
 * exist; the audit log and the account record tell the administrator what happened.
 */
import type { Db } from '../db/db.ts';
import { TriguardError, unprocessable } from '../kernel/errors.ts';
import { appendAudit, recordAudit } from '../audit/index.ts';
import { actorOf, toView, userColumns, type AccountView, type UserRow } from './accounts.ts';
import {
  burnPasswordCheck,
  checkPasswordStrength,
  hashPassword,
  verifyPassword,
} from './password.ts';
import {
  createSession,
  revokeSession,
  revokeUserSessions,
  SESSION_TTL_MS,
  type SessionKind,
} from './sessions.ts';
import type { Actor } from '../kernel/access/actor.ts';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

/** Login failed: answered 401 by the routes, with no hint of why. */
export class LoginFailed extends TriguardError {
  constructor() {
    super('invalid', 'auth.login_failed', 'password', {
      zh: `用户名或密码错误；连续 ${MAX_FAILURES} 次错误将锁定 ${LOCK_MINUTES} 分钟`,
      en: `wrong username or password; ${MAX_FAILURES} failures in a row lock the account for ${LOCK_MINUTES} minutes`,
    });
  }
}

export interface LoggedIn {
  account: AccountView;
  secret: string;
  expiresAt: string;
}

export async function login(
  db: Db,
  input: { username: string; password: string; kind: SessionKind; origin: string | null },
): Promise<LoggedIn> {
  const found = await db.query<UserRow & { locked: boolean }>(
    `SELECT ${userColumns()}, coalesce(locked_until > now(), false) AS locked
       FROM app_user WHERE username = $1`,
    [input.username],
  );
  const row = found.rows[0];
  if (!row || row.disabled_at !== null) {
    await burnPasswordCheck(input.password);
    throw new LoginFailed();
  }
  const actor = actorOf(row, input.origin);
  if (row.locked) {
    await burnPasswordCheck(input.password);
    await recordAudit(db, {
      actor,
      action: 'auth.session.login_refused',
      entity: 'user',
      entityId: row.user_id,
      after: { lockedUntil: row.locked_until },
    });
    throw new LoginFailed();
  }
  if (!(await verifyPassword(input.password, row.password_hash))) {
    await recordFailure(db, actor, row.user_id);
    throw new LoginFailed();
  }
  return db.transaction(async (tx) => {
    await tx.query(
      'UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE user_id = $1',
      [row.user_id],
    );
    const s = await createSession(tx, {
      userId: row.user_id,
      kind: input.kind,
      origin: input.origin,
      ttlMs: SESSION_TTL_MS,
    });
    await appendAudit(tx, {
      actor,
      action: 'auth.session.login',
      entity: 'user',
      entityId: row.user_id,
      after: { kind: input.kind, expiresAt: s.expiresAt },
    });
    return { account: toView(row), secret: s.secret, expiresAt: s.expiresAt };
  });
}

/** Counts a failure; the fifth in a row locks the account and starts counting again. */
async function recordFailure(db: Db, actor: Actor, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const r = await tx.query<{ locked: boolean }>(
      `UPDATE app_user
          SET locked_until = CASE WHEN failed_logins + 1 >= $2
                THEN now() + make_interval(mins => $3) ELSE locked_until END,
              failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END
        WHERE user_id = $1
        RETURNING coalesce(locked_until > now(), false) AS locked`,
      [userId, MAX_FAILURES, LOCK_MINUTES],
    );
    await appendAudit(tx, {
      actor,
      action: r.rows[0]?.locked ? 'auth.user.lock' : 'auth.session.login_failed',
      entity: 'user',
      entityId: userId,
    });
  });
}

export async function logout(db: Db, actor: Actor, secret: string): Promise<void> {
  await db.transaction(async (tx) => {
    await revokeSession(tx, secret);
    await appendAudit(tx, {
      actor,
      action: 'auth.session.logout',
      entity: 'user',
      entityId: actor.id,
    });
  });
}

/**
 * Replaces the actor's password after checking the current one; clears the forced change and
 * signs out every other session of the account.
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  secret: string,
  input: { currentPassword: string; newPassword: string },
): Promise<AccountView> {
  const r = await db.query<UserRow>(`SELECT ${userColumns()} FROM app_user WHERE user_id = $1`, [
    actor.id,
  ]);
  const row = r.rows[0];
  if (!row || !(await verifyPassword(input.currentPassword, row.password_hash))) {
    throw unprocessable(
      'auth.current_password_wrong',
      'currentPassword',
      '当前密码不正确',
      'the current password is wrong',
    );
  }
  checkPasswordStrength(input.newPassword, row.username);
  if (input.newPassword === input.currentPassword) {
    throw unprocessable(
      'auth.password_unchanged',
      'newPassword',
      '新密码不能与当前密码相同',
      'the new password must differ from the current one',
    );
  }
  const hash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    const u = await tx.query<UserRow>(
      `UPDATE app_user SET password_hash = $2, must_change_password = false,
         password_changed_at = now() WHERE user_id = $1 RETURNING ${userColumns()}`,
      [actor.id, hash],
    );
    await revokeUserSessions(tx, actor.id, secret);
    await appendAudit(tx, {
      actor,
      action: 'auth.password.update',
      entity: 'user',
      entityId: actor.id,
    });
    return toView(u.rows[0]!);
  });
}
