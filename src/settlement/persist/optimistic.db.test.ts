/**
 * The optimistic settlement write: it lands only on the accumulator version it was computed from,
 * and when it does not land it writes nothing at all — no settlement (its own audit entry), ledger
 * or accumulator change, nor a move of the audit chain's head — so the service can re-do the
 * settlement under the row lock.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { makeId } from '../../kernel/idcard.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { verifyAudit } from '../../app/audit.ts';
import type { Db } from '../../db/db.ts';
import { emptyAccumulators } from '../accumulators.ts';
import { enrolForYear } from '../testing/enrol.ts';
import { registerInstitutions } from '../testing/institutions.ts';
import type { Bill } from '../bill.ts';
import { loadPackCatalog } from './packs.ts';
import { readSettleRequest, type SettleRequest } from './request.ts';
import { SettlementService } from './service.ts';
import {
  insertSettlementIfCurrent,
  ledgerTotals,
  readAccumulators,
  readForSettlement,
  type NewSettlement,
} from './repository.ts';

const PERSON = makeId('370899', '1962-02-02', 13);
const SCOPE = { kind: 'system' } as const;

const request = (msgid: string, fixmedinsCode = 'H37089900001'): SettleRequest =>
  readSettleRequest({
    msgid,
    certno: PERSON,
    fixmedinsCode,
    bill: {
      date: '2022-04-01',
      visitType: 'inpatient',
      hospitalLevel: 2,
      diagnosis: 'K35.8',
      lines: [
        { amount: 9000, class: 'A' },
        { amount: 1000, class: 'B' },
      ],
    },
  });

const counts = async (db: Db) =>
  (
    await db.query<{ settlements: number; ledger: number; audit: number; head: string | null }>(
      `SELECT (SELECT count(*)::int FROM settlement) AS settlements,
              (SELECT count(*)::int FROM settlement_ledger) AS ledger,
              (SELECT count(*)::int FROM audit_log) AS audit,
              (SELECT audit_hash FROM accumulator WHERE certno = '${PERSON}' AND year = 2022)
                AS head`,
    )
  ).rows[0]!;

describeDb('optimistic settlement write', (ctx) => {
  let service: SettlementService;

  /** Reads as the optimistic path does, and builds the rows it would write from a pre-settle. */
  async function prepare(msgid: string) {
    const req = request(msgid);
    const read = (await readForSettlement(
      ctx.db,
      SCOPE,
      PERSON,
      req.bill.date,
      msgid,
      emptyAccumulators(2022),
      { fixmedinsCode: req.fixmedinsCode, visitType: 'inpatient', itemCodes: [] },
    ))!;
    const { pack, settlement } = await service.presettle(SYSTEM_ACTOR, req);
    const rows: NewSettlement = {
      settlementId: read.nextId,
      certno: PERSON,
      year: 2022,
      msgid,
      kind: 'settle',
      originalId: null,
      fixmedinsCode: req.fixmedinsCode,
      regionCode: read.person.regionCode,
      bill: { ...req.bill, hospitalLevel: read.facts.hospitalLevel! } satisfies Bill,
      pack,
      categories: read.person.categories,
      amounts: settlement.amounts,
      backstopProgramme: settlement.backstopProgramme,
      explain: settlement.explain,
      delta: settlement.delta,
      next: settlement.next,
      actor: SYSTEM_ACTOR,
      reason: null,
      at: new Date().toISOString(),
      auditHead: read.auditHead,
    };
    const guard = { version: read.version, treated: read.treated };
    return { read, rows, guard };
  }

  beforeAll(async () => {
    await ctx.db.exec(`
      INSERT INTO region (code, name, level, parent_code) VALUES
        ('370899', '示范县', 'county', NULL), ('370899001', '城关镇', 'township', '370899'),
        ('370899001001', '城关1村', 'village', '370899001');
      INSERT INTO person (certno, name, gender, birth_date, region_code)
        VALUES ('${PERSON}', '赵六', 'male', '1962-02-02', '370899001001');`);
    await enrolForYear(ctx.db, [PERSON]);
    await registerInstitutions(ctx.db);
    service = new SettlementService(ctx.db, await loadPackCatalog());
  });

  it('writes nothing when the year has begun since the read, and writes on a fresh read', async () => {
    const stale = await prepare('o-1');
    expect(stale.read.version).toBeNull();
    await service.settle(SYSTEM_ACTOR, request('o-0'));
    const before = await counts(ctx.db);
    const accBefore = await readAccumulators(ctx.db, PERSON, 2022);

    expect(await insertSettlementIfCurrent(ctx.db, stale.rows, stale.guard)).toBeNull();
    expect(await counts(ctx.db)).toEqual(before);
    expect(await readAccumulators(ctx.db, PERSON, 2022)).toEqual(accBefore);

    const fresh = await prepare('o-1');
    expect(fresh.read.version).toBe(1);
    const written = await insertSettlementIfCurrent(ctx.db, fresh.rows, fresh.guard);
    expect(written?.settlement_id).toBe(fresh.read.nextId);
    // A ledger row for each tier the settlement moved (this inpatient bill: all but the backstop).
    const moved = Object.values(fresh.rows.delta.tiers).filter((t) => t.base || t.paid).length;
    expect(moved).toBe(4);
    const hash = await ctx.db.query<{ audit_prev: string; audit_hash: string }>(
      'SELECT audit_prev, audit_hash FROM settlement WHERE settlement_id = $1',
      [fresh.read.nextId],
    );
    expect(hash.rows[0]!.audit_prev).toBe(before.head);
    // The settlement is its own audit entry: the log gets none, the chain's head moves to it.
    expect(await counts(ctx.db)).toEqual({
      settlements: before.settlements + 1,
      ledger: before.ledger + moved,
      audit: before.audit,
      head: hash.rows[0]!.audit_hash,
    });
  });

  it('writes nothing over a cancel that came between, and the chain still verifies', async () => {
    const first = await service.settle(SYSTEM_ACTOR, request('o-2'));
    const stale = await prepare('o-3');
    await service.cancel(SYSTEM_ACTOR, first.settlementId, 'o-2-cancel', '录入错误');
    const before = await counts(ctx.db);
    expect(await insertSettlementIfCurrent(ctx.db, stale.rows, stale.guard)).toBeNull();
    expect(await counts(ctx.db)).toEqual(before);

    // Through the service the same settlement lands: Σ ledger = accumulators, audit intact.
    await service.settle(SYSTEM_ACTOR, request('o-3'));
    const acc = (await readAccumulators(ctx.db, PERSON, 2022))!;
    const ledger = await ledgerTotals(ctx.db, PERSON, 2022);
    for (const [tier, v] of Object.entries(acc.tiers)) {
      expect(ledger[tier as keyof typeof ledger]).toEqual(v);
    }
    const verified = await verifyAudit(ctx.db);
    expect(verified.problems).toEqual([]);
  });

  it('records an institution new to the person once, and then reads it as treated', async () => {
    const patientsOf = async () =>
      (
        await ctx.db.query<{ fixmedins_code: string }>(
          'SELECT fixmedins_code FROM institution_patient WHERE certno = $1 ORDER BY 1',
          [PERSON],
        )
      ).rows.map((r) => r.fixmedins_code);
    const NEW = 'H37089900002';
    const before = await patientsOf();
    expect(before).not.toContain(NEW);
    const req = request('o-4', NEW);
    const unseen = await readForSettlement(
      ctx.db,
      SCOPE,
      PERSON,
      req.bill.date,
      'o-4',
      emptyAccumulators(2022),
      { fixmedinsCode: NEW, visitType: 'inpatient', itemCodes: [] },
    );
    expect(unseen?.treated).toBe(false);
    await service.settle(SYSTEM_ACTOR, req);
    expect(await patientsOf()).toEqual([...before, NEW].sort());
    const seen = await readForSettlement(
      ctx.db,
      SCOPE,
      PERSON,
      req.bill.date,
      'o-5',
      emptyAccumulators(2022),
      { fixmedinsCode: NEW, visitType: 'inpatient', itemCodes: [] },
    );
    expect(seen?.treated).toBe(true);
    await service.settle(SYSTEM_ACTOR, request('o-5', NEW));
    expect(await patientsOf()).toEqual([...before, NEW].sort());
  });
});
