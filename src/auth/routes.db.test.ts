/**
 * Deny by default: every route registered by any module declares a permission from the table or
 * is one of the few public ones, keeps strict input schemas, and an undeclared route is refused.
 */
import { beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { registeredRoutes } from './plugin.ts';
import { looseObjectPath } from './strict-schema.ts';
import { bearer, createRoleAccounts } from './testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';

/** The only routes anyone may call without signing in. */
// `/*` is the built web app's files (src/http/web.ts, registered when web/dist exists): no data.
const PUBLIC = (url: string) =>
  url === '/healthz' ||
  url === '/docs' ||
  url.startsWith('/docs/') ||
  url === '/api/v1/auth/login' ||
  url === '/*';

describeDb('route declarations', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    // Registered after the domain routes, as a forgetful module would.
    app.get('/api/v1/forgotten', async () => ({ secret: true }));
    app.get(
      '/api/v1/misspelt',
      { config: { permission: 'registry:persons:read' as never } },
      async () => ({
        secret: true,
      }),
    );
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    return () => app.close();
  });

  it('every registered route declares a known permission or is one of the public ones', () => {
    const routes = registeredRoutes(app).filter(
      (r) => !r.url.startsWith('/api/v1/forgotten') && !r.url.startsWith('/api/v1/misspelt'),
    );
    expect(routes.length).toBeGreaterThan(10);
    const offenders = routes
      .map((r) => ({ route: `${r.method} ${r.url}`, access: r.access() }))
      .filter(
        ({ route, access }) =>
          access.kind === 'undeclared' ||
          (access.kind === 'public' && !PUBLIC(route.split(' ')[1]!)),
      );
    expect(offenders).toEqual([]);
  });

  it('finds the undeclared and misspelt routes (the check above can fail)', () => {
    const kinds = registeredRoutes(app)
      .filter((r) => r.url === '/api/v1/forgotten' || r.url === '/api/v1/misspelt')
      .map((r) => r.access().kind);
    expect(kinds).toContain('undeclared');
    expect(kinds.every((k) => k === 'undeclared')).toBe(true);
  });

  it('refuses an undeclared route even to an administrator', async () => {
    const headers = await bearer(ctx.db, ids.bureau_admin);
    for (const url of ['/api/v1/forgotten', '/api/v1/misspelt']) {
      const r = await app.inject({ url, headers });
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('auth.route_undeclared');
      expect(r.body).not.toContain('secret');
    }
  });

  it('tells a loose schema from a strict one (the check below can fail)', () => {
    expect(looseObjectPath(z.object({ a: z.string() }))).toBe('$');
    expect(looseObjectPath(z.strictObject({ a: z.object({ b: z.number() }).optional() }))).toBe(
      '$.a',
    );
    expect(
      looseObjectPath(z.strictObject({ a: z.array(z.strictObject({})) }).default({ a: [] })),
    ).toBeNull();
  });

  it('every route refuses unknown fields in its body, querystring and params', () => {
    const loose: string[] = [];
    for (const r of registeredRoutes(app)) {
      const schema = r.options.schema ?? {};
      for (const part of ['body', 'querystring', 'params'] as const) {
        const at = looseObjectPath(schema[part]);
        if (at) loose.push(`${r.method} ${r.url} ${part} ${at}`);
      }
    }
    expect(loose).toEqual([]);
  });
});
