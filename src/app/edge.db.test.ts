/**
 * The edge of every route: text that cannot be stored as sent, bytes that are not UTF-8, URLs and
 * bodies Fastify refuses, numbers past their column, and the headers every API answer carries.
 * Each refusal is a 4xx in the documented shape — or, on the national gateway, its envelope.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from './http.ts';
import {
  bearer,
  createRoleAccounts,
  PEOPLE,
  seedPeople,
  TEST_INSTITUTION,
} from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';

const shaped = (body: unknown) =>
  expect(body).toMatchObject({
    code: expect.any(String),
    message: { zh: expect.any(String), en: expect.any(String) },
  });

describeDb('the HTTP edge', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent', trustProxy: '127.0.0.1' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    return () => app.close();
  });

  const cancelWith = async (payload: string, contentType = 'application/json') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/settlements/1/cancel',
      headers: { ...(await bearer(ctx.db, ids.bureau_staff)), 'content-type': contentType },
      payload,
    });

  it('refuses a lone surrogate or U+0000 in a value or a key, naming the field', async () => {
    const lone = await cancelWith('{"msgid":"m-1","reason":"bad \\ud800 text"}');
    expect(lone.statusCode).toBe(400);
    expect(lone.json()).toMatchObject({ code: 'request.invalid_text', field: 'reason' });
    const nul = await cancelWith('{"msgid":"m-1","reason":"a\\u0000b"}');
    expect(nul.json()).toMatchObject({ code: 'request.invalid_text', field: 'reason' });
    const key = await cancelWith('{"msgid":"m-1","reason":"ok","x\\udc00":1}');
    expect(key.statusCode).toBe(400);
    expect(key.json().code).toBe('request.invalid_text');
    // A well-formed pair is ordinary text.
    const pair = await cancelWith('{"msgid":"m-1","reason":"😀"}');
    expect(pair.json().code).not.toBe('request.invalid_text');
  });

  it('refuses a body whose bytes are not UTF-8 instead of storing U+FFFD', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements/1/cancel',
      headers: { ...(await bearer(ctx.db, ids.bureau_staff)), 'content-type': 'application/json' },
      payload: Buffer.concat([
        Buffer.from('{"msgid":"m-1","reason":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'request.invalid_utf8' });
  });

  it('answers the gateway in the national envelope, before the handler and before sign-in', async () => {
    const envelope = (input: string) =>
      `{"infno":"2201","msgid":"g-1","fixmedins_code":"${TEST_INSTITUTION}","input":${input}}`;
    const r = await app.inject({
      method: 'POST',
      url: '/fsi/api/rsfComIfsService/callService',
      headers: {
        ...(await bearer(ctx.db, ids.designated_institution)),
        'content-type': 'application/json',
      },
      payload: envelope('{"data":{"ipt_otp_no":"\\ud800"}}'),
    });
    expect(r.json()).toMatchObject({ infcode: -1, output: null });
    expect(r.json().err_msg).toContain('input.data.ipt_otp_no');
    const unsigned = await app.inject({
      method: 'POST',
      url: '/fsi/api/rsfComIfsService/callService',
      headers: { 'content-type': 'application/json' },
      payload: envelope('{}'),
    });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json()).toMatchObject({ infcode: -1, err_msg: '请先登录' });
    const broken = await app.inject({
      method: 'POST',
      url: '/fsi/api/rsfComIfsService/callService',
      headers: {
        ...(await bearer(ctx.db, ids.designated_institution)),
        'content-type': 'application/json',
      },
      payload: '{"infno":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ infcode: -1 });
  });

  it('answers Fastify refusals in the documented shape', async () => {
    const headers = await bearer(ctx.db, ids.bureau_staff);
    const badUrl = await app.inject({ method: 'GET', url: '/api/v1/persons/%E0%A4%A', headers });
    expect(badUrl.statusCode).toBe(400);
    shaped(badUrl.json());
    const longParam = await app.inject({
      method: 'GET',
      url: `/api/v1/persons/${'1'.repeat(200)}`,
      headers,
    });
    expect(longParam.statusCode).toBeLessThan(500);
    shaped(longParam.json());
    const large = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements/1/cancel',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ msgid: 'm', reason: 'x'.repeat(6 * 1024 * 1024) }),
    });
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ code: 'request.too_large' });
    const json = await cancelWith('{"msgid":');
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'request.invalid_json' });
  });

  it('bounds integers by their column: a pass number past 2^31−1 is a 400', async () => {
    const headers = await bearer(ctx.db, ids.bureau_staff);
    const path = await app.inject({
      url: '/api/v1/reconcile/campaigns/1/passes/2147483648',
      headers,
    });
    expect(path.statusCode).toBe(400);
    shaped(path.json());
    const id = await app.inject({ url: '/api/v1/settlements/99999999999999999999', headers });
    expect(id.statusCode).toBe(400);
  });

  it('marks every API answer no-store', async () => {
    const r = await app.inject({
      url: `/api/v1/persons/${PEOPLE.own}`,
      headers: await bearer(ctx.db, ids.bureau_staff),
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const refused = await app.inject({ url: '/api/v1/persons/1' });
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('sets a Secure, SameSite=Strict session cookie when the trusted proxy says HTTPS', async () => {
    const login = (proto?: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: proto ? { 'x-forwarded-proto': proto } : {},
        payload: { username: 't_bureau_staff', password: 'Correct-Horse-9', session: 'cookie' },
      });
    const https = String((await login('https')).headers['set-cookie']);
    expect(https).toMatch(/; Secure/);
    expect(https).toMatch(/SameSite=Strict/);
    const plain = String((await login()).headers['set-cookie']);
    expect(plain).not.toMatch(/; Secure/);
    expect(plain).toMatch(/SameSite=Strict/);
  });
});
