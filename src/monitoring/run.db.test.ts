import { beforeAll, describe, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { recheck, runMonth } from './run.ts';
import {
  addPerson,
  INSCOPE_LINE,
  newCertno,
  seedRegions,
  setBurden,
  TOTAL_LINE,
} from './testing.ts';

const V1 = '370899001001';

describeDb('monitoring run', (ctx) => {
  const p = {
    inscopeAt: newCertno(),
    inscopeAbove: newCertno(),
    inscopeNoCategory: newCertno(),
    totalAt: newCertno(),
    totalAbove: newCertno(),
    both: newCertno(),
  };
  beforeAll(async () => {
    await seedRegions(ctx.db);
    await addPerson(ctx.db, {
      certno: p.inscopeAt,
      region: V1,
      categories: ['low_income_marginal'],
    });
    await addPerson(ctx.db, { certno: p.inscopeAbove, region: V1, categories: ['monitored'] });
    await addPerson(ctx.db, {
      certno: p.inscopeNoCategory,
      region: V1,
      categories: ['subsistence'],
    });
    await addPerson(ctx.db, { certno: p.totalAt, region: V1, categories: [] });
    await addPerson(ctx.db, { certno: p.totalAbove, region: V1, categories: [] });
    await addPerson(ctx.db, { certno: p.both, region: V1, categories: ['monitored'] });
    await setBurden(ctx.db, p.inscopeAt, INSCOPE_LINE, INSCOPE_LINE);
    await setBurden(ctx.db, p.inscopeAbove, INSCOPE_LINE + 1, INSCOPE_LINE + 1);
    await setBurden(ctx.db, p.inscopeNoCategory, INSCOPE_LINE + 500_000, INSCOPE_LINE + 500_000);
    await setBurden(ctx.db, p.totalAt, 1_000_000, TOTAL_LINE);
    await setBurden(ctx.db, p.totalAbove, 1_000_000, TOTAL_LINE + 1);
    await setBurden(ctx.db, p.both, TOTAL_LINE, TOTAL_LINE + 100);
  });

  const warnings = async () =>
    (
      await ctx.db.query<{
        certno: string;
        threshold: string;
        amount: number;
        line: number;
        month: string;
      }>(
        'SELECT certno, threshold, amount, line, month FROM monitoring_warning ORDER BY certno, threshold',
      )
    ).rows;

  describe('threshold edges', () => {
    it('warns one fen above a line and not exactly at it; in-scope only for the watched categories', async () => {
      const run = await runMonth(ctx.db, SYSTEM_ACTOR, '2022-03');
      expect(run.rules[0]).toMatchObject({ inscopeLine: INSCOPE_LINE, totalLine: TOTAL_LINE });
      expect(run.created).toBe(4);
      const got = await warnings();
      const key = (c: string, t: string) => got.some((w) => w.certno === c && w.threshold === t);
      expect(key(p.inscopeAt, 'inscope')).toBe(false);
      expect(key(p.inscopeAbove, 'inscope')).toBe(true);
      expect(key(p.inscopeNoCategory, 'inscope')).toBe(false);
      expect(key(p.totalAt, 'total')).toBe(false);
      expect(key(p.totalAbove, 'total')).toBe(true);
      expect(key(p.both, 'inscope')).toBe(true);
      expect(key(p.both, 'total')).toBe(true);
      expect(got.find((w) => w.certno === p.inscopeAbove)).toMatchObject({
        amount: INSCOPE_LINE + 1,
        line: INSCOPE_LINE,
        month: '2022-03',
      });
    });
  });

  describe('once per person, year and threshold', () => {
    it('re-running a month, or running a later one, creates nothing new', async () => {
      const again = await runMonth(ctx.db, SYSTEM_ACTOR, '2022-03');
      expect(again.created).toBe(0);
      await setBurden(ctx.db, p.inscopeAbove, INSCOPE_LINE + 900_000, INSCOPE_LINE + 900_000);
      const later = await runMonth(ctx.db, SYSTEM_ACTOR, '2022-04');
      expect(later.created).toBe(0);
      expect((await warnings()).length).toBe(4);
    });

    it('a person newly over a line in a later month gets that month', async () => {
      await setBurden(ctx.db, p.totalAt, 1_000_000, TOTAL_LINE + 1);
      const run = await runMonth(ctx.db, SYSTEM_ACTOR, '2022-05');
      expect(run.created).toBe(1);
      const w = (await warnings()).find((x) => x.certno === p.totalAt);
      expect(w).toMatchObject({ threshold: 'total', month: '2022-05' });
    });

    it('a new year starts fresh', async () => {
      // demo-2023: last year's income 37,560 yuan, so the total line is 3,756,000 fen.
      await setBurden(ctx.db, p.totalAbove, 0, 3_756_000, 2023);
      await setBurden(ctx.db, p.both, 0, 3_756_001, 2023);
      const run = await runMonth(ctx.db, SYSTEM_ACTOR, '2023-01');
      expect(run.rules[0]).toMatchObject({ pack: 'demo-2023', totalLine: 3_756_000 });
      expect(run.created).toBe(1);
    });
  });

  describe('withdrawal', () => {
    it('withdraws an open warning whose burden fell back to the line, and re-opens it when crossed again', async () => {
      await setBurden(ctx.db, p.totalAbove, 1_000_000, TOTAL_LINE);
      expect(await recheck(ctx.db, SYSTEM_ACTOR, 2022)).toBe(1);
      const st = await ctx.db.query<{ status: string }>(
        `SELECT status FROM monitoring_warning WHERE certno = $1 AND year = 2022`,
        [p.totalAbove],
      );
      expect(st.rows[0]!.status).toBe('withdrawn');
      await setBurden(ctx.db, p.totalAbove, 1_000_000, TOTAL_LINE + 2);
      const run = await runMonth(ctx.db, SYSTEM_ACTOR, '2022-06');
      expect(run).toMatchObject({ created: 0, reopened: 1, withdrawn: 0 });
      const ev = await ctx.db.query<{ to_status: string }>(
        `SELECT e.to_status FROM monitoring_warning_event e JOIN monitoring_warning w USING (certno, warning_id)
          WHERE w.certno = $1 AND w.year = 2022 ORDER BY e.seq`,
        [p.totalAbove],
      );
      expect(ev.rows.map((r) => r.to_status)).toEqual(['new', 'withdrawn', 'new']);
    });

    it('audits the run and each withdrawal', async () => {
      const a = await ctx.db.query<{ action: string; n: number }>(
        `SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'monitor.%' GROUP BY action ORDER BY action`,
      );
      expect(a.rows).toEqual([
        { action: 'monitor.run.create', n: 6 },
        { action: 'monitor.warning.withdraw', n: 1 },
      ]);
    });
  });
});
