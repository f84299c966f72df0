/**
 * Verifying the audit trail (`triguard audit verify`, GET /api/v1/audit/verify): the audit log's
 * hash chains, and the settlements, which are their own audit entries chained per person and
 * medical year (settlement/persist/audit-chain.ts).
 */
import { createHash, type Hash } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import { verifySettlementChains } from '../settlement/persist/audit-chain-read.ts';
import {
  AUDIT_SELECT,
  CHAINS,
  GENESIS_HASH,
  hashRecord,
  toRecord,
  type AuditProblem,
  type AuditRow,
  type AuditVerification,
} from './audit.ts';

export interface VerifyOptions {
  batch?: number;
  maxProblems?: number;
  onProgress?: (done: number) => void;
}

/**
 * Verifies the whole audit trail: the log's chains (verifyLog) and every person-year's chain of
 * settlements (audit-chain-read.ts). Reports up to `maxProblems` problems; `headHash` covers the
 * heads of both.
 */
export async function verifyAudit(
  db: Queryable,
  opts: VerifyOptions = {},
): Promise<AuditVerification> {
  const maxProblems = opts.maxProblems ?? 100;
  const problems: AuditProblem[] = [];
  const report = (p: AuditProblem) => {
    if (problems.length < maxProblems) problems.push(p);
  };
  // One fingerprint of every head: the log's chains, then each person-year's settlements.
  const fingerprint = createHash('sha256');
  const log = await verifyLog(db, report, fingerprint, opts);
  const settlements = await verifySettlementChains(db, report, fingerprint, {
    batch: opts.batch,
    onProgress: opts.onProgress && ((n) => opts.onProgress?.(log.entries + n)),
  });
  return {
    ok: problems.length === 0,
    entries: log.entries + settlements.entries,
    headSeq: Math.max(log.headSeq, settlements.headSeq),
    headHash: fingerprint.digest('hex'),
    problems,
  };
}

/**
 * Walks every chain of the log in `chainSeq` order: each entry follows the one before (a gap is a
 * deleted entry), each prev_hash is the previous entry's hash, each hash matches its
 * recomputation, and each chain's last entry is its head (a deleted tail).
 */
async function verifyLog(
  db: Queryable,
  report: (p: AuditProblem) => void,
  fingerprint: Hash,
  opts: VerifyOptions,
): Promise<{ entries: number; headSeq: number }> {
  const batch = opts.batch ?? 5000;
  const heads = await db.query<{ chain: number; chain_seq: number; hash: string }>(
    'SELECT chain, chain_seq, hash FROM audit_head ORDER BY chain',
  );
  const tails = new Map<number, { chainSeq: number; hash: string; seq: number }>();
  let entries = 0;
  let headSeq = 0;
  let after = { chain: -1, chainSeq: 0 };
  for (;;) {
    const page = await db.query<AuditRow>(
      `${AUDIT_SELECT} WHERE (chain, chain_seq) > ($1, $2) ORDER BY chain, chain_seq LIMIT $3`,
      [after.chain, after.chainSeq, batch],
    );
    for (const row of page.rows) {
      const r = toRecord(row);
      const last = tails.get(r.chain) ?? { chainSeq: 0, hash: GENESIS_HASH, seq: 0 };
      const at = { seq: r.seq, chain: r.chain, chainSeq: r.chainSeq };
      if (r.chainSeq !== last.chainSeq + 1) {
        report({
          trail: 'log',
          ...at,
          kind: 'gap',
          detail: `chain ${r.chain}: entries ${last.chainSeq + 1}..${r.chainSeq - 1} are missing`,
        });
      }
      if (r.prevHash !== last.hash) {
        report({
          trail: 'log',
          ...at,
          kind: 'broken_link',
          detail: `prev_hash does not match the hash of chain ${r.chain} entry ${last.chainSeq}`,
        });
      }
      if (hashRecord(r) !== r.hash) {
        report({
          trail: 'log',
          ...at,
          kind: 'hash_mismatch',
          detail: 'the entry was altered after it was written',
        });
      }
      tails.set(r.chain, { chainSeq: r.chainSeq, hash: r.hash, seq: r.seq });
      headSeq = Math.max(headSeq, r.seq);
      entries++;
      after = { chain: r.chain, chainSeq: r.chainSeq };
    }
    opts.onProgress?.(entries);
    if (page.rows.length < batch) break;
  }
  if (heads.rows.length !== CHAINS + 1) {
    report({
      trail: 'log',
      seq: headSeq,
      chain: -1,
      chainSeq: 0,
      kind: 'head_mismatch',
      detail: `expected ${CHAINS + 1} chain heads, found ${heads.rows.length}`,
    });
  }
  for (const h of heads.rows) {
    const chain = Number(h.chain);
    const tail = tails.get(chain) ?? { chainSeq: 0, hash: GENESIS_HASH, seq: 0 };
    if (Number(h.chain_seq) !== tail.chainSeq || h.hash !== tail.hash) {
      report({
        trail: 'log',
        seq: tail.seq,
        chain,
        chainSeq: Number(h.chain_seq),
        kind: 'head_mismatch',
        detail: `chain ${chain}: the head is entry ${h.chain_seq} but the chain ends at entry ${tail.chainSeq}`,
      });
    }
    fingerprint.update(`${chain}:${h.chain_seq}:${h.hash}\n`);
  }
  return { entries, headSeq };
}
