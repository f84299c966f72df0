/**
 * 门诊慢特病 and 两病 (docs/chronic.md §10–§18): applications, expert review, certificates,
 * two-diseases filings, the national 2503/2504 and imports. The only module other domains import.
 */
import { loadPacks, type PolicyPack } from '../policy/index.ts';

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

/** The packs whose catalogues and application rules the workflow reads, loaded once. */
export const loadChronicPacks = (): Promise<PolicyPack[]> => loadPacks();
