/**
 * `triguard catalogue`: import the insurance catalogue or an institution's mapping from CSV/XLSX
 * (every row imported or rejected with a reason), list items, register an institution's level.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { openFromEnv } from '../db/open.ts';
import { migrate } from '../db/migrate.ts';
import { invalid } from '../kernel/errors.ts';
import { fenToYuanNumber } from '../kernel/money.ts';
import { parse } from '../cli/args.ts';
import { wantsHelp, type Command } from '../cli/command.ts';
import { formatOf } from '../tabular/read.ts';
import { runCatalogueImport, type CatalogueFileKind } from './import.ts';
import { CHRGITM_LV_LABELS } from './model.ts';
import { openRejectFile } from './reject-file.ts';
import { searchItems, upsertInstitution } from './repository.ts';

const HELP = `triguard catalogue <import|list|institution> ...

  import FILE [--mapping --fixmedins CODE] [--rejects OUT]
      Imports the insurance catalogue (医保目录: 医保目录编码, 名称, 目录类别, 收费项目等级,
      先行自付比例, 最高限价(元), 开始日期, 结束日期 …) or, with --mapping, an institution's
      mapping (目录对照: 医药机构目录编码, 医药机构目录名称, 医保目录编码 …) from CSV or XLSX.
      Every row is imported or written to the reject file (default FILE.rejects.csv) with its
      row number and reason. Exit code 0 when every row was imported, 1 otherwise.
  list [--q TEXT] [--code CODE] [--date YYYY-MM-DD] [--limit N]
      Prints catalogue items as JSON lines.
  institution CODE NAME LEVEL [--admdvs 370899]
      Registers a designated institution's hospital level (1, 2 or 3) for the national gateway.`;

export const catalogueCommand: Command = {
  name: 'catalogue',
  summary: 'import and list the insurance catalogue and mappings (医保目录、目录对照)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, {
      mapping: { type: 'boolean' },
      fixmedins: { type: 'string' },
      rejects: { type: 'string' },
      q: { type: 'string' },
      code: { type: 'string' },
      date: { type: 'string' },
      limit: { type: 'string' },
      admdvs: { type: 'string' },
    });
    if (sub !== 'import' && sub !== 'list' && sub !== 'institution') {
      io.err(HELP);
      return 2;
    }
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      if (sub === 'list') {
        const r = await searchItems(db, {
          text: values.q,
          code: values.code,
          date: values.date,
          limit: Number(values.limit ?? 50),
          offset: 0,
        });
        for (const i of r.items) {
          io.out(
            JSON.stringify({
              med_list_codg: i.medListCodg,
              name: i.name,
              spec: i.spec,
              list_type: i.listType,
              chrgitm_lv: `${i.chrgitmLv} ${CHRGITM_LV_LABELS[i.chrgitmLv]}`,
              selfpay_prop: i.selfpayProp / 10_000,
              pric_uplmt_amt: i.pricUplmtAmt === null ? null : fenToYuanNumber(i.pricUplmtAmt),
              begndate: i.begndate,
              enddate: i.enddate,
            }),
          );
        }
        io.err(`${r.items.length} of ${r.total} items`);
        return 0;
      }
      if (sub === 'institution') {
        const [code, name, level] = positionals;
        if (!code || !name || !level || !/^[123]$/.test(level)) {
          io.err(HELP);
          return 2;
        }
        await upsertInstitution(db, {
          fixmedinsCode: code,
          fixmedinsName: name,
          hospLv: Number(level) as 1 | 2 | 3,
          admdvs: values.admdvs ?? '370899',
        });
        io.out(
          JSON.stringify({ fixmedins_code: code, fixmedins_name: name, hosp_lv: Number(level) }),
        );
        return 0;
      }
      const [file] = positionals;
      if (!file || positionals.length > 1) {
        io.err(HELP);
        return 2;
      }
      const path = resolve(io.cwd, file);
      if (!existsSync(path) || !statSync(path).isFile()) {
        throw invalid('cli.no_file', 'FILE', `文件不存在：${file}`, `no such file: ${file}`);
      }
      const kind: CatalogueFileKind = values.mapping ? 'mapping' : 'items';
      const out = resolve(io.cwd, values.rejects ?? `${file}.rejects.csv`);
      let rejects: ReturnType<typeof openRejectFile> | null = null;
      const counts = await runCatalogueImport(db, path, {
        kind,
        format: formatOf(path),
        fixmedinsCode: values.fixmedins ?? null,
        onReject: (r) => (rejects ??= openRejectFile(out)).write(r),
      });
      await (rejects as ReturnType<typeof openRejectFile> | null)?.close();
      io.err(
        `${basename(path)}: 读取 ${counts.rowsRead} 行，导入 ${counts.imported} 行，拒绝 ${counts.rejected} 行 / ` +
          `rows read ${counts.rowsRead}, imported ${counts.imported}, rejected ${counts.rejected}` +
          (counts.rejected > 0 ? `; rejects: ${out}` : ''),
      );
      io.out(JSON.stringify({ ...counts, rejectsFile: counts.rejected > 0 ? out : null }));
      return counts.rejected > 0 ? 1 : 0;
    } finally {
      await db.close();
    }
  },
};
