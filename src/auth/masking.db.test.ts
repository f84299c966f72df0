/**
 * Sensitive fields in API answers, whichever module serves them: a role without
 * registry:sensitive:read never sees a severe-mental flag; a role with it does, and that read is
 * audited. ID numbers are masked for roles without registry:certno:read.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import type { Role } from '../kernel/access/roles.ts';
import { bearer, createRoleAccounts, PEOPLE, seedPeople } from './testing/accounts.ts';

describeDb('sensitive fields in API answers', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const get = async (role: Role, url: string) =>
    app.inject({ url, headers: await bearer(ctx.db, ids[role]) });

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    return () => app.close();
  });

  const sensitiveReads = async () =>
    (
      await ctx.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.sensitive.read' AND certno = $1",
        [PEOPLE.own],
      )
    ).rows[0]!.n;

  it('hides severe-mental flags from a township office, in the person and the flag list', async () => {
    const before = await sensitiveReads();
    for (const url of [`/api/v1/persons/${PEOPLE.own}`, `/api/v1/persons/${PEOPLE.own}/flags`]) {
      const r = await get('township_office', url);
      expect(r.statusCode).toBe(200);
      expect(r.body).not.toContain('severe_mental');
    }
    expect(await sensitiveReads()).toBe(before);
  });

  it('shows them to a family doctor and audits the read', async () => {
    const before = await sensitiveReads();
    const r = await get('family_doctor', `/api/v1/persons/${PEOPLE.own}/flags`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('severe_mental');
    expect(await sensitiveReads()).toBeGreaterThan(before);
  });

  it('masks whole ID numbers in search results for roles without registry:certno:read', async () => {
    const search = async (role: Role) =>
      (await get(role, `/api/v1/persons?certno=${PEOPLE.own}`)).json().items[0].certno as string;
    expect(await search('township_office')).toBe(PEOPLE.own);
    expect(await search('designated_institution')).toBe(
      `${PEOPLE.own.slice(0, 6)}********${PEOPLE.own.slice(-4)}`,
    );
  });
});
