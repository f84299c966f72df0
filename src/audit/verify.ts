/**
 * Verifying the audit trail (`triguard audit verify`, GET /api/v1/audit/verify; docs/audit.md):
 * the audit log's hash chains; the settlements, which are their own audit entries chained per
 * person and medical year (src/settlement/persist/audit-chain.ts), with their ledger rows and the
 * accumulator rows they add up to; the registry's rows against their last audit entries; and
 * every chain against the last checkpoint (checkpoint.ts).
 */
import { createHash, type Hash } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import {
  CHECKPOINT_ACTION,
  checkpointDigest,
  latestCheckpoint,
  type Checkpoint,
} from './checkpoint.ts';
import type { AuditTrails } from './trails.ts';
import {
  AUDIT_SELECT,
  CHAINS,
  GENESIS_HASH,
  hashRecord,
  toRecord,
  type AuditProblem,
  type AuditRecord,
  type AuditRow,
  type AuditVerification,
} from './log.ts';

export interface VerifyOptions {
  batch?: number;
  maxProblems?: number;
  onProgress?: (done: number) => void;
  /**
   * Verify against this checkpoint (an exported file) instead of the last one in the database.
   */
  checkpoint?: Checkpoint;
}

/** What the verification compared the chains with. */
export interface CheckpointUsed {
  id: number;
  at: string;
  digest: string;
  source: 'database' | 'file';
}

/**
 * Verifies the whole audit trail: the log's chains (verifyLog) and every person-year's chain of
 * settlements (the settlement trail, trails.ts). Reports up to `maxProblems` problems; `headHash` covers the
 * heads of both.
 */
export async function verifyAudit(
  db: Queryable,
  trails: AuditTrails,
  opts: VerifyOptions = {},
): Promise<AuditVerification & { checkpoint: CheckpointUsed | null; rows: number }> {
  const maxProblems = opts.maxProblems ?? 100;
  const problems: AuditProblem[] = [];
  const report = (p: AuditProblem) => {
    if (problems.length < maxProblems) problems.push(p);
  };
  const checkpointProblem = (seq: number, detail: string) =>
    report({ trail: 'log', seq, chain: -1, chainSeq: 0, kind: 'checkpoint_mismatch', detail });
  const checkpoint = opts.checkpoint ?? (await latestCheckpoint(db));
  if (checkpoint && checkpointDigest(checkpoint) !== checkpoint.digest) {
    checkpointProblem(
      checkpoint.id,
      `checkpoint ${checkpoint.id}: its heads no longer hash to its digest ${checkpoint.digest}`,
    );
  }
  // The checkpoints the log recorded (id → digest), and every registry row's last seal.
  const recorded = new Map<string, { seq: number; digest: string }>();
  const seals = trails.registry.seals();
  const onEntry = (r: AuditRecord) => {
    seals.take(r);
    if (r.action === CHECKPOINT_ACTION && r.after !== null) {
      try {
        const digest = String((JSON.parse(r.after) as { digest?: unknown }).digest);
        recorded.set(r.entityId, { seq: r.seq, digest });
      } catch {
        // an altered entry: its hash check reports it
      }
    }
  };
  // One fingerprint of every head: the log's chains, then each person-year's settlements.
  const fingerprint = createHash('sha256');
  const log = await verifyLog(db, report, fingerprint, { ...opts, checkpoint, onEntry });
  if (checkpoint) {
    const entry = recorded.get(String(checkpoint.id));
    if (entry === undefined) {
      checkpointProblem(
        checkpoint.id,
        `checkpoint ${checkpoint.id} (${checkpoint.at}) has no audit entry in the log`,
      );
    } else if (entry.digest !== checkpoint.digest) {
      checkpointProblem(
        entry.seq,
        `checkpoint ${checkpoint.id}: the log recorded digest ${entry.digest}, the checkpoint holds ${checkpoint.digest}`,
      );
    }
  }
  // The newest checkpoint the log recorded must still be in the database (someone may delete
  // checkpoint rows to hide a rewind: an exported copy is the stronger check).
  const newest = [...recorded].sort((a, b) => b[1].seq - a[1].seq)[0];
  if (!opts.checkpoint && newest && Number(newest[0]) !== checkpoint?.id) {
    checkpointProblem(
      newest[1].seq,
      `checkpoint ${newest[0]}, recorded by audit entry ${newest[1].seq}, is not the database's last checkpoint`,
    );
  }
  const settlements = await trails.settlements.verify(db, report, fingerprint, {
    batch: opts.batch,
    onProgress: opts.onProgress && ((n) => opts.onProgress?.(log.entries + n)),
    checkpoint: new Map(
      (checkpoint?.settlements ?? []).map(([certno, year, n, hash]) => [
        `${certno}:${year}`,
        { n, hash },
      ]),
    ),
  });
  const rows = await seals.verify(db, report, opts.batch);
  return {
    ok: problems.length === 0,
    entries: log.entries + settlements.entries,
    headSeq: Math.max(log.headSeq, settlements.headSeq),
    headHash: fingerprint.digest('hex'),
    problems,
    checkpoint: checkpoint && {
      id: checkpoint.id,
      at: checkpoint.at,
      digest: checkpoint.digest,
      source: opts.checkpoint ? 'file' : 'database',
    },
    rows,
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
  opts: Omit<VerifyOptions, 'checkpoint'> & {
    checkpoint: Checkpoint | null;
    onEntry: (r: AuditRecord) => void;
  },
): Promise<{ entries: number; headSeq: number }> {
  const checkpointed = new Map(
    (opts.checkpoint?.log ?? []).map(([c, n, h]) => [c, { n, hash: h }]),
  );
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
      const cp = checkpointed.get(r.chain);
      if (cp !== undefined && cp.n === r.chainSeq && cp.hash !== r.hash) {
        report({
          trail: 'log',
          ...at,
          kind: 'rewound',
          detail: `chain ${r.chain}: entry ${r.chainSeq} is not the one the checkpoint recorded`,
        });
      }
      opts.onEntry(r);
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
  for (const [chain, cp] of checkpointed) {
    const tail = tails.get(chain) ?? { chainSeq: 0, hash: GENESIS_HASH, seq: 0 };
    if (tail.chainSeq < cp.n) {
      report({
        trail: 'log',
        seq: tail.seq,
        chain,
        chainSeq: tail.chainSeq,
        kind: 'rewound',
        detail: `chain ${chain} ends at entry ${tail.chainSeq}, the checkpoint recorded ${cp.n}: entries were removed`,
      });
    }
  }
  return { entries, headSeq };
}
