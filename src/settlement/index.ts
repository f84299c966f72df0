/**
 * One-stop settlement (docs/settlement.md): the pure calculator and its tiers, the persistent
 * trial/pre-settle/settle/cancel path with year-to-date accumulators, the one bill, and the demo
 * year's bills. The only module other domains and the composition root import.
 */
export { emptyAccumulators, type Accumulators } from './accumulators.ts';
export { type Bill, type BillLine, type LineClass } from './bill.ts';
export { type SettlementAmounts } from './calculate.ts';
export { classFee } from './classing.ts';
export { DEMO_ACTOR, settleDemoYear, type DemoYearCounts } from './demo/settle-year.ts';
export { checkDiagnosis } from './field-rules.ts';
export { settlementTrail } from './persist/audit-chain-read.ts';
export { loadPackCatalog, type PackCatalog } from './persist/packs.ts';
export { type SettleRequest } from './persist/request.ts';
export { settlementRoutes } from './persist/routes.ts';
export { SettlementService } from './persist/service.ts';
export { hideExplain, viewFor, type SettlementView } from './persist/view.ts';
export { AMOUNT_FIELDS, explainJson } from './trial-answer.ts';
export { makeTrialCommand } from './trial-cli.ts';
export { policyPacks } from './trial-packs.ts';
export { trialRoutes } from './trial-routes.ts';
export { readSettleRequest } from './persist/request.ts';
export { postTierRules } from './post-tier-rules.ts';
export { calculate, type Settlement } from './calculate.ts';
export { coverageRefusal, twoDiseaseOf, type CoverageEvidence, type Refusal } from './coverage.ts';
export {
  inFreePeriod,
  waiverCandidates,
  waiverStep,
  type BillChannel,
  type PostTierRules,
} from './post-tier-rules.ts';
export { type PostTierStep } from './post-tier.ts';
export { ResolvedCache } from './persist/resolved-cache.ts';
export { TierExplanation } from './explain.ts';
export { type TierFacts } from './explain.ts';
