import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installHardening } from './hardening.ts';

describe('the U+0000 check every request passes', () => {
  const app = Fastify();
  beforeAll(async () => {
    await installHardening(app);
    app.post('/echo/:id', async (request) => ({ ok: true, body: request.body }));
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: unknown, url = '/echo/1') =>
    app.inject({ method: 'POST', url, payload: payload as object });

  it('lets a request without U+0000 through untouched, arrays and nesting included', async () => {
    const body = { bill: { lines: [{ amount: 120, class: 'A' }, 'x'], note: '住院' }, n: null };
    const r = await post(body);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ok: true, body });
  });

  it.each([
    [{ bill: { lines: [{ amount: 1, class: 'A\u0000' }] } }, '/echo/1', 'bill.lines.0.class'],
    [{ name: 'a\u0000b' }, '/echo/1', 'name'],
    [{ ok: 'yes' }, '/echo/1?q=%00', 'q'],
    [{ ok: 'yes' }, '/echo/a%00b', 'id'],
  ])('refuses %j at %s naming the field', async (payload, url, field) => {
    const r = await post(payload, url);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'request.invalid_text', field });
    expect(r.json().message.en).toContain(`${field} holds characters that cannot be stored`);
  });

  it('refuses a body that is itself a string holding U+0000, naming the body', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/echo/1',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify('a\u0000'),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: 'body' });
  });

  it('keeps refusing prototype and constructor poisoning, as Fastify’s own parser does', async () => {
    for (const payload of ['{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const r = await app.inject({
        method: 'POST',
        url: '/echo/1',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(r.statusCode).toBe(400);
    }
  });
});
