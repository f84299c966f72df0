/**
 * bench/settlement: end-to-end `POST /api/v1/settlements` on PostgreSQL with concurrent clients on
 * loopback, beside `pgbench -b tpcb-like` on the same server in the same run. Prints
 * settlements/s, p50/p99 latency and the ratio to pgbench TPS (aim ≥ 0.5 and ≥ 1,000/s).
 * BENCH_PEOPLE (default 100,000), BENCH_SECONDS (default 20), BENCH_CLIENTS (default 32);
 * BENCH_SOCKET=/var/run/postgresql: server and pgbench both reach PostgreSQL over that Unix socket.
 * The load comes from wrk when it is installed (`apt-get install -y wrk`), a C client like
 * pgbench's; BENCH_LOAD=node uses the Node generator (bench/load.ts), which spends more of the
 * machine's two cores itself.
 */
import { loadDemoCounty } from '../src/registry/demo/load.ts';
import { closedLoop } from './load.ts';
import { cpuSample, cpuUse, formatCpu } from './cpu.ts';
import { pgbenchTps } from './pgbench.ts';
import { withScratchDb } from './scratch-db.ts';
import { startServer } from './server.ts';
import { benchHeaders } from './auth.ts';
import { wrkAvailable, wrkSettle } from './settlement/wrk.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const PORT = 3917;
/** The msgid prefix of the measured run (the warm-up's is `warm`). */
const MEASURED = 'bench';

/** The same database over a Unix socket when BENCH_SOCKET names its directory. */
function overSocket(url: string): string {
  const dir = process.env.BENCH_SOCKET;
  if (!dir) return url;
  const u = new URL(url);
  return `postgres://${u.username}@${encodeURIComponent(dir)}${u.pathname}`;
}

export async function run() {
  const useWrk = process.env.BENCH_LOAD !== 'node' && wrkAvailable();
  await withScratchDb('tg_bench_settle', async (db, tcpUrl) => {
    const url = overSocket(tcpUrl);
    await loadDemoCounty(db, { seed: 1, people: PEOPLE, year: 2022 });
    const people = (await db.query<{ certno: string }>('SELECT certno FROM person')).rows.map(
      (r) => r.certno,
    );
    const pgb = pgbenchTps(url, CLIENTS, SECONDS);
    const tps = pgb.tps;
    const server = await startServer(url, PORT);
    try {
      const headers = await benchHeaders(db);
      const body = (i: number, prefix: string) => ({
        msgid: `${prefix}-${i}`,
        certno: people[(i * 7919) % people.length],
        fixmedinsCode: 'H37089900001',
        bill: {
          date: '2022-06-15',
          visitType: i % 4 === 0 ? 'inpatient' : 'general_outpatient',
          hospitalLevel: 1 + (i % 3),
          diagnosis: i % 4 === 0 ? 'K35.8' : 'J06.9',
          lines: [
            { amount: i % 4 === 0 ? 8000 : 120, class: 'A' },
            { amount: 300, class: 'B' },
            { amount: 50, class: 'C' },
          ],
        },
      });
      const url = `http://127.0.0.1:${PORT}/api/v1/settlements`;
      const load = async (seconds: number, prefix: string) =>
        useWrk
          ? wrkSettle({ url, clients: CLIENTS, seconds, headers, people, prefix })
          : closedLoop({
              url,
              clients: CLIENTS,
              seconds,
              headers,
              body: (i) => body(i, prefix),
            });
      // Warm up (JIT, connection pool, pack cache) before measuring.
      await load(3, 'warm');
      // As pgbench's run does (pgbench.ts): start from a checkpoint, so that the run does not
      // pay for writing out pages dirtied before it.
      await db.exec('CHECKPOINT');
      const before = cpuSample();
      const r = await load(SECONDS, MEASURED);
      const after = cpuSample();
      // What the server says it did, beside what the load generator counted.
      const written = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM settlement WHERE msgid LIKE $1`,
        [`${MEASURED}-%`],
      );
      console.log(
        `people: ${PEOPLE}, clients: ${CLIENTS}, seconds: ${r.seconds.toFixed(1)}, PostgreSQL over ${process.env.BENCH_SOCKET ? `Unix socket ${process.env.BENCH_SOCKET}` : 'TCP loopback'}, load from ${useWrk ? 'wrk' : 'Node (bench/load.ts)'}`,
      );
      console.log(`pgbench tpcb-like: ${tps.toFixed(0)} tps; ${formatCpu(pgb.cpu)}`);
      console.log(
        `POST /api/v1/settlements: ${r.perSecond.toFixed(0)} settlements/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.requests} requests, ${r.errors} errors, ${written.rows[0]!.n} settlements written`,
      );
      console.log(`  ${formatCpu(cpuUse(before, after, r.requests))}`);
      if (r.firstError) console.log(`first error: ${r.firstError}`);
      console.log(
        `ratio (settlements/s ÷ pgbench tps): ${(r.perSecond / tps).toFixed(2)}  (aim >= 0.5; and >= 1000/s)`,
      );
    } finally {
      server.kill('SIGTERM');
    }
  });
}
