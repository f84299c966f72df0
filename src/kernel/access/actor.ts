/**
 * Who is acting and what they may see. The auth module (accounts, roles, sessions) produces an
 * `Actor` for every request and CLI run; repositories take its `DataScope` so that every query
 * that reads people is filtered by it.
 */

/** The part of the registry an account may see. */
export type DataScope =
  /** Bureau-wide (administrators, bureau staff, auditors): every person of the bureau's region. */
  | { kind: 'region'; regionCode: string }
  /** A designated institution (定点医疗机构): only the people it has treated. */
  | { kind: 'institution'; fixmedinsCode: string; regionCode: string }
  /** A department (民政, 乡村振兴): only the people it flagged (flag source), within its region. */
  | { kind: 'department'; department: string; regionCode: string }
  /** Internal jobs and the CLI run by an operator: everything. */
  | { kind: 'system' };

export interface Actor {
  /** Account id, or `system:<job>` for jobs and CLI runs. */
  id: string;
  /** Display name for the audit log. */
  name: string;
  roles: string[];
  /** Permission codes `module:entity:action`. */
  permissions: ReadonlySet<string>;
  scope: DataScope;
  /** Where the request came from (IP), for the audit log. */
  origin: string | null;
}

export const SYSTEM_ACTOR: Actor = {
  id: 'system:cli',
  name: 'system',
  roles: ['system'],
  permissions: new Set(['*']),
  scope: { kind: 'system' },
  origin: null,
};

/** One audit-log entry: who, when (set by the log), from where, what, before/after, why. */
export interface AuditEntry {
  actor: Actor;
  /** e.g. `registry.person.update`, `settlement.bill.cancel`, `registry.sensitive.read`. */
  action: string;
  entity: string;
  entityId: string;
  /** The person concerned, when there is one (the key the log is distributed by). */
  certno?: string | null;
  before?: unknown;
  after?: unknown;
  /** Required for corrections and cancellations. */
  reason?: string | null;
}
