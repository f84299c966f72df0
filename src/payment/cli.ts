/**
 * `triguard payment`: provider payment from the command line (docs/payment.md §6–§8) — a month's
 * statements (and closing them), the monthly advances, the year-end clearing, and the demo year.
 * Progress goes to stderr, results to stdout as JSON.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { parse } from '../cli/args.ts';
import { wantsHelp, type Command } from '../cli/command.ts';
import { progress } from '../cli/progress.ts';
import { migrate } from '../db/migrate.ts';
import { openFromEnv } from '../db/open.ts';
import { invalid } from '../kernel/errors.ts';
import { loadPackCatalog, SettlementService } from '../settlement/index.ts';
import { loadPaymentDemo } from './demo/load.ts';
import { PaymentService } from './service.ts';
import { statementXlsx } from './statement-xlsx.ts';

const HELP = `triguard payment <statement|prepay|clear|demo> --year Y [--region 370899]

  statement --year Y --months A[-B] [--close] [--xlsx DIR]
      Draws up the statements of each month (closing them in order with --close: a closed month
      never changes) and prints per institution the items and what the fund owes; --xlsx writes
      one workbook per month into DIR.
  prepay --year Y --months A[-B]
      Issues the monthly advances of the prepaid institutions (once per institution and month).
  clear --year Y [--approve]
      Drafts the year-end clearing (every month must be closed) and prints each institution's
      final amount with its steps; --approve approves it as the bureau.
  demo [--year 2022]
      Settles the demo county's payment year (psychiatric hospital, capitation township and its
      referrals), closes its months, issues the advances and drafts the clearing.`;

const ACTOR: Actor = { ...SYSTEM_ACTOR, id: 'system:payment-cli', name: 'payment cli' };

function months(text: string | undefined): number[] {
  const m = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(text ?? '');
  const a = Number(m?.[1]);
  const b = Number(m?.[2] ?? m?.[1]);
  if (!m || a < 1 || b > 12 || b < a) {
    throw invalid(
      'cli.bad_months',
      '--months',
      `--months 应为 1-12 的月份或区间：${text}`,
      `--months is a month or a range in 1-12: ${text}`,
    );
  }
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

function yearOf(text: string | undefined, fallback?: number): number {
  const y = Number(text ?? fallback);
  if (!Number.isInteger(y) || y < 2000 || y > 2100) {
    throw invalid(
      'cli.bad_year',
      '--year',
      `--year 不是年份：${text}`,
      `--year is not a year: ${text}`,
    );
  }
  return y;
}

export const paymentCommand: Command = {
  name: 'payment',
  summary: 'provider payment: statements, advances, year-end clearing (医保支付)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const [sub, ...rest] = argv;
    const { values } = parse(rest, {
      year: { type: 'string' },
      months: { type: 'string' },
      region: { type: 'string' },
      close: { type: 'boolean' },
      approve: { type: 'boolean' },
      xlsx: { type: 'string' },
    });
    if (!['statement', 'prepay', 'clear', 'demo'].includes(sub ?? '')) {
      io.err(HELP);
      return 2;
    }
    const region = values.region ?? '370899';
    const year = yearOf(values.year, sub === 'demo' ? 2022 : undefined);
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      const packs = await loadPackCatalog();
      const payment = new PaymentService(db, packs);
      if (sub === 'statement') {
        const list = months(values.months);
        const bar = progress(io, 'statements', list.length);
        const out = [];
        for (const [i, m] of list.entries()) {
          const s = values.close
            ? await payment.closeMonth(ACTOR, year, m, region)
            : await payment.statements(ACTOR, year, m, region);
          if (values.xlsx) {
            await writeFile(
              resolve(io.cwd, values.xlsx, `statements_${year}-${String(m).padStart(2, '0')}.xlsx`),
              await statementXlsx(s),
            );
          }
          out.push({
            month: m,
            status: s.status,
            institutions: s.statements.map((x) => ({
              institution: x.institution,
              items: x.items,
              owed: x.owed,
            })),
          });
          bar.tick(i + 1);
        }
        bar.finish();
        io.out(JSON.stringify(out, null, 2));
        return 0;
      }
      if (sub === 'prepay') {
        const list = months(values.months);
        const bar = progress(io, 'advances', list.length);
        const issued = [];
        for (const [i, m] of list.entries()) {
          issued.push(...(await payment.issueAdvances(ACTOR, year, m, region)));
          bar.tick(i + 1);
        }
        bar.finish();
        io.out(JSON.stringify({ issued }, null, 2));
        return 0;
      }
      if (sub === 'clear') {
        let c = await payment.clear(ACTOR, year, region);
        if (values.approve) c = await payment.approve(ACTOR, c.id, region);
        io.out(JSON.stringify(c, null, 2));
        return 0;
      }
      const settlement = new SettlementService(db, packs);
      const bar = progress(io, 'payment demo', 12);
      const counts = await loadPaymentDemo(db, settlement, payment, ACTOR, year, (m) =>
        bar.tick(m),
      );
      bar.finish();
      io.out(JSON.stringify(counts));
      return 0;
    } finally {
      await db.close();
    }
  },
};
