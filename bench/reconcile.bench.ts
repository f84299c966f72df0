/**
 * bench/reconcile: a department list of BENCH_ROWS rows (default 1,000,000) against a registry of
 * BENCH_PEOPLE people (default 10,000,000) on PostgreSQL, BENCH_BAD (default 2 %) of the rows with
 * a changed or mistyped ID. Measures import + match (exact and fuzzy) + classify (one pass, ledger
 * included), beside a plain COPY of the same file into a table of text columns, in the same run.
 * Aims: total under 60 s and within 3 × the COPY.
 *
 * The registry and the list file are built once and kept (bench/reconcile/setup.ts); reruns reuse
 * them. Small runs: BENCH_PEOPLE=200000 BENCH_ROWS=20000 npm run bench reconcile.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SYSTEM_ACTOR } from '../src/kernel/access/actor.ts';
import { reconcileContext } from '../src/reconcile/context.ts';
import { importList } from '../src/reconcile/import/import-list.ts';
import { matchList } from '../src/reconcile/match/find-candidates.ts';
import { runPass } from '../src/reconcile/pass/run-pass.ts';
import { createCampaign } from '../src/reconcile/repo/campaigns.ts';
import { openBenchDb, prepareList, prepareRegistry, type BenchParams } from './reconcile/setup.ts';

const params: BenchParams = {
  people: Number(process.env.BENCH_PEOPLE ?? 10_000_000),
  rows: Number(process.env.BENCH_ROWS ?? 1_000_000),
  bad: Number(process.env.BENCH_BAD ?? 0.02),
  fresh: process.env.BENCH_FRESH === '1',
};

const secs = (ms: number) => (ms / 1000).toFixed(2);

async function plainCopy(url: string, file: string): Promise<{ ms: number; rows: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('DROP TABLE IF EXISTS bench_copy');
    await c.query(
      'CREATE UNLOGGED TABLE bench_copy (certno text, name text, region text, recognised text)',
    );
    const t0 = performance.now();
    const sink = c.query(copyFrom(`COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)`));
    await pipeline(createReadStream(file), sink);
    const ms = performance.now() - t0;
    const n = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_copy');
    await c.query('DROP TABLE bench_copy');
    return { ms, rows: n.rows[0]!.n };
  } finally {
    await c.end();
  }
}

export async function run() {
  const log = (s: string) => console.log(s);
  const { db, url } = await openBenchDb(params);
  try {
    await prepareRegistry(db, params, log);
    const file = await prepareList(db, params, log);
    // Each run starts from an empty reconciliation (the registry is left as it is: a pass reads).
    await db.exec(
      `TRUNCATE reconcile_problem_event, reconcile_problem, reconcile_finding, reconcile_pass,
         reconcile_candidate, reconcile_rejected_row, reconcile_list_row, reconcile_list,
         reconcile_applied, reconcile_template, reconcile_campaign RESTART IDENTITY CASCADE`,
    );
    await db.exec('CHECKPOINT');
    const copy = await plainCopy(url, file);

    const ctx = reconcileContext(db, () => new Date('2022-09-15T12:00:00+08:00'));
    const campaign = await createCampaign(db, SYSTEM_ACTOR, {
      name: 'bench',
      regionCode: '370899',
      medicalYear: 2022,
    });
    const t0 = performance.now();
    const imported = await importList(ctx, SYSTEM_ACTOR, file, {
      campaignId: campaign.campaignId,
      department: 'civil_affairs',
      kind: 'subsistence',
      asOf: '2022-09-01',
      fileName: 'bench.csv',
      format: 'csv',
    });
    const t1 = performance.now();
    const matched = await matchList(ctx, imported.listId, campaign.regionCode);
    const t2 = performance.now();
    const pass = await runPass(ctx, SYSTEM_ACTOR, campaign.campaignId);
    const t3 = performance.now();
    const total = t3 - t0;

    const found = await db.query<{ found: number; best: number; truth: number }>(
      `SELECT (SELECT count(*)::int FROM bench_truth) AS truth,
         count(DISTINCT t.row_number)::int AS found,
         count(DISTINCT t.row_number) FILTER (WHERE c.score = (SELECT max(score)
           FROM reconcile_candidate x WHERE x.list_id = c.list_id AND x.row_number = c.row_number))::int AS best
       FROM bench_truth t JOIN reconcile_candidate c ON c.list_id = $1
         AND c.row_number = t.row_number AND c.certno = t.certno`,
      [imported.listId],
    );
    const f = found.rows[0]!;
    console.log(
      `people ${params.people}, list rows ${imported.rowsRead} (${params.bad * 100} % changed or mistyped ID)`,
    );
    console.log(
      `plain COPY of the file             ${secs(copy.ms).padStart(8)} s  (${copy.rows} rows)`,
    );
    console.log(
      `import (parse, check, load)        ${secs(t1 - t0).padStart(8)} s  accepted ${imported.accepted}, rejected ${imported.rejected}`,
    );
    console.log(
      `match (exact + fuzzy candidates)   ${secs(t2 - t1).padStart(8)} s  exact ${matched.exact}, unmatched ${matched.unmatched}, with candidates ${matched.withCandidates}`,
    );
    console.log(
      `classify (pass 1 + problem ledger) ${secs(t3 - t2).padStart(8)} s  findings ${pass.summary.findings}`,
    );
    console.log(`total import + match + classify    ${secs(total).padStart(8)} s  (aim < 60 s)`);
    console.log(`total / COPY: ${(total / copy.ms).toFixed(2)}  (aim <= 3)`);
    console.log(
      `fuzzy path: true person among the candidates for ${f.found} of ${f.truth} changed/mistyped rows, ranked first for ${f.best}`,
    );
  } finally {
    await db.close();
  }
}
