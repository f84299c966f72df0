/** Every domain's routes, in one list, so app.ts stays the same as domains are added. */
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/db.ts';

export function domainRoutes(_db: Db): FastifyPluginAsync[] {
  return [];
}
