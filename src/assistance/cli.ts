/**
 * `triguard assistance ...`: programmes, cards, budget checks, batch assistance and the year-end
 * report from the command line (the operator acts as the system actor; everything is audited).
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, resolve } from 'node:path';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { parse } from '../cli/args.ts';
import type { CliIo, Command } from '../cli/command.ts';
import { wantsHelp } from '../cli/command.ts';
import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { openFromEnv } from '../db/open.ts';
import { invalid } from '../kernel/errors.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { formatYuan, parseYuan } from '../kernel/money.ts';
import { formatOf } from '../tabular/read.ts';
import { loadPackCatalog, SettlementService } from '../settlement/index.ts';
import { checkBudgets } from './budget.ts';
import { adoptCards } from './card-adopt.ts';
import { issueCard, reinstateCard, revokeCard, suspendCard } from './cards.ts';
import { assistanceContext } from './context.ts';
import { packDefaults, withDefaults } from './pack-defaults.ts';
import { addProgramme, findProgramme, listProgrammes } from './programmes.ts';
import { yearEndReport } from './report.ts';
import { reportXlsx } from './report-xlsx.ts';
import { programmeStatus } from './status.ts';
import { writeDisbursement, writeSignatureList } from './batch/files.ts';
import { confirmPayment } from './batch/payments.ts';
import { openRejectFile } from './batch/reject-file.ts';
import { runBatch } from './batch/run-batch.ts';
import { reportView, statusView } from './http/views.ts';

const HELP = `triguard assistance <command> ...   救助项目、救助卡、批量救助、年度报告

  programme add --code CODE --year YYYY [--region COUNTY] [--budget YUAN] --reason TEXT
      Registers a programme; budget, tiers, title and card category default to the policy pack.
  programme list [--year YYYY]
      Programmes with budget, spending, overspend flag and alerts (checks the budgets first).
  card issue --programme CODE --year YYYY --certno ID [--from YYYY-MM] --reason TEXT
  card suspend|revoke --card ID [--last YYYY-MM] --reason TEXT
  card reinstate --programme CODE --year YYYY --card ID [--from YYYY-MM] --reason TEXT
  card adopt --programme CODE --year YYYY --reason TEXT
      Records a card for every open card flag already on the registry (idempotent).
  check [--year YYYY]
      Budget check: raises the 80 % / 100 % alerts that spending has reached.
  batch import FILE [--rejects OUT.csv]
      Settles the records of hospitals outside one-stop settlement (CSV/XLSX) through the
      settlement engine; a record already imported pays nothing again. Prints the counts.
  disbursement export --batch N OUT.xlsx|OUT.csv
      The disbursement file to social security cards.
  signature-list --batch N OUT.xlsx
      One sheet per township for the people's signatures.
  confirm --batch N --certno ID --signed-on YYYY-MM-DD [--reason NOTE]
      Records a person's signed confirmation.
  report --programme CODE --year YYYY [OUT.xlsx]
      The year-end report as JSON (stdout), and as XLSX when OUT is given.
  Options: --region COUNTY picks the county when the database holds more than one.`;

const OPTIONS = {
  code: { type: 'string' },
  year: { type: 'string' },
  region: { type: 'string' },
  budget: { type: 'string' },
  reason: { type: 'string' },
  programme: { type: 'string' },
  certno: { type: 'string' },
  from: { type: 'string' },
  last: { type: 'string' },
  card: { type: 'string' },
  batch: { type: 'string' },
  rejects: { type: 'string' },
  'signed-on': { type: 'string' },
} as const;

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

function need(v: Values, key: keyof Values): string {
  const x = v[key];
  if (typeof x !== 'string' || x.trim() === '') {
    throw invalid('cli.missing_option', `--${key}`, `缺少 --${key}`, `--${key} is required`);
  }
  return x;
}

function int(v: Values, key: keyof Values): number {
  const x = need(v, key);
  if (!/^\d+$/.test(x))
    throw invalid(
      'cli.not_a_number',
      `--${key}`,
      `--${key} 应为整数`,
      `--${key} must be an integer`,
    );
  return Number(x);
}

/** The county: --region, else the only county the database knows. */
async function county(db: Db, v: Values): Promise<string> {
  if (v.region) return v.region;
  const r = await db.query<{ code: string }>(`SELECT code FROM region WHERE level = 'county'`);
  if (r.rows.length === 1) return r.rows[0]!.code;
  throw invalid(
    'cli.region_required',
    '--region',
    '请用 --region 指定县',
    'name the county with --region',
  );
}

const programmeOf = async (db: Db, v: Values) =>
  findProgramme(db, await county(db, v), need(v, 'programme'), int(v, 'year'));

export const assistanceCommand: Command = {
  name: 'assistance',
  summary: 'assistance programmes, cards, batch assistance, reports (救助项目、批量救助)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const { values, positionals } = parse(argv, OPTIONS);
    const [group, sub, arg] = positionals;
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      return await dispatch(db, io, values, group, sub, arg);
    } finally {
      await db.close();
    }
  },
};

