/**
 * Policy packs: every rule of the safety net as dated, tested data.
 *
 * - `loadPack(name)` reads `policies/<name>/`, checks it and throws a `PackError` (a
 *   TriguardError) listing every problem as `file:line key: message`.
 * - `listPacks()` summarises the packs (fixtures only with `includeFixtures`).
 * - `choosePack(packs, region, date)` picks the pack whose validity holds the date (persistent
 *   path); a trial names its pack instead.
 * - `resolveBill(pack, ctx)` / `resolvePackWide(pack, date)` give the typed parameters of
 *   types.ts, each with provenance. A date outside the pack's validity is clamped into it, so a
 *   named pack applies to every bill of a trial whatever its date (docs/settlement.md §6).
 *
 * Units: in YAML, money is yuan and ratios percent; everything resolved is fen and basis points.
 * Provenance `value` is the dated value in the same program units (fen, bp, ISO date); lists and
 * bracket scales are given as text.
 */
export { loadPack, listPacks, loadPacks, DEFAULT_ROOT, type LoadOptions } from './loader.ts';
export {
  resolveBill,
  resolvePackWide,
  clampToValidity,
  findDisease,
  isSevereMentalDiagnosis,
} from './resolve.ts';
export { choosePack } from './choose.ts';
export { createDraft, parseEdit, publishDraft, type ParamEdit, type Published } from './draft.ts';
export { resolveCoverage, checksCoverage, type CoverageParams } from './resolve-coverage.ts';
// The chronic workflow reads the catalogue and the application rules (src/chronic).
export { valueAt, covers } from './dated.ts';
export { matchesDiagnosis } from './diagnosis.ts';
export { formatDiagnosisPattern } from './units.ts';
export { DOCUMENT_KINDS, TWO_DISEASE_NAMES } from './build-applications.ts';
export type {
  ApplicationRules,
  DiagnosisPattern,
  Disease,
  DocumentKind,
  TwoDiseaseName,
} from './model.ts';
export { PAYMENT_METHODS } from './build-payment.ts';
export type {
  PaymentMethod,
  PaymentRules,
  PaymentRule,
  InstitutionClass,
  CapitationPackage,
  OutpatientGroup,
} from './model.ts';
export { PackError, isPackError, formatProblem, type Problem } from './problems.ts';
export type { PolicyPack, PackSummary, Scheme, Label } from './model.ts';
export * from './types.ts';
export { DEFAULT_REVIEW_DAYS, staleValues } from './check.ts';
export { diffPacks } from './diff.ts';
export { resolveGrid } from './grid.ts';
export { TIER_LABELS } from './labels.ts';
export { formatFailure, reportPassed, runPackTests, type PackTestReport } from './pack-tests.ts';
export { policyRoutes } from './routes.ts';
export { showTable } from './show-table.ts';
export { displayWidth, padEnd } from './text-width.ts';
export {
  CATEGORIES,
  CATEGORY_LABELS,
  MED_TYPE,
  TIERS,
  VISIT_TYPES,
  type BackstopParams,
  type BasicParams,
  type BillContext,
  type Category,
  type CumulativeTier,
  type HospitalLevel,
  type Provenance,
  type Remote,
  type ResolvedParams,
  type Tier,
  type VisitType,
} from './types.ts';
