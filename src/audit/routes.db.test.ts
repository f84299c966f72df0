import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { recordAudit } from './log.ts';
import type { Role } from '../kernel/access/roles.ts';
import { bearer, createRoleAccounts, PEOPLE, seedPeople } from '../auth/testing/accounts.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';

describeDb('GET /api/v1/audit', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;

  const get = async (role: Role, url: string, query: Record<string, string> = {}) =>
    app.inject({ url, query, headers: await bearer(ctx.db, ids[role]) });

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    await recordAudit(ctx.db, {
      actor: SYSTEM_ACTOR,
      action: 'registry.flag.create',
      entity: 'person_flag',
      entityId: `${PEOPLE.own}/1`,
      certno: PEOPLE.own,
      after: { certno: PEOPLE.own, category: 'severe_mental', diagnosis: 'F20.0' },
    });
    await recordAudit(ctx.db, {
      actor: SYSTEM_ACTOR,
      action: 'registry.person.update',
      entity: 'person',
      entityId: PEOPLE.other,
      certno: PEOPLE.other,
      before: { phone: '13800000000' },
      after: { phone: '13900000000' },
    });
    return () => app.close();
  });

  it('filters by entity and person, newest first', async () => {
    const r = await get('auditor', '/api/v1/audit', { entity: 'person' });
    expect(r.statusCode).toBe(200);
    expect(r.json().entries.map((e: { action: string }) => e.action)).toEqual([
      'registry.person.update',
    ]);
    const byPerson = await get('bureau_admin', '/api/v1/audit', { person: PEOPLE.own });
    expect(byPerson.json().entries).toHaveLength(1);
    expect(byPerson.json().entries[0]).toMatchObject({ certno: PEOPLE.own, entity: 'person_flag' });
  });

  it('masks ID numbers and psychiatric data for an auditor, not for an administrator', async () => {
    const auditor = (await get('auditor', '/api/v1/audit', { person: PEOPLE.own })).json()
      .entries[0];
    const masked = `${PEOPLE.own.slice(0, 6)}********${PEOPLE.own.slice(-4)}`;
    expect(auditor.certno).toBe(masked);
    expect(auditor.entityId).toBe(`${masked}/1`);
    expect(auditor.after).toEqual({ certno: masked, category: '***', diagnosis: '***' });
    const admin = (await get('bureau_admin', '/api/v1/audit', { person: PEOPLE.own })).json()
      .entries[0];
    expect(admin.after).toEqual({
      certno: PEOPLE.own,
      category: 'severe_mental',
      diagnosis: 'F20.0',
    });
  });

  it('filters by day in China time and pages with `before`', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const all = (await get('auditor', '/api/v1/audit', { from: today, to: today })).json();
    expect(all.entries.length).toBeGreaterThanOrEqual(2);
    expect((await get('auditor', '/api/v1/audit', { to: '2000-01-01' })).json().entries).toEqual(
      [],
    );
    const page1 = (await get('auditor', '/api/v1/audit', { limit: '1' })).json();
    expect(page1.entries).toHaveLength(1);
    expect(page1.next).toBe(page1.entries[0].seq);
    const page2 = (
      await get('auditor', '/api/v1/audit', { limit: '1', before: String(page1.next) })
    ).json();
    expect(page2.entries[0].seq).toBeLessThan(page1.entries[0].seq);
  });

  it('refuses bad filters naming the field', async () => {
    for (const [q, field] of [
      [{ person: '123' }, 'person'],
      [{ from: '2022-02-30' }, 'from'],
      [{ limit: '0' }, 'limit'],
      [{ colour: 'red' }, 'querystring'],
    ] as const) {
      const r = await get('auditor', '/api/v1/audit', q);
      expect(r.statusCode).toBe(400);
      expect(r.json().field).toBe(field);
    }
  });

  it('verifies the chain over HTTP and reports a tampered row', async () => {
    expect((await get('auditor', '/api/v1/audit/verify')).json()).toMatchObject({
      ok: true,
      checkpoint: null,
      rows: expect.any(Number),
    });
    await ctx.db.query(`UPDATE audit_log SET after_json = '{"phone":"1"}' WHERE entity = 'person'`);
    const v = (await get('auditor', '/api/v1/audit/verify')).json();
    expect(v.ok).toBe(false);
    expect(v.problems[0].kind).toBe('hash_mismatch');
  });
});
