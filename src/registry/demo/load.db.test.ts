import { expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { recordAudit } from '../../audit/log.ts';
import { verifyAudit } from '../../app/audit.ts';
import { BULK_ENTITY, REGISTRY_BASELINE_ACTION } from '../audit-seals.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { clearRegistry, isEmpty, loadDemoCounty } from './load.ts';

describeDb('demo county load', (ctx) => {
  it('loads every generated row and reports counts that match the tables', async () => {
    expect(await isEmpty(ctx.db)).toBe(true);
    const counts = await loadDemoCounty(ctx.db, { seed: 7, people: 3_000, year: 2022 });
    expect(counts.persons).toBe(3_000);
    const n = async (t: string) =>
      (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
    expect(await n('person')).toBe(counts.persons);
    expect(await n('household')).toBe(counts.households);
    expect(await n('person_flag')).toBe(counts.flags);
    expect(await n('region')).toBe(counts.regions);
    expect(await n('enrolment')).toBe(counts.enrolments);
    expect(counts.enrolments).toBe(3_000);
    // Every person can be found by pinyin initials.
    const blank = await ctx.db.query(
      `SELECT 1 FROM person WHERE name_pinyin_initials = '' LIMIT 1`,
    );
    expect(blank.rows).toHaveLength(0);
    expect(await isEmpty(ctx.db)).toBe(false);
  });

  it('seals every row it loads in the audit log: audit verify finds each and an edit of one', async () => {
    // A baseline of nothing: from here on, a row no entry seals is reported.
    await recordAudit(ctx.db, {
      actor: SYSTEM_ACTOR,
      action: REGISTRY_BASELINE_ACTION,
      entity: BULK_ENTITY,
      entityId: 'baseline#1',
      after: { rows: 0, rowSeals: [] },
    });
    await clearRegistry(ctx.db);
    await loadDemoCounty(ctx.db, { seed: 8, people: 1_500, year: 2022 });
    const v = await verifyAudit(ctx.db);
    expect(v.problems).toEqual([]);
    expect(v.rows).toBeGreaterThan(3_000);
    const edited = await ctx.db.query<{ certno: string }>(
      `UPDATE enrolment SET contribution = contribution + 1
        WHERE enrolment_id = (SELECT min(enrolment_id) FROM enrolment) RETURNING certno`,
    );
    expect((await verifyAudit(ctx.db)).problems).toEqual([
      expect.objectContaining({
        kind: 'row_mismatch',
        entity: 'enrolment',
        certno: edited.rows[0]!.certno,
      }),
    ]);
  });
});
