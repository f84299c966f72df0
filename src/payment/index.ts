/**
 * Provider payment (docs/payment.md): payment methods per institution from the pack's
 * payment.yaml, monthly statements, prepayment and year-end clearing. The only module other
 * domains and the composition root import.
 */
export { PaymentService, type MonthStatements, type PackChooser } from './service.ts';
export { paymentRoutes } from './routes.ts';
export { stayDays } from './core/per-bed-day.ts';
