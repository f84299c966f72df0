/**
 * `triguard care`: the family doctors' months from the command line (docs/care.md §9): open a
 * month's due lists (what the monthly job does on PostgreSQL), print a month's counts, write the
 * year-end assessment.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { parse } from '../cli/args.ts';
import { wantsHelp, type Command } from '../cli/command.ts';
import { progress } from '../cli/progress.ts';
import { migrate } from '../db/migrate.ts';
import { openFromEnv } from '../db/open.ts';
import { ChronicService } from '../chronic/index.ts';
import { localDate } from '../kernel/clock.ts';
import { invalid } from '../kernel/errors.ts';
import { addMonths, monthOf, normaliseMonth, type Month } from '../kernel/period.ts';
import { loadPacks } from '../policy/index.ts';
import { CareService, openMonths } from './service.ts';

const HELP = `triguard care <open-month|overdue|assessment> ...

  open-month [--month YYYY-MM] [--to YYYY-MM]
      Opens the due lists of the month (default: this month), or of every month to --to, in each
      county with contracts: counts who is due and records it once (audited). What the monthly
      job does on PostgreSQL; run it by hand on PGlite. Prints the counts as JSON.
  overdue --month YYYY-MM [--region CODE]
      The month's counts per township, institution, doctor and team: contracted, recorded,
      missing (overdue once the month has ended), as JSON.
  assessment --year YYYY [--out FILE.xlsx]
      The year-end assessment per institution and team: as XLSX to --out, else as JSON.`;

const monthArg = (v: string | undefined, field: string, fallback: Month): Month => {
  if (v === undefined) return fallback;
  const m = normaliseMonth(v);
  if (m === null)
    throw invalid(
      'cli.bad_month',
      field,
      `${field} 不是月份：${v}`,
      `${field} is not a month: ${v}`,
    );
  return m;
};

export const careCommand: Command = {
  name: 'care',
  summary: 'family-doctor follow-ups: open a month, overdue counts, assessment (家庭医生动态管理)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const [sub, ...rest] = argv;
    const { values } = parse(rest, {
      month: { type: 'string' },
      to: { type: 'string' },
      region: { type: 'string' },
      year: { type: 'string' },
      out: { type: 'string' },
    });
    if (sub !== 'open-month' && sub !== 'overdue' && sub !== 'assessment') {
      io.err(HELP);
      return 2;
    }
    const now = monthOf(localDate(new Date()));
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      const actor: Actor = { ...SYSTEM_ACTOR, id: 'system:cli:care' };
      if (sub === 'open-month') {
        const from = monthArg(values.month, '--month', now);
        const to = monthArg(values.to, '--to', from);
        const months: Month[] = [];
        for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
        const bar = progress(io, 'open months', months.length);
        const out = [];
        for (const [i, m] of months.entries()) {
          out.push({ month: m, counties: await openMonths(db, actor, m) });
          bar.tick(i + 1);
        }
        bar.finish();
        io.out(JSON.stringify(out));
        return 0;
      }
      const care = new CareService(db, new ChronicService(db, await loadPacks()));
      if (sub === 'overdue') {
        const month = monthArg(values.month, '--month', now);
        const scoped: Actor = values.region
          ? { ...actor, scope: { kind: 'region', regionCode: values.region } }
          : actor;
        io.out(JSON.stringify(await care.monthSummary(scoped, month, {}), null, 2));
        return 0;
      }
      const year = Number(values.year ?? now.slice(0, 4));
      if (!Number.isInteger(year) || year < 2000 || year > 2100) {
        throw invalid(
          'cli.bad_year',
          '--year',
          `--year 不是年份：${values.year}`,
          `--year is not a year: ${values.year}`,
        );
      }
      if (values.out) {
        const file = await care.assessmentXlsx(actor, year);
        writeFileSync(resolve(io.cwd, values.out), file.content);
        io.err(`assessment ${year}: ${resolve(io.cwd, values.out)}`);
      } else {
        io.out(JSON.stringify(await care.assessment(actor, year), null, 2));
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
