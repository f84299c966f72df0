/**
 * Assistance programmes (救助项目): programmes and their budgets, assistance cards, batch assistance
 * and the year-end report (docs/assistance.md). The only module other domains and the composition
 * root import.
 */
export { checkBudgets } from './budget.ts';
export { demoAssistanceStep } from './demo.ts';
export { assistanceRoutes } from './http/routes.ts';
export { addProgramme, programmesWhere } from './programmes.ts';
