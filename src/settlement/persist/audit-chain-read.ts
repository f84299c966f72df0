/**
 * Reading settlements as audit entries (audit-chain.ts): the audit log's search shows them beside
 * the log's own entries, and `verifyAudit` walks every person-year's chain with this module.
 * Rows written before migration 0014 (no audit_hash) have their entries in the audit log instead.
 */
import type { Hash } from 'node:crypto';
import type { Queryable } from '../../db/db.ts';
import type { DataScope } from '../../auth/types.ts';
import { personScopeSql } from '../../auth/scope.ts';
import { parseRoles, UTC_MS, type AuditEntryRecord, type AuditProblem } from '../../auth/audit.ts';
import { canonicalJson } from '../../auth/canonical-json.ts';
import { AMOUNT_FIELDS } from '../trial-answer.ts';
import {
  auditEntryOf,
  CHAIN_GENESIS,
  chainHash,
  sealedBody,
  type AuditActor,
  type SealedColumns,
} from './audit-chain.ts';

/** A settlement row as the audit reads it: the sealed columns and the chain link. */
type AuditedRow = SealedColumns & {
  actor_id: string;
  actor_name: string;
  actor_roles: string;
  actor_origin: string | null;
  /** created_at as a UTC ISO timestamp with milliseconds, as it was sealed. */
  at: string;
  audit_prev: string;
  audit_hash: string;
};

const SELECT_AUDITED = `SELECT st.settlement_id, st.certno, st.year, st.msgid, st.kind, st.original_id,
  st.fixmedins_code, st.region_code, st.bill_date, st.visit_type, st.hospital_level, st.diagnosis,
  st.remote, st.pack, st.categories, st.backstop_programme, st.lines, st.delta,
  ${AMOUNT_FIELDS.map((f) => `st.${f}`).join(', ')}, st.actor_id, st.actor_name, st.actor_roles,
  st.actor_origin, st.reason, to_char(st.created_at AT TIME ZONE 'UTC', ${UTC_MS}) AS at,
  st.audit_prev, st.audit_hash`;

const actorOf = (r: AuditedRow): AuditActor => ({
  id: r.actor_id,
  name: r.actor_name,
  roles: parseRoles(r.actor_roles),
  origin: r.actor_origin,
});

/** A settlement row as the audit search shows it. */
function recordOf(r: AuditedRow): AuditEntryRecord {
  const entry = auditEntryOf(r);
  return {
    seq: r.settlement_id,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRoles: parseRoles(r.actor_roles),
    origin: r.actor_origin,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    certno: r.certno,
    before: entry.before === null ? null : canonicalJson(entry.before),
    after: canonicalJson(entry.after),
    reason: r.reason,
    hash: r.audit_hash,
  };
}

export interface SettlementAuditFilter {
  certno?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: number | undefined;
  /** The reader's data scope: settlements of people outside it are not shown. */
  scope: DataScope;
  limit: number;
}

/** Settlements as audit entries, newest first (by id, their place in the audit trail). */
export async function settlementAuditEntries(
  q: Queryable,
  f: SettlementAuditFilter,
): Promise<AuditEntryRecord[]> {
  const where = ['st.audit_hash IS NOT NULL'];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (f.certno !== undefined) add((n) => `st.certno = $${n}`, f.certno);
  if (f.from !== undefined) add((n) => `st.created_at >= $${n}::timestamptz`, f.from);
  if (f.to !== undefined) add((n) => `st.created_at < $${n}::timestamptz`, f.to);
  if (f.before !== undefined) add((n) => `st.settlement_id < $${n}`, f.before);
  const scope = personScopeSql(f.scope, 'p', params.length + 1);
  where.push(`EXISTS (SELECT 1 FROM person p WHERE p.certno = st.certno AND ${scope.sql})`);
  params.push(...scope.params, f.limit);
  const r = await q.query<AuditedRow>(
    `${SELECT_AUDITED} FROM settlement st WHERE ${where.join(' AND ')}
      ORDER BY st.settlement_id DESC LIMIT $${params.length}`,
    params,
  );
  return r.rows.map(recordOf);
}

