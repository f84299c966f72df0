/**
 * Care that follows people home (docs/care.md): family-doctor contracts, the monthly follow-up
 * record and its lists, spot checks, the year-end assessment, medicine delivered to the door, and
 * the severe-mental care teams with their visits and unstable-patient reports.
 * The only module other domains and the composition root import.
 */
export { CareService } from './service.ts';
export { careRoutes } from './routes.ts';
export { POVERTY_CATEGORIES } from './core/contract.ts';
export { DeliveryService } from './delivery-service.ts';
export { deliveryRoutes } from './delivery-routes.ts';
export { loadCareDemo, type CareDemoCounts, type CareDemoOptions } from './demo/load.ts';
export { openMonths } from './service.ts';
// Severe-mental care teams (关爱帮扶小组, docs/care-teams.md).
export { CareTeamService } from './team-service.ts';
export { careTeamRoutes } from './team-routes.ts';
export { loadCareTeamsDemo, REHAB_HOSPITAL, REHAB_PROGRAMME } from './demo/teams.ts';
export { MEMBER_ROLES, REPORT_STATUSES, type Team, type Report } from './core/team-model.ts';
