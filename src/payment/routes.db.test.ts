/**
 * The payment API (docs/payment.md §7–§9): statements as JSON and XLSX, a clearing of an open
 * year refused naming the year, a designated institution limited to its own statement, and
 * writes kept to the bureau.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import {
  bearer,
  createRoleAccounts,
  seedPeople,
  TEST_INSTITUTION,
} from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { SettlementService } from '../settlement/persist/service.ts';
import { DONGGUAN_CENTRE, registerPsychiatric, settleMarch } from './testing/fixture.ts';

describeDb('payment routes', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  beforeAll(async () => {
    ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    await registerPsychiatric(ctx.db);
    await settleMarch(new SettlementService(ctx.db, await loadPackCatalog()), 'r');
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
  });
  const as = async (role: Role) => bearer(ctx.db, ids[role]);

  it('answers a month’s statements, and one institution’s as XLSX', async () => {
    const headers = await as('bureau_staff');
    const r = await app.inject({ url: '/api/v1/payment/statements?year=2022&month=3', headers });
    expect(r.statusCode).toBe(200);
    expect(r.json().statements.map((s: { institution: string }) => s.institution)).toContain(
      DONGGUAN_CENTRE,
    );
    const x = await app.inject({
      url: `/api/v1/payment/statements/${DONGGUAN_CENTRE}?year=2022&month=3&format=xlsx`,
      headers,
    });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses to clear a year still open, naming the year', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/payment/clearings',
      headers: await as('bureau_staff'),
      payload: { year: 2022 },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'payment.year_open', field: 'year' });
  });

  it('shows a designated institution its own statement only, and keeps writes to the bureau', async () => {
    const headers = await as('designated_institution');
    const r = await app.inject({ url: '/api/v1/payment/statements?year=2022&month=3', headers });
    expect(r.json().statements.map((s: { institution: string }) => s.institution)).toEqual([
      TEST_INSTITUTION,
    ]);
    const other = await app.inject({
      url: `/api/v1/payment/statements/${DONGGUAN_CENTRE}?year=2022&month=3`,
      headers,
    });
    expect(other.statusCode).toBe(404);
    const close = await app.inject({
      method: 'POST',
      url: '/api/v1/payment/months/close',
      headers,
      payload: { year: 2022, month: 3 },
    });
    expect(close.statusCode).toBe(403);
    const approve = await app.inject({
      method: 'POST',
      url: '/api/v1/payment/clearings/1/approve',
      headers: await as('bureau_staff'),
    });
    expect(approve.statusCode).toBe(403);
  });
});
