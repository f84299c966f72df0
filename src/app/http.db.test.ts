import { expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from './http.ts';
import { listMigrations } from '../db/migrate.ts';
import { invalid, notFound, conflict, unprocessable } from '../kernel/errors.ts';

describeDb('http app', (ctx) => {
  async function app() {
    const a = await buildApp({ db: ctx.db, logLevel: 'silent' });
    // Routes that exercise the error handler; registered before the app is ready. They are
    // public so the auth hook (deny by default) lets them through.
    const t = a.withTypeProvider<ZodTypeProvider>();
    const open = { config: { public: true } };
    t.get('/test/invalid', open, async () => {
      throw invalid('x.bad', 'x', 'x 无效', 'x is invalid');
    });
    t.get('/test/unprocessable', open, async () => {
      throw unprocessable(
        'x.rule',
        'bills[0].lines[1].overLimit',
        '超限金额大于金额',
        'overLimit above amount',
      );
    });
    t.get('/test/missing', open, async () => {
      throw notFound('person.not_found', 'certno', '查无此人', 'no such person');
    });
    t.get('/test/conflict', open, async () => {
      throw conflict('settlement.cancelled', null, '已撤销', 'already cancelled');
    });
    t.get('/test/crash', open, async () => {
      throw new Error('secret stack detail 11010519491231002X');
    });
    t.post(
      '/test/schema',
      {
        ...open,
        schema: { body: z.object({ bills: z.array(z.object({ amount: z.number().min(0) })) }) },
      },
      async () => ({ ok: true }),
    );
    return a;
  }

  it('answers /healthz with the database kind and migration version', async () => {
    const a = await app();
    const r = await a.inject({ method: 'GET', url: '/healthz' });
    const latest = Math.max(...listMigrations().map((m) => m.version));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', database: ctx.kind, migrationVersion: latest });
    expect(r.headers['x-request-id']).toBeTruthy();
    await a.close();
  });

  it('serves an OpenAPI document listing the routes, and the /docs UI', async () => {
    const a = await app();
    const doc = (await a.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/healthz');
    const ui = await a.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    await a.close();
  });

  it.each([
    ['/test/invalid', 400, 'x.bad', 'x'],
    ['/test/unprocessable', 422, 'x.rule', 'bills[0].lines[1].overLimit'],
    ['/test/missing', 404, 'person.not_found', 'certno'],
    ['/test/conflict', 409, 'settlement.cancelled', null],
    ['/nowhere', 404, 'route.not_found', null],
  ])('maps %s to %i {code, field, message:{zh,en}}', async (url, status, code, field) => {
    const a = await app();
    const r = await a.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(status);
    const body = r.json();
    expect(body).toMatchObject({ code, field });
    expect(body.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(body.message.en).toBeTruthy();
    await a.close();
  });

  it('names the bad field of a schema failure', async () => {
    const a = await app();
    const r = await a.inject({
      method: 'POST',
      url: '/test/schema',
      payload: { bills: [{ amount: 1 }, { amount: -5 }] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'request.invalid', field: 'bills[1].amount' });
    await a.close();
  });

  it('never leaks a stack trace or the error text on a 500', async () => {
    const a = await app();
    const r = await a.inject({ method: 'GET', url: '/test/crash' });
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('secret');
    expect(r.body).not.toContain('at ');
    expect(r.json().code).toBe('internal');
    await a.close();
  });
});
