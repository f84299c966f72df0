/**
 * Account administration: create, disable, reset a password, issue a machine token, list. Shared
 * by `triguard user` and the /api/v1/users routes; every change is audited in the same
 * transaction. An administrator manages the accounts of its own region only; others answer 404.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Queryable } from '../db/db.ts';
import { conflict, notFound, unprocessable } from '../kernel/errors.ts';
import { appendAudit } from '../audit/index.ts';
import {
  toView,
  userColumns,
  type AccountScope,
  type AccountView,
  type UserRow,
} from './accounts.ts';
import {
  checkPasswordStrength,
  hashPassword,
  temporaryPassword,
  UNUSABLE_PASSWORD,
} from './password.ts';
import type { Role } from '../kernel/access/roles.ts';
import { createSession, revokeUserSessions } from './sessions.ts';
import type { Actor } from '../kernel/access/actor.ts';

export const usernameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_.-]{2,31}$/,
    '3–32 lower-case letters, digits, _ . -, starting with a letter',
  );

export interface NewAccount {
  username: string;
  displayName: string;
  roles: Role[];
  scope: AccountScope;
  /** The first password; a random one is made when absent. Ignored for machine accounts. */
  password?: string | undefined;
  /** A machine client (hospital system, civil-affairs push): no password, bearer tokens only. */
  machine?: boolean;
  /** False only for the documented demo accounts. */
  mustChangePassword?: boolean;
}

export interface Created {
  account: AccountView;
  /** The first password, to hand to the person once; null for machine accounts. */
  password: string | null;
}

/** The region an actor administers: '' (everything) for the system actor. */
const adminRegion = (actor: Actor): string =>
  actor.scope.kind === 'system' ? '' : actor.scope.regionCode;

async function findManaged(q: Queryable, actor: Actor, username: string): Promise<UserRow> {
  const r = await q.query<UserRow>(
    `SELECT ${userColumns()} FROM app_user WHERE username = $1 AND region_code LIKE $2 || '%'
      FOR UPDATE`,
    [username, adminRegion(actor)],
  );
  const row = r.rows[0];
  if (!row) {
    throw notFound(
      'auth.user_not_found',
      'username',
      `没有账号 ${username}`,
      `no account ${username}`,
    );
  }
  return row;
}

export async function createAccount(db: Db, actor: Actor, input: NewAccount): Promise<Created> {
  if (!input.scope.regionCode.startsWith(adminRegion(actor))) {
    throw unprocessable(
      'auth.region_outside_scope',
      'scope.regionCode',
      `不能在本辖区以外创建账号：${input.scope.regionCode}`,
      `cannot create an account outside your region: ${input.scope.regionCode}`,
    );
  }
  const password = input.machine ? null : (input.password ?? temporaryPassword());
  if (password !== null) checkPasswordStrength(password, input.username, 'password');
  const hash = password === null ? UNUSABLE_PASSWORD : await hashPassword(password);
  return db.transaction(async (tx) => {
    const taken = await tx.query('SELECT 1 FROM app_user WHERE username = $1', [input.username]);
    if (taken.rows.length > 0) {
      throw conflict(
        'auth.username_taken',
        'username',
        `用户名 ${input.username} 已存在`,
        `username ${input.username} is taken`,
      );
    }
    const s = input.scope;
    const r = await tx.query<UserRow>(
      `INSERT INTO app_user (user_id, username, display_name, password_hash, roles, scope_kind,
         region_code, fixmedins_code, department, must_change_password)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10) RETURNING ${userColumns()}`,
      [
        randomUUID(),
        input.username,
        input.displayName,
        hash,
        input.roles,
        s.kind,
        s.regionCode,
        s.kind === 'institution' ? s.fixmedinsCode : null,
        s.kind === 'department' ? s.department : null,
        !input.machine && (input.mustChangePassword ?? true),
      ],
    );
    const account = toView(r.rows[0]!);
    await appendAudit(tx, {
      actor,
      action: 'auth.user.create',
      entity: 'user',
      entityId: account.userId,
      after: { ...account, machine: input.machine ?? false },
    });
    return { account, password };
  });
}

export async function disableAccount(
  db: Db,
  actor: Actor,
  username: string,
  reason: string,
): Promise<AccountView> {
  return db.transaction(async (tx) => {
    const row = await findManaged(tx, actor, username);
    const r = await tx.query<UserRow>(
      `UPDATE app_user SET disabled_at = coalesce(disabled_at, now()) WHERE user_id = $1
       RETURNING ${userColumns()}`,
      [row.user_id],
    );
    await revokeUserSessions(tx, row.user_id);
    const after = toView(r.rows[0]!);
    await appendAudit(tx, {
      actor,
      action: 'auth.user.disable',
      entity: 'user',
      entityId: row.user_id,
      before: toView(row),
      after,
      reason,
    });
    return after;
  });
}

/** Sets a new temporary password that must be changed at the next sign-in; unlocks the account. */
export async function resetPassword(
  db: Db,
  actor: Actor,
  username: string,
  reason: string | null,
): Promise<{ account: AccountView; password: string }> {
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const row = await findManaged(tx, actor, username);
    const r = await tx.query<UserRow>(
      `UPDATE app_user SET password_hash = $2, must_change_password = true, failed_logins = 0,
         locked_until = NULL, password_changed_at = now()
       WHERE user_id = $1 RETURNING ${userColumns()}`,
      [row.user_id, hash],
    );
    await revokeUserSessions(tx, row.user_id);
    const account = toView(r.rows[0]!);
    await appendAudit(tx, {
      actor,
      action: 'auth.user.reset',
      entity: 'user',
      entityId: row.user_id,
      before: toView(row),
      after: account,
      reason,
    });
    return { account, password };
  });
}

/** A bearer token for a machine client; shown once, stored only as its hash. */
export async function issueToken(
  db: Db,
  actor: Actor,
  username: string,
  days: number,
  label: string,
): Promise<{ token: string; expiresAt: string }> {
  return db.transaction(async (tx) => {
    const row = await findManaged(tx, actor, username);
    if (row.disabled_at !== null) {
      throw conflict(
        'auth.user_disabled',
        'username',
        `账号 ${username} 已停用`,
        `account ${username} is disabled`,
      );
    }
    const s = await createSession(tx, {
      userId: row.user_id,
      kind: 'bearer',
      origin: actor.origin,
      ttlMs: days * 24 * 60 * 60 * 1000,
      label,
    });
    await appendAudit(tx, {
      actor,
      action: 'auth.token.create',
      entity: 'user',
      entityId: row.user_id,
      after: { label, expiresAt: s.expiresAt },
    });
    return { token: s.secret, expiresAt: s.expiresAt };
  });
}

export async function listAccounts(q: Queryable, actor: Actor): Promise<AccountView[]> {
  const r = await q.query<UserRow>(
    `SELECT ${userColumns()} FROM app_user WHERE region_code LIKE $1 || '%' ORDER BY username`,
    [adminRegion(actor)],
  );
  return r.rows.map(toView);
}
