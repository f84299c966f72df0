/** The person API refuses hidden characters in names as the import does, and reads dates alike. */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../../test/support/db.ts';
import { bearer, createRoleAccounts } from '../../auth/testing/accounts.ts';
import type { Role } from '../../kernel/access/roles.ts';
import { buildApp } from '../../app/http.ts';
import { makeId } from '../../kernel/idcard.ts';
import { seedRegions, VILLAGE_1 } from '../testing/db.ts';

const A = makeId('370899', '1961-04-05', 81);
const B = makeId('370899', '1961-04-05', 82);

describeDb('person API against hidden characters and Excel dates', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);

  beforeAll(async () => {
    await seedRegions(ctx.db);
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    return () => app.close();
  });

  const send = async (method: 'POST' | 'PATCH', url: string, payload: object) =>
    app.inject({ method, url, headers: await as('bureau_staff'), payload });

  it.each([
    ['a bell', '王\u0007五'],
    ['a right-to-left override', '王\u202e五'],
    ['a first-strong isolate', '\u2068王五'],
    ['a line break', '王\n五'],
    ['a C1 control', '王\u0085五'],
  ])('refuses a name holding %s, naming the field', async (_, name) => {
    const r = await send('POST', '/api/v1/persons', {
      certno: A,
      name,
      regionCode: VILLAGE_1,
      reason: '新参保',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'text.control_character', field: 'name' });
    expect(r.json().message.zh).toMatch(/控制字符/);
  });

  it('refuses a NUL in a name before it reaches the database', async () => {
    const r = await send('POST', '/api/v1/persons', {
      certno: A,
      name: '王\u0000五',
      regionCode: VILLAGE_1,
      reason: '新参保',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: 'name' });
  });

  it('refuses the same in a change of name or household number', async () => {
    expect(
      (
        await send('POST', '/api/v1/persons', {
          certno: B,
          name: '王五',
          regionCode: VILLAGE_1,
          reason: '新参保',
        })
      ).statusCode,
    ).toBe(201);
    const name = await send('PATCH', `/api/v1/persons/${B}`, {
      name: '王\u202d五',
      reason: '更正',
    });
    expect(name.statusCode).toBe(400);
    expect(name.json()).toMatchObject({ field: 'name' });
    const household = await send('PATCH', `/api/v1/persons/${B}`, {
      householdId: 'H\u000701',
      reason: '更正',
    });
    expect(household.statusCode).toBe(400);
    expect(household.json()).toMatchObject({ field: 'householdId' });
  });

  it('reads 2022-2-3 in a date field as 2022-02-03, as the import does', async () => {
    const flag = await send('POST', `/api/v1/persons/${B}/flags`, {
      category: 'subsistence',
      from: '2022-1',
      recognisedOn: '2021-12-3',
      reason: '民政认定',
    });
    expect(flag.statusCode).toBe(200);
    expect(flag.json().flags[0]).toMatchObject({ from: '2022-01', recognisedOn: '2021-12-03' });
    const death = await send('POST', `/api/v1/persons/${B}/death`, {
      deathDate: '2022-2-3',
      reason: '死亡',
    });
    expect(death.statusCode).toBe(200);
    const bad = await send('POST', `/api/v1/persons/${A}/death`, {
      deathDate: '2022-2-30',
      reason: '死亡',
    });
    expect(bad.statusCode).toBe(400);
  });
});
