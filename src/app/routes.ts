/** Every route module, in one list, each handed the services it works with. */
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from './services.ts';
import { healthRoutes } from '../http/health.ts';
import { authRoutes } from '../auth/routes.ts';
import { userRoutes } from '../auth/user-routes.ts';
import { auditRoutes } from '../audit/routes.ts';
import { AUDIT_TRAILS } from './audit.ts';
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
import { chronicRoutes, screeningRoutes } from '../chronic/index.ts';
import { careTeamRoutes } from '../care/teams.ts';

export function routeModules(s: Services): FastifyPluginAsync[] {
  return [
    healthRoutes(s.db),
    authRoutes(s.db),
    userRoutes(s.db),
    auditRoutes(s.db, AUDIT_TRAILS),
    policyRoutes as FastifyPluginAsync,
    trialRoutes as FastifyPluginAsync,
    settlementRoutes(s.settlement) as FastifyPluginAsync,
    registryRoutes(s.db) as FastifyPluginAsync,
    reconcileRoutes(s.db) as FastifyPluginAsync,
    gatewayRoutes(s.gateway) as FastifyPluginAsync,
    catalogueRoutes(s.db) as FastifyPluginAsync,
    reportRoutes(s.db, s.now) as FastifyPluginAsync,
    monitoringRoutes(s.db, s.monitoring) as FastifyPluginAsync,
    assistanceRoutes(s.db, s.packs, s.settlement, s.now) as FastifyPluginAsync,
    chronicRoutes(s.db, s.chronic) as FastifyPluginAsync,
    screeningRoutes(s.screening) as FastifyPluginAsync,
    careTeamRoutes(s.careTeams) as FastifyPluginAsync,
  ];
}
