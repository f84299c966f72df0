import { openFromEnv } from '../../db/open.ts';
import { migrate } from '../../db/migrate.ts';
import { buildApp } from '../../http/app.ts';
import { isEmpty } from '../../registry/demo/load.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { wantsHelp } from '../command.ts';
import { DEFAULT_DEMO, runDemoLoad } from './demo.ts';
import { loginHelp } from '../../auth/demo-accounts.ts';
import { startJobs } from '../../jobs/schedule.ts';

const HELP = `triguard serve [--port N] [--host H] [--demo-if-empty]

Migrates the database, then serves the HTTP API (OpenAPI at /docs).
  --port N          port (default $PORT or 3000)
  --host H          address to listen on (default 127.0.0.1; 0.0.0.0 for all)
  --demo-if-empty   load the demo county first when the registry is empty (npm start does)`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'migrate and serve the HTTP API (启动服务)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const { values } = parse(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'demo-if-empty': { type: 'boolean' },
    });
    const port = Number(values.port ?? io.env.PORT ?? 3000);
    const host = values.host ?? io.env.HOST ?? '127.0.0.1';
    const db = await openFromEnv(io.env);
    const applied = await migrate(db);
    if (applied.length) io.err(`migrations applied: ${applied.join(', ')}`);
    if (values['demo-if-empty'] && (await isEmpty(db))) {
      io.err('首次启动：加载演示县数据 / first start: loading the demo county');
      await runDemoLoad(db, DEFAULT_DEMO, io);
    }
    const app = await buildApp({ db, logLevel: io.env.LOG_LEVEL ?? 'info' });
    // The monthly warning run and daily re-check (pg-boss, PostgreSQL only): src/jobs/.
    const jobs = await startJobs(db, io.env, io.err);
    const close = async () => {
      await jobs.stop();
      await app.close();
      await db.close();
      process.exit(0);
    };
    process.once('SIGINT', close);
    process.once('SIGTERM', close);
    await app.listen({ port, host });
    io.err(
      `Triguard 三重保障平台 listening on http://${host}:${port}  (API docs: /docs, health: /healthz)`,
    );
    for (const line of await loginHelp(db, `http://${host}:${port}`)) io.err(line);
    // Keep running until a signal arrives.
    await new Promise<never>(() => undefined);
    return 0;
  },
};
