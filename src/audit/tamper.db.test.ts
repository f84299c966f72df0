/**
 * What an insider with psql does, and what `audit verify` reports (docs/audit.md). The legitimate
 * operations go through the services; each edit runs in a transaction that is rolled back after
 * verify has read it, so every case starts from the same clean trail.
 */
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import type { Queryable } from '../db/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { verifyAudit } from '../app/audit.ts';
import { checkpointSummary, parseCheckpoint, type Checkpoint } from './checkpoint.ts';
import { takeCheckpoint } from '../app/audit.ts';
import type { AuditProblem } from './log.ts';
import {
  seedRegions,
  nextCertno,
  testClock,
  testContext,
  VILLAGE_1,
} from '../registry/testing/db.ts';
import { registerPerson, updatePersonFields } from '../registry/service/people.ts';
import { addFlag } from '../registry/service/flags.ts';
import { enrol } from '../registry/service/enrolments.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { readSettleRequest } from '../settlement/persist/request.ts';
import { SettlementService } from '../settlement/persist/service.ts';
import { registerInstitutions } from '../settlement/testing/institutions.ts';
import { emptyAccumulators, applyDelta, type Accumulators } from '../settlement/accumulators.ts';

const staff: Actor = {
  ...SYSTEM_ACTOR,
  id: 'u-staff',
  name: '经办员',
  roles: ['bureau_staff'],
  scope: { kind: 'region', regionCode: '370899' },
  origin: '10.0.0.9',
};

const bill = (msgid: string, certno: string, date: string, amount = 6000) =>
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
        { amount: amount * 100, class: 'A' },
        { amount: 80_000, class: 'B', overLimit: 10_000 },
      ],
    },
  });

const ROLLBACK = new Error('rollback');

