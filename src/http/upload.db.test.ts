/** Every upload endpoint answers a damaged workbook with a 422 naming the file, never a 500. */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { bearer, createRoleAccounts } from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { seedCounty } from '../assistance/testing/fixture.ts';
import { buildApp } from '../app/http.ts';

/** What an attacker sent: a zip's signature, then garbage. */
const DAMAGED = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(300, 0x41)]);

function multipart(fileName: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = '----up' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        `Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describeDb('uploads of damaged workbooks', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);
  let campaignId = 0;

  beforeAll(async () => {
    await seedCounty(ctx.db);
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    const c = await app.inject({
      method: 'POST',
      url: '/api/v1/reconcile/campaigns',
      headers: await as('bureau_staff'),
      payload: { name: '损坏文件', regionCode: '370899', medicalYear: 2022 },
    });
    campaignId = c.json().campaignId;
    return () => app.close();
  });

  const post = async (url: string, fields: Record<string, string> = {}) => {
    const up = multipart('名单.xlsx', DAMAGED, fields);
    return app.inject({
      method: 'POST',
      url,
      headers: { ...(await as('bureau_staff')), ...up.headers },
      payload: up.payload,
    });
  };

  const expectUnreadable = (r: Awaited<ReturnType<typeof post>>) => {
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body).toMatchObject({ code: 'import.unreadable', field: 'file' });
    expect(body.message.zh).toContain('工作簿');
    expect(body.message.en).toContain('not a readable workbook');
  };

  it('registry import', async () => {
    expectUnreadable(await post('/api/v1/registry/import'));
  });

  it('batch assistance, leaving no half-made batch behind', async () => {
    expectUnreadable(await post('/api/v1/assistance/batches'));
    const n = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM assistance_batch');
    expect(n.rows[0]!.n).toBe(0);
  });

  it('a reconciliation list', async () => {
    expectUnreadable(
      await post(`/api/v1/reconcile/campaigns/${campaignId}/lists`, {
        department: 'civil_affairs',
        kind: 'subsistence',
        asOf: '2022-06-30',
      }),
    );
  });

  it('refuses a NUL character in a form field as bad input, not a database error', async () => {
    const up = multipart('名单.csv', Buffer.from('身份证号,姓名\n'), {
      department: 'civil\u0000affairs',
      kind: 'subsistence',
      asOf: '2022-06-30',
    });
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/campaigns/${campaignId}/lists`,
      headers: { ...(await as('bureau_staff')), ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'request.invalid_text', field: 'department' });
  });
});
