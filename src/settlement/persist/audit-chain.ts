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
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../auth/canonical-json.ts';
import type { Category } from '../../policy/types.ts';
import type { Accumulators } from '../accumulators.ts';
import type { Bill, BillLine } from '../bill.ts';
import type { SettlementAmounts } from '../calculate.ts';
import { AMOUNT_FIELDS } from '../trial-answer.ts';

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
export interface SealedSettlement extends SettlementAmounts {
  settlement_id: number;
  certno: string;
  year: number;
  msgid: string;
  kind: 'settle' | 'cancel';
  original_id: number | null;
  fixmedins_code: string | null;
  region_code: string;
  bill_date: string;
  visit_type: Bill['visitType'];
  hospital_level: Bill['hospitalLevel'];
  diagnosis: string;
  remote: Bill['remote'] | null;
  pack: string;
  categories: readonly Category[];
  backstop_programme: string | null;
  lines: readonly BillLine[];
  delta: Accumulators;
  actor: AuditActor;
  reason: string | null;
  /** UTC ISO timestamp with milliseconds: the row's created_at. */
  at: string;
}

/** The sealed fields as canonical JSON; absent and null hash the same (the database has null). */
export function sealedBody(s: SealedSettlement): string {
  return canonicalJson({
    settlementId: s.settlement_id,
    certno: s.certno,
    year: s.year,
    msgid: s.msgid,
    kind: s.kind,
    originalId: s.original_id ?? null,
    fixmedinsCode: s.fixmedins_code ?? null,
    regionCode: s.region_code,
    bill: {
      date: s.bill_date,
      visitType: s.visit_type,
      hospitalLevel: s.hospital_level,
      diagnosis: s.diagnosis,
      remote: s.remote ?? null,
      lines: s.lines,
    },
    pack: s.pack,
    categories: s.categories,
    backstopProgramme: s.backstop_programme ?? null,
    amounts: amountRecord(s),
    delta: s.delta,
    actor: { id: s.actor.id, name: s.actor.name, roles: s.actor.roles, origin: s.actor.origin },
    reason: s.reason ?? null,
    at: s.at,
  });
}

function amountRecord(s: SettlementAmounts): Record<string, number> {
  const amounts: Record<string, number> = {};
  for (const f of AMOUNT_FIELDS) amounts[f] = s[f];
  return amounts;
}

/** The link: sha256 over the hash the settlement follows and its sealed body. */
export function chainHash(prev: string, body: string): string {
  return createHash('sha256').update(`${prev}\n${body}`, 'utf8').digest('hex');
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

export function auditEntryOf(s: SealedSettlement): SettlementAuditEntry {
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