describeDb('audit verify against an insider with psql', (ctx) => {
  const clock = testClock('2022-01-10');
  const reg = () => testContext(ctx.db, clock);
  const A = nextCertno('1961-03-03');
  const B = nextCertno('1972-04-04');
  let service: SettlementService;
  const s: number[] = [];
  let flagId = 0;
  let enrolmentId = 0;
  let checkpoint: Checkpoint;

  /** Runs the edit, verifies inside the same transaction, and rolls both back. */
  async function tampered(
    edit: (tx: Queryable) => Promise<unknown>,
    opts: { checkpoint?: Checkpoint } = {},
  ): Promise<AuditProblem[]> {
    let problems: AuditProblem[] | undefined;
    await ctx.db
      .transaction(async (tx) => {
        await edit(tx);
        problems = (await verifyAudit(tx, opts)).problems;
        throw ROLLBACK;
      })
      .catch((e: unknown) => {
        if (e !== ROLLBACK) throw e;
      });
    return problems!;
  }
  const sql =
    (text: string, params: unknown[] = []) =>
    (tx: Queryable) =>
      tx.query(text, params);

  beforeAll(async () => {
    await seedRegions(ctx.db);
    for (const certno of [A, B]) {
      await registerPerson(
        reg(),
        staff,
        {
          certno,
          name: certno === A ? '张三' : '李四',
          regionCode: VILLAGE_1,
          householdId: null,
          phone: null,
        },
        '新参保',
      );
      await enrol(
        reg(),
        staff,
        certno,
        {
          year: 2022,
          scheme: 'resident',
          contributionType: 'paid',
          contribution: 35_000,
          fundedAmount: 0,
          funder: null,
          enrolledOn: '2021-12-20',
        },
        '集中参保',
      );
    }
    const flag = await addFlag(
      reg(),
      staff,
      A,
      {
        category: 'subsistence',
        fromMonth: '2022-01',
        toMonth: null,
        source: 'civil_affairs',
        evidenceNo: 'MZ-1',
        recognisedOn: '2021-12-20',
      },
      '民政认定',
    );
    flagId = flag.record.flags[0]!.flagId;
    enrolmentId = flag.record.enrolments[0]!.enrolmentId;
    await updatePersonFields(reg(), staff, A, { phone: '13800000000' }, '本人申请');
    await registerInstitutions(ctx.db);
    service = new SettlementService(ctx.db, await loadPackCatalog());
    for (const [msgid, date] of [
      ['a-1', '2022-03-01'],
      ['a-2', '2022-04-01'],
      ['a-3', '2022-05-01'],
    ] as const) {
      s.push((await service.settle(staff, bill(msgid, A, date))).settlementId);
    }
    s.push((await service.cancel(staff, s[1]!, 'a-2-cancel', '重复结算')).settlementId);
    s.push((await service.settle(staff, bill('a-4', A, '2022-06-01'))).settlementId);
    s.push((await service.settle(staff, bill('b-1', B, '2022-06-01'))).settlementId);
    checkpoint = await takeCheckpoint(ctx.db, staff);
  });

  beforeEach(async () => {
    const v = await verifyAudit(ctx.db);
    expect(v.problems).toEqual([]);
    expect(v.checkpoint).toMatchObject({ id: checkpoint.id, source: 'database' });
  });

  const only = (p: AuditProblem[]) => p.map((x) => [x.trail, x.kind, x.seq, x.certno, x.year]);

  it('a. a ledger amount raised: the ledger row of the settlement', async () => {
    const p = await tampered(
      sql(
        `UPDATE settlement_ledger SET paid = paid + 500
          WHERE certno = $1 AND settlement_id = $2 AND tier = 'basic_insurance'`,
        [A, s[0]],
      ),
    );
    expect(only(p)).toEqual([['settlement', 'ledger_mismatch', s[0], A, 2022]]);
    expect(p[0]!.detail).toContain('basic_insurance');
  });

  it('a. a ledger row deleted or added', async () => {
    const deleted = await tampered(
      sql(`DELETE FROM settlement_ledger WHERE certno = $1 AND settlement_id = $2`, [A, s[2]]),
    );
    expect(only(deleted)).toEqual([['settlement', 'ledger_mismatch', s[2], A, 2022]]);
    const added = await tampered(
      sql(
        `INSERT INTO settlement_ledger (certno, year, settlement_id, tier, base, paid)
         VALUES ($1, 2022, $2, 'backstop', 100, 100)`,
        [B, s[5]],
      ),
    );
    expect(only(added)).toEqual([['settlement', 'ledger_mismatch', s[5], B, 2022]]);
  });

  it("b. a person's cap usage zeroed in the accumulator row", async () => {
    const state = (
      await ctx.db.query<{ state: Accumulators }>(
        'SELECT state FROM accumulator WHERE certno = $1 AND year = 2022',
        [A],
      )
    ).rows[0]!.state;
    const caps = Object.keys(state.basicCapPaid);
    expect(caps.length).toBeGreaterThan(0);
    const p = await tampered(
      sql('UPDATE accumulator SET state = $2::json WHERE certno = $1 AND year = 2022', [
        A,
        JSON.stringify({ ...state, basicCapPaid: {} }),
      ]),
    );
    expect(only(p)).toEqual([['settlement', 'accumulator_mismatch', s[4], A, 2022]]);
    expect(p[0]!.detail).toContain(
      `basicCapPaid.${caps[0]} is null, should be ${state.basicCapPaid[caps[0]!]}`,
    );
  });

  it('c. the newest settlement deleted and the chain head rewound to the link before it', async () => {
    const rewind = async (tx: Queryable) => {
      await tx.query('DELETE FROM settlement WHERE certno = $1 AND settlement_id = $2', [A, s[4]]);
      await tx.query(
        `UPDATE accumulator SET audit_hash = (SELECT audit_hash FROM settlement
            WHERE certno = $1 AND settlement_id = $2) WHERE certno = $1 AND year = 2022`,
        [A, s[3]],
      );
    };
    const p = await tampered(rewind);
    expect(p.every((x) => x.certno === A && x.year === 2022)).toBe(true);
    expect(p.map((x) => x.kind).sort()).toEqual([
      'accumulator_mismatch',
      'ledger_mismatch',
      'rewound',
    ]);
    expect(p.find((x) => x.kind === 'rewound')!.detail).toContain('the checkpoint recorded 5');
    // A thorough insider also deletes the ledger rows and rewinds the accumulators: the
    // checkpoint still shows the chain lost its last link.
    const thorough = await tampered(async (tx) => {
      await rewind(tx);
      await tx.query('DELETE FROM settlement_ledger WHERE certno = $1 AND settlement_id = $2', [
        A,
        s[4],
      ]);
      const deltas = await tx.query<{ delta: Accumulators }>(
        'SELECT delta FROM settlement WHERE certno = $1 AND year = 2022 ORDER BY settlement_id',
        [A],
      );
      const acc = deltas.rows.reduce((a, r) => applyDelta(a, r.delta), emptyAccumulators(2022));
      await tx.query(
        `UPDATE accumulator SET state = $2::json, oop_inscope = $3, oop_total = $4,
                settlements = settlements - 1 WHERE certno = $1 AND year = 2022`,
        [A, JSON.stringify(acc), acc.oopInscope, acc.oopTotal],
      );
    });
    expect(only(thorough)).toEqual([['settlement', 'rewound', s[3], A, 2022]]);
  });

  it('caught before: a settlement edited', async () => {
    const p = await tampered(
      sql('UPDATE settlement SET hifp_pay = hifp_pay + 1 WHERE settlement_id = $1', [s[0]]),
    );
    expect(only(p)).toEqual([['settlement', 'hash_mismatch', s[0], A, 2022]]);
  });

  it('caught before: a settlement deleted from the middle of its chain', async () => {
    const p = await tampered(sql('DELETE FROM settlement WHERE settlement_id = $1', [s[2]]));
    expect(p.every((x) => x.certno === A && x.year === 2022)).toBe(true);
    expect(p.map((x) => [x.kind, x.seq]).sort()).toEqual(
      [
        ['accumulator_mismatch', s[4]],
        ['broken_link', s[3]],
        ['ledger_mismatch', s[2]],
        // The chain is one link shorter than the checkpoint recorded.
        ['rewound', s[4]],
      ].sort(),
    );
  });

  it('caught before: a chain head rewound to the genesis', async () => {
    const p = await tampered(
      sql("UPDATE accumulator SET audit_hash = repeat('0', 64) WHERE certno = $1 AND year = 2022", [
        B,
      ]),
    );
    expect(only(p)).toEqual([['settlement', 'head_mismatch', s[5], B, 2022]]);
  });

  it('an audit_log row deleted', async () => {
    const entry = (
      await ctx.db.query<{ seq: number; chain: number; chain_seq: number }>(
        `SELECT seq, chain, chain_seq FROM audit_log
          WHERE entity = 'person_flag' AND entity_id = $1`,
        [String(flagId)],
      )
    ).rows[0]!;
    const p = await tampered(sql('DELETE FROM audit_log WHERE seq = $1', [entry.seq]));
    const next = (
      await ctx.db.query<{ seq: number }>(
        'SELECT seq FROM audit_log WHERE chain = $1 AND chain_seq = $2',
        [entry.chain, entry.chain_seq + 1],
      )
    ).rows[0]!.seq;
    expect(p.map((x) => [x.trail, x.kind, x.seq, x.entityId ?? null])).toEqual([
      ['log', 'gap', next, null],
      ['log', 'broken_link', next, null],
      ['registry', 'row_unaudited', 0, String(flagId)],
    ]);
  });

  it('a person row edited', async () => {
    const p = await tampered(sql(`UPDATE person SET name = '王五' WHERE certno = $1`, [B]));
    expect(p.map((x) => [x.trail, x.kind, x.entity, x.entityId])).toEqual([
      ['registry', 'row_mismatch', 'person', B],
    ]);
  });

  it('a flag row edited, added or deleted', async () => {
    const edited = await tampered(
      sql(`UPDATE person_flag SET to_month = '2022-02' WHERE flag_id = $1`, [flagId]),
    );
    expect(edited.map((x) => [x.kind, x.entity, x.entityId, x.certno])).toEqual([
      ['row_mismatch', 'person_flag', String(flagId), A],
    ]);
    const added = await tampered(
      sql(
        `INSERT INTO person_flag (certno, category, from_month, source) VALUES ($1, 'extreme_poverty', '2022-01', 'civil_affairs')`,
        [B],
      ),
    );
    expect(added.map((x) => [x.kind, x.entity, x.certno])).toEqual([
      ['row_unaudited', 'person_flag', B],
    ]);
    const deleted = await tampered(sql('DELETE FROM person_flag WHERE flag_id = $1', [flagId]));
    expect(deleted.map((x) => [x.kind, x.entity, x.entityId])).toEqual([
      ['row_missing', 'person_flag', String(flagId)],
    ]);
  });

  it('an enrolment row edited', async () => {
    const p = await tampered(
      sql(`UPDATE enrolment SET contribution = 0 WHERE enrolment_id = $1`, [enrolmentId]),
    );
    expect(p.map((x) => [x.kind, x.entity, x.entityId, x.certno])).toEqual([
      ['row_mismatch', 'enrolment', String(enrolmentId), A],
    ]);
  });

  it('checkpoint rows deleted: the log still names the checkpoint', async () => {
    const p = await tampered(async (tx) => {
      await tx.query('DELETE FROM audit_checkpoint_head');
      await tx.query('DELETE FROM audit_checkpoint');
    });
    expect(p.map((x) => [x.trail, x.kind])).toEqual([['log', 'checkpoint_mismatch']]);
  });

  it('an exported checkpoint catches a rewind whose checkpoint rows were deleted too', async () => {
    const exported = parseCheckpoint(JSON.stringify(checkpoint));
    expect(checkpointSummary(exported)).toMatchObject({ id: checkpoint.id, settlementChains: 2 });
    const p = await tampered(
      async (tx) => {
        await tx.query('DELETE FROM audit_checkpoint_head');
        await tx.query('DELETE FROM audit_checkpoint');
        await tx.query('DELETE FROM settlement_ledger WHERE certno = $1', [B]);
        await tx.query('DELETE FROM settlement WHERE certno = $1', [B]);
        await tx.query('DELETE FROM accumulator WHERE certno = $1', [B]);
      },
      { checkpoint: exported },
    );
    expect(only(p)).toEqual([['settlement', 'rewound', 0, B, 2022]]);
    // A file whose heads were edited does not hash to its digest.
    const forged = { ...exported, settlements: exported.settlements.slice(1) };
    expect(
      (await verifyAudit(ctx.db, { checkpoint: forged })).problems.map((x) => x.kind),
    ).toContain('checkpoint_mismatch');
  });

  it('verifies clean when the chains grow past the checkpoint, and with a new one', async () => {
    await service.settle(staff, bill('a-5', A, '2022-07-01'));
    await service.cancel(staff, s[5]!, 'b-1-cancel', '录入错误');
    expect((await verifyAudit(ctx.db)).problems).toEqual([]);
    const next = await takeCheckpoint(ctx.db, staff);
    expect(next.id).toBeGreaterThan(checkpoint.id);
    checkpoint = next;
    expect((await verifyAudit(ctx.db, { checkpoint: next })).problems).toEqual([]);
  });
});

