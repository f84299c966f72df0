/**
 * An account as stored (`app_user`), as shown (AccountView, never the hash) and as it acts (Actor).
 */
import { z } from 'zod';
import { permissionsOf, ROLES, type Permission } from '../kernel/access/roles.ts';
import type { Actor, DataScope } from '../kernel/access/actor.ts';

export interface UserRow {
  user_id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  scope_kind: 'region' | 'institution' | 'department';
  region_code: string;
  fixmedins_code: string | null;
  department: string | null;
  must_change_password: boolean;
  failed_logins: number;
  locked_until: string | null;
  disabled_at: string | null;
}

const USER_COLUMN_NAMES = [
  'user_id',
  'username',
  'display_name',
  'password_hash',
  'roles',
  'scope_kind',
  'region_code',
  'fixmedins_code',
  'department',
  'must_change_password',
  'failed_logins',
  'locked_until',
  'disabled_at',
] as const;

/** The `app_user` columns a UserRow holds, optionally qualified by a table alias. */
export const userColumns = (alias?: string): string =>
  USER_COLUMN_NAMES.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');

/** An account's own data scope: never `system`, which only jobs and the CLI hold. */
export type AccountScope = Exclude<DataScope, { kind: 'system' }>;

/** County 370899, township 370899001 or village 370899001001. */
export const regionCodeSchema = z
  .string()
  .regex(/^\d{6}(\d{3}){0,2}$/, 'a county (6), township (9) or village (12) digit region code');

export const accountScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('region'), regionCode: regionCodeSchema }),
  z.strictObject({
    kind: z.literal('institution'),
    fixmedinsCode: z.string().regex(/^[A-Za-z0-9]{1,32}$/),
    regionCode: regionCodeSchema,
  }),
  z.strictObject({
    kind: z.literal('department'),
    department: z.string().regex(/^[a-z_]{2,40}$/),
    regionCode: regionCodeSchema,
  }),
]);

export const accountViewSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  scope: accountScopeSchema,
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

export function scopeOf(row: UserRow): AccountScope {
  switch (row.scope_kind) {
    case 'region':
      return { kind: 'region', regionCode: row.region_code };
    case 'institution':
      return {
        kind: 'institution',
        fixmedinsCode: row.fixmedins_code ?? '',
        regionCode: row.region_code,
      };
    case 'department':
      return { kind: 'department', department: row.department ?? '', regionCode: row.region_code };
    default: {
      const never: never = row.scope_kind;
      throw new Error(`unknown scope kind ${String(never)}`);
    }
  }
}

const knownRoles = (roles: readonly string[]) =>
  roles.filter((r): r is (typeof ROLES)[number] => (ROLES as readonly string[]).includes(r));

export function toView(row: UserRow): AccountView {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    roles: knownRoles(row.roles),
    scope: scopeOf(row),
    mustChangePassword: row.must_change_password,
    disabled: row.disabled_at !== null,
    lockedUntil: row.locked_until,
  };
}

/** What an account may do before it has replaced its first (or reset) password. */
export const PENDING_PASSWORD_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'auth:session:read',
  'auth:session:delete',
  'auth:password:update',
]);

export function actorOf(row: UserRow, origin: string | null): Actor {
  return {
    id: row.user_id,
    name: row.display_name,
    roles: [...row.roles],
    permissions: permissionsOf(row.roles),
    scope: scopeOf(row),
    origin,
  };
}
