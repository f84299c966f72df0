/**
 * Route × role matrix over every route registered at test time (so routes added by any module
 * are covered): a role that holds the route's permission gets past authorisation (the answer may
 * still be 400/404/422 for the made-up input), every other role gets 403 auth.forbidden, and a
 * caller without credentials 401.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { registeredRoutes, type RegisteredRoute } from './plugin.ts';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../kernel/access/roles.ts';
import { bearer, createRoleAccounts, PEOPLE, seedPeople } from './testing/accounts.ts';
import { createAccount } from './users.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';

/** A sample value for each path parameter; unknown ones get a harmless word. */
const SAMPLE_PARAMS: Record<string, string> = {
  certno: PEOPLE.own,
  id: '1',
  username: 'matrix_target',
};

export function sampleUrl(url: string, params: Record<string, string> = SAMPLE_PARAMS): string {
  return url
    .replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? 'sample'))
    .replace(/\*$/, 'index.html');
}

function request(route: RegisteredRoute, headers: Record<string, string>): InjectOptions {
  const method = route.method as InjectOptions['method'];
  const withBody = !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(route.method);
  return { method, url: sampleUrl(route.url), headers, ...(withBody ? { payload: {} } : {}) };
}

describeDb('route × role matrix', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  let guarded: { route: RegisteredRoute; permission: string }[];

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    // The account the user-admin routes act on, so the matrix never resets a test account.
    await createAccount(ctx.db, SYSTEM_ACTOR, {
      username: 'matrix_target',
      displayName: 'target',
      roles: ['auditor'],
      scope: { kind: 'region', regionCode: '370899' },
    });
    guarded = registeredRoutes(app).flatMap((route) => {
      const a = route.access();
      return a.kind === 'permission' ? [{ route, permission: a.permission }] : [];
    });
    return () => app.close();
  });

  it('covers the auth routes and those of the other modules', () => {
    const urls = new Set(guarded.map((g) => g.route.url));
    for (const u of ['/api/v1/auth/me', '/api/v1/users', '/api/v1/audit'])
      expect(urls).toContain(u);
    expect(guarded.length).toBeGreaterThanOrEqual(12);
  });

  it('answers 401 to every guarded route without credentials', async () => {
    const wrong: string[] = [];
    for (const { route } of guarded) {
      const r = await app.inject(request(route, {}));
      if (r.statusCode !== 401) wrong.push(`${route.method} ${route.url} → ${r.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(ROLES)('%s: allowed routes pass authorisation, all others answer 403', async (role) => {
    const granted = new Set<string>(ROLE_PERMISSIONS[role]);
    const wrong: string[] = [];
    let allowed = 0;
    for (const { route, permission } of guarded) {
      // A fresh session each time: logout and password routes may end the one they ran on.
      const r = await app.inject(request(route, await bearer(ctx.db, ids[role])));
      const label = `${route.method} ${route.url} (${permission}) → ${r.statusCode}`;
      if (granted.has(permission)) {
        allowed++;
        if (r.statusCode === 401 || r.statusCode === 403 || r.statusCode >= 500) {
          wrong.push(`allowed but ${label} ${r.body.slice(0, 120)}`);
        }
      } else if (
        r.statusCode !== 403 ||
        (route.method !== 'HEAD' &&
          // The gateway refuses in the national envelope; every other route in the shape.
          (route.options.config?.errorAnswer
            ? r.json().infcode !== -1
            : r.json().code !== 'auth.forbidden'))
      ) {
        wrong.push(`refused but ${label}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every role can at least read itself, sign out and change its password.
    expect(allowed).toBeGreaterThanOrEqual(3);
  });

  it('lets allowed calls succeed: auditor reads the log, admin lists accounts, all read themselves', async () => {
    const audit = await app.inject({
      url: '/api/v1/audit',
      headers: await bearer(ctx.db, ids.auditor),
    });
    expect(audit.statusCode).toBe(200);
    expect(audit.json().entries.length).toBeGreaterThan(0);
    const users = await app.inject({
      url: '/api/v1/users',
      headers: await bearer(ctx.db, ids.bureau_admin),
    });
    expect(users.statusCode).toBe(200);
    expect(users.json().users.length).toBe(ROLES.length + 1);
    for (const role of ROLES) {
      const me = await app.inject({
        url: '/api/v1/auth/me',
        headers: await bearer(ctx.db, ids[role]),
      });
      expect(me.statusCode).toBe(200);
      expect(me.json().account.roles).toEqual([role]);
    }
  });
});
