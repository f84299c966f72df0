import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { bearer, createRoleAccounts, PEOPLE, seedPeople } from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { buildApp } from '../app/http.ts';
import { seedRegions } from '../registry/testing/db.ts';

describeDb('reports routes', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);
  const get = async (role: Role, url: string) =>
    app.inject({ method: 'GET', url, headers: await as(role) });

  beforeAll(async () => {
    await seedRegions(ctx.db);
    await seedPeople(ctx.db);
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    const settled = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: await as('bureau_staff'),
      payload: {
        msgid: 'reports-1',
        certno: PEOPLE.other,
        fixmedinsCode: 'H37089900001',
        bill: {
          date: '2022-06-01',
          visitType: 'inpatient',
          hospitalLevel: 2,
          diagnosis: 'I63.9',
          lines: [{ amount: 20000, class: 'A' }],
        },
      },
    });
    expect(settled.statusCode).toBe(200);
    return () => app.close();
  });

  it('answers the dashboard within the caller’s scope', async () => {
    const staff = (await get('bureau_staff', '/api/v1/reports/dashboard')).json();
    expect(staff).toMatchObject({
      scope: { regionCode: '370899', regionName: '示范县' },
      people: 3,
      insured: 3,
      insuredYear: 2022,
      settlements: { settled: 1, cancelled: 0 },
    });
    const count = (d: typeof staff, c: string) =>
      d.flagged.find((f: { category: string }) => f.category === c)?.people;
    expect(count(staff, 'subsistence')).toBe(1);
    expect(count(staff, 'severe_mental')).toBe(1);
    expect(staff.settlements.byTier[0]).toMatchObject({ tier: 'basic_insurance' });
    expect(staff.settlements.byTier[0].amount).toBeGreaterThan(0);
    expect(staff.settlements.fundPaid).toBeGreaterThan(0);
    // The monitoring tables exist in this database: a count, not "not available".
    expect(staff.warningsOpen).toBe(0);

    // Township 001 holds only PEOPLE.own; its settlements and flags are of township 002.
    const township = (await get('township_office', '/api/v1/reports/dashboard')).json();
    expect(township).toMatchObject({
      scope: { regionCode: '370899001', regionName: '城关镇' },
      people: 1,
      settlements: { settled: 0, fundPaid: 0 },
    });
    expect(count(township, 'subsistence')).toBe(0);
    // Without registry:sensitive:read the severe-mental count is not shown at all.
    expect(count(township, 'severe_mental')).toBeUndefined();
  });

  it('lists the people of a category, scoped and masked', async () => {
    const staff = (
      await get('bureau_staff', '/api/v1/reports/flagged-people?category=subsistence')
    ).json();
    expect(staff.total).toBe(1);
    expect(staff.items[0]).toMatchObject({ certno: PEOPLE.other, categories: ['subsistence'] });
    const township = (
      await get('township_office', '/api/v1/reports/flagged-people?category=subsistence')
    ).json();
    expect(township).toMatchObject({ total: 0, items: [] });
    const auditor = (
      await get('auditor', '/api/v1/reports/flagged-people?category=severe_mental')
    ).json();
    expect(auditor.total).toBe(0);
  });

  it('lists a person’s settlements, and 404 outside the scope', async () => {
    const mine = await get('bureau_staff', `/api/v1/persons/${PEOPLE.other}/settlements`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toHaveLength(1);
    expect(mine.json()[0]).toMatchObject({ status: 'settled', date: '2022-06-01' });
    const far = await get('township_office', `/api/v1/persons/${PEOPLE.other}/settlements`);
    expect(far.statusCode).toBe(404);
  });

  it('names a region and its children; refuses roles without the dashboard', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/regions/370899' })).statusCode).toBe(
      401,
    );
    const county = (await get('designated_institution', '/api/v1/regions/370899')).json();
    expect(county.name).toBe('示范县');
    expect(county.children.map((c: { code: string }) => c.code)).toEqual([
      '370899001',
      '370899002',
    ]);
    const denied = await get('designated_institution', '/api/v1/reports/dashboard');
    expect(denied.statusCode).toBe(403);
  });
});
