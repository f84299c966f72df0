/**
 * bench/settlement: end-to-end `POST /api/v1/settlements` on PostgreSQL with concurrent clients on
 * loopback, beside `pgbench -b tpcb-like` on the same server in the same run. Prints
 * settlements/s, p50/p99 latency and the ratio to pgbench TPS (aim ≥ 0.5 and ≥ 1,000/s).
 *
 * The two alternate: BENCH_ROUNDS rounds (default 5) of a pgbench run then a settlement run, each
 * BENCH_SECONDS long (default 10), each from a checkpoint. On a shared machine both rates drift
 * by tens of percent from minute to minute; a pair measured a few seconds apart sees the same machine, so each round's ratio is
 * printed and the median of the rounds' ratios is the figure. Each run also prints the machine's
 * CPU milliseconds per transaction or settlement (bench/cpu.ts), and a settlement run how many of
 * them the server's processes and its PostgreSQL backends spent (bench/server-cpu.ts).
 *
 * BENCH_PEOPLE (default 100,000), BENCH_CLIENTS (default 32); WORKERS=N serves from N processes;
 * BENCH_SOCKET=/var/run/postgresql: server and pgbench both reach PostgreSQL over that Unix socket.
 * The load comes from wrk when it is installed (`apt-get install -y wrk`), a C client like
 * pgbench's; BENCH_LOAD=node uses the Node generator (bench/load.ts), which spends more of the
 * machine's two cores itself.
 */
import { loadDemoCounty } from '../src/registry/demo/load.ts';
import { closedLoop, type LoadResult } from './load.ts';
import { cpuSample, cpuUse, formatCpu, type CpuUse } from './cpu.ts';
import { preparePgbench, type PgbenchResult } from './pgbench.ts';
import { withScratchDb } from './scratch-db.ts';
import { median } from './median.ts';
import { startServer } from './server.ts';
import { startCpuSplit, withApplicationName } from './server-cpu.ts';
import { benchHeaders, CERTIFY_PATIENTS_SQL, REGISTER_PATIENTS_SQL } from './auth.ts';
import { registerDemoInstitutions } from '../src/catalogue/demo-institutions.ts';
import { wrkAvailable, wrkSettle } from './settlement/wrk.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** The server's connections carry this name, so its PostgreSQL backends' CPU can be read. */
const APP = 'tg_bench_settle';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const PORT = 3917;
/** The msgid prefix of the measured runs (round r's is `bench<r>`; the warm-up's is `warm`). */
const MEASURED = 'bench';

