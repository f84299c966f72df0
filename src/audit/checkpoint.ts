/**
 * Checkpoints of the audit trail (migration 0015, docs/audit.md): every chain head at one moment
 * — each log chain's place and hash, each person-year's settlement chain length and last hash —
 * with one sha256 digest over them all, like a transparency log's tree head. A checkpoint is
 * written to `audit_checkpoint` and as an audit_log entry holding its digest, and can be exported
 * to a file kept off the database: `verifyAudit` then reports any chain that no longer extends
 * its checkpointed head (rewound, truncated, or rewritten before that point).
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/db.ts';
import { invalid } from '../kernel/errors.ts';
import { appendAudit, UTC_MS } from './log.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { AuditTrails } from './trails.ts';

export const CHECKPOINT_FORMAT = 'triguard-audit-checkpoint/1';
export const CHECKPOINT_ACTION = 'audit.checkpoint.create';

/** A log chain's head: [chain, chainSeq, hash]. */
export type LogHead = [number, number, string];
/** A person-year's settlement chain head: [certno, year, length, hash of its last link]. */
export type SettlementHead = [string, number, number, string];

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  id: number;
  /** UTC ISO timestamp with milliseconds. */
  at: string;
  digest: string;
  log: LogHead[];
  settlements: SettlementHead[];
}

/** sha256 over the time and every head, one per line, log chains first, people in key order. */
export function checkpointDigest(c: Pick<Checkpoint, 'at' | 'log' | 'settlements'>): string {
  const h = createHash('sha256').update(`${CHECKPOINT_FORMAT}\n${c.at}\n`);
  for (const [chain, seq, hash] of c.log) h.update(`log:${chain}:${seq}:${hash}\n`);
  for (const [certno, year, n, hash] of c.settlements) {
    h.update(`settlement:${certno}:${year}:${n}:${hash}\n`);
  }
  return h.digest('hex');
}

const byKey = (a: SettlementHead, b: SettlementHead) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1];

/** A summary of a checkpoint, without its settlement heads (what the CLI prints). */
export const checkpointSummary = (c: Checkpoint) => ({
  format: c.format,
  id: c.id,
  at: c.at,
  digest: c.digest,
  log: c.log,
  settlementChains: c.settlements.length,
});

const HEAD_BATCH = 10_000;

/**
 * Takes a checkpoint: reads every head, stores the checkpoint and its heads (dropping the heads
 * of older checkpoints), and appends its audit entry, in one transaction.
 */
export async function takeCheckpoint(
  db: Db,
  trails: AuditTrails,
  actor: Actor,
): Promise<Checkpoint> {
  return db.transaction(async (tx) => {
    // The first checkpoint also seals the registry rows nothing sealed yet.
    await trails.registry.baseline(tx, actor);
    const log = (
      await tx.query<{ chain: number; chain_seq: number; hash: string }>(
        'SELECT chain, chain_seq, hash FROM audit_head ORDER BY chain',
      )
    ).rows.map((r): LogHead => [Number(r.chain), Number(r.chain_seq), r.hash]);
    // One statement, one snapshot: a chain's length and its head's hash agree.
    const settlements = (
      await tx.query<{ certno: string; year: number; n: number; hash: string }>(
        `SELECT a.certno, a.year, count(*)::int AS n, a.audit_hash AS hash
           FROM accumulator a JOIN settlement st
             ON st.certno = a.certno AND st.year = a.year AND st.audit_hash IS NOT NULL
          WHERE a.audit_hash IS NOT NULL
          GROUP BY a.certno, a.year, a.audit_hash`,
      )
    ).rows
      .map((r): SettlementHead => [r.certno, Number(r.year), Number(r.n), r.hash])
      .sort(byKey);
    const at = new Date().toISOString();
    const digest = checkpointDigest({ at, log, settlements });
    const id = Number(
      (
        await tx.query<{ id: number }>(
          `INSERT INTO audit_checkpoint (at, digest, log_heads, chains)
           VALUES ($1::timestamptz, $2, $3::json, $4) RETURNING checkpoint_id AS id`,
          [at, digest, JSON.stringify(log), settlements.length],
        )
      ).rows[0]!.id,
    );
    await tx.query('DELETE FROM audit_checkpoint_head WHERE checkpoint_id < $1', [id]);
    for (let i = 0; i < settlements.length; i += HEAD_BATCH) {
      await tx.query(
        `INSERT INTO audit_checkpoint_head (checkpoint_id, certno, year, n, hash)
         SELECT $1, h->>0, (h->>1)::int, (h->>2)::int, h->>3 FROM json_array_elements($2::json) h`,
        [id, JSON.stringify(settlements.slice(i, i + HEAD_BATCH))],
      );
    }
    await appendAudit(tx, {
      actor,
      action: CHECKPOINT_ACTION,
      entity: 'audit_checkpoint',
      entityId: String(id),
      certno: null,
      before: null,
      after: { at, digest, settlementChains: settlements.length, log },
    });
    return { format: CHECKPOINT_FORMAT, id, at, digest, log, settlements };
  });
}

/** The latest checkpoint in the database, with its heads as stored (null: none). */
export async function latestCheckpoint(q: Queryable): Promise<Checkpoint | null> {
  const cp = (
    await q.query<{ id: number; at: string; digest: string; log_heads: LogHead[] }>(
      `SELECT checkpoint_id AS id, to_char(at AT TIME ZONE 'UTC', ${UTC_MS}) AS at, digest,
              log_heads FROM audit_checkpoint ORDER BY checkpoint_id DESC LIMIT 1`,
    )
  ).rows[0];
  if (!cp) return null;
  const heads = await q.query<{ certno: string; year: number; n: number; hash: string }>(
    `SELECT certno, year, n, hash FROM audit_checkpoint_head WHERE checkpoint_id = $1
      ORDER BY certno, year`,
    [cp.id],
  );
  return {
    format: CHECKPOINT_FORMAT,
    id: Number(cp.id),
    at: cp.at,
    digest: cp.digest,
    log: cp.log_heads,
    settlements: heads.rows.map((r) => [r.certno, Number(r.year), Number(r.n), r.hash]),
  };
}

/** A checkpoint read from an exported file; throws a 4xx-style error naming what is wrong. */
export function parseCheckpoint(text: string): Checkpoint {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw badFile('not JSON');
  }
  const c = v as Partial<Checkpoint>;
  if (
    typeof v !== 'object' ||
    v === null ||
    c.format !== CHECKPOINT_FORMAT ||
    typeof c.id !== 'number' ||
    typeof c.at !== 'string' ||
    typeof c.digest !== 'string' ||
    !Array.isArray(c.log) ||
    !Array.isArray(c.settlements) ||
    !c.log.every(
      (h) =>
        Array.isArray(h) &&
        typeof h[0] === 'number' &&
        typeof h[1] === 'number' &&
        typeof h[2] === 'string',
    ) ||
    !c.settlements.every(
      (h) =>
        Array.isArray(h) &&
        typeof h[0] === 'string' &&
        typeof h[1] === 'number' &&
        typeof h[2] === 'number' &&
        typeof h[3] === 'string',
    )
  ) {
    throw badFile(`not a ${CHECKPOINT_FORMAT} document`);
  }
  return c as Checkpoint;
}

const badFile = (why: string) =>
  invalid(
    'audit.checkpoint_file',
    'checkpoint',
    `检查点文件无效：${why}`,
    `the checkpoint file is not valid: ${why}`,
  );
