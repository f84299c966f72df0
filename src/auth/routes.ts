/**
 * Signing in and out, the signed-in account, and changing its password.
 *   POST /api/v1/auth/login     public, rate-limited; a cookie session (web) or a bearer token
 *   POST /api/v1/auth/logout    ends the session presenting it
 *   POST /api/v1/auth/password  replaces the password (required after the first sign-in)
 *   GET  /api/v1/auth/me        the account, its permissions and the CSRF token of a cookie session
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { actorOf } from '../http/actor.ts';
import { notFound } from '../kernel/errors.ts';
import { accountViewSchema, toView, userColumns, type UserRow } from './accounts.ts';
import { LOGIN_RATE_LIMIT } from '../http/hardening.ts';
import { changePassword, login, LoginFailed, logout } from './login.ts';
import { deny } from './plugin.ts';
import { csrfTokenFor, SESSION_COOKIE } from './sessions.ts';

const tags = ['auth'];

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** `cookie` for the web app (default), `bearer` for a script that signs in with a password. */
  session: z.enum(['cookie', 'bearer']).default('cookie'),
});

const loginAnswer = z.object({
  account: accountViewSchema,
  expiresAt: z.string(),
  /** Send as the x-csrf-token header on every POST/PUT/PATCH/DELETE of a cookie session. */
  csrfToken: z.string().nullable(),
  /** The bearer token (session `bearer` only); shown once. */
  token: z.string().nullable(),
});

const passwordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const authRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/v1/auth/login',
      {
        config: { public: true, rateLimit: LOGIN_RATE_LIMIT },
        bodyLimit: 4096,
        schema: {
          tags,
          summary: '登录 / sign in',
          body: loginBody,
          response: { 200: loginAnswer },
        },
      },
      async (request, reply) => {
        const { username, password, session } = request.body;
        try {
          const s = await login(db, { username, password, kind: session, origin: request.ip });
          if (session === 'cookie') {
            reply.setCookie(SESSION_COOKIE, s.secret, {
              httpOnly: true,
              sameSite: 'strict',
              secure: 'auto',
              path: '/',
              expires: new Date(s.expiresAt),
            });
          }
          return {
            account: s.account,
            expiresAt: s.expiresAt,
            csrfToken: session === 'cookie' ? csrfTokenFor(s.secret) : null,
            token: session === 'bearer' ? s.secret : null,
          };
        } catch (e) {
          if (e instanceof LoginFailed) {
            return deny(reply, 401, e.code, e.messages.zh, e.messages.en);
          }
          throw e;
        }
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { permission: 'auth:session:delete' },
        bodyLimit: 1024,
        schema: { tags, summary: '退出登录 / sign out', response: { 204: z.null() } },
      },
      async (request, reply) => {
        await logout(db, actorOf(request), request.authSession!.secret);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/auth/password',
      {
        config: { permission: 'auth:password:update' },
        bodyLimit: 4096,
        schema: {
          tags,
          summary:
            '修改密码（首次登录必须修改）/ change the password (required after the first sign-in)',
          body: passwordBody,
          response: { 200: z.object({ account: accountViewSchema }) },
        },
      },
      async (request) => ({
        account: await changePassword(
          db,
          actorOf(request),
          request.authSession!.secret,
          request.body,
        ),
      }),
    );

    app.get(
      '/api/v1/auth/me',
      {
        config: { permission: 'auth:session:read' },
        schema: {
          tags,
          summary: '当前账号 / the signed-in account',
          response: {
            200: z.object({
              account: accountViewSchema,
              permissions: z.array(z.string()),
              csrfToken: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const r = await db.query<UserRow>(
          `SELECT ${userColumns()} FROM app_user WHERE user_id = $1`,
          [actor.id],
        );
        const row = r.rows[0];
        if (!row) throw notFound('auth.user_not_found', null, '账号不存在', 'no such account');
        const s = request.authSession!;
        return {
          account: toView(row),
          permissions: [...actor.permissions].sort(),
          csrfToken: s.kind === 'cookie' ? csrfTokenFor(s.secret) : null,
        };
      },
    );
  };
