/**
 * Care that follows people home (docs/care.md): family-doctor contracts, the monthly follow-up
 * record and its lists, spot checks, the year-end assessment, and medicine delivered to the door.
 * The only module other domains and the composition root import.
 */
export { CareService } from './service.ts';
export { careRoutes } from './routes.ts';
export { POVERTY_CATEGORIES } from './core/contract.ts';
export { DeliveryService } from './delivery-service.ts';
export { deliveryRoutes } from './delivery-routes.ts';
export { loadCareDemo, type CareDemoCounts, type CareDemoOptions } from './demo/load.ts';
export { openMonths } from './service.ts';
