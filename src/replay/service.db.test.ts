import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { actorOf } from '../chronic/testing/fixture.ts';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { loadPackCatalog, SettlementService } from '../settlement/index.ts';
import { COMPARED } from './core/person.ts';
import { insertRun, recordProgress, askCancel } from './repo/runs.ts';
import { ReplayService } from './service.ts';
import { scratchPacks, settledDemoYear, YEAR, type ScratchPacks } from './testing/fixture.ts';

const staff = actorOf('bureau_staff');
const auditor = actorOf('auditor');
const elsewhere: Actor = {
  ...staff,
  id: 'other-county',
  scope: { kind: 'region', regionCode: '370898' },
};

async function refusal(
  p: Promise<unknown>,
): Promise<{ kind: string; code: string; field: string | null }> {
  try {
    await p;
  } catch (e) {
    if (isTriguardError(e)) return { kind: e.kind, code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected a refusal');
}

describeDb('policy replay', (ctx) => {
  let packs: ScratchPacks;
  let service: ReplayService;
  /** A person-year whose later bill was settled with an earlier bill counted, then cancelled. */
  let cancelledPerson: string;

  beforeAll(async () => {
    await settledDemoYear(ctx.db);
    packs = await scratchPacks();
    const catalog = await loadPackCatalog();
    service = new ReplayService(ctx.db, catalog, { packs: { root: packs.root }, batch: 100 });
    // Cancel a bill that counted toward critical illness insurance of someone whose later bill got
    // it: the later one was computed with the cancelled one in its accumulators, so a replay differs.
    const r = await ctx.db.query<{ certno: string; first: number }>(
      `SELECT certno, min(settlement_id) AS first FROM settlement s
        WHERE kind = 'settle' AND cancelled_by IS NULL AND year = ${YEAR}
          AND (delta->'tiers'->'critical_illness'->>'base')::int8 > 0
          AND EXISTS (SELECT 1 FROM settlement l WHERE l.certno = s.certno AND l.kind = 'settle'
                      AND l.cancelled_by IS NULL AND l.hifmi_pay > 0 AND l.settlement_id > s.settlement_id)
        GROUP BY certno ORDER BY certno LIMIT 1`,
    );
    const row = r.rows[0]!;
    cancelledPerson = row.certno;
    await new SettlementService(ctx.db, catalog).cancel(
      SYSTEM_ACTOR,
      row.first,
      'replay-test-cancel',
      '测试撤销',
    );
  }, 240_000);

  afterAll(async () => {
    await packs?.remove();
  });

  it('replays the unchanged pack to the fen for every person-year without a cancellation', async () => {
    const run = await service.start(staff, { pack: 'demo-2022', year: YEAR }, { wait: true });
    expect(run.status).toBe('done');
    const r = (await service.get(staff, run.id)).result!;
    expect(r.counts.changed).toBe(0);
    expect(r.counts.reproduced + r.counts.withCancellation).toBe(r.counts.people);
    expect(r.counts.reproduced).toBeGreaterThan(100);
    expect(r.counts.refused).toBe(0);
    // The actual side is what was paid: the stored, uncancelled settlements of the year.
    const sums = await ctx.db.query<Record<string, number>>(
      `SELECT ${COMPARED.map((k) => `sum(${k})::int8 AS ${k}`).join(', ')}, count(*)::int AS bills
         FROM settlement WHERE kind = 'settle' AND cancelled_by IS NULL AND year = ${YEAR}`,
    );
    const { bills, ...amounts } = sums.rows[0]!;
    expect(r.counts.bills).toBe(bills);
    expect(r.totals.actual).toEqual(amounts);
    // The person whose earlier bill was cancelled differs, and is reported apart with the reason.
    expect(r.counts.withCancellation).toBeGreaterThan(0);
    expect(r.cancelled.map((c) => c.certno)).toContain(cancelledPerson);
  });

  it('shows what a more generous draft costs, and who gains', async () => {
    await packs.draft('demo-2022', 'more-basic', [
      { file: 'basic.yaml', key: 'inpatient.ratio.level2', value: '90%' },
      { file: 'basic.yaml', key: 'inpatient.ratio.level3', value: '75%' },
    ]);
    const run = await service.start(staff, { pack: 'more-basic', year: YEAR }, { wait: true });
    const r = (await service.get(staff, run.id)).result!;
    expect(r.totals.draft.hifp_pay).toBeGreaterThan(r.totals.actual.hifp_pay);
    expect(r.counts.changed).toBeGreaterThan(0);
    expect(r.distribution.pays_less).toBeGreaterThan(0);
    // Nobody pays more under a more generous draft, but for a cancellation's person-year (§3).
    expect(r.distribution.pays_more).toBeLessThanOrEqual(r.cancelled.length);
    for (const p of r.largestIncrease) expect(r.cancelled.map((c) => c.certno)).toContain(p.certno);
    // The bill is the same bill: what the fund gains the person and the hospital lose.
    const whole = (s: typeof r.totals.actual) =>
      s.fund_pay_sumamt + s.psn_part_amt + s.hosp_part_amt;
    expect(whole(r.totals.draft)).toBe(whole(r.totals.actual));
    for (const side of [r.totals.actual, r.totals.draft]) {
      expect(side.fund_pay_sumamt).toBe(
        side.hifp_pay + side.hifmi_pay + side.maf_pay + side.reassist_pay + side.backstop_pay,
      );
    }
    // Months, townships and visit types each add up to the totals.
    for (const by of [r.byMonth, r.byTownship, r.byVisitType]) {
      const sum = Object.values(by).reduce((n, p) => n + p.draft.hifp_pay, 0);
      expect(sum).toBe(r.totals.draft.hifp_pay);
    }
    expect(r.largestDecrease.length).toBeGreaterThan(0);
    expect(r.largestDecrease[0]!.change).toBeLessThan(0);
    expect(Object.keys(r.regionNames).length).toBe(Object.keys(r.byTownship).length);

    // Any person's bills explained under both packs: the basic tier's ratio moved.
    const top = r.largestDecrease[0]!;
    const ex = await service.explain(staff, run.id, { settlementId: top.ref });
    expect(ex.certno).toBe(top.certno);
    const moved = ex.bills.find((b) => b.draft.hifp_pay !== b.actual.hifp_pay)!;
    expect(moved.visitType).toBe('inpatient');
    expect(moved.actualExplain[0]!.tier).toBe('basic_insurance');
    expect(moved.draftExplain[0]!.text.zh).not.toBe(moved.actualExplain[0]!.text.zh);
    const paidLess = ex.bills.reduce((n, b) => n + b.draft.psn_part_amt - b.actual.psn_part_amt, 0);
    expect(paidLess).toBe(top.change);
  });

  it('reports the bills a draft would refuse, and who would cross a warning line', async () => {
    await packs.draft('demo-2022', 'narrow', [
      { file: 'diseases.yaml', key: 'M002.diagnoses', value: '[E10]' },
      { file: 'pack_wide.yaml', key: 'monitoring.total_share', value: '5%' },
    ]);
    const run = await service.start(staff, { pack: 'narrow', year: YEAR }, { wait: true });
    const r = (await service.get(staff, run.id)).result!;
    const e11 = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM settlement WHERE kind = 'settle' AND cancelled_by IS NULL
          AND year = ${YEAR} AND visit_type = 'chronic_outpatient' AND diagnosis ~ '^E1[1-4]'`,
    );
    const expected = e11.rows[0]!.n;
    expect(expected).toBeGreaterThan(0);
    expect(r.counts.refused).toBe(expected);
    expect(r.refusedByCode).toEqual({ 'chronic.not_in_catalogue': expected });
    expect(r.refused.every((b) => b.fundPaid >= 0 && /^E1[1-4]/.test(b.diagnosis))).toBe(true);
    // A line at 5 % of income: people whose burden lies between the two lines cross it.
    expect(r.crossingsTotal.crosses).toBeGreaterThan(0);
    for (const c of r.crossings) {
      expect(c.direction).toBe('crosses');
      expect(c.draftLine).toBeLessThan(c.actualLine);
      expect(c.draftBurden).toBeGreaterThan(c.draftLine);
      expect(c.actualBurden).toBeLessThanOrEqual(c.actualLine);
    }
  });

  it('answers a year without bills, another county and a failing draft with the field', async () => {
    expect(await refusal(service.start(staff, { pack: 'demo-2022', year: 2019 }))).toEqual({
      kind: 'unprocessable',
      code: 'replay.no_bills',
      field: 'year',
    });
    expect(
      await refusal(service.start(elsewhere, { pack: 'demo-2022', year: YEAR })),
    ).toMatchObject({
      kind: 'not_found',
      field: 'pack',
    });
    expect(
      await refusal(service.start(staff, { pack: 'demo-2022', year: YEAR, region: '370898001' })),
    ).toMatchObject({ code: 'replay.region_outside_pack', field: 'region' });
    expect(await refusal(service.start(staff, { pack: 'no-such-pack', year: YEAR }))).toMatchObject(
      {
        kind: 'not_found',
        field: 'pack',
      },
    );
  });

  it('runs one replay per county at a time, cancels, hides other counties, masks, deletes', async () => {
    const id = await insertRun(ctx.db, {
      region: '370899',
      year: YEAR,
      pack: 'demo-2022',
      packHash: '0'.repeat(64),
      filters: {},
      cutoff: 0,
      totalPeople: 1,
      actualPacks: [],
      createdBy: 'test',
    });
    expect(await refusal(service.start(staff, { pack: 'demo-2022', year: YEAR }))).toMatchObject({
      kind: 'conflict',
      code: 'replay.already_running',
    });
    expect(await recordProgress(ctx.db, id, 0)).toBe(false);
    await service.cancel(staff, id);
    expect(await recordProgress(ctx.db, id, 0)).toBe(true);
    await askCancel(ctx.db, id);
    await ctx.db.query(`UPDATE replay_run SET status = 'cancelled' WHERE replay_id = $1`, [id]);

    // Cancelled while it runs: the next batch sees it, the run stops and says so.
    let asked = false;
    const stopped = await service.start(
      staff,
      { pack: 'demo-2022', year: YEAR },
      {
        wait: true,
        onProgress: async () => {
          if (asked) return;
          asked = true;
          const running = (await service.list(staff)).find((r) => r.status === 'running')!;
          await service.cancel(staff, running.id);
        },
      },
    );
    expect(stopped.status).toBe('cancelled');
    expect(stopped.progress.done).toBeLessThan(stopped.progress.total);
    expect(await refusal(service.cancel(staff, stopped.id))).toMatchObject({
      code: 'replay.not_running',
    });

    const runs = await service.list(staff);
    expect(runs.length).toBeGreaterThan(1);
    expect(await service.list(elsewhere)).toEqual([]);
    expect(await refusal(service.get(elsewhere, runs[0]!.id))).toMatchObject({ kind: 'not_found' });

    const done = runs.find((r) => r.status === 'done')!;
    const seenByAuditor = (await service.get(auditor, done.id)).result!;
    const seenByStaff = (await service.get(staff, done.id)).result!;
    for (const c of seenByAuditor.cancelled) expect(c.certno).toContain('*');
    expect(seenByStaff.cancelled.some((c) => c.certno === cancelledPerson)).toBe(true);

    await service.remove(staff, done.id);
    expect(await refusal(service.get(staff, done.id))).toMatchObject({
      kind: 'not_found',
      code: 'replay.not_found',
    });
  });
});
