/**
 * List reconciliation (docs/reconciliation.md): imported department lists, the three passes,
 * actions and the problem ledger. The only module other domains and the composition root import.
 */
export { reconcileRoutes } from './routes.ts';
