/**
 * The chronic domain (门诊慢特病 and 两病): what other domains and the composition root use of it.
 * Screening (摸底排查) and its funnel: docs/chronic.md §10, §11.
 */
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
