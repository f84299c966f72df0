/**
 * A settlement is its own audit entry (audit-chain.ts): the audit search shows settlements and
 * cancellations as it showed the log's entries for them, scoped like the rest, and the verifier
 * finds an altered, deleted or unlinked settlement and a rewound or orphaned chain head.
 */
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { makeId } from '../../kernel/idcard.ts';
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import { recordAudit } from '../../audit/log.ts';
import { queryAudit } from '../../app/audit.ts';
import { verifyAudit } from '../../app/audit.ts';
import { enrolForYear } from '../testing/enrol.ts';
import { registerInstitutions } from '../testing/institutions.ts';
import { loadPackCatalog } from './packs.ts';
import { readSettleRequest } from './request.ts';
import { SettlementService } from './service.ts';

const VILLAGE = '370899001001';
const OTHER_VILLAGE = '370899002001';
const ONE = makeId('370899', '1961-03-03', 17);
const TWO = makeId('370899', '1972-04-04', 27);

const clerk: Actor = {
  ...SYSTEM_ACTOR,
  id: 'u:clerk',
  name: '窗口经办',
  roles: ['clerk'],
  origin: '10.0.0.8',
};

const bill = (msgid: string, certno: string, date: string) =>
  readSettleRequest({
    msgid,
    certno,
    fixmedinsCode: 'H37089900001',
    bill: {
      date,
      visitType: 'inpatient',
      hospitalLevel: 2,
      diagnosis: 'K35.8',
      lines: [
        { amount: 6000, class: 'A' },
        { amount: 800, class: 'B', overLimit: 100 },
      ],
    },
  });

