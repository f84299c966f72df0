/** Every domain's routes, in one list, so app.ts stays the same as domains are added. */
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/db.ts';
import { policyRoutes } from '../policy/routes.ts';
import { trialRoutes } from '../settlement/trial-routes.ts';
import { settlementRoutes } from '../settlement/persist/routes.ts';
import { registryRoutes } from '../registry/routes.ts';
import { reconcileRoutes } from '../reconcile/routes.ts';
import { gatewayRoutes } from '../gateway/routes.ts';
import { catalogueRoutes } from '../catalogue/routes.ts';
import { reportRoutes } from '../reports/routes.ts';
import { monitoringRoutes } from '../monitoring/routes.ts';
import { assistanceRoutes } from '../assistance/http/routes.ts';

export function domainRoutes(db: Db): FastifyPluginAsync[] {
  return [
    policyRoutes as FastifyPluginAsync,
    trialRoutes as FastifyPluginAsync,
    settlementRoutes(db) as FastifyPluginAsync,
    registryRoutes(db) as FastifyPluginAsync,
    reconcileRoutes(db) as FastifyPluginAsync,
    gatewayRoutes(db) as FastifyPluginAsync,
    catalogueRoutes(db) as FastifyPluginAsync,
    reportRoutes(db) as FastifyPluginAsync,
    monitoringRoutes(db) as FastifyPluginAsync,
    assistanceRoutes(db) as FastifyPluginAsync,
  ];
}
