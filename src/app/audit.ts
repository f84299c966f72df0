/**
 * The whole audit trail as the composition root assembles it: the log (src/audit) with the trails
 * the settlement and registry domains keep of their own writes.
 */
import type { Db, Queryable } from '../db/db.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { AuditTrails } from '../audit/trails.ts';
import { takeCheckpoint as take, type Checkpoint } from '../audit/checkpoint.ts';
import { queryAudit as query, type AuditFilter } from '../audit/query.ts';
import { verifyAudit as verify, type VerifyOptions } from '../audit/verify.ts';
import { settlementTrail } from '../settlement/persist/audit-chain-read.ts';
import { registryTrail } from '../registry/audit-seals.ts';

export const AUDIT_TRAILS: AuditTrails = { settlements: settlementTrail, registry: registryTrail };

export const verifyAudit = (db: Queryable, opts: VerifyOptions = {}) =>
  verify(db, AUDIT_TRAILS, opts);

export const queryAudit = (q: Queryable, actor: Actor, f: AuditFilter) =>
  query(q, AUDIT_TRAILS, actor, f);

export const takeCheckpoint = (db: Db, actor: Actor): Promise<Checkpoint> =>
  take(db, AUDIT_TRAILS, actor);
