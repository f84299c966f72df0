import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyAccumulators } from '../accumulators.ts';
import { AMOUNT_FIELDS } from '../trial-answer.ts';
import {
  auditEntryOf,
  CHAIN_GENESIS,
  chainHash,
  sealedBody,
  type AuditActor,
  type SealedColumns,
} from './audit-chain.ts';

/** A row's sealed columns with who wrote it and when. */
type Sealed = SealedColumns & { actor: AuditActor; at: string };
const body = (s: Sealed) => sealedBody(s, s.actor, s.at);

const amounts = Object.fromEntries(AMOUNT_FIELDS.map((f, i) => [f, i * 100])) as Pick<
  Sealed,
  (typeof AMOUNT_FIELDS)[number]
>;

const sealed = (): Sealed => ({
  ...amounts,
  settlement_id: 42,
  certno: '370899196001010011',
  year: 2022,
  msgid: 'm-1',
  kind: 'settle',
  original_id: null,
  fixmedins_code: 'H37089900001',
  region_code: '370899001001',
  bill_date: '2022-03-15',
  visit_type: 'inpatient',
  hospital_level: 2,
  diagnosis: 'K35.8',
  remote: null,
  pack: 'demo-2022',
  categories: ['subsistence'],
  backstop_programme: null,
  lines: [{ amount: 100, class: 'B', overLimit: 5 }],
  delta: {
    ...emptyAccumulators(2022),
    basicCapPaid: { main: 10, general: 3 },
  },
  actor: { id: 'u:1', name: '经办', roles: ['clerk'], origin: '10.0.0.1' },
  reason: null,
  at: '2022-03-15T08:00:00.000Z',
});

describe('settlement audit chain', () => {
  it('seals the same settlement the same way whatever the key order the database gives back', () => {
    const a = sealed();
    const b = sealed();
    // jsonb hands objects back with their keys reordered; absent and null are the same.
    b.lines = [{ overLimit: 5, class: 'B', amount: 100 }];
    b.delta = { ...b.delta, basicCapPaid: { general: 3, main: 10 } };
    b.original_id = undefined as unknown as null;
    expect(body(b)).toBe(body(a));
    // A cancellation's negated zeros are zeros.
    b.delta = { ...b.delta, oopTotal: -0 };
    expect(body(b)).toBe(body(a));
  });

  it('changes with every sealed field', () => {
    const base = body(sealed());
    const edits: ((s: Sealed) => void)[] = [
      (s) => (s.hifp_pay += 1),
      (s) => (s.psn_cash_pay -= 1),
      (s) => (s.lines = [{ amount: 101, class: 'B', overLimit: 5 }]),
      (s) => (s.lines = [{ amount: 100, class: 'B', overLimit: 5, selfPayRatio: 1000 }]),
      (s) => (s.delta = { ...s.delta, basicCapPaid: { main: 11, general: 3 } }),
      (s) => (s.delta = { ...s.delta, deductibleUsed: { inpatient: 1 } }),
      (s) => (s.categories = []),
      (s) => (s.actor = { ...s.actor, roles: ['admin'] }),
      (s) => (s.reason = 'x'),
      (s) => (s.at = '2022-03-15T08:00:00.001Z'),
      (s) => (s.bill_date = '2022-03-16'),
      (s) => (s.msgid = 'm-2'),
    ];
    for (const edit of edits) {
      const s = sealed();
      edit(s);
      expect(body(s)).not.toBe(base);
    }
  });

  it('links by sha256 over the previous hash and the body', () => {
    const text = body(sealed());
    expect(chainHash(CHAIN_GENESIS, text)).toBe(
      createHash('sha256').update(`${CHAIN_GENESIS}\n${text}`).digest('hex'),
    );
    expect(chainHash('1'.repeat(64), text)).not.toBe(chainHash(CHAIN_GENESIS, text));
  });

  it('stands for the audit entries the log held for settlements and cancellations', () => {
    expect(auditEntryOf(sealed())).toEqual({
      action: 'settlement.bill.settle',
      entity: 'settlement',
      entityId: '42',
      before: null,
      after: { msgid: 'm-1', pack: 'demo-2022', amounts },
    });
    const cancel = { ...sealed(), kind: 'cancel' as const, settlement_id: 43, original_id: 42 };
    expect(auditEntryOf(cancel)).toEqual({
      action: 'settlement.bill.cancel',
      entity: 'settlement',
      entityId: '42',
      before: { status: 'settled' },
      after: { status: 'cancelled', cancelledBy: 43 },
    });
  });
});
