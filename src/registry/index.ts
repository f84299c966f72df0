/**
 * The registry: people, households, enrolment, identity flags with month ranges, life events,
 * refunds; its import, export, demo county and audit seals. The only module other domains and the
 * composition root import.
 */
export { registryTrail } from './audit-seals.ts';
export { exportCommand } from './cli/export.ts';
export { importCommand } from './cli/import.ts';
export { showCommand } from './cli/show.ts';
export { templateCommand } from './cli/template.ts';
export {
  DEFAULT_DEMO,
  DEMO_COUNTY,
  generateCounty,
  type CountyOptions,
  type DemoOptions,
} from './demo/generate.ts';
export { clearRegistry, isEmpty, loadDemoCounty, type LoadCounts } from './demo/load.ts';
export { GIVEN, SURNAMES, TOWNSHIPS } from './demo/names.ts';
export { Random } from './demo/random.ts';
export { notFuture, parseCategory, parseDateLoose, parseName } from './fields.ts';
export {
  KEY_CATEGORIES,
  enrolmentCovers,
  flagHolds,
  type Flag,
  type PersonRecord,
  type VersionStamp,
} from './model.ts';
export { nameInitials } from './pinyin.ts';
export { loadRecord, lockPerson } from './repo/read.ts';
export { registryRoutes } from './routes.ts';
export { applyChanges } from './rules/apply.ts';
export { type Change } from './rules/change.ts';
export { recordDeath } from './rules/death.ts';
export { addFlagChanges } from './rules/flag-add.ts';
export { endFlag } from './rules/flag-end.ts';
export { markMissing } from './rules/missing.ts';
export { decideRefund, defaultRefundCutoff } from './rules/refund.ts';
export { moment, registryContext, type Moment } from './service/context.ts';
export { loadRefundCutoffs, type RefundCutoffs } from './service/refund-cutoff.ts';
export { personNotFound } from './service/with-person.ts';
export { writeChanges } from './service/write-changes.ts';
