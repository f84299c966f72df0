/**
 * Early warning of poverty caused by illness (docs/monitoring.md): monthly runs, warnings,
 * pushes to other departments and their webhooks. The only module other domains and the
 * composition root import.
 */
export { demoYearStep } from './demo-year.ts';
export { deliveryOptionsFromEnv } from './push/webhook.ts';
export { startDeliveryWorker } from './push/worker.ts';
export { monitoringRoutes } from './routes.ts';
export { recheck, runMonth } from './run.ts';
export { MonitoringService } from './service.ts';
export { OPEN_STATUSES } from './status.ts';
