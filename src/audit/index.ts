/**
 * The audit log (docs/audit.md): the hash-chained writer every domain calls in its own transaction,
 * the reader, `audit verify` and checkpoints. Other trails (settlement, registry) are handed in by
 * the composition root. The only module other domains and the composition root import.
 */
export {
  checkpointSummary,
  latestCheckpoint,
  parseCheckpoint,
  takeCheckpoint,
  type Checkpoint,
} from './checkpoint.ts';
export {
  AUDIT_SELECT,
  UTC_MS,
  appendAudit,
  parseRoles,
  recordAudit,
  toRecord,
  type AuditEntryRecord,
  type AuditProblem,
  type AuditRecord,
  type AuditRow,
} from './log.ts';
export { queryAudit, type AuditFilter } from './query.ts';
export { auditRoutes } from './routes.ts';
export {
  type AuditTrails,
  type ChainsVerification,
  type CheckpointedChains,
  type SettlementAuditFilter,
} from './trails.ts';
export { verifyAudit, type VerifyOptions } from './verify.ts';