export interface ChainsVerification {
  entries: number;
  /** The highest settlement id read. */
  headSeq: number;
}

type Tail = { n: number; hash: string; id: number; head: string | null };

/**
 * Walks every person-year's settlement chain in id order (ids grow along a chain: each is drawn
 * after the write before it): each settlement follows the hash before it, hashes to what it
 * holds, and the last is the head in the accumulator row. Problems carry chain -1 (a person's
 * settlement chain), the settlement id as seq and its place in the chain as chainSeq.
 */
export async function verifySettlementChains(
  q: Queryable,
  report: (p: AuditProblem) => void,
  /** Takes every person-year's head as a `certno:year:hash` line. */
  fingerprint: Hash,
  opts: { batch?: number | undefined; onProgress?: ((done: number) => void) | undefined } = {},
): Promise<ChainsVerification> {
  const batch = opts.batch ?? 5000;
  let entries = 0;
  let headSeq = 0;
  let person: string | null = null;
  let tails = new Map<number, Tail>();
  const problem = (t: Tail, year: number, kind: AuditProblem['kind'], detail: string) =>
    report({
      trail: 'settlement',
      seq: t.id,
      chain: -1,
      chainSeq: t.n,
      kind,
      detail: `year ${year}: ${detail}`,
    });
  const closePerson = () => {
    for (const year of [...tails.keys()].sort((a, b) => a - b)) {
      const t = tails.get(year)!;
      if (t.head !== t.hash) {
        problem(t, year, 'head_mismatch', `settlement ${t.id} ends the chain but is not its head`);
      }
      fingerprint.update(`${person}:${year}:${t.head}\n`);
    }
    tails = new Map();
  };
  let after = { certno: '', id: 0 };
  for (;;) {
    const page = await q.query<AuditedRow & { head: string | null }>(
      `${SELECT_AUDITED}, a.audit_hash AS head
         FROM settlement st LEFT JOIN accumulator a ON a.certno = st.certno AND a.year = st.year
        WHERE st.audit_hash IS NOT NULL AND (st.certno, st.settlement_id) > ($1, $2)
        ORDER BY st.certno, st.settlement_id LIMIT $3`,
      [after.certno, after.id, batch],
    );
    for (const r of page.rows) {
      if (r.certno !== person) {
        closePerson();
        person = r.certno;
      }
      const last = tails.get(r.year) ?? { n: 0, hash: CHAIN_GENESIS, id: 0, head: r.head };
      const t: Tail = { n: last.n + 1, hash: r.audit_hash, id: r.settlement_id, head: r.head };
      if (r.audit_prev !== last.hash) {
        problem(
          t,
          r.year,
          'broken_link',
          last.n === 0
            ? `settlement ${r.settlement_id} should begin the chain`
            : `settlement ${r.settlement_id} does not follow settlement ${last.id}`,
        );
      }
      if (chainHash(r.audit_prev, sealedBody(r, actorOf(r), r.at)) !== r.audit_hash) {
        problem(t, r.year, 'hash_mismatch', `settlement ${r.settlement_id} was altered`);
      }
      tails.set(r.year, t);
      headSeq = Math.max(headSeq, r.settlement_id);
      entries++;
      after = { certno: r.certno, id: r.settlement_id };
    }
    opts.onProgress?.(entries);
    if (page.rows.length < batch) break;
  }
  closePerson();
  // Heads with no settlement left under them: the whole chain was deleted.
  const orphans = await q.query<{ certno: string; year: number; audit_hash: string }>(
    `SELECT a.certno, a.year, a.audit_hash FROM accumulator a
      WHERE a.audit_hash IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM settlement st
         WHERE st.certno = a.certno AND st.year = a.year AND st.audit_hash IS NOT NULL)
      ORDER BY a.certno, a.year`,
  );
  for (const o of orphans.rows) {
    report({
      trail: 'settlement',
      seq: 0,
      chain: -1,
      chainSeq: 0,
      kind: 'head_mismatch',
      detail: `year ${o.year}: the person …${o.certno.slice(-4)} has a chain head but no settlements`,
    });
    fingerprint.update(`${o.certno}:${o.year}:${o.audit_hash}\n`);
  }
  return { entries, headSeq };
}