describeDb('settlement audit chain', (ctx) => {
  let service: SettlementService;
  const ids: number[] = [];
  let cancelId = 0;

  beforeAll(async () => {
    await ctx.db.exec(`
      INSERT INTO region (code, name, level, parent_code) VALUES
        ('370899', '示范县', 'county', NULL),
        ('370899001', '城关镇', 'township', '370899'), ('370899002', '东关镇', 'township', '370899'),
        ('${VILLAGE}', '城关1村', 'village', '370899001'),
        ('${OTHER_VILLAGE}', '东关1村', 'village', '370899002');
      INSERT INTO person (certno, name, gender, birth_date, region_code) VALUES
        ('${ONE}', '张三', 'male', '1961-03-03', '${VILLAGE}'),
        ('${TWO}', '李四', 'male', '1972-04-04', '${OTHER_VILLAGE}');`);
    await enrolForYear(ctx.db, [ONE, TWO]);
    await registerInstitutions(ctx.db);
    await enrolForYear(ctx.db, [ONE], 2023);
    service = new SettlementService(ctx.db, await loadPackCatalog());
    // Two years of person ONE (two chains), one settlement of TWO, a log entry between them.
    for (const [msgid, certno, date] of [
      ['c-1', ONE, '2022-03-01'],
      ['c-2', ONE, '2022-05-01'],
      ['c-3', ONE, '2023-02-01'],
      ['c-4', TWO, '2022-06-01'],
      ['c-5', ONE, '2022-07-01'],
    ] as const) {
      ids.push((await service.settle(clerk, bill(msgid, certno, date))).settlementId);
      if (msgid === 'c-3') {
        await recordAudit(ctx.db, {
          actor: clerk,
          action: 'registry.person.update',
          entity: 'person',
          entityId: ONE,
          certno: ONE,
          before: { phone: null },
          after: { phone: '1' },
        });
      }
    }
    cancelId = (await service.cancel(clerk, ids[1]!, 'c-2-cancel', '重复结算')).settlementId;
  });

  // Each test that tampers puts the row back; the trail must verify before each.
  beforeEach(async () => {
    expect((await verifyAudit(ctx.db)).problems).toEqual([]);
  });

  it('shows settlements and cancellations in the audit search, newest first, with the log', async () => {
    const found = await queryAudit(ctx.db, SYSTEM_ACTOR, { certno: ONE, limit: 50 });
    expect(found.entries.map((e) => e.action)).toEqual([
      'settlement.bill.cancel', // of c-2
      'settlement.bill.settle', // c-5
      'registry.person.update',
      'settlement.bill.settle', // c-3
      'settlement.bill.settle', // c-2
      'settlement.bill.settle', // c-1
    ]);
    const cancel = found.entries[0]!;
    expect(cancel).toMatchObject({
      seq: cancelId,
      actor: { id: 'u:clerk', name: '窗口经办', roles: ['clerk'], origin: '10.0.0.8' },
      entity: 'settlement',
      entityId: String(ids[1]),
      before: { status: 'settled' },
      after: { status: 'cancelled', cancelledBy: cancelId },
      reason: '重复结算',
    });
    const first = found.entries[5]!;
    expect(first.entityId).toBe(String(ids[0]));
    expect(first.after).toMatchObject({ msgid: 'c-1', pack: 'demo-2022' });
    expect((first.after as { amounts: { medfee_sumamt: number } }).amounts.medfee_sumamt).toBe(
      680_000,
    );
    // Paging walks both sources without a repeat or a gap.
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await queryAudit(ctx.db, SYSTEM_ACTOR, { certno: ONE, limit: 2, before });
      seen.push(...page.entries.map((e) => e.seq));
      if (page.next === null) break;
      before = page.next;
    }
    expect(seen).toEqual(found.entries.map((e) => e.seq));
    // Filtered by entity: the log's person entries only; a reader out of scope sees no settlement.
    const persons = await queryAudit(ctx.db, SYSTEM_ACTOR, { entity: 'person', limit: 50 });
    expect(persons.entries.every((e) => e.entity === 'person')).toBe(true);
    const east: Actor = { ...clerk, scope: { kind: 'region', regionCode: '370899002' } };
    const seenEast = await queryAudit(ctx.db, east, { entity: 'settlement', limit: 50 });
    expect(seenEast.entries.map((e) => e.seq)).toEqual([ids[3]]);
  });

  it('counts every settlement as an entry of the trail', async () => {
    const v = await verifyAudit(ctx.db);
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThanOrEqual(ids.length + 2);
    expect(v.headSeq).toBe(cancelId);
  });

  it('finds an altered settlement', async () => {
    await ctx.db.query('UPDATE settlement SET hifp_pay = hifp_pay + 1 WHERE settlement_id = $1', [
      ids[0],
    ]);
    const v = await verifyAudit(ctx.db);
    await ctx.db.query('UPDATE settlement SET hifp_pay = hifp_pay - 1 WHERE settlement_id = $1', [
      ids[0],
    ]);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      expect.objectContaining({
        trail: 'settlement',
        seq: ids[0],
        chain: -1,
        chainSeq: 1,
        kind: 'hash_mismatch',
      }),
    ]);
  });

  it('finds a deleted settlement, in the middle of a chain or at its end', async () => {
    const saved = await ctx.db.query<Record<string, unknown>>(
      'SELECT * FROM settlement WHERE settlement_id = ANY($1::bigint[]) ORDER BY settlement_id',
      [[ids[1], cancelId]],
    );
    const restore = async () => {
      for (const row of saved.rows) {
        const cols = Object.keys(row);
        await ctx.db.query(
          `INSERT INTO settlement (${cols.join(', ')})
           SELECT * FROM json_populate_record(NULL::settlement, $1::json)`,
          [JSON.stringify(row)],
        );
      }
    };
    await ctx.db.query('DELETE FROM settlement WHERE settlement_id = $1', [ids[1]]);
    const middle = await verifyAudit(ctx.db);
    await ctx.db.query('DELETE FROM settlement WHERE settlement_id = $1', [cancelId]);
    const tail = await verifyAudit(ctx.db);
    await restore();
    // The chain's break, and what the settlement leaves behind: its ledger rows, and the
    // accumulators that still count it (with its cancellation gone too, the two cancel out).
    expect(middle.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['broken_link', ids[4]],
      ['accumulator_mismatch', cancelId],
      ['ledger_mismatch', ids[1]],
    ]);
    expect(middle.problems[0]).toMatchObject({ chainSeq: 2, certno: ONE, year: 2022 });
    expect(tail.problems.map((p) => p.kind)).toEqual([
      'broken_link',
      'head_mismatch',
      'ledger_mismatch',
      'ledger_mismatch',
    ]);
  });

  it('finds a chain head that was rewound, or left without its settlements', async () => {
    const head = async () =>
      (
        await ctx.db.query<{ audit_hash: string }>(
          'SELECT audit_hash FROM accumulator WHERE certno = $1 AND year = 2022',
          [TWO],
        )
      ).rows[0]!.audit_hash;
    const saved = await head();
    await ctx.db.query(
      "UPDATE accumulator SET audit_hash = repeat('0', 64) WHERE certno = $1 AND year = 2022",
      [TWO],
    );
    const rewound = await verifyAudit(ctx.db);
    await ctx.db.query(
      'UPDATE settlement SET audit_hash = NULL WHERE certno = $1 AND settlement_id = $2',
      [TWO, ids[3]],
    );
    await ctx.db.query('UPDATE accumulator SET audit_hash = $2 WHERE certno = $1 AND year = 2022', [
      TWO,
      saved,
    ]);
    const orphaned = await verifyAudit(ctx.db);
    await ctx.db.query(
      'UPDATE settlement SET audit_hash = $2 WHERE certno = $1 AND settlement_id = $3',
      [TWO, saved, ids[3]],
    );
    expect(await head()).toBe(saved);
    expect(rewound.problems).toEqual([
      expect.objectContaining({ seq: ids[3], chain: -1, kind: 'head_mismatch' }),
    ]);
    expect(orphaned.problems).toEqual([
      expect.objectContaining({ chain: -1, kind: 'head_mismatch' }),
    ]);
  });

  it('keeps one hash head per person and year, which moves with the accumulators', async () => {
    const heads = await ctx.db.query<{ certno: string; year: number; ok: boolean }>(
      `SELECT a.certno, a.year, a.audit_hash = (SELECT st.audit_hash FROM settlement st
                WHERE st.certno = a.certno AND st.year = a.year
                ORDER BY st.settlement_id DESC LIMIT 1) AS ok
         FROM accumulator a ORDER BY a.certno, a.year`,
    );
    expect(heads.rows).toEqual([
      { certno: ONE, year: 2022, ok: true },
      { certno: ONE, year: 2023, ok: true },
      { certno: TWO, year: 2022, ok: true },
    ]);
  });
});
