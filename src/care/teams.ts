/**
 * Severe-mental care teams (关爱帮扶小组, docs/care-teams.md): the entry module of this part of
 * the care domain, which the domain's index re-exports.
 */
export { CareTeamService } from './team-service.ts';
export { careTeamRoutes } from './team-routes.ts';
export { loadCareTeamsDemo, REHAB_HOSPITAL, REHAB_PROGRAMME } from './demo/teams.ts';
export { MEMBER_ROLES, REPORT_STATUSES, type Team, type Report } from './core/team-model.ts';
