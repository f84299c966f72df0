import { beforeAll, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { bearer, createRoleAccounts } from '../auth/testing/accounts.ts';
import { settledDemoYear, YEAR } from './testing/fixture.ts';

describeDb('policy replay over HTTP', (ctx) => {
  let app: FastifyInstance;
  let staff: { authorization: string };
  let auditor: { authorization: string };
  let township: { authorization: string };

  beforeAll(async () => {
    await settledDemoYear(ctx.db, { people: 2_000, bills: 300 });
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    const ids = await createRoleAccounts(ctx.db);
    staff = await bearer(ctx.db, ids.bureau_staff);
    auditor = await bearer(ctx.db, ids.auditor);
    township = await bearer(ctx.db, ids.township_office);
    return () => app.close();
  }, 240_000);

  async function finished(id: number) {
    for (let i = 0; i < 200; i++) {
      const r = await app.inject({ url: `/api/v1/replays/${id}`, headers: staff });
      const body = r.json();
      if (body.status !== 'running') return body;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('the replay did not finish');
  }

  it('starts a replay that runs in the background, then shows, exports and explains it', async () => {
    const start = await app.inject({
      method: 'POST',
      url: '/api/v1/replays',
      headers: staff,
      payload: { pack: 'demo-2023', year: YEAR },
    });
    expect(start.statusCode).toBe(202);
    expect(start.json()).toMatchObject({ pack: 'demo-2023', year: YEAR, region: '370899' });
    const run = await finished(start.json().id);
    expect(run.status).toBe('done');
    expect(run.actualPacks).toEqual(['demo-2022']);
    expect(run.progress.done).toBe(run.progress.total);
    // demo-2023 raises the critical illness deductible: that tier pays less.
    expect(run.result.totals.draft.hifmi_pay).toBeLessThan(run.result.totals.actual.hifmi_pay);

    const list = await app.inject({ url: '/api/v1/replays', headers: auditor });
    expect(list.json().replays.map((r: { id: number }) => r.id)).toContain(run.id);

    const xlsx = await app.inject({ url: `/api/v1/replays/${run.id}/result.xlsx`, headers: staff });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const tiers = book.getWorksheet('分段 tiers')!;
    expect(tiers.getRow(3).getCell(1).value).toBe('大病保险 critical illness');
    expect(Number(tiers.getRow(3).getCell(4).value)).toBeLessThan(0);

    const someone = run.result.largestIncrease[0];
    expect(someone).toBeDefined();
    const ex = await app.inject({
      url: `/api/v1/replays/${run.id}/explain?ref=${someone.ref}`,
      headers: staff,
    });
    expect(ex.statusCode).toBe(200);
    const bills = ex.json().bills as {
      actual: { hifmi_pay: number };
      draft: { hifmi_pay: number };
    }[];
    expect(bills.some((b) => b.draft.hifmi_pay < b.actual.hifmi_pay)).toBe(true);
  });

  it('refuses bad requests with the field, roles without the permission, and a delete while running', async () => {
    const post = (payload: unknown, headers = staff) =>
      app.inject({ method: 'POST', url: '/api/v1/replays', headers, payload: payload as object });
    const noBills = await post({ pack: 'demo-2022', year: 2030 });
    expect(noBills.statusCode).toBe(422);
    expect(noBills.json()).toMatchObject({ code: 'replay.no_bills', field: 'year' });
    const badPack = await post({ pack: '../etc', year: YEAR });
    expect(badPack.statusCode).toBe(400);
    expect(badPack.json().field).toBe('pack');
    expect((await post({ pack: 'demo-2022', year: YEAR }, township)).statusCode).toBe(403);
    const who = await app.inject({ url: '/api/v1/replays/1/explain', headers: staff });
    expect(who.statusCode).toBe(400);
    expect(who.json().code).toBe('replay.explain_who');
    const missing = await app.inject({
      method: 'DELETE',
      url: '/api/v1/replays/999999',
      headers: staff,
    });
    expect(missing.statusCode).toBe(404);
  });
});
