import { openFromEnv } from '../../db/open.ts';
import { migrate } from '../../db/migrate.ts';
import type { Db } from '../../db/db.ts';
import {
  clearRegistry,
  isEmpty,
  loadDemoCounty,
  type LoadCounts,
  DEFAULT_DEMO,
  type DemoOptions,
} from '../../registry/index.ts';
import { invalid } from '../../kernel/errors.ts';
import { parse } from '../../cli/args.ts';
import type { CliIo, Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';
import { progress } from '../../cli/progress.ts';
import { seedDemoAccounts } from '../../auth/index.ts';
import { loadDemoCatalogue } from '../../catalogue/index.ts';
import { demoYearStep } from '../../monitoring/index.ts';
import { demoAssistanceStep } from '../../assistance/index.ts';
import { loadChronicDemo, screenChronicDemo } from '../../chronic/index.ts';
import { loadPackCatalog } from '../../settlement/index.ts';
import { loadCareDemo, loadCareTeamsDemo } from '../../care/index.ts';

const HELP = `triguard demo [--people N] [--seed S] [--year YYYY] [--replace]

Loads the fictional demo county 示范县 (region 370899): townships, villages, households, people
with valid ID numbers and identity flags at realistic rates. Deterministic for a seed.
  --people N   how many people (default 50000; up to 10000000 on PostgreSQL)
  --seed S     generator seed (default 20220101)
  --year YYYY  the year flags start in (default 2022, the demo-2022 policy pack)
  --replace    delete the registry first (otherwise refuses a non-empty registry)`;

/** Shared by `triguard demo` and `npm start` (serve --demo-if-empty). */
export async function runDemoLoad(db: Db, opts: DemoOptions, io: CliIo): Promise<LoadCounts> {
  const bar = progress(io, 'demo county', opts.people);
  const counts = await loadDemoCounty(db, opts, (n) => bar.tick(n));
  bar.finish();
  io.err(
    `loaded: ${counts.regions} regions, ${counts.households} households, ${counts.persons} people, ${counts.flags} flags, ${counts.enrolments} enrolments`,
  );
  // One account per role (README "Demo accounts"); only ever with the demo county.
  const accounts = await seedDemoAccounts(db);
  if (accounts > 0) io.err(`demo accounts created: ${accounts} (README "Demo accounts")`);
  // The insurance catalogue and the demo hospital's item-code mapping (national gateway).
  const catalogue = await loadDemoCatalogue(db);
  io.err(`demo catalogue: ${catalogue.items} items, ${catalogue.mappings} hospital codes mapped`);
  // The county's programmes (backstop budget) and its card holders' cards (src/assistance/).
  await demoAssistanceStep(db, opts, io);
  // Certificates and two-diseases filings before the bills, which settle only covered visits.
  const chronic = await loadChronicDemo(db, opts);
  io.err(
    `demo chronic: ${chronic.healthCentres} health centres, ${chronic.certificates} certificates (${chronic.certificateDiseases} diseases), ${chronic.filings} two-diseases filings`,
  );
  // A demo year of bills settled month by month, with each month's warnings (src/monitoring/).
  await demoYearStep(db, opts, io);
  // The screening of that year's stays, its visits and applications (src/chronic/).
  const screening = await screenChronicDemo(db, opts, await loadPackCatalog());
  if (screening) {
    io.err(
      `demo screening: ${screening.listed} listed, ${screening.visited} visited, ${screening.applied} applied (${screening.approved} certified, ${screening.refused} refused), ${screening.notApplying} with a reason for not applying, ${screening.walkIns} walk-in applications`,
    );
  }
  // Contracts, a year of follow-ups, spot checks and home deliveries (src/care/).
  const care = await loadCareDemo(db, opts);
  io.err(
    `demo care: ${care.contracts} contracts, ${care.followups} follow-ups, ${care.spotChecks} spot checks, ${care.register} on the delivery register, ${care.deliveries} deliveries settled`,
  );
  // Care teams of the severe-mental patients and the rehabilitation hospital's agreement (src/care/).
  await loadCareTeamsDemo(db, opts, io);
  return counts;
}

function positiveInt(v: string | undefined, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1) {
    throw invalid(
      'cli.not_a_count',
      field,
      `${field} 应为正整数：${v}`,
      `${field} must be a positive integer: ${v}`,
    );
  }
  return Number(v);
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'load the deterministic demo county (加载演示县数据)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const { values } = parse(argv, {
      people: { type: 'string' },
      seed: { type: 'string' },
      year: { type: 'string' },
      replace: { type: 'boolean' },
    });
    const opts: DemoOptions = {
      people: positiveInt(values.people, '--people', DEFAULT_DEMO.people),
      seed: positiveInt(values.seed, '--seed', DEFAULT_DEMO.seed),
      year: positiveInt(values.year, '--year', DEFAULT_DEMO.year),
    };
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      if (!(await isEmpty(db))) {
        if (!values.replace) {
          io.err(
            '登记库非空，使用 --replace 清空后重新加载 / the registry is not empty; use --replace',
          );
          return 1;
        }
        await clearRegistry(db);
      }
      const counts = await runDemoLoad(db, opts, io);
      io.out(JSON.stringify(counts));
      return 0;
    } finally {
      await db.close();
    }
  },
};
