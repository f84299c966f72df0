/**
 * The trails the audit log does not hold itself, each kept by the domain that writes it: the
 * settlements, which are their own audit entries chained per person and medical year, and the
 * registry's row seals. The composition root hands them to this domain (src/app/audit.ts), so
 * reading and verifying the whole trail needs no import of the domains that write it.
 */
import type { Hash } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import type { Actor, DataScope } from '../kernel/access/actor.ts';
import type { AuditEntryRecord, AuditProblem, AuditRecord } from './log.ts';

export interface SettlementAuditFilter {
  certno?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: number | undefined;
  /** The reader's data scope: settlements of people outside it are not shown. */
  scope: DataScope;
  limit: number;
}

/** A checkpointed settlement chain head (`certno:year` →) its length and last link's hash. */
export type CheckpointedChains = ReadonlyMap<string, { n: number; hash: string }>;

export interface ChainsVerification {
  entries: number;
  /** The highest settlement id read. */
  headSeq: number;
}

/** Every registry row's last seal, taken from the log as it is walked, then checked. */
export interface RowSeals {
  take(r: AuditRecord): void;
  /** Reports rows no entry accounts for; answers the rows checked. */
  verify(q: Queryable, report: (p: AuditProblem) => void, batch?: number): Promise<number>;
}

export interface AuditTrails {
  settlements: {
    /** Settlements as audit entries, newest first. */
    entries(q: Queryable, f: SettlementAuditFilter): Promise<AuditEntryRecord[]>;
    /** Walks every person-year's chain; each head goes into `fingerprint`. */
    verify(
      q: Queryable,
      report: (p: AuditProblem) => void,
      fingerprint: Hash,
      opts: {
        batch?: number | undefined;
        onProgress?: ((done: number) => void) | undefined;
        checkpoint?: CheckpointedChains | undefined;
      },
    ): Promise<ChainsVerification>;
  };
  registry: {
    seals(): RowSeals;
    /** Seals, once, the rows no entry seals yet (the first checkpoint does it). */
    baseline(tx: Queryable, actor: Actor): Promise<number>;
  };
}
