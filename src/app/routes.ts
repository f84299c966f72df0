/** Every route module, in one list, each handed the services it works with. */
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from './services.ts';
import { healthRoutes } from '../http/health.ts';
import { authRoutes, userRoutes } from '../auth/index.ts';
import { auditRoutes } from '../audit/index.ts';
import { AUDIT_TRAILS } from './audit.ts';
import { policyRoutes } from '../policy/index.ts';
import { trialRoutes, settlementRoutes } from '../settlement/index.ts';
import { registryRoutes } from '../registry/index.ts';
import { reconcileRoutes } from '../reconcile/index.ts';
import { gatewayRoutes } from '../gateway/index.ts';
import { catalogueRoutes } from '../catalogue/index.ts';
import { reportRoutes } from '../reports/index.ts';
import { monitoringRoutes } from '../monitoring/index.ts';
import { assistanceRoutes } from '../assistance/index.ts';
import { chronicRoutes, screeningRoutes } from '../chronic/index.ts';
import { paymentRoutes } from '../payment/index.ts';
import { replayRoutes } from '../replay/index.ts';
import { careRoutes, deliveryRoutes, careTeamRoutes } from '../care/index.ts';

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
    paymentRoutes(s.payment) as FastifyPluginAsync,
    careRoutes(s.care) as FastifyPluginAsync,
    deliveryRoutes(s.delivery) as FastifyPluginAsync,
    careTeamRoutes(s.careTeams) as FastifyPluginAsync,
    replayRoutes(s.replay) as FastifyPluginAsync,
  ];
}
