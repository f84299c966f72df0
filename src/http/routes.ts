/** Every domain's routes, in one list, so app.ts stays the same as domains are added. */
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/db.ts';
import { policyRoutes } from '../policy/routes.ts';
import { trialRoutes } from '../settlement/trial-routes.ts';

export function domainRoutes(_db: Db): FastifyPluginAsync[] {
  return [policyRoutes as FastifyPluginAsync, trialRoutes as FastifyPluginAsync];
}
