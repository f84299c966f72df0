/**
 * `triguard monitor …`: the monthly run on either database, re-checks, pushes with the XLSX,
 * lists, the watch list, the dashboard numbers, webhooks, and the demo year.
 */
import { DEMO_COUNTY } from '../registry/index.ts';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { openFromEnv } from '../db/open.ts';
import { migrate } from '../db/migrate.ts';
import type { Db } from '../db/db.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { invalid } from '../kernel/errors.ts';
import { fenToYuanNumber } from '../kernel/money.ts';
import { parseMonth } from '../kernel/period.ts';
import { parse } from '../cli/args.ts';
import type { CliIo, Command } from '../cli/command.ts';
import { wantsHelp } from '../cli/command.ts';
import { recheck, runMonth } from './run.ts';
import { MonitoringService } from './service.ts';
import { writeWarningsXlsx } from './push/xlsx.ts';
import { insertWebhook, listWebhooks, setWebhookActive } from './repo/push.ts';
import { WARNING_STATUSES, type WarningStatus } from './status.ts';
import { THRESHOLDS, type Threshold } from './thresholds.ts';
import { DEFAULT_DEMO_BILLS, runDemoYear } from './demo-year.ts';

const HELP = `triguard monitor <run|recheck|push|list|watch|dashboard|webhook|demo-year> ...

防止因病返贫致贫动态监测 — early warning of poverty caused by illness.
  run --month YYYY-MM
      The monthly run: withdraws open warnings a cancelled settlement brought back to the line,
      then warns everyone over a line of the policy pack for the first time this year. Running a
      month again creates nothing new. Prints the run as JSON.
  recheck --year YYYY
      Only the withdrawal check (the daily job on PostgreSQL).
  push --month YYYY-MM [--out FILE.xlsx] [--no-webhook]
      Pushes the month's new warnings: writes the XLSX for civil affairs and rural revitalisation
      (default 预警名单_YYYY-MM.xlsx) and delivers the signed webhooks, with retries. A delivery
      still pending when this command stops is sent by the server (triguard serve) later.
  list [--year YYYY] [--month YYYY-MM] [--status S] [--threshold inscope|total]
      Warnings as JSON lines.
  watch --month YYYY-MM [--threshold inscope|total] [--limit N]
      People above 80 % of a line, with a projection from their monthly spending.
  dashboard --year YYYY
      Counts per month, township, category and threshold (JSON).
  webhook add --department D --url URL --secret S | webhook list | webhook disable ID
      Receivers of pushes; deliveries carry x-triguard-signature: sha256=HMAC(secret, "ts.body").
  demo-year [--bills N] [--seed S] [--year YYYY]
      Settles a deterministic year of bills for the demo county (default ${DEFAULT_DEMO_BILLS}) through the
      settlement service, running each month's monitoring after its bills.`;

const count = (v: string | undefined, field: string, fallback: number): number => {
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
};

function need(v: string | undefined, field: string): string {
  if (v === undefined) {
    throw invalid('cli.missing_option', field, `缺少 ${field}`, `${field} is required`);
  }
  return v;
}

const oneOf = <T extends string>(
  v: string | undefined,
  all: readonly T[],
  field: string,
): T | undefined => {
  if (v === undefined) return undefined;
  if (!(all as readonly string[]).includes(v)) {
    throw invalid(
      'cli.bad_value',
      field,
      `${field} 应为 ${all.join('|')}`,
      `${field} must be one of ${all.join(', ')}`,
    );
  }
  return v as T;
};

export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'early warning of poverty caused by illness (因病返贫致贫监测预警)',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || wantsHelp(argv)) {
      io.out(HELP);
      return sub === undefined || wantsHelp(argv) ? 0 : 2;
    }
    const { values, positionals } = parse(rest, {
      month: { type: 'string' },
      year: { type: 'string' },
      out: { type: 'string' },
      'no-webhook': { type: 'boolean' },
      status: { type: 'string' },
      threshold: { type: 'string' },
      limit: { type: 'string' },
      department: { type: 'string' },
      url: { type: 'string' },
      secret: { type: 'string' },
      bills: { type: 'string' },
      seed: { type: 'string' },
    });
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      return await dispatch(db, sub, values, positionals, io);
    } finally {
      await db.close();
    }
  },
};

type Values = Record<string, string | boolean | undefined>;
const str = (v: Values, k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);