describeDb('audit verify and the text PostgreSQL stores', (ctx) => {
  const clock = testClock('2022-01-10');
  const reg = () => testContext(ctx.db, clock);

  it('reports no tampering for a lone surrogate or odd unicode in legitimate requests', async () => {
    await seedRegions(ctx.db);
    const odd = [
      '张\ud800三', // a lone high surrogate: stored as U+FFFD
      '\udc00李四', // a lone low surrogate
      'e\u0301\u2028\u2029\ufeff王\u200d五😀', // combining mark, separators, BOM, ZWJ, emoji
    ];
    await registerInstitutions(ctx.db);
    const service = new SettlementService(ctx.db, await loadPackCatalog());
    const actor: Actor = { ...staff, name: '经办\udbff员' };
    for (const [i, name] of odd.entries()) {
      const certno = nextCertno('1980-01-0' + String(i + 1));
      await registerPerson(
        reg(),
        actor,
        { certno, name, regionCode: VILLAGE_1, householdId: null, phone: null },
        `新参保 ${name}`,
      );
      await enrol(
        reg(),
        actor,
        certno,
        {
          year: 2022,
          scheme: 'resident',
          contributionType: 'paid',
          contribution: 35_000,
          fundedAmount: 0,
          funder: null,
          enrolledOn: '2021-12-20',
        },
        name,
      );
      const settled = await service.settle(actor, bill(`m-${name}`, certno, '2022-03-01'));
      await service.cancel(actor, settled.settlementId, `c-${name}`, `撤销 ${name}`);
    }
    await takeCheckpoint(ctx.db, actor);
    expect((await verifyAudit(ctx.db)).problems).toEqual([]);
  });
});

