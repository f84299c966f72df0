/**
 * A session revoked by another server process is refused here at once: the revoking process's
 * notice empties this process's session cache. The other process is played by plain SQL on
 * another connection (no call into this process's cache), as a second server would send it.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { createRoleAccounts } from './testing/accounts.ts';
import { createSession } from './sessions.ts';
import { SESSIONS_CHANNEL } from './session-cache.ts';
import type { Role } from '../kernel/access/roles.ts';

describeDb('session revocations across server processes', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    return () => app.close();
  });

  const me = (secret: string) =>
    app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${secret}` } });

  /** What another process does when it signs a session out: the update, then the notice. */
  async function revokeElsewhere(userId: string, notify: boolean) {
    await ctx.db.transaction(async (tx) => {
      await tx.query('UPDATE auth_session SET revoked_at = now() WHERE user_id = $1', [userId]);
      if (notify) await tx.query(`SELECT pg_notify('${SESSIONS_CHANNEL}', '')`);
    });
  }

  /** Notices arrive on their own connection: give the event loop a moment to read one. */
  const settle = () => new Promise((done) => setTimeout(done, 100));

  it('refuses a session another process revoked, as soon as its notice arrives', async () => {
    const s = await createSession(ctx.db, {
      userId: ids.auditor,
      kind: 'bearer',
      origin: null,
      ttlMs: 60_000,
    });
    expect((await me(s.secret)).statusCode).toBe(200); // now cached
    await revokeElsewhere(ids.auditor, true);
    await settle();
    expect((await me(s.secret)).statusCode).toBe(401);
  });

  it('without the notice the cache would still answer: the notice is what refuses it', async () => {
    const s = await createSession(ctx.db, {
      userId: ids.expert_reviewer,
      kind: 'bearer',
      origin: null,
      ttlMs: 60_000,
    });
    expect((await me(s.secret)).statusCode).toBe(200);
    await revokeElsewhere(ids.expert_reviewer, false);
    await settle();
    expect((await me(s.secret)).statusCode).toBe(200);
  });
});
