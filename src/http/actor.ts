/**
 * The authenticated actor travels on the request: the auth plugin (src/auth/plugin.ts) sets it
 * before any handler of a route that declares a permission runs.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../kernel/access/actor.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

/** The request's actor; a route that declared a permission always has one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw new Error(
      `no actor on ${request.method} ${request.url}: the route declares no permission`,
    );
  }
  return request.actor;
}
