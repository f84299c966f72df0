/**
 * The tamper-evident audit log. Every entry holds the hash of the one before it in its chain, so
 * editing or deleting any row breaks the chain from there on and `verifyAudit` (and `triguard
 * audit verify`) reports it.
 *
 * The log is split into chains so that audited writes about different people do not queue on one
 * row (a single chain held every settlement of the county in line behind one lock until commit):
 * chain 0 holds entries about no person, chains 1..CHAINS entries about people, by a hash of the
 * ID number. Appends to one chain are serialised on its head row (`audit_head`), which the one
 * statement that numbers, seals and writes an entry updates — and so holds locked until the
 * caller's transaction ends — so concurrent writers cannot fork a chain. `seq` orders the whole
 * log for reading; `chainSeq` numbers a chain. `at` is the appender's clock when it builds the
 * entry.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/db.ts';
import { unprocessable } from '../kernel/errors.ts';
import { canonicalJson } from '../kernel/canonical-json.ts';
import type { AuditEntry } from '../kernel/access/actor.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The stored form of one entry: exactly the fields the hash covers, plus the hash itself. */
export interface AuditRecord {
  seq: number;
  chain: number;
  chainSeq: number;
  /** UTC ISO timestamp with milliseconds, from the database clock. */
  at: string;
  actorId: string;
  actorName: string;
  actorRoles: string[];
  origin: string | null;
  action: string;
  entity: string;
  entityId: string;
  certno: string | null;
  /** Canonical JSON of the value before/after the change, or null. */
  before: string | null;
  after: string | null;
  reason: string | null;
  prevHash: string;
  hash: string;
}

/** Actions whose last segment names a correction or cancellation must say why. */
const REASON_REQUIRED = /\.(cancel|correct)[a-z_]*$/;

/** to_char's format for a UTC ISO timestamp with milliseconds, as entries hash `at`. */
export const UTC_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * What an entry's hash covers apart from its place in the chain: who, when, what, before/after,
 * why — as canonical JSON, computed by the appender.
 */
export function entryBody(
  r: Omit<AuditRecord, 'hash' | 'seq' | 'chain' | 'chainSeq' | 'prevHash'>,
): string {
  return canonicalJson({
    at: r.at,
    actorId: r.actorId,
    actorName: r.actorName,
    actorRoles: r.actorRoles,
    origin: r.origin,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    certno: r.certno,
    before: r.before,
    after: r.after,
    reason: r.reason,
  });
}

/**
 * sha256 over the previous hash, the entry's place (chain, chain seq, seq) and its body, one per
 * line. The database computes the same in `appendAudit` (it knows the place only under the
 * chain-head lock); `verifyAudit` recomputes it here.
 */
export function hashRecord(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256')
    .update(`${r.prevHash}\n${r.chain}\n${r.chainSeq}\n${r.seq}\n${entryBody(r)}`, 'utf8')
    .digest('hex');
}

const jsonOrNull = (v: unknown): string | null => (v === undefined ? null : canonicalJson(v));

/**
 * Appends one entry inside the caller's transaction `tx` (the change and its audit entry commit
 * or roll back together). Throws `audit.reason_required` for a correction or cancellation
 * without a reason.
 */
export async function appendAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  const a = auditCtes(entry);
  const written = await tx.query<{ n: number }>(
    `WITH ${a.sql} SELECT count(*)::int AS n FROM audit_written`,
    a.params,
  );
  if (written.rows[0]?.n !== 1)
    throw new Error(
      `audit_head row ${chainOf(entry.certno ?? null)} missing: run \`triguard migrate\``,
    );
}

interface AuditCtes {
  /** CTE definitions (no leading WITH); the last, `audit_written`, returns one row per entry. */
  sql: string;
  params: unknown[];
}

/**
 * The audit entry as one statement's CTEs: draw the entry's seq; move the chain head, which locks
 * it, numbers the entry and seals it (the same hash as hashRecord); write the entry. The head
 * stays locked until the transaction ends, so the fewer round trips between here and COMMIT, the
 * less writers of one chain wait.
 */
