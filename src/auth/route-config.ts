/**
 * What every route declares: the permission it needs, or that it is public. The auth plugin
 * refuses a request to a route that declares neither (deny by default).
 *
 *   app.get('/api/v1/persons/:certno', { config: { permission: 'registry:person:read' } }, …)
 *   app.get('/healthz', { config: { public: true } }, …)
 */
import type { FastifyContextConfig } from 'fastify';
import { isPermission, type Permission } from '../kernel/access/roles.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission code a caller needs (`module:entity:action`). */
    permission?: Permission;
    /** Reachable without signing in: health, API docs, login. */
    public?: boolean;
  }
}

export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'permission'; permission: Permission }
  | { kind: 'undeclared'; why: string };

/** Reads a route's declaration; both or neither, or an unknown code, is `undeclared`. */
export function routeAccess(config: FastifyContextConfig | undefined): RouteAccess {
  const permission: unknown = config?.permission;
  const isPublic = config?.public === true;
  if (isPublic && permission !== undefined) {
    return { kind: 'undeclared', why: 'declares both public and a permission' };
  }
  if (isPublic) return { kind: 'public' };
  if (permission === undefined) return { kind: 'undeclared', why: 'declares no permission' };
  if (typeof permission !== 'string' || !isPermission(permission)) {
    return { kind: 'undeclared', why: `unknown permission ${String(permission)}` };
  }
  return { kind: 'permission', permission };
}
