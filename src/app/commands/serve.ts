import { openFromEnv } from '../../db/open.ts';
import { migrate } from '../../db/migrate.ts';
import { buildApp } from '../http.ts';
import { isEmpty, DEFAULT_DEMO } from '../../registry/index.ts';
import { parse } from '../../cli/args.ts';
import type { CliIo, Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';
import { runDemoLoad } from './demo.ts';
import { loginHelp } from '../../auth/index.ts';
import { startJobs } from '../jobs/schedule.ts';
import type { Db } from '../../db/db.ts';
import { isWorker, startWorkers, workersOf } from '../../http/workers.ts';
import { startDeliveryWorker, deliveryOptionsFromEnv } from '../../monitoring/index.ts';

const HELP = `triguard serve [--port N] [--host H] [--workers N] [--demo-if-empty]

Migrates the database, then serves the HTTP API (OpenAPI at /docs).
  --port N          port (default $PORT or 3000)
  --host H          address to listen on (default 127.0.0.1; 0.0.0.0 for all)
  --workers N       serve from N processes sharing the port (default $WORKERS or 1; N > 1 needs
                    DATABASE_URL, and each process keeps DATABASE_POOL connections)
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
      workers: { type: 'string' },
    });
    const port = Number(values.port ?? io.env.PORT ?? 3000);
    const host = values.host ?? io.env.HOST ?? '127.0.0.1';
    const workers = workersOf(values.workers ?? io.env.WORKERS);
    // A worker forked by the primary below: the primary has migrated; the worker only serves.
    if (isWorker()) return serveHttp(await openFromEnv(io.env), io, port, host);
    if (workers > 1 && !io.env.DATABASE_URL) {
      io.err(
        '多进程服务需要 PostgreSQL（设置 DATABASE_URL）/ --workers above 1 needs PostgreSQL (set DATABASE_URL): PGlite lives in one process',
      );
      return 2;
    }
    const db = await openFromEnv(io.env);
    const applied = await migrate(db);
    if (applied.length) io.err(`migrations applied: ${applied.join(', ')}`);
    if (values['demo-if-empty'] && (await isEmpty(db))) {
      io.err('首次启动：加载演示县数据 / first start: loading the demo county');
      await runDemoLoad(db, DEFAULT_DEMO, io);
    }
    // The monthly warning run and daily re-check (pg-boss, PostgreSQL only): src/jobs/.
    const jobs = await startJobs(db, io.env, io.err);
    let stopServing: () => Promise<void>;
    if (workers === 1) {
      const app = await buildApp({
        db,
        logLevel: io.env.LOG_LEVEL ?? 'info',
        trustProxy: io.env.TRIGUARD_TRUST_PROXY,
      });
      // Webhook deliveries (the outbox) are sent by the processes that serve.
      const delivery = startDeliveryWorker(db, deliveryOptionsFromEnv(io.env), io.err);
      await app.listen({ port, host });
      stopServing = async () => {
        await app.close();
        await delivery.stop();
      };
    } else {
      const pool = await startWorkers(workers, io.err);
      stopServing = () => pool.stop();
    }
    onSignal(async () => {
      await stopServing();
      await jobs.stop();
      await db.close();
    });
    io.err(
      `Triguard 三重保障平台 listening on http://${host}:${port}${workers > 1 ? ` (${workers} workers)` : ''}  (API docs: /docs, health: /healthz)`,
    );
    for (const line of await loginHelp(db, `http://${host}:${port}`)) io.err(line);
    // Keep running until a signal arrives.
    await new Promise<never>(() => undefined);
    return 0;
  },
};

/** On SIGINT or SIGTERM: close, then exit. */
function onSignal(close: () => Promise<void>): void {
  const once = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', once);
  process.once('SIGTERM', once);
}

/** A worker process: the API on the shared port until a signal closes it. */
async function serveHttp(db: Db, io: CliIo, port: number, host: string): Promise<number> {
  const app = await buildApp({
    db,
    logLevel: io.env.LOG_LEVEL ?? 'info',
    trustProxy: io.env.TRIGUARD_TRUST_PROXY,
  });
  const delivery = startDeliveryWorker(db, deliveryOptionsFromEnv(io.env), io.err);
  onSignal(async () => {
    await app.close();
    await delivery.stop();
    await db.close();
  });
  await app.listen({ port, host });
  await new Promise<never>(() => undefined);
  return 0;
}
