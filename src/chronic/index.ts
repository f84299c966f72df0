/**
 * 门诊慢特病 and 两病 (docs/chronic.md): screening and its funnel, applications, expert review,
 * certificates, two-diseases filings, the national 2503/2504 and imports. The only module other
 * domains and the composition root import.
 */

export { ChronicService } from './service.ts';
export type { ApplicationInput, FilingInput, GatewayFiling, GatewayOutcome } from './service.ts';
export { chronicRoutes } from './routes.ts';
export type {
  Application,
  Certificate,
  Filing,
  PersonChronic,
  Channel,
  ApplicationStatus,
} from './core/model.ts';
export { certificateNumber } from './core/certificate.ts';
export { TWO_DISEASE_DIAGNOSES, twoDiseaseOf } from './core/filing.ts';
export {
  ScreeningService,
  screeningFunnel,
  type PackChooser,
  type ScreeningView,
} from './screening-service.ts';
export { screeningRoutes, funnelView } from './screening-routes.ts';
export {
  NOT_APPLYING_REASONS,
  NOT_APPLYING_LABELS,
  emptyFunnel,
  type Funnel,
  type NotApplyingReason,
} from './core/screening.ts';
export {
  loadChronicDemo,
  screenChronicDemo,
  healthCentreOf,
  DEMO_HEALTH_CENTRES,
  DEMO_DIAGNOSES,
  DEMO_TWO_DISEASES_DIAGNOSES,
} from './demo/load.ts';
export { limitOffset, param, scoped, ts, type Page } from './repo/sql.ts';