function auditCtes(entry: AuditEntry): AuditCtes {
  const reason = entry.reason?.trim() ? entry.reason.trim() : null;
  if (REASON_REQUIRED.test(entry.action) && reason === null) {
    throw unprocessable(
      'audit.reason_required',
      'reason',
      '更正或撤销必须填写原因',
      'A correction or cancellation needs a reason',
    );
  }
  const certno = entry.certno ?? null;
  const chain = chainOf(certno);
  const fields = {
    at: new Date().toISOString(),
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    actorRoles: [...entry.actor.roles],
    origin: entry.actor.origin,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    certno,
    before: jsonOrNull(entry.before),
    after: jsonOrNull(entry.after),
    reason,
  };
  // The head's UPDATE locks it (until the transaction ends), numbers the entry and seals it: its
  // SET reads the head as it was, and RETURNING shows it as it is now — prev_hash is the hash the
  // entry follows (migration 0013). Under a concurrent append the UPDATE waits, then re-reads the
  // head and recomputes the SET, so the chain cannot fork. The seq is drawn before the lock:
  // within a chain, chain_seq orders; seq only orders the whole log for reading.
  const sql = `audit_next AS (
       SELECT nextval('audit_seq') AS seq),
     audit_moved AS (
       UPDATE audit_head h SET chain_seq = h.chain_seq + 1, prev_hash = h.hash,
              hash = encode(sha256(convert_to(
                h.hash || E'\\n' || $1::text || E'\\n' || (h.chain_seq + 1)::text || E'\\n'
                || n.seq::text || E'\\n' || $2, 'UTF8')), 'hex')
         FROM audit_next n WHERE h.chain = $1
       RETURNING n.seq, h.chain_seq, h.prev_hash, h.hash),
     audit_written AS (
       INSERT INTO audit_log (seq, chain, chain_seq, at, actor_id, actor_name, actor_roles, origin,
         action, entity, entity_id, certno, before_json, after_json, reason, prev_hash, hash)
       SELECT m.seq, $1, m.chain_seq, $3::timestamptz, $4, $5, $6, $7,
              $8, $9, $10, $11, $12, $13, $14, m.prev_hash, m.hash
         FROM audit_moved m
       RETURNING 1)`;
  return {
    sql,
    params: [
      chain,
      entryBody(fields),
      fields.at,
      fields.actorId,
      fields.actorName,
      canonicalJson(fields.actorRoles),
      fields.origin,
      fields.action,
      fields.entity,
      fields.entityId,
      fields.certno,
      fields.before,
      fields.after,
      fields.reason,
    ],
  };
}

/** Chains 1..CHAINS for entries about people, chain 0 for the rest. */
export const CHAINS = 64;

export function chainOf(certno: string | null): number {
  if (!certno) return 0;
  let h = 0;
  for (let i = 0; i < certno.length; i++) h = (Math.imul(h, 31) + certno.charCodeAt(i)) >>> 0;
  return 1 + (h % CHAINS);
}

/** Appends one entry in a transaction of its own (reads of sensitive fields, logins). */
export function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  return db.transaction((tx) => appendAudit(tx, entry));
}

export interface AuditRow {
  seq: number;
  chain: number;
  chain_seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  actor_roles: string;
  origin: string | null;
  action: string;
  entity: string;
  entity_id: string;
  certno: string | null;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

/** The columns of `audit_log` as an `AuditRecord`, `at` in UTC ISO form. */
export const AUDIT_SELECT = `SELECT seq, chain, chain_seq, to_char(at AT TIME ZONE 'UTC', ${UTC_MS}) AS at, actor_id,
  actor_name, actor_roles, origin, action, entity, entity_id, certno, before_json, after_json,
  reason, prev_hash, hash FROM audit_log`;

export function toRecord(r: AuditRow): AuditRecord {
  return {
    seq: Number(r.seq),
    chain: Number(r.chain),
    chainSeq: Number(r.chain_seq),
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRoles: parseRoles(r.actor_roles),
    origin: r.origin,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    certno: r.certno,
    before: r.before_json,
    after: r.after_json,
    reason: r.reason,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The stored roles (JSON text) as a list; text that is not a JSON list stays whole. */
export function parseRoles(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [text];
  } catch {
    // Not JSON: someone edited the row by hand. Keep the text so the hash check reports it.
    return [text];
  }
}

export type AuditProblemKind =
  | 'gap'
  | 'broken_link'
  | 'hash_mismatch'
  | 'head_mismatch'
  /** A settlement's ledger rows are not the tiers its sealed delta moved, or belong to none. */
  | 'ledger_mismatch'
  /** A person-year's accumulator row is not what its settlements add up to. */
  | 'accumulator_mismatch'
  /** A chain no longer extends the checkpointed head: shorter, or another link at its place. */
  | 'rewound'
  /** A checkpoint recorded in the log is gone, or its stored heads no longer hash to its digest. */
  | 'checkpoint_mismatch'
  /** A registry row is not what its last audit entry says it became, or is gone. */
  | 'row_mismatch'
  | 'row_missing'
  /** A registry row no audit entry accounts for. */
  | 'row_unaudited';

/** An entry as the search shows it, whether from the log or a settlement (which has no log chain). */
export type AuditEntryRecord = Omit<AuditRecord, 'chain' | 'chainSeq' | 'prevHash'>;

export interface AuditProblem {
  /**
   * Where it shows: `log`, the audit log's chains (and its checkpoints); `settlement`, a person's
   * chain of settlements for one medical year with its ledger and accumulator row
   * (settlement/persist/audit-chain.ts); `registry`, a person, flag or enrolment row.
   */
  trail: 'log' | 'settlement' | 'registry';
  /**
   * The entry where the problem shows (for a deleted tail: the chain head's number; in a
   * settlement chain: the settlement id; for a registry row: its last audit entry, 0 if none).
   */
  seq: number;
  /** The log's chain; -1 for a problem of no one chain, and for every settlement chain. */
  chain: number;
  chainSeq: number;
  kind: AuditProblemKind;
  detail: string;
  /** The person a settlement or registry problem concerns. */
  certno?: string;
  /** The medical year of a settlement chain. */
  year?: number;
  /** The registry row: `person`, `person_flag` or `enrolment`, and its id. */
  entity?: string;
  entityId?: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** The highest `seq` read. */
  headSeq: number;
  /**
   * One fingerprint of every chain head (sha256 over `chain:chainSeq:hash` lines): record it
   * elsewhere to detect a rewrite of the whole log later.
   */
  headHash: string;
  problems: AuditProblem[];
}
