/**
 * Reports for the staff web app: the dashboard's numbers, drill-down lists, a person's
 * settlements and the region tree, in the caller's scope. The only module
 * other domains and the composition root import.
 */
export { reportRoutes } from './routes.ts';
