/**
 * The whole audit trail as the composition root assembles it: the log (src/audit) with the trails
 * the settlement and registry domains keep of their own writes.
 */
import type { Db, Queryable } from '../db/db.ts';
import type { Actor } from '../kernel/access/actor.ts';
import {
  type AuditTrails,
  takeCheckpoint as take,
  type Checkpoint,
  queryAudit as query,
  type AuditFilter,
  verifyAudit as verify,
  type VerifyOptions,
} from '../audit/index.ts';
import { settlementTrail } from '../settlement/index.ts';
import { registryTrail } from '../registry/index.ts';

export const AUDIT_TRAILS: AuditTrails = { settlements: settlementTrail, registry: registryTrail };

export const verifyAudit = (db: Queryable, opts: VerifyOptions = {}) =>
  verify(db, AUDIT_TRAILS, opts);

export const queryAudit = (q: Queryable, actor: Actor, f: AuditFilter) =>
  query(q, AUDIT_TRAILS, actor, f);

export const takeCheckpoint = (db: Db, actor: Actor): Promise<Checkpoint> =>
  take(db, AUDIT_TRAILS, actor);
