/**
 * The demo year for monitoring: settles the demo county's bills month by month through the
 * settlement service (src/settlement/demo/) and runs that month's monitoring after each month,
 * as the schedule would have; then pushes every month but the last, so the demo opens with
 * warnings for civil affairs to confirm and a fresh month for staff to push.
 */
import { DEMO_COUNTY } from '../registry/index.ts';
import type { Db } from '../db/db.ts';
import type { CliIo } from '../cli/command.ts';
import { progress } from '../cli/progress.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { DEMO_ACTOR, settleDemoYear, type DemoYearCounts } from '../settlement/index.ts';
import { runMonth, type RunSummary } from './run.ts';
import { MonitoringService } from './service.ts';

export interface DemoYearResult extends DemoYearCounts {
  warnings: number;
  withdrawn: number;
  pushed: number;
}

export const DEFAULT_DEMO_BILLS = 2_000;

/**
 * The step of \`triguard demo\` (and \`npm start\` on an empty database): a demo year of bills in
 * proportion to the county (one bill per 25 people, at most DEFAULT_DEMO_BILLS) with its warnings.
 */
export function demoYearStep(
  db: Db,
  opts: { people: number; seed: number; year: number },
  io: CliIo,
): Promise<DemoYearResult> {
  const bills = Math.min(DEFAULT_DEMO_BILLS, Math.ceil(opts.people / 25));
  return runDemoYear(db, { bills, seed: opts.seed, year: opts.year, county: DEMO_COUNTY }, io);
}

export async function runDemoYear(
  db: Db,
  opts: { bills: number; seed: number; year: number; county: string },
  io: CliIo,
): Promise<DemoYearResult> {
  const bar = progress(io, 'demo bills', opts.bills);
  const runs: RunSummary[] = [];
  const counts = await settleDemoYear(db, opts, {
    onProgress: (done) => bar.tick(done),
    afterMonth: async (month) => {
      runs.push(await runMonth(db, DEMO_ACTOR, month));
    },
  });
  bar.finish();
  const service = new MonitoringService(db);
  let pushed = 0;
  for (const r of runs.slice(0, -1)) {
    try {
      pushed += (await service.push(DEMO_ACTOR, r.month)).push.warnings;
    } catch (e) {
      if (!isTriguardError(e) || e.code !== 'monitor.nothing_to_push') throw e;
    }
  }
  const result: DemoYearResult = {
    ...counts,
    warnings: runs.reduce((n, r) => n + r.created + r.reopened, 0),
    withdrawn: runs.reduce((n, r) => n + r.withdrawn, 0),
    pushed,
  };
  io.err(
    `demo year ${opts.year}: ${counts.settled} bills settled (${counts.cancelled} cancelled, ${counts.refused} refused), ${result.warnings} warnings, ${result.withdrawn} withdrawn, ${pushed} pushed`,
  );
  return result;
}
