/**
 * The auth plugin: one global onRequest hook that every request passes through.
 *   - A route that declares neither `config.public` nor a known `config.permission` is refused
 *     (deny by default), so a route someone forgot to declare is unreachable, not open.
 *   - Otherwise the caller is authenticated by a bearer token (machine clients) or the session
 *     cookie (web app; then unsafe methods also need the session's CSRF token), and must hold the
 *     route's permission. An account that still has to replace its first password may only read
 *     itself, sign out and change the password.
 * It sets `request.actor` for handlers. Install it before any domain route is registered.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import type { Db } from '../db/db.ts';
import '../http/actor.ts';
import { sendError } from '../http/errors.ts';
import { actorOf, PENDING_PASSWORD_PERMISSIONS } from './accounts.ts';
import { routeAccess, type RouteAccess } from './route-config.ts';
import { can } from '../kernel/access/roles.ts';
import { forgetListener, SESSIONS_CHANNEL, sessionNotices } from './session-cache.ts';
import {
  CSRF_HEADER,
  csrfMatches,
  resolveSessionCached,
  SESSION_COOKIE,
  type SessionKind,
} from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session secret and how it came (logout, password change, CSRF token). */
    authSession?: { secret: string; kind: SessionKind };
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function deny(reply: FastifyReply, status: 401 | 403, code: string, zh: string, en: string) {
  return sendError(reply, status, { code, field: null, message: { zh, en } });
}

/** The credentials a request carries: a bearer token wins over the cookie. */
function credentials(request: FastifyRequest): { secret: string; kind: SessionKind } | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(header.trim());
    return m ? { secret: m[1]!, kind: 'bearer' } : null;
  }
  const raw = request.headers.cookie;
  const c = raw ? request.server.parseCookie(raw)[SESSION_COOKIE] : undefined;
  return c && /^[A-Za-z0-9_-]{20,128}$/.test(c) ? { secret: c, kind: 'cookie' } : null;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  /** Read when asked: later onRoute hooks (the docs plugin's) may still change the config. */
  access(): RouteAccess;
  options: RouteOptions;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/**
 * Every route registered on `app` since the auth plugin was installed, with its declaration:
 * the route × role and fuzz tests walk this list, so they cover routes added later by any module.
 */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

export async function installAuth(app: FastifyInstance, opts: { db: Db }): Promise<void> {
  // Other server processes revoke sessions too: their notice empties this process's cache.
  const listener = {};
  const stop = await opts.db.listen(SESSIONS_CHANNEL, sessionNotices(listener));
  app.addHook('onClose', async () => {
    forgetListener(listener);
    // The database may be closed first (tests, shutdown): then there is nothing to stop.
    await stop().catch(() => undefined);
  });

  // Cookies are read here only, and only when no bearer token came: machine clients (hospital
  // systems, the national gateway) send none, so parsing them on every request is left out.
  await app.register(cookie, { hook: false });

  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (options) => {
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    for (const method of methods) {
      routes.push({ method, url: options.url, access: () => routeAccess(options.config), options });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    // Unknown URLs go on to the 404 handler: there is no route to protect.
    if (request.is404) return;
    const access = routeAccess(request.routeOptions.config);
    if (access.kind === 'public') return;
    if (access.kind === 'undeclared') {
      request.log.error({ route: request.routeOptions.url }, `route refused: ${access.why}`);
      return deny(
        reply,
        403,
        'auth.route_undeclared',
        '该接口未声明访问权限，已拒绝',
        'this route declares no permission and is refused',
      );
    }
    const cred = credentials(request);
    const row = cred ? await resolveSessionCached(opts.db, cred.secret, cred.kind) : null;
    if (!cred || !row) {
      return deny(reply, 401, 'auth.unauthenticated', '请先登录', 'sign in first');
    }
    if (cred.kind === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (!csrfMatches(cred.secret, typeof given === 'string' ? given : undefined)) {
        return deny(
          reply,
          403,
          'auth.csrf',
          `缺少或错误的 ${CSRF_HEADER} 请求头`,
          `missing or wrong ${CSRF_HEADER} header`,
        );
      }
    }
    if (row.must_change_password && !PENDING_PASSWORD_PERMISSIONS.has(access.permission)) {
      return deny(
        reply,
        403,
        'auth.password_change_required',
        '请先修改初始密码',
        'change your first password before anything else',
      );
    }
    const actor = actorOf(row, request.ip);
    if (!can(actor, access.permission)) {
      return deny(
        reply,
        403,
        'auth.forbidden',
        `无权限：${access.permission}`,
        `not permitted: ${access.permission}`,
      );
    }
    request.actor = actor;
    request.authSession = cred;
  });
}
