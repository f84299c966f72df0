/**
 * Reading settlements as audit entries (audit-chain.ts): the audit log's search shows them beside
 * the log's own entries, and `verifyAudit` walks every person-year's chain with this module.
 * Rows written before migration 0014 (no audit_hash) have their entries in the audit log instead.
 */
import type { Hash } from 'node:crypto';
import { TIERS } from '../../policy/index.ts';
import { applyDelta, emptyAccumulators, type Accumulators } from '../accumulators.ts';
import { accumulatorDifferences } from '../accumulator-replay.ts';
import type { Queryable } from '../../db/db.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import {
  parseRoles,
  UTC_MS,
  type AuditEntryRecord,
  type AuditProblem,
  type AuditTrails,
  type ChainsVerification,
  type CheckpointedChains,
  type SettlementAuditFilter,
} from '../../audit/index.ts';
import { canonicalJson } from '../../kernel/canonical-json.ts';
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
  st.audit_prev, st.audit_hash, st.hosp_part_amt, st.waiver_programme`;

const actorOf = (
  r: Pick<AuditedRow, 'actor_id' | 'actor_name' | 'actor_roles' | 'actor_origin'>,
): AuditActor => ({
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

/** A person-year's chain as the walk has read it so far. */
interface Tail {
  /** Sealed links read (rows written before migration 0014 have none). */
  n: number;
  hash: string;
  id: number;
  head: string | null;
  /** The stored accumulator row (null: there is none). */
  stored: StoredAccumulator | null;
  /** The deltas added up in id order; null once one could not be added (named in `failed`). */
  acc: Accumulators | null;
  failed: string | null;
  /** Settlements less cancellations, as the accumulator row counts them. */
  count: number;
}

interface StoredAccumulator {
  state: unknown;
  oop_inscope: number;
  oop_total: number;
  settlements: number;
}

/** A settlement's ledger rows as [tier, base, paid, year]. */
type LedgerRow = [string, number, number, number];

type WalkedRow = Omit<AuditedRow, 'audit_prev' | 'audit_hash'> & {
  audit_prev: string | null;
  audit_hash: string | null;
  head: string | null;
  acc_state: unknown;
  acc_oop_inscope: number | null;
  acc_oop_total: number | null;
  acc_settlements: number | null;
  ledger: LedgerRow[] | null;
};

const key = (certno: string, year: number) => `${certno}:${year}`;

/**
 * Walks every person's settlements in id order (ids grow along a chain: each is drawn after the
 * write before it) and checks, per person-year:
 * - the chain: each settlement follows the hash before it, hashes to what it holds, and the last
 *   is the head in the accumulator row;
 * - the ledger: a settlement's ledger rows hold exactly the tiers of its sealed delta (the ledger
 *   is written from the delta, so the seal covers it);
 * - the accumulators: the row's state and columns are what the settlements' deltas add up to;
 * - the checkpoint, if any: the chain still has the checkpointed link at the checkpointed place.
 * Problems carry chain -1 (a person's settlement chain), the settlement id as seq and its place in
 * the chain as chainSeq, the person and the year.
 */
export async function verifySettlementChains(
  q: Queryable,
  report: (p: AuditProblem) => void,
  /** Takes every person-year's head as a `certno:year:hash` line. */
  fingerprint: Hash,
  opts: {
    batch?: number | undefined;
    onProgress?: ((done: number) => void) | undefined;
    checkpoint?: CheckpointedChains | undefined;
  } = {},
): Promise<ChainsVerification> {
  const batch = opts.batch ?? 5000;
  const checkpoint = opts.checkpoint ?? new Map<string, { n: number; hash: string }>();
  const checkpointSeen = new Set<string>();
  let entries = 0;
  let headSeq = 0;
  let person: string | null = null;
  let tails = new Map<number, Tail>();
  const problem = (
    certno: string,
    t: { id: number; n: number },
    year: number,
    kind: AuditProblem['kind'],
    detail: string,
  ) =>
    report({
      trail: 'settlement',
      seq: t.id,
      chain: -1,
      chainSeq: t.n,
      kind,
      certno,
      year,
      detail: `person …${certno.slice(-4)} year ${year}: ${detail}`,
    });
  const closePerson = () => {
    if (person === null) return;
    for (const year of [...tails.keys()].sort((a, b) => a - b)) {
      const t = tails.get(year)!;
      if (t.n > 0 && t.head !== t.hash) {
        problem(
          person,
          t,
          year,
          'head_mismatch',
          `settlement ${t.id} ends the chain but is not its head`,
        );
      }
      checkAccumulator(person, year, t);
      const cp = checkpoint.get(key(person, year));
      if (cp !== undefined) {
        checkpointSeen.add(key(person, year));
        if (t.n < cp.n) {
          problem(
            person,
            t,
            year,
            'rewound',
            `the chain has ${t.n} settlements, the checkpoint recorded ${cp.n}: settlements were removed`,
          );
        }
      }
      if (t.n > 0) fingerprint.update(`${person}:${year}:${t.head}\n`);
    }
    tails = new Map();
  };
  const checkAccumulator = (certno: string, year: number, t: Tail) => {
    if (t.stored === null) {
      problem(certno, t, year, 'accumulator_mismatch', 'the accumulator row is missing');
      return;
    }
    if (t.acc === null) {
      problem(
        certno,
        t,
        year,
        'accumulator_mismatch',
        `the settlements do not add up: ${t.failed} would go below zero`,
      );
      return;
    }
    const diffs = accumulatorDifferences(t.acc, t.stored.state);
    const column = (field: string, want: number, got: number) => {
      if (Number(got) !== want) diffs.push({ field, expected: want, stored: got });
    };
    column('oop_inscope', t.acc.oopInscope, t.stored.oop_inscope);
    column('oop_total', t.acc.oopTotal, t.stored.oop_total);
    column('settlements', t.count, t.stored.settlements);
    if (diffs.length > 0) {
      problem(
        certno,
        t,
        year,
        'accumulator_mismatch',
        `the accumulator row differs from what its settlements add up to: ${diffs
          .map((d) => `${d.field} is ${JSON.stringify(d.stored)}, should be ${d.expected}`)
          .join('; ')}`,
      );
    }
  };
  const checkLedger = (r: WalkedRow, t: Tail) => {
    const rows = r.ledger ?? [];
    const wrong: string[] = [];
    for (const tier of TIERS) {
      const want = r.delta.tiers[tier];
      const got = rows.find((l) => l[0] === tier);
      const base = got ? Number(got[1]) : 0;
      const paid = got ? Number(got[2]) : 0;
      const year = got ? Number(got[3]) : r.year;
      if (base !== want.base || paid !== want.paid || year !== r.year) {
        wrong.push(
          `${tier}: the ledger holds ${got ? `base ${base}, paid ${paid}${year !== r.year ? ` in year ${year}` : ''}` : 'no row'}, the sealed settlement moved base ${want.base}, paid ${want.paid}`,
        );
      }
    }
    if (wrong.length > 0) {
      problem(
        r.certno,
        t,
        r.year,
        'ledger_mismatch',
        `settlement ${r.settlement_id}'s ledger rows differ: ${wrong.join('; ')}`,
      );
    }
  };
  let after = { certno: '', id: 0 };
  for (;;) {
    const page = await q.query<WalkedRow>(
      `${SELECT_AUDITED}, a.audit_hash AS head, a.state AS acc_state,
              a.oop_inscope AS acc_oop_inscope, a.oop_total AS acc_oop_total,
              a.settlements AS acc_settlements,
              (SELECT json_agg(json_build_array(l.tier, l.base, l.paid, l.year))
                 FROM settlement_ledger l
                WHERE l.certno = st.certno AND l.settlement_id = st.settlement_id) AS ledger
         FROM settlement st LEFT JOIN accumulator a ON a.certno = st.certno AND a.year = st.year
        WHERE (st.certno, st.settlement_id) > ($1, $2)
        ORDER BY st.certno, st.settlement_id LIMIT $3`,
      [after.certno, after.id, batch],
    );
    for (const r of page.rows) {
      if (r.certno !== person) {
        closePerson();
        person = r.certno;
      }
      const last: Tail = tails.get(r.year) ?? {
        n: 0,
        hash: CHAIN_GENESIS,
        id: 0,
        head: r.head,
        stored:
          r.acc_oop_inscope === null
            ? null
            : {
                state: r.acc_state,
                oop_inscope: r.acc_oop_inscope,
                oop_total: Number(r.acc_oop_total),
                settlements: Number(r.acc_settlements),
              },
        acc: emptyAccumulators(r.year),
        failed: null,
        count: 0,
      };
      const t: Tail = {
        ...last,
        id: r.settlement_id,
        count: last.count + (r.kind === 'settle' ? 1 : -1),
      };
      if (t.acc !== null) {
        try {
          t.acc = applyDelta(t.acc, r.delta);
        } catch (e) {
          t.acc = null;
          const field = (e as { field?: unknown }).field;
          t.failed = typeof field === 'string' ? field : 'the year';
        }
      }
      if (r.audit_hash !== null) {
        t.n = last.n + 1;
        t.hash = r.audit_hash;
        if (r.audit_prev !== last.hash) {
          problem(
            r.certno,
            t,
            r.year,
            'broken_link',
            last.n === 0
              ? `settlement ${r.settlement_id} should begin the chain`
              : `settlement ${r.settlement_id} does not follow settlement ${last.id}`,
          );
        }
        if (chainHash(r.audit_prev ?? '', sealedBody(r, actorOf(r), r.at)) !== r.audit_hash) {
          problem(
            r.certno,
            t,
            r.year,
            'hash_mismatch',
            `settlement ${r.settlement_id} was altered`,
          );
        }
        const cp = checkpoint.get(key(r.certno, r.year));
        if (cp !== undefined && cp.n === t.n && cp.hash !== r.audit_hash) {
          problem(
            r.certno,
            t,
            r.year,
            'rewound',
            `settlement ${r.settlement_id} holds place ${t.n} of the chain, where the checkpoint recorded another settlement`,
          );
        }
      }
      checkLedger(r, t);
      tails.set(r.year, t);
      headSeq = Math.max(headSeq, r.settlement_id);
      entries++;
      after = { certno: r.certno, id: r.settlement_id };
    }
    opts.onProgress?.(entries);
    if (page.rows.length < batch) break;
  }
  closePerson();
  // Heads with no sealed settlement left under them: the whole chain was deleted. Accumulator rows
  // with no settlement at all must be empty.
  const orphans = await q.query<{
    certno: string;
    year: number;
    audit_hash: string | null;
    state: unknown;
    oop_inscope: number;
    oop_total: number;
    settlements: number;
    any_settlement: boolean;
  }>(
    `SELECT a.certno, a.year, a.audit_hash, a.state, a.oop_inscope, a.oop_total, a.settlements,
            EXISTS (SELECT 1 FROM settlement st WHERE st.certno = a.certno AND st.year = a.year)
              AS any_settlement
       FROM accumulator a
      WHERE NOT EXISTS (
        SELECT 1 FROM settlement st
         WHERE st.certno = a.certno AND st.year = a.year AND st.audit_hash IS NOT NULL)
      ORDER BY a.certno, a.year`,
  );
  for (const o of orphans.rows) {
    const at = { id: 0, n: 0 };
    if (o.audit_hash !== null) {
      problem(o.certno, at, o.year, 'head_mismatch', 'the chain has a head but no settlements');
      fingerprint.update(`${o.certno}:${o.year}:${o.audit_hash}\n`);
    }
    if (!o.any_settlement) {
      checkAccumulator(o.certno, o.year, {
        ...at,
        hash: CHAIN_GENESIS,
        head: o.audit_hash,
        stored: {
          state: o.state,
          oop_inscope: Number(o.oop_inscope),
          oop_total: Number(o.oop_total),
          settlements: Number(o.settlements),
        },
        acc: emptyAccumulators(Number(o.year)),
        failed: null,
        count: 0,
      });
    }
  }
  // Ledger rows of no settlement (the settlement was deleted, or the rows were added).
  const strays = await q.query<{
    certno: string;
    year: number;
    settlement_id: number;
    tiers: string;
  }>(
    `SELECT l.certno, min(l.year) AS year, l.settlement_id, string_agg(l.tier, ', ' ORDER BY l.tier) AS tiers
       FROM settlement_ledger l
      WHERE NOT EXISTS (SELECT 1 FROM settlement st
                         WHERE st.certno = l.certno AND st.settlement_id = l.settlement_id)
      GROUP BY l.certno, l.settlement_id
      ORDER BY l.certno, l.settlement_id`,
  );
  for (const l of strays.rows) {
    problem(
      l.certno,
      { id: Number(l.settlement_id), n: 0 },
      Number(l.year),
      'ledger_mismatch',
      `ledger rows (${l.tiers}) of settlement ${l.settlement_id}, which does not exist`,
    );
  }
  // Checkpointed chains with no settlement left at all.
  for (const [k, cp] of checkpoint) {
    if (checkpointSeen.has(k)) continue;
    const [certno, year] = [
      k.slice(0, k.lastIndexOf(':')),
      Number(k.slice(k.lastIndexOf(':') + 1)),
    ];
    problem(
      certno,
      { id: 0, n: 0 },
      year,
      'rewound',
      `the chain has no settlements, the checkpoint recorded ${cp.n}: settlements were removed`,
    );
  }
  return { entries, headSeq };
}

/** The settlements' trail, as the audit domain reads and verifies it. */
export const settlementTrail: AuditTrails['settlements'] = {
  entries: settlementAuditEntries,
  verify: verifySettlementChains,
};
