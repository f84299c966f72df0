/**
 * `triguard chronic`: the outpatient chronic-disease workflow from the command line
 * (docs/chronic.md §13): import existing certificates or two-diseases filings, print the
 * catalogue a county's applications are checked against.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { parse } from '../cli/args.ts';
import { wantsHelp, type CliIo, type Command } from '../cli/command.ts';
import { migrate } from '../db/migrate.ts';
import { openFromEnv } from '../db/open.ts';
import { invalid } from '../kernel/errors.ts';
import { normaliseDate } from '../kernel/period.ts';
import { formatOf } from '../tabular/read.ts';
import { csvWriter, type CsvWriter } from '../tabular/write.ts';
import { runChronicImport, type ImportKind } from './import/run-import.ts';
import { loadPacks } from '../policy/index.ts';
import { ChronicService } from './service.ts';
import { toCatalogueView } from './views.ts';
import { catalogueOf, cataloguePack } from './core/catalogue.ts';
import { localDate } from '../kernel/clock.ts';

const HELP = `triguard chronic <import|catalogue> ...

  import certificates FILE [--rejects OUT]
      Imports existing 门诊慢特病证 from CSV or XLSX, one row per certified disease:
      身份证号, 姓名 (optional, checked), 病种编码 (catalogue code M002 or national code M01600),
      开始日期, 结束日期 (optional), 证号 (optional: assigned when empty), 发证日期 (optional).
  import filings FILE [--rejects OUT]
      Imports existing 两病备案: 身份证号, 姓名, 两病病种 (高血压 / 糖尿病), 诊断 (optional,
      I10–I15 / E10–E14), 备案机构编码 (a registered level-1 institution), 开始日期, 结束日期.
      Every row is imported or written to the reject file (default FILE.rejects.csv) with its row
      number, column and reason; progress goes to stderr, the counts to stdout as JSON. Exit code
      0 when every row was imported, 1 otherwise.
  catalogue [--county 370899] [--date YYYY-MM-DD]
      Prints the county's catalogue, document checklist and review steps on the date as JSON.`;

const REJECT_HEADER = ['行号', '身份证号', '列', '代码', '原因', 'reason'] as const;

export async function importFile(
  service: ChronicService,
  io: CliIo,
  kind: ImportKind,
  file: string,
  rejectsPath: string | undefined,
): Promise<number> {
  const path = resolve(io.cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw invalid('cli.no_file', 'FILE', `文件不存在：${file}`, `no such file: ${file}`);
  }
  const out = resolve(io.cwd, rejectsPath ?? `${file}.rejects.csv`);
  let rejects: CsvWriter | null = null;
  let lastReport = 0;
  const started = Date.now();
  const counts = await runChronicImport(service, SYSTEM_ACTOR, path, {
    kind,
    format: formatOf(path),
    // The reject file is created with the first rejected row, so a clean import leaves none.
    onReject: (r) =>
      (rejects ??= csvWriter(out, REJECT_HEADER)).write([
        r.row,
        r.certno,
        r.field,
        r.code,
        r.message.zh,
        r.message.en,
      ]),
    onProgress: (c) => {
      if (c.rowsRead - lastReport >= 1_000) {
        lastReport = c.rowsRead;
        io.err(`${kind}: ${c.rowsRead} rows read, ${c.imported} imported, ${c.rejected} rejected`);
      }
    },
  });
  await (rejects as CsvWriter | null)?.close();
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  io.err(
    `${basename(path)}: 读取 ${counts.rowsRead} 行，导入 ${counts.imported} 行，拒绝 ${counts.rejected} 行 / ` +
      `rows read ${counts.rowsRead}, imported ${counts.imported}, rejected ${counts.rejected} in ${secs}s` +
      (counts.rejected > 0 ? `; rejects: ${out}` : ''),
  );
  io.out(JSON.stringify({ ...counts, rejectsFile: counts.rejected > 0 ? out : null }));
  return counts.rejected > 0 ? 1 : 0;
}

export const chronicCommand: Command = {
  name: 'chronic',
  summary:
    'outpatient chronic diseases: import certificates and filings, the catalogue (门诊慢特病)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, {
      rejects: { type: 'string' },
      county: { type: 'string' },
      date: { type: 'string' },
    });
    const packs = await loadPacks();
    if (sub === 'catalogue') {
      const date = values.date === undefined ? undefined : normaliseDate(values.date);
      if (date === null) {
        throw invalid(
          'cli.bad_date',
          '--date',
          `--date 不是日期：${values.date}`,
          `--date is not a date: ${values.date}`,
        );
      }
      const county = values.county ?? packs.find((p) => !p.fixture)?.region ?? '';
      const on = date ?? localDate(new Date());
      io.out(
        JSON.stringify(toCatalogueView(catalogueOf(cataloguePack(packs, county, on), on)), null, 2),
      );
      return 0;
    }
    const [kind, file] = positionals;
    if (
      sub !== 'import' ||
      (kind !== 'certificates' && kind !== 'filings') ||
      !file ||
      positionals.length > 2
    ) {
      io.err(HELP);
      return 2;
    }
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      return await importFile(new ChronicService(db, packs), io, kind, file, values.rejects);
    } finally {
      await db.close();
    }
  },
};