interface Round {
  pgbench: PgbenchResult;
  ours: LoadResult;
  cpu: CpuUse | null;
  /** CPU milliseconds per settlement of the server's processes and of its PostgreSQL backends. */
  serverMs: number;
  postgresMs: number;
  written: number;
}

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
    const dbUrl = overSocket(tcpUrl);
    await loadDemoCounty(db, { seed: 1, people: PEOPLE, year: 2022 });
    const people = (await db.query<{ certno: string }>('SELECT certno FROM person')).rows.map(
      (r) => r.certno,
    );
    const pgbench = preparePgbench(dbUrl);
    const server = await startServer(withApplicationName(dbUrl, APP), PORT);
    try {
      const headers = await benchHeaders(db);
      await db.query(REGISTER_PATIENTS_SQL);
      await db.query(CERTIFY_PATIENTS_SQL);
      await registerDemoInstitutions(db);
      // The bodies of bench/settlement/wrk-settle.lua: every fourth bill an admission, every
      // eighth a certified patient's chronic visit, at the bench account's level-2 hospital.
      const body = (i: number, prefix: string) => ({
        msgid: `${prefix}-${i}`,
        certno: people[(i * 7919) % people.length],
        fixmedinsCode: 'H37089900001',
        bill: {
          date: '2022-06-15',
          visitType:
            i % 4 === 0 ? 'inpatient' : i % 8 === 1 ? 'chronic_outpatient' : 'general_outpatient',
          hospitalLevel: 2,
          diagnosis: i % 4 === 0 ? 'K35.8' : i % 8 === 1 ? 'E11.9' : 'J06.9',
          lines: [
            { amount: i % 4 === 0 ? 8000 : i % 8 === 1 ? 600 : 120, class: 'A' },
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
      // Warm up (JIT, connection pool, pack cache) before measuring: 5 s, so that with WORKERS=2
      // each process has compiled its hot path too.
      await load(5, 'warm');
      const rounds: Round[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const pgb = pgbench.run(CLIENTS, SECONDS);
        // As pgbench's run does (pgbench.ts): start from a checkpoint, so that the run does not
        // pay for writing out pages dirtied before it.
        await db.exec('CHECKPOINT');
        const prefix = `${MEASURED}${round}`;
        const before = cpuSample();
        const stop = await startCpuSplit(dbUrl, APP, server.pid!);
        const r = await load(SECONDS, prefix);
        const after = cpuSample();
        const split = await stop();
        // What the server says it did, beside what the load generator counted.
        const written = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM settlement WHERE msgid LIKE $1`,
          [`${prefix}-%`],
        );
        const x: Round = {
          pgbench: pgb,
          ours: r,
          cpu: cpuUse(before, after, r.requests),
          serverMs: split.serverMs / Math.max(1, r.requests),
          postgresMs: split.postgresMs / Math.max(1, r.requests),
          written: written.rows[0]!.n,
        };
        rounds.push(x);
        printRound(round, x);
      }
      pgbench.drop();
      console.log(
        `people: ${PEOPLE}, clients: ${CLIENTS}, ${ROUNDS} rounds of ${SECONDS} s each, PostgreSQL over ${process.env.BENCH_SOCKET ? `Unix socket ${process.env.BENCH_SOCKET}` : 'TCP loopback'}, load from ${useWrk ? 'wrk' : 'Node (bench/load.ts)'}, ${process.env.WORKERS ?? 1} server process(es)`,
      );
      const tps = median(rounds.map((x) => x.pgbench.tps));
      const perSecond = median(rounds.map((x) => x.ours.perSecond));
      console.log(`pgbench tpcb-like: median ${tps.toFixed(0)} tps`);
      console.log(
        `POST /api/v1/settlements: median ${perSecond.toFixed(0)} settlements/s, p50 ${median(rounds.map((x) => x.ours.p50)).toFixed(1)} ms, p99 ${median(rounds.map((x) => x.ours.p99)).toFixed(1)} ms`,
      );
      const pgbenchCpu = rounds.flatMap((x) => (x.pgbench.cpu ? [x.pgbench.cpu.msPerOp] : []));
      console.log(
        `CPU per settlement, medians: the server ${median(rounds.map((x) => x.serverMs)).toFixed(3)} ms, its PostgreSQL backends ${median(rounds.map((x) => x.postgresMs)).toFixed(3)} ms; pgbench ${pgbenchCpu.length ? median(pgbenchCpu).toFixed(3) : '(not measured)'} ms a transaction (the machine)`,
      );
      console.log(
        `ratio (settlements/s ÷ pgbench tps), median of the rounds: ${median(rounds.map((x) => x.ours.perSecond / x.pgbench.tps)).toFixed(2)}  (aim >= 0.5; and >= 1000/s)`,
      );
    } finally {
      server.kill('SIGTERM');
    }
  });
}

function printRound(n: number, x: Round): void {
  const o = x.ours;
  console.log(
    `round ${n}: pgbench ${x.pgbench.tps.toFixed(0)} tps, ${formatCpu(x.pgbench.cpu)}\n` +
      `         settlements ${o.perSecond.toFixed(0)}/s, p50 ${o.p50.toFixed(1)} ms, p99 ${o.p99.toFixed(1)} ms, ${o.requests} requests, ${o.errors} errors, ${x.written} written, ${formatCpu(x.cpu)}\n` +
      `         of which the server ${x.serverMs.toFixed(3)} ms and its PostgreSQL backends ${x.postgresMs.toFixed(3)} ms\n` +
      `         ratio ${(o.perSecond / x.pgbench.tps).toFixed(2)}` +
      (o.firstError ? `\n         first error: ${o.firstError}` : ''),
  );
}