async function dispatch(
  db: Db,
  sub: string,
  v: Values,
  positionals: string[],
  io: CliIo,
): Promise<number> {
  const actor = SYSTEM_ACTOR;
  const service = new MonitoringService(db);
  switch (sub) {
    case 'run': {
      const s = await runMonth(db, actor, parseMonth(need(str(v, 'month'), '--month'), '--month'));
      io.err(
        `run ${s.runId} ${s.month}: ${s.created} new, ${s.reopened} re-opened, ${s.withdrawn} withdrawn (${Math.round(s.ms)} ms)`,
      );
      io.out(JSON.stringify({ ...s, ms: Math.round(s.ms) }));
      return 0;
    }
    case 'recheck': {
      const year = count(need(str(v, 'year'), '--year'), '--year', 0);
      const n = await recheck(db, actor, year);
      io.out(JSON.stringify({ year, withdrawn: n }));
      return 0;
    }
    case 'push': {
      const month = parseMonth(need(str(v, 'month'), '--month'), '--month');
      const { push, warnings } = await service.push(actor, month, {
        webhooks: !v['no-webhook'],
      });
      const file = str(v, 'out') ?? `预警名单_${month}.xlsx`;
      const body = new PassThrough();
      await Promise.all([
        writeWarningsXlsx(
          actor,
          `${month} 因病返贫致贫预警名单（推送 ${push.push_id}）`,
          warnings,
          body,
        ),
        pipeline(body, createWriteStream(file)),
      ]);
      io.err(`push ${push.push_id}: ${warnings.length} warnings → ${file}`);
      const deliveries = v['no-webhook'] ? [] : await service.deliver(push);
      for (const d of deliveries) {
        io.err(
          `webhook ${d.webhookId} (${d.department}): ${d.ok ? 'delivered' : `FAILED (${d.error})`} after ${d.attempts} attempt(s)`,
        );
      }
      io.out(
        JSON.stringify({
          pushId: push.push_id,
          month,
          warnings: warnings.length,
          file,
          deliveries,
        }),
      );
      return deliveries.every((d) => d.ok) ? 0 : 1;
    }
    case 'list': {
      const r = await service.list(
        actor,
        {
          year: str(v, 'year') === undefined ? undefined : count(str(v, 'year'), '--year', 0),
          month:
            str(v, 'month') === undefined ? undefined : parseMonth(str(v, 'month')!, '--month'),
          status: oneOf<WarningStatus>(str(v, 'status'), WARNING_STATUSES, '--status'),
          threshold: oneOf<Threshold>(str(v, 'threshold'), THRESHOLDS, '--threshold'),
        },
        { limit: 1_000_000, offset: 0 },
      );
      for (const w of r.rows) {
        io.out(
          JSON.stringify({
            warningId: w.warning_id,
            certno: w.certno,
            name: w.name,
            year: w.year,
            month: w.month,
            threshold: w.threshold,
            amount: fenToYuanNumber(w.amount),
            line: fenToYuanNumber(w.line),
            status: w.status,
            categories: w.categories,
          }),
        );
      }
      io.err(`${r.total} warnings`);
      return 0;
    }
    case 'watch': {
      const r = await service.watch(actor, {
        month: parseMonth(need(str(v, 'month'), '--month'), '--month'),
        threshold: oneOf<Threshold>(str(v, 'threshold'), THRESHOLDS, '--threshold'),
        limit: count(str(v, 'limit'), '--limit', 100),
        offset: 0,
      });
      for (const w of r.rows) {
        io.out(
          JSON.stringify({
            certno: w.certno,
            name: w.name,
            threshold: w.threshold,
            amount: fenToYuanNumber(w.amount),
            line: fenToYuanNumber(w.line),
            sharePercent: w.share / 100,
            monthlyAverage: fenToYuanNumber(w.projection.monthlyAverage),
            projectedYearEnd: fenToYuanNumber(w.projection.yearEnd),
            projectedCrossingMonth: w.projection.crossingMonth,
          }),
        );
      }
      io.err(`${r.total} people on the watch list (showing ${r.rows.length})`);
      return 0;
    }
    case 'dashboard': {
      io.out(
        JSON.stringify(
          await service.dashboard(actor, count(need(str(v, 'year'), '--year'), '--year', 0)),
        ),
      );
      return 0;
    }
    case 'webhook': {
      const [action, id] = positionals;
      if (action === 'add') {
        const w = await insertWebhook(db, {
          department: need(str(v, 'department'), '--department'),
          url: new URL(need(str(v, 'url'), '--url')).toString(),
          secret: need(str(v, 'secret'), '--secret'),
        });
        io.out(JSON.stringify({ webhookId: w.webhook_id, department: w.department, url: w.url }));
        return 0;
      }
      if (action === 'list') {
        for (const w of await listWebhooks(db)) {
          io.out(
            JSON.stringify({
              webhookId: w.webhook_id,
              department: w.department,
              url: w.url,
              active: w.active,
            }),
          );
        }
        return 0;
      }
      if (action === 'disable' && id !== undefined) {
        return (await setWebhookActive(db, count(id, 'ID', 0), false)) ? 0 : 1;
      }
      io.err('monitor webhook add|list|disable ID');
      return 2;
    }
    case 'demo-year': {
      const r = await runDemoYear(
        db,
        {
          bills: count(str(v, 'bills'), '--bills', DEFAULT_DEMO_BILLS),
          seed: count(str(v, 'seed'), '--seed', 20220101),
          year: count(str(v, 'year'), '--year', 2022),
          county: DEMO_COUNTY,
        },
        io,
      );
      io.out(JSON.stringify(r));
      return 0;
    }
    default:
      io.err(`unknown subcommand ${sub}\n\n${HELP}`);
      return 2;
  }
}
