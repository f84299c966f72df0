import { expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { runDemoLoad } from '../app/commands/demo.ts';
import type { CliIo } from '../cli/command.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_INSTITUTION,
  DEMO_PASSWORD,
  loginHelp,
  seedDemoAccounts,
} from './demo-accounts.ts';
import { ROLES } from '../kernel/access/roles.ts';

const quiet: CliIo = { out: () => undefined, err: () => undefined, tty: false, env: {}, cwd: '.' };

describeDb('demo accounts', (ctx) => {
  it('a migrated database has no accounts at all', async () => {
    const r = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
    expect(r.rows[0]!.n).toBe(0);
    const help = await loginHelp(ctx.db, 'http://127.0.0.1:3000');
    expect(help.join('\n')).toMatch(/triguard user add/);
  });

  it('loading the demo county creates one account per role, which can sign in', async () => {
    await runDemoLoad(ctx.db, { people: 300, seed: 7, year: 2022 }, quiet);
    expect([...new Set(DEMO_ACCOUNTS.map((a) => a.role))].sort()).toEqual([...ROLES].sort());
    const app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    for (const a of DEMO_ACCOUNTS) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: a.username, password: DEMO_PASSWORD },
        remoteAddress: `10.9.0.${DEMO_ACCOUNTS.indexOf(a)}`,
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().account).toMatchObject({
        roles: [a.role],
        scope: a.scope,
        mustChangePassword: false,
      });
    }
    await app.close();
    const treated = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM institution_patient WHERE fixmedins_code = $1',
      [DEMO_INSTITUTION],
    );
    expect(treated.rows[0]!.n).toBeGreaterThan(0);
    const help = (await loginHelp(ctx.db, 'http://127.0.0.1:3000')).join('\n');
    expect(help).toContain('/api/v1/auth/login');
    expect(help).toContain(DEMO_PASSWORD);
    for (const a of DEMO_ACCOUNTS) expect(help).toContain(a.username);
  }, 60_000);

  it('seeding again creates nothing', async () => {
    expect(await seedDemoAccounts(ctx.db)).toBe(0);
  });
});
