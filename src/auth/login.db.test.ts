import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { verifyAudit } from '../app/audit.ts';
import { MAX_FAILURES } from './login.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { createAccount, disableAccount, resetPassword } from './users.ts';
import { helmetHeaders } from '../http/hardening.ts';

const PASSWORD = 'First-Pass-2022';

describeDb('login, sessions and passwords', (ctx) => {
  let app: FastifyInstance;
  let address = 0;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    for (const username of ['clerk', 'locky', 'fresh', 'gone']) {
      await createAccount(ctx.db, SYSTEM_ACTOR, {
        username,
        displayName: username,
        roles: [username === 'fresh' ? 'bureau_admin' : 'bureau_staff'],
        scope: { kind: 'region', regionCode: '370899' },
        password: PASSWORD,
        mustChangePassword: username === 'fresh',
      });
    }
    return () => app.close();
  });

  const login = (username: string, password: string, session?: 'cookie' | 'bearer') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password, ...(session ? { session } : {}) },
      // A new address each time, so only the test about it meets the rate limit.
      remoteAddress: `10.0.${Math.floor(++address / 250)}.${address % 250}`,
    });

  function cookieOf(r: Awaited<ReturnType<typeof login>>): string {
    const c = r.cookies.find((x) => x.name === SESSION_COOKIE);
    if (!c) throw new Error('no session cookie');
    return c.value;
  }

  it('signs in with a cookie session: http-only, SameSite=Strict, and a CSRF token', async () => {
    const r = await login('clerk', PASSWORD);
    expect(r.statusCode).toBe(200);
    const cookie = r.cookies.find((x) => x.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const body = r.json();
    expect(body.account).toMatchObject({ username: 'clerk', roles: ['bureau_staff'] });
    expect(body.token).toBeNull();
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect(r.body).not.toContain('scrypt');

    const me = await app.inject({
      url: '/api/v1/auth/me',
      cookies: { [SESSION_COOKIE]: cookie.value },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().permissions).toContain('registry:person:read');
    expect(me.json().csrfToken).toBe(body.csrfToken);
  });

  it('requires the CSRF token on unsafe requests of a cookie session', async () => {
    const r = await login('clerk', PASSWORD);
    const cookies = { [SESSION_COOKIE]: cookieOf(r) };
    const without = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('auth.csrf');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': r.json().csrfToken },
    });
    expect(right.statusCode).toBe(204);
    // Signed out: the cookie no longer opens anything.
    const after = await app.inject({ url: '/api/v1/auth/me', cookies });
    expect(after.statusCode).toBe(401);
  });

  it('issues bearer tokens that need no CSRF token and are refused as cookies', async () => {
    const r = await login('clerk', PASSWORD, 'bearer');
    const token: string = r.json().token;
    expect(r.cookies).toEqual([]);
    const me = await app.inject({
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBeNull();
    const asCookie = await app.inject({
      url: '/api/v1/auth/me',
      cookies: { [SESSION_COOKIE]: token },
    });
    expect(asCookie.statusCode).toBe(401);
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);
  });

  it('answers 401 without credentials and with a made-up token', async () => {
    expect((await app.inject({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    const r = await app.inject({
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${'a'.repeat(43)}` },
    });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'auth.unauthenticated' });
  });

  it('answers every failure alike: unknown user, wrong password, disabled account', async () => {
    await disableAccount(ctx.db, SYSTEM_ACTOR, 'gone', 'left the bureau');
    for (const [u, p] of [
      ['nobody', PASSWORD],
      ['clerk', 'wrong-password'],
      ['gone', PASSWORD],
    ] as const) {
      const r = await login(u, p);
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('auth.login_failed');
      expect(r.json().message.zh).toMatch(/用户名或密码错误/);
    }
  });

  it(`locks an account after ${MAX_FAILURES} failures in a row, even for the right password`, async () => {
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      expect((await login('locky', 'wrong-password')).statusCode).toBe(401);
    }
    // One short of the limit: the right password still works and resets the count.
    expect((await login('locky', PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect((await login('locky', 'wrong-password')).statusCode).toBe(401);
    }
    const locked = await login('locky', PASSWORD);
    expect(locked.statusCode).toBe(401);
    const row = await ctx.db.query<{ locked: boolean }>(
      "SELECT locked_until > now() AS locked FROM app_user WHERE username = 'locky'",
    );
    expect(row.rows[0]!.locked).toBe(true);
    const actions = await ctx.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action IN ('auth.user.lock', 'auth.session.login_refused')",
    );
    expect(actions.rows.map((a) => a.action).sort()).toEqual([
      'auth.session.login_refused',
      'auth.user.lock',
    ]);
    // An administrator's reset unlocks it, with a temporary password that must be changed.
    const reset = await resetPassword(ctx.db, SYSTEM_ACTOR, 'locky', 'locked out');
    expect((await login('locky', reset.password)).statusCode).toBe(200);
  });

  it('forces the first password to be changed before anything else', async () => {
    const r = await login('fresh', PASSWORD, 'bearer');
    expect(r.json().account.mustChangePassword).toBe(true);
    const headers = { authorization: `Bearer ${r.json().token}` };
    const blocked = await app.inject({ url: '/api/v1/audit/verify', headers });
    // An administrator holds audit:entry:read, but not before replacing the first password.
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('auth.password_change_required');
    expect((await app.inject({ url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    const elsewhere = await login('fresh', PASSWORD, 'bearer');
    const otherSession = { authorization: `Bearer ${elsewhere.json().token}` };
    const weak = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({ code: 'auth.password_weak', field: 'newPassword' });
    const wrongCurrent = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { currentPassword: 'nope', newPassword: 'Second-Pass-2022' },
    });
    expect(wrongCurrent.json()).toMatchObject({ code: 'auth.current_password_wrong' });
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { currentPassword: PASSWORD, newPassword: 'Second-Pass-2022' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().account.mustChangePassword).toBe(false);
    expect((await login('fresh', PASSWORD)).statusCode).toBe(401);
    const again = await login('fresh', 'Second-Pass-2022', 'bearer');
    const headers2 = { authorization: `Bearer ${again.json().token}` };
    expect((await app.inject({ url: '/api/v1/audit/verify', headers: headers2 })).statusCode).toBe(
      200,
    );
    // Changing the password kept this session and signed out the other one.
    expect((await app.inject({ url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: otherSession })).statusCode).toBe(
      401,
    );
  });

  it('refuses unknown fields in the login body', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'clerk', password: PASSWORD, admin: true },
    });
    expect(r.statusCode).toBe(400);
  });

  it('limits login attempts per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'x' },
        remoteAddress: '192.0.2.1',
      });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });

  it('sends security headers', async () => {
    const r = await app.inject({ url: '/healthz' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBeTruthy();
    expect(r.headers['strict-transport-security']).toBeTruthy();
    // Every header helmet's defaults set, as helmet sets it (they are read from it once).
    const helmets = helmetHeaders();
    expect(helmets.length).toBeGreaterThanOrEqual(10);
    for (const [name, value] of helmets) expect(r.headers[name]).toBe(value);
  });

  it('audited every sign-in, failure and password change in an intact chain', async () => {
    const r = await ctx.db.query<{ action: string }>('SELECT DISTINCT action FROM audit_log');
    expect(r.rows.map((x) => x.action)).toEqual(
      expect.arrayContaining([
        'auth.session.login',
        'auth.session.login_failed',
        'auth.session.logout',
        'auth.password.update',
        'auth.user.reset',
        'auth.user.disable',
      ]),
    );
    expect((await verifyAudit(ctx.db)).ok).toBe(true);
  });
});
