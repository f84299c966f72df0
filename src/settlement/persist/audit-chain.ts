/**
 * A settlement is its own audit entry (migration 0014): its row holds who settled or cancelled,
 * when, what was paid and why, and a link in a hash chain of the person's settlements of the
 * medical year — `audit_hash` = sha256 over the previous settlement's hash and this row's sealed
 * fields, `audit_prev` the hash it follows, the chain's head in the person's accumulator row.
 * Editing a sealed field, deleting a settlement or rewinding the head breaks the chain, and
 * `triguard audit verify` reports it (audit-chain-read.ts).
 *
 * Pure: the write path seals what it is about to write, the verifier what it reads back; both
 * go through `sealedBody`, so they hash the same text.
 */
import { hash } from 'node:crypto';
import { TIERS } from '../../policy/index.ts';
import { wellFormedJson } from '../../kernel/canonical-json.ts';
import type { Accumulators } from '../accumulators.ts';
import type { SettlementAmounts } from '../calculate.ts';
import { AMOUNT_FIELDS } from '../trial-answer.ts';
import type { SettlementRow } from './repository.ts';

/** The hash a person-year's first settlement follows. */
export const CHAIN_GENESIS = '0'.repeat(64);

/** Who wrote a settlement, as the audit log names an actor. */
export interface AuditActor {
  id: string;
  name: string;
  roles: readonly string[];
  origin: string | null;
}

/**
 * What a settlement's hash covers: every column written once and never changed, except the
 * explanation, which is derived from the pack, the bill and the accumulators (all covered).
 * `cancelled_by` is left out: it is set later, and the cancellation's own entry records it.
 */
export type SealedColumns = Omit<
  SettlementRow,
  'cancelled_by' | 'explain' | 'actor_id' | 'created_at'
>;

/**
 * The sealed fields as one JSON array in a fixed order — no key sorting per settlement (a
 * generic canonical JSON would sort keys on the hot path of every settle request). Objects whose keys come from data (the accumulators' cap groups) are written as
 * key-sorted pairs; an absent value is null, as the database returns it. A field added to the
 * seal goes at the end, so that rows sealed before hash as they did. Strings are hashed as
 * PostgreSQL stores them (wellFormedJson). `actor`: who wrote the row
 * (its actor columns); `at`: when, as a UTC ISO timestamp with milliseconds (its created_at).
 */
export function sealedBody(s: SealedColumns, actor: AuditActor, at: string): string {
  // A lone surrogate in a request's text is stored as U+FFFD: hash what is stored.
  return wellFormedJson(
    JSON.stringify([
      s.settlement_id,
      s.certno,
      s.year,
      s.msgid,
      s.kind,
      s.original_id ?? null,
      s.fixmedins_code ?? null,
      s.region_code,
      s.bill_date,
      s.visit_type,
      s.hospital_level,
      s.diagnosis,
      s.remote ?? null,
      s.lines.map((l) => [l.amount, l.class, l.overLimit ?? null, l.selfPayRatio ?? null]),
      s.pack,
      s.categories,
      s.backstop_programme ?? null,
      AMOUNT_FIELDS.map((f) => s[f]),
      deltaArray(s.delta),
      actor.id,
      actor.name,
      actor.roles,
      actor.origin,
      s.reason ?? null,
      at,
      // The hospital's waiver (docs/settlement.md §9) is sealed when there is one; a settlement
      // without keeps the text it always had.
      ...(s.hosp_part_amt ? [[s.hosp_part_amt, s.waiver_programme ?? null]] : []),
    ]),
  );
}

function deltaArray(d: Accumulators): unknown[] {
  return [
    d.year,
    TIERS.map((t) => [d.tiers[t].base, d.tiers[t].paid]),
    sortedPairs(d.deductibleUsed),
    sortedPairs(d.basicCapPaid),
    sortedPairs(d.backstopCapPaid),
    d.oopInscope,
    d.oopTotal,
  ];
}

const sortedPairs = (r: Record<string, number>): [string, number][] =>
  Object.keys(r)
    .sort()
    .map((k) => [k, r[k]!]);

function amountRecord(s: SettlementAmounts): Record<string, number> {
  const amounts: Record<string, number> = {};
  for (const f of AMOUNT_FIELDS) amounts[f] = s[f];
  return amounts;
}

/** The link: sha256 over the hash the settlement follows and its sealed body. */
export function chainHash(prev: string, body: string): string {
  return hash('sha256', `${prev}\n${body}`, 'hex');
}

/**
 * The audit entry a settlement row stands for, in the audit log's terms — the same action,
 * entity and payload the log held for settlements before migration 0014.
 */
export interface SettlementAuditEntry {
  action: 'settlement.bill.settle' | 'settlement.bill.cancel';
  entity: 'settlement';
  entityId: string;
  before: unknown;
  after: unknown;
}

export function auditEntryOf(s: SealedColumns): SettlementAuditEntry {
  switch (s.kind) {
    case 'settle':
      return {
        action: 'settlement.bill.settle',
        entity: 'settlement',
        entityId: String(s.settlement_id),
        before: null,
        after: { msgid: s.msgid, pack: s.pack, amounts: amountRecord(s) },
      };
    case 'cancel':
      return {
        action: 'settlement.bill.cancel',
        entity: 'settlement',
        entityId: String(s.original_id),
        before: { status: 'settled' },
        after: { status: 'cancelled', cancelledBy: s.settlement_id },
      };
  }
}