describeDb('audit verify over rows stored the older ways', (ctx) => {
  it('verifies clean: five ledger rows a settlement, and settlements from before the chain', async () => {
    await seedRegions(ctx.db);
    const clock = testClock('2022-01-10');
    const certno = nextCertno('1950-05-05');
    await registerPerson(
      testContext(ctx.db, clock),
      staff,
      { certno, name: '赵六', regionCode: VILLAGE_1, householdId: null, phone: null },
      '新参保',
    );
    await enrol(
      testContext(ctx.db, clock),
      staff,
      certno,
      {
        year: 2022,
        scheme: 'resident',
        contributionType: 'paid',
        contribution: 35_000,
        fundedAmount: 0,
        funder: null,
        enrolledOn: '2021-12-20',
      },
      '集中参保',
    );
    await registerInstitutions(ctx.db);
    const service = new SettlementService(ctx.db, await loadPackCatalog());
    const first = (await service.settle(staff, bill('o-1', certno, '2022-02-01'))).settlementId;
    // Written before settlements were chained: no link, no head; the ledger held a row for
    // every tier, zeros included.
    await ctx.db.query(
      `UPDATE settlement SET audit_prev = NULL, audit_hash = NULL, actor_name = NULL,
              actor_roles = NULL, actor_origin = NULL WHERE settlement_id = $1`,
      [first],
    );
    await ctx.db.query('UPDATE accumulator SET audit_hash = NULL WHERE certno = $1', [certno]);
    await ctx.db.query(
      `INSERT INTO settlement_ledger (certno, year, settlement_id, tier, base, paid)
       SELECT $1, 2022, $2, t, 0, 0
         FROM unnest(ARRAY['basic_insurance', 'critical_illness', 'assistance', 're_assistance',
                           'backstop']) AS t
       ON CONFLICT DO NOTHING`,
      [certno, first],
    );
    expect(
      (
        await ctx.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM settlement_ledger WHERE settlement_id = $1',
          [first],
        )
      ).rows[0]!.n,
    ).toBe(5);
    expect((await verifyAudit(ctx.db)).problems).toEqual([]);
    // The next settlement starts the person-year's chain; the old one still counts in the sum.
    const second = (await service.settle(staff, bill('o-2', certno, '2022-03-01'))).settlementId;
    await service.cancel(staff, first, 'o-1-cancel', '重复结算');
    await takeCheckpoint(ctx.db, staff);
    const v = await verifyAudit(ctx.db);
    expect(v.problems).toEqual([]);
    expect(v.entries).toBeGreaterThanOrEqual(3);
    // and an edit of the old row's ledger is still seen, against its (unsealed) delta
    const edited = await ctx.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE settlement_ledger SET paid = paid + 1 WHERE settlement_id = $1 AND tier = 'backstop'`,
        [first],
      );
      const r = await verifyAudit(tx);
      await tx.query(
        `UPDATE settlement_ledger SET paid = paid - 1 WHERE settlement_id = $1 AND tier = 'backstop'`,
        [first],
      );
      return r.problems;
    });
    expect(edited.map((p) => [p.kind, p.seq])).toEqual([['ledger_mismatch', first]]);
    expect(second).toBeGreaterThan(first);
  });
});
