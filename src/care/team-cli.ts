/**
 * `triguard care-teams`: batch work on care teams (docs/care-teams.md §8) — import the team
 * register from XLSX/CSV, export the overdue-visit list as XLSX — with progress on stderr and
 * the counts on stdout as JSON.
 */
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { parse } from '../cli/args.ts';
import { wantsHelp, type CliIo, type Command } from '../cli/command.ts';
import { progress } from '../cli/progress.ts';
import { migrate } from '../db/migrate.ts';
import { openFromEnv } from '../db/open.ts';
import type { Db } from '../db/db.ts';
import { invalid, isTriguardError } from '../kernel/errors.ts';
import { normaliseDate } from '../kernel/period.ts';
import { formatOf, readRows } from '../tabular/read.ts';
import { csvWriter, type CsvWriter } from '../tabular/write.ts';
import { readTeamRow, TEAM_SET, type TeamColumn } from './core/team-import.ts';
import { overdueXlsx } from './team-export.ts';
import { CareTeamService } from './team-service.ts';
import type { SourceRow } from '../tabular/read.ts';

const HELP = `triguard care-teams <import|overdue> ...

  import FILE [--rejects OUT]
      Imports the care-team register (关爱帮扶小组名册) from CSV or XLSX, one row per patient:
      身份证号, 姓名 (optional), 组建或变更日期, then a name and a phone column per role —
      组长（村委会主任）姓名/电话 (required), 监护人, 综治专干, 医务人员, 派出所民警, 残联, 民政.
      A row forms the team or changes it as of its date (members left out leave, new ones join).
      Every row is imported or written to the reject file (default FILE.rejects.csv) with its row
      number, column and reason. Exit code 0 when every row was imported, 1 otherwise.
  overdue --out FILE.xlsx [--as-of YYYY-MM-DD] [--region CODE]
      Writes the overdue-visit list, one sheet per township.`;

const REJECT_HEADER = ['行号', '身份证号', '列', '代码', '原因', 'reason'] as const;

function existing(io: CliIo, file: string): string {
  const path = resolve(io.cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw invalid('cli.no_file', 'FILE', `文件不存在：${file}`, `no such file: ${file}`);
  }
  return path;
}

export async function importTeams(
  service: CareTeamService,
  io: CliIo,
  file: string,
  rejectsPath: string | undefined,
): Promise<number> {
  const path = existing(io, file);
  const rows: SourceRow<TeamColumn>[] = [];
  for await (const r of readRows(path, formatOf(path), TEAM_SET)) rows.push(r);
  const out = resolve(io.cwd, rejectsPath ?? `${file}.rejects.csv`);
  let rejects: CsvWriter | null = null;
  const reject = (
    row: number,
    certno: unknown,
    field: string | null,
    code: string,
    zh: string,
    en: string,
  ) =>
    (rejects ??= csvWriter(out, REJECT_HEADER)).write([
      row,
      typeof certno === 'string' ? certno : null,
      field,
      code,
      zh,
      en,
    ]);
  const bar = progress(io, 'care teams', rows.length);
  let imported = 0;
  let rejected = 0;
  for (const [i, r] of rows.entries()) {
    const parsed = r.problem
      ? { field: r.problem.field, code: 'import.bad_cell', message: r.problem.reason }
      : readTeamRow(r.cells);
    if ('message' in parsed) {
      await reject(
        r.rowNumber,
        r.cells.certno,
        parsed.field,
        parsed.code,
        parsed.message.zh,
        parsed.message.en,
      );
      rejected++;
    } else {
      try {
        await service.setTeam(SYSTEM_ACTOR, parsed.certno, {
          members: parsed.members,
          on: parsed.on,
          reason: `导入 ${basename(path)} 第 ${r.rowNumber} 行`,
        });
        imported++;
      } catch (e) {
        if (!isTriguardError(e)) throw e;
        await reject(r.rowNumber, parsed.certno, e.field, e.code, e.messages.zh, e.messages.en);
        rejected++;
      }
    }
    bar.tick(i + 1);
  }
  bar.finish();
  await (rejects as CsvWriter | null)?.close();
  io.out(
    JSON.stringify({
      rowsRead: rows.length,
      imported,
      rejected,
      rejectsFile: rejected > 0 ? out : null,
    }),
  );
  return rejected > 0 ? 1 : 0;
}

async function exportOverdue(
  service: CareTeamService,
  io: CliIo,
  values: { out?: string | undefined; 'as-of'?: string | undefined; region?: string | undefined },
): Promise<number> {
  if (!values.out) {
    io.err(HELP);
    return 2;
  }
  const asOf = values['as-of'] === undefined ? undefined : normaliseDate(values['as-of']);
  if (asOf === null) {
    throw invalid(
      'cli.bad_date',
      '--as-of',
      `--as-of 不是日期：${values['as-of']}`,
      `--as-of is not a date: ${values['as-of']}`,
    );
  }
  if (values.region !== undefined && !/^\d{6}(\d{3}){0,2}$/.test(values.region)) {
    throw invalid(
      'cli.bad_region',
      '--region',
      `--region 不是区划代码：${values.region}`,
      `--region is not a region code: ${values.region}`,
    );
  }
  const r = await service.overdue(SYSTEM_ACTOR, asOf, values.region);
  const target = resolve(io.cwd, values.out);
  await writeFile(target, await overdueXlsx(SYSTEM_ACTOR, r.asOf, r.rows));
  io.err(`care teams: ${r.rows.length} overdue on ${r.asOf} → ${target}`);
  io.out(JSON.stringify({ asOf: r.asOf, overdue: r.rows.length, file: target }));
  return 0;
}

export const careTeamsCommand: Command = {
  name: 'care-teams',
  summary: 'severe-mental care teams: import the register, export overdue visits (关爱帮扶小组)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, {
      rejects: { type: 'string' },
      out: { type: 'string' },
      'as-of': { type: 'string' },
      region: { type: 'string' },
    });
    if (
      !(sub === 'import' && positionals.length === 1) &&
      !(sub === 'overdue' && positionals.length === 0)
    ) {
      io.err(HELP);
      return 2;
    }
    const db: Db = await openFromEnv(io.env);
    try {
      await migrate(db);
      const service = new CareTeamService(db);
      return sub === 'import'
        ? await importTeams(service, io, positionals[0]!, values.rejects)
        : await exportOverdue(service, io, values);
    } finally {
      await db.close();
    }
  },
};
