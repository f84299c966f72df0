/**
 * Malformed input at every registered route (so routes added later are covered): random bodies,
 * broken JSON, odd content types, random path parameters and query strings, signed in as an
 * administrator so the requests get past authorisation into validation and the handlers. Only
 * 4xx answers are acceptable, never a 5xx.
 */
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../http/app.ts';
import { registeredRoutes, type RegisteredRoute } from './plugin.ts';
import { bearer, createRoleAccounts, seedPeople } from './testing.ts';

const RUNS = 40;

/** Keys of a zod object schema (looking through optional/default), to aim at real fields. */
function keysOf(schema: unknown): string[] {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) {
    s = s.def.innerType;
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e309',
    '9'.repeat(30),
    'null',
    '370899196003040071',
    '2022-13-45',
    '0000-01-01',
    '0001-01-01T00:00:00Z',
    "'; DROP TABLE person; --",
  ),
);

function bodyFor(keys: string[]) {
  const value = fc.oneof(fc.anything({ maxDepth: 3 }), text, fc.integer(), fc.double());
  const known = keys.length
    ? fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 })
    : fc.object();
  return fc.oneof(known, fc.anything({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }));
}

function caseFor(route: RegisteredRoute) {
  const schema = route.options.schema ?? {};
  const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const queryKeys = [...keysOf(schema.querystring), 'x'];
  const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
  return fc.record({
    params: fc.tuple(...params.map(() => text)),
    query: fc.dictionary(fc.constantFrom(...queryKeys), text, { maxKeys: 4 }),
    body: hasBody
      ? fc.oneof(
          { weight: 4, arbitrary: bodyFor(keysOf(schema.body)).map((b) => ({ json: b })) },
          { weight: 1, arbitrary: text.map((raw) => ({ raw, type: 'application/json' })) },
          { weight: 1, arbitrary: text.map((raw) => ({ raw, type: 'text/plain' })) },
        )
      : fc.constant(null),
  });
}

describeDb('fuzzing every route', (ctx) => {
  let app: FastifyInstance;
  let admin: string;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    admin = (await createRoleAccounts(ctx.db)).bureau_admin;
    await seedPeople(ctx.db);
    return () => app.close();
  });

  it('answers malformed requests with 4xx, never 5xx', async () => {
    const routes = registeredRoutes(app).filter((r) => !r.url.startsWith('/docs/static'));
    expect(routes.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const route of routes) {
      await fc
        .assert(
          fc.asyncProperty(caseFor(route), async (c) => {
            let i = 0;
            const url = route.url.replace(/:(\w+)/g, () => encodeURIComponent(c.params[i++] ?? ''));
            const opts: InjectOptions = {
              method: route.method as InjectOptions['method'],
              url,
              query: c.query,
              headers: await bearer(ctx.db, admin),
            };
            if (c.body && 'json' in c.body) opts.payload = JSON.stringify(c.body.json ?? null);
            if (c.body && 'json' in c.body) opts.headers!['content-type'] = 'application/json';
            if (c.body && 'raw' in c.body) {
              opts.payload = c.body.raw;
              opts.headers!['content-type'] = c.body.type;
            }
            const r = await app.inject(opts);
            if (r.statusCode >= 500) {
              failures.push(
                `${route.method} ${route.url} ${JSON.stringify(c).slice(0, 300)} → ${r.statusCode}`,
              );
            }
            return r.statusCode < 500;
          }),
          { numRuns: RUNS, endOnFailure: true },
        )
        .catch((e: unknown) => {
          // A failed property is already in `failures`; anything else (a throw) is recorded here.
          const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
          if (!failures.some((f) => f.startsWith(`${route.method} ${route.url} `))) {
            failures.push(`${route.method} ${route.url} threw: ${msg}`);
          }
        });
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
