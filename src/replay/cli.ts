/**
 * `triguard replay`: policy replay from the command line (docs/replay.md §5). `run` replays a
 * draft over a year with a progress bar and prints the fund impact; the other subcommands read,
 * export, cancel and delete replays. Progress goes to stderr, results to stdout.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import { parse } from '../cli/args.ts';
import { wantsHelp, type Command } from '../cli/command.ts';
import { progress } from '../cli/progress.ts';
import { migrate } from '../db/migrate.ts';
import { openFromEnv } from '../db/open.ts';
import { formatYuan } from '../kernel/money.ts';
import { invalid, isTriguardError } from '../kernel/errors.ts';
import { loadPackCatalog } from '../settlement/index.ts';
import { COMPARED } from './core/person.ts';
import { COMPARED_LABELS, replayXlsx } from './result-xlsx.ts';
import { ReplayService } from './service.ts';
import type { Run } from './repo/runs.ts';
import { displayWidth, padEnd } from '../policy/index.ts';

const HELP = `triguard replay — 政策模拟 policy replay

  replay run PACK --year Y [--region CODE] [--category C] [--visit-type V] [--json]
      用草案（或任一政策包）重算该年度已结算的单据，显示各段基金支付的变化、预警线变化 /
      replay a draft over a year's settled bills: fund impact per tier, warning-line crossings
  replay list                    模拟列表 / the replays
  replay show ID [--json]        结果 / a replay's results
  replay xlsx ID --out FILE      导出 XLSX / write the results as a workbook
  replay cancel ID               取消运行中的模拟 / cancel a running replay
  replay delete ID               删除 / delete a replay

  Create a draft first: triguard policy draft demo-2023 my-draft --set basic.yaml:…=…`;

const ACTOR: Actor = { ...SYSTEM_ACTOR, id: 'system:replay-cli', name: 'replay cli' };

function idOf(text: string | undefined): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw invalid('cli.bad_arguments', 'ID', `不是模拟编号：${text}`, `not a replay id: ${text}`);
  }
  return n;
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'policy replay of a draft over settled bills (政策模拟)',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (wantsHelp(argv) || !sub) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (!['run', 'list', 'show', 'xlsx', 'cancel', 'delete'].includes(sub)) {
      io.err(`未知的子命令 unknown subcommand: ${sub}\n\n${HELP}`);
      return 2;
    }
    const { values, positionals } = parse(rest, {
      year: { type: 'string' },
      region: { type: 'string' },
      category: { type: 'string' },
      'visit-type': { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
    });
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      const service = new ReplayService(db, await loadPackCatalog());
      switch (sub) {
        case 'run': {
          const pack = positionals[0];
          const year = Number(values.year);
          if (!pack || !Number.isInteger(year)) {
            throw invalid(
              'cli.bad_arguments',
              '--year',
              '需要 PACK 和 --year',
              'expected PACK and --year',
            );
          }
          let bar: ReturnType<typeof progress> | null = null;
          const started = await service.start(
            ACTOR,
            {
              pack,
              year,
              region: values.region,
              category: values.category,
              visitType: values['visit-type'],
            },
            {
              wait: true,
              onProgress: (done, total) => {
                bar ??= progress(io, `replay ${pack} ${year}`, total);
                bar.tick(done);
              },
            },
          );
          (bar as ReturnType<typeof progress> | null)?.finish();
          const run = await service.get(ACTOR, started.id);
          print(io, run, !!values.json);
          return run.status === 'done' ? 0 : 1;
        }
        case 'list': {
          const runs = await service.list(ACTOR);
          for (const r of runs) {
            io.out(
              `${r.id}\t${r.status}\t${r.pack}\t${r.year}\t${r.filters.region ?? r.region}\t${r.progress.done}/${r.progress.total}\t${r.createdAt}`,
            );
          }
          return 0;
        }
        case 'show':
          print(io, await service.get(ACTOR, idOf(positionals[0])), !!values.json);
          return 0;
        case 'xlsx': {
          if (!values.out)
            throw invalid(
              'cli.bad_arguments',
              '--out',
              '需要 --out FILE',
              '--out FILE is required',
            );
          const run = await service.get(ACTOR, idOf(positionals[0]));
          await writeFile(resolve(io.cwd, values.out), await replayXlsx(run));
          io.err(`✓ ${values.out}`);
          return 0;
        }
        case 'cancel':
          await service.cancel(ACTOR, idOf(positionals[0]));
          io.out('已请求取消 cancellation asked');
          return 0;
        default:
          await service.remove(ACTOR, idOf(positionals[0]));
          io.out('已删除 deleted');
          return 0;
      }
    } catch (e) {
      if (isTriguardError(e)) {
        io.err(`${e.messages.zh}\n${e.field ? `${e.field}: ` : ''}${e.messages.en}`);
        return e.kind === 'invalid' ? 2 : 1;
      }
      throw e;
    } finally {
      await db.close();
    }
  },
};

function print(io: { out: (s: string) => void }, run: Run, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(run, null, 2));
    return;
  }
  io.out(`模拟 replay ${run.id}: ${run.pack} over ${run.year} (${run.status})`);
  io.out(`  实际政策包 settled with: ${run.actualPacks.join(', ')}; cut-off ${run.cutoff}`);
  const r = run.result;
  if (!r) {
    if (run.error) io.out(`  ${run.error.message.zh} / ${run.error.message.en}`);
    return;
  }
  io.out(
    `  单据 bills ${r.counts.bills}, 人 people ${r.counts.people}, 拒付 refused ${r.counts.refused}, ` +
      `一致 reproduced ${r.counts.reproduced}, 变化 changed ${r.counts.changed}, 含撤销 with a cancellation ${r.counts.withCancellation}`,
  );
  const header = ['', '实际 actual', '草案 draft', '差额 change'];
  const rows = COMPARED.map((k) => [
    COMPARED_LABELS[k],
    formatYuan(r.totals.actual[k]),
    formatYuan(r.totals.draft[k]),
    formatYuan(r.totals.draft[k] - r.totals.actual[k]),
  ]);
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((x) => displayWidth(x[i]!))),
  );
  for (const row of [header, ...rows])
    io.out('  ' + row.map((c, i) => padEnd(c, widths[i]!)).join('  '));
  io.out(
    `  预警线 warning lines: 新超线 crosses ${r.crossingsTotal.crosses}, 不再超线 no longer ${r.crossingsTotal.no_longer}`,
  );
  const d = r.distribution;
  io.out(
    `  个人负担 person pays: 多 more ${d.pays_more}, 少 less ${d.pays_less}, 不变 same ${d.unchanged}; ` +
      `p10 ${formatYuan(d.deciles[0] ?? 0)} p50 ${formatYuan(d.deciles[4] ?? 0)} p90 ${formatYuan(d.deciles[8] ?? 0)}`,
  );
}
