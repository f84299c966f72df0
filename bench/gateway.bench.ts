/**
 * bench/gateway: settlements per second through the national gateway (2207/2304 with visits and
 * classed fee lines already uploaded) beside `POST /api/v1/settlements` with the same bills, on
 * PostgreSQL, in the same run. The ratio is what the translation costs (aim >= 0.8).
 * BENCH_PEOPLE (default 100,000), BENCH_SECONDS (default 20), BENCH_CLIENTS (default 32).
 *
 * The gateway answers HTTP 200 with infcode -1 on a refusal, so its successes are counted in the
 * database (settlements whose msgid the gateway wrote), not from the status code.
 */
import { loadDemoCounty } from '../src/registry/demo/load.ts';
import { loadDemoCatalogue } from '../src/catalogue/demo.ts';
import { closedLoop, type LoadResult } from './load.ts';
import { withScratchDb } from './scratch-db.ts';
import { startServer } from './server.ts';
import { benchHeaders, BENCH_INSTITUTION, REGISTER_PATIENTS_SQL } from './auth.ts';
import { benchLines, prepareVisits, type BenchVisit } from './gateway/visits.ts';
import { envelope, GATEWAY_URL } from '../src/gateway/testing/his.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const PORT = 3918;
/** Enough visits for a fast run; the loop stops early (and says so) if it uses them all. */
const VISITS = Number(process.env.BENCH_VISITS ?? Math.max(20_000, SECONDS * 2_000));
const WARM = 2_000;

const line = (name: string, r: LoadResult, ok: number) =>
  `${name}: ${(ok / r.seconds).toFixed(0)} settlements/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.requests} requests, ${r.requests - ok} not settled${r.firstError ? ` (first error: ${r.firstError})` : ''}`;

export async function run() {
  // The gateway's per-client limit (600 a minute) would measure the limit, not the gateway.
  process.env.TRIGUARD_GATEWAY_RATE_MAX = '100000000';
  await withScratchDb('tg_bench_gateway', async (db, url) => {
    await loadDemoCounty(db, { seed: 1, people: PEOPLE, year: 2022 });
    await loadDemoCatalogue(db, BENCH_INSTITUTION);
    const people = (await db.query<{ certno: string }>('SELECT certno FROM person')).rows.map(
      (r) => r.certno,
    );
    const warm = await prepareVisits(db, people, BENCH_INSTITUTION, 0, WARM);
    const visits = await prepareVisits(db, people, BENCH_INSTITUTION, WARM, VISITS);
    await db.exec('ANALYZE');
    const server = await startServer(url, PORT);
    try {
      const headers = await benchHeaders(db);
      await db.query(REGISTER_PATIENTS_SQL);
      const rest = (i: number) => ({
        msgid: `bench-${i}`,
        certno: people[(i * 7919) % people.length],
        fixmedinsCode: BENCH_INSTITUTION,
        bill: {
          date: '2022-06-15',
          visitType: i % 4 === 0 ? 'inpatient' : 'general_outpatient',
          hospitalLevel: 2,
          diagnosis: i % 4 === 0 ? 'K35.8' : 'J06.9',
          lines: benchLines(i).map((l) => (l.class === 'B' ? { ...l, selfPayRatio: 0.1 } : l)),
        },
      });
      const gateway = (list: readonly BenchVisit[], tag: string) => (i: number) => {
        const v = list[i % list.length]!;
        return envelope(
          v.inpatient ? '2304' : '2207',
          {
            data: {
              psn_no: v.certno,
              mdtrt_id: v.mdtrtId,
              medfee_sumamt: v.medfee,
              mdtrt_cert_type: '02',
              mdtrt_cert_no: v.certno,
              insutype: '390',
              psn_setlway: '01',
            },
          },
          { fixmedinsCode: BENCH_INSTITUTION, msgid: `${tag}${i}` },
        );
      };
      const loop = (path: string, body: (i: number) => unknown, seconds: number, max?: number) =>
        closedLoop({
          url: `http://127.0.0.1:${PORT}${path}`,
          clients: CLIENTS,
          seconds,
          headers,
          body,
          maxRequests: max,
        });
      // Warm up both paths (JIT, pools, pack cache, dictionary) before measuring.
      await loop('/api/v1/settlements', (i) => rest(1_000_000_000 + i), 3);
      await loop(GATEWAY_URL, gateway(warm, 'W'), 3, WARM);

      const r = await loop('/api/v1/settlements', rest, SECONDS);
      const g = await loop(GATEWAY_URL, gateway(visits, 'G'), SECONDS, VISITS);
      const settled = async (prefix: string) =>
        (
          await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM settlement WHERE msgid LIKE $1',
            [`${prefix}%`],
          )
        ).rows[0]!.n;
      const restOk = r.requests - r.errors;
      const gwOk = await settled(`gw:${BENCH_INSTITUTION}:G`);
      console.log(
        `people: ${PEOPLE}, clients: ${CLIENTS}, seconds: ${r.seconds.toFixed(1)} + ${g.seconds.toFixed(1)}`,
      );
      console.log(line('POST /api/v1/settlements', r, restOk));
      console.log(line('gateway 2207/2304', g, gwOk));
      if (g.requests >= VISITS) console.log(`(the gateway run used all ${VISITS} prepared visits)`);
      const ratio = gwOk / g.seconds / (restOk / r.seconds);
      console.log(
        `ratio (gateway settlements/s ÷ REST settlements/s): ${ratio.toFixed(2)}  (aim >= 0.8)`,
      );
    } finally {
      server.kill('SIGTERM');
    }
  });
}