async function dispatch(
  db: Db,
  io: CliIo,
  v: Values,
  group: string | undefined,
  sub: string | undefined,
  arg: string | undefined,
): Promise<number> {
  const actor = SYSTEM_ACTOR;
  const ctx = assistanceContext(db);
  const json = (x: unknown) => io.out(JSON.stringify(x, null, 2));
  // Two-word commands (`programme add`) take their file after the verb, one-word ones right away.
  const twoWords = ['programme', 'card', 'batch', 'disbursement'].includes(group ?? '');
  const command = twoWords ? `${group} ${sub ?? ''}` : (group ?? '');
  const file = twoWords ? arg : sub;
  switch (command) {
    case 'programme add': {
      const regionCode = await county(db, v);
      const code = need(v, 'code');
      const year = int(v, 'year');
      const given = {
        regionCode,
        code,
        year,
        reason: need(v, 'reason'),
        budget: v.budget === undefined ? undefined : parseYuan(v.budget, '--budget'),
      };
      const defaults = packDefaults(await loadPackCatalog(), regionCode, code, year);
      const p = await addProgramme(db, actor, withDefaults(given, defaults));
      json(statusView(await programmeStatus(db, p)));
      return 0;
    }
    case 'programme list': {
      const year = v.year === undefined ? undefined : int(v, 'year');
      const out = [];
      for (const p of await listProgrammes(db, actor, { year })) {
        out.push(statusView(await programmeStatus(db, p)));
      }
      json(out);
      return 0;
    }
    case 'card issue': {
      const p = await programmeOf(db, v);
      const certno = normalizeId(need(v, 'certno'), '--certno');
      json(
        await issueCard(ctx, actor, p, { certno, fromMonth: v.from, reason: need(v, 'reason') }),
      );
      return 0;
    }
    case 'card suspend':
    case 'card revoke': {
      const end = sub === 'suspend' ? suspendCard : revokeCard;
      json(await end(ctx, actor, int(v, 'card'), { lastMonth: v.last, reason: need(v, 'reason') }));
      return 0;
    }
    case 'card reinstate': {
      const p = await programmeOf(db, v);
      json(
        await reinstateCard(ctx, actor, p, int(v, 'card'), {
          fromMonth: v.from,
          reason: need(v, 'reason'),
        }),
      );
      return 0;
    }
    case 'card adopt': {
      const p = await programmeOf(db, v);
      json({ adopted: await adoptCards(db, actor, p, need(v, 'reason')) });
      return 0;
    }
    case 'check': {
      const year = v.year === undefined ? undefined : int(v, 'year');
      const checks = await checkBudgets(db, { year }, actor);
      json(
        checks.map((c) => ({
          programme: `${c.programme.regionCode}/${c.programme.code}/${c.programme.year}`,
          budget: formatYuan(c.programme.budget),
          spent: formatYuan(c.spent),
          overspent: c.spent > c.programme.budget,
          raised: c.raised.map((a) => `${a.thresholdBp / 100}%`),
        })),
      );
      return 0;
    }
    case 'batch import': {
      if (!file) throw invalid('cli.no_file', 'FILE', '请给出文件', 'give the file to import');
      const path = resolve(io.cwd, file);
      if (!existsSync(path) || !statSync(path).isFile()) {
        throw invalid('cli.no_file', 'FILE', `文件不存在：${file}`, `no such file: ${file}`);
      }
      const out = resolve(io.cwd, v.rejects ?? `${file}.rejects.csv`);
      let rejects: ReturnType<typeof openRejectFile> | null = null;
      const service = new SettlementService(db, await loadPackCatalog());
      let last = 0;
      const r = await runBatch(db, service, actor, path, {
        fileName: basename(path),
        format: formatOf(path),
        // Created with the first rejected row, so a clean import leaves no file.
        onReject: (x) => (rejects ??= openRejectFile(out)).write(x),
        onProgress: (c) => {
          if (c.rowsRead - last >= 1000) {
            last = c.rowsRead;
            io.err(
              `batch: ${c.rowsRead} rows read, ${c.settled} settled, ${c.duplicates} already imported, ${c.rejected} rejected`,
            );
          }
        },
      });
      await (rejects as ReturnType<typeof openRejectFile> | null)?.close();
      io.err(
        `读取 ${r.rowsRead} 行，结算 ${r.settled}，已导入过 ${r.duplicates}，拒绝 ${r.rejected}；应发放 ${formatYuan(r.payable)} 元（${r.people} 人）/ ` +
          `rows read ${r.rowsRead}, settled ${r.settled}, already imported ${r.duplicates}, rejected ${r.rejected}; payable ${formatYuan(r.payable)} to ${r.people} people` +
          (r.rejected > 0 ? `; rejects: ${out}` : ''),
      );
      json({ ...r, payable: formatYuan(r.payable), rejectsFile: r.rejected > 0 ? out : null });
      return r.rejected > 0 ? 1 : 0;
    }
    case 'disbursement export': {
      if (!file) throw invalid('cli.no_file', 'OUT', '请给出输出文件', 'give the output file');
      const format = file.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx';
      const out = createWriteStream(resolve(io.cwd, file));
      const done = once(out, 'finish');
      const r = await writeDisbursement(db, actor, int(v, 'batch'), format, out);
      await done;
      json({ ...r, total: formatYuan(r.total), file });
      return 0;
    }
    case 'signature-list': {
      if (!file) throw invalid('cli.no_file', 'OUT', '请给出输出文件', 'give the output file');
      const out = createWriteStream(resolve(io.cwd, file));
      const done = once(out, 'finish');
      const r = await writeSignatureList(db, actor, int(v, 'batch'), out);
      await done;
      json({ ...r, file });
      return 0;
    }
    case 'confirm': {
      const certno = normalizeId(need(v, 'certno'), '--certno');
      const p = await confirmPayment(db, actor, int(v, 'batch'), certno, {
        signedOn: need(v, 'signed-on'),
        note: v.reason ?? null,
      });
      json({ ...p, amount: formatYuan(p.amount) });
      return 0;
    }
    case 'report': {
      const p = await programmeOf(db, v);
      const r = await yearEndReport(db, actor, p);
      if (file) await writeFile(resolve(io.cwd, file), await reportXlsx(r));
      json(reportView(r));
      return 0;
    }
    default:
      io.err(HELP);
      return 2;
  }
}
