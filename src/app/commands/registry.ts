import { openFromEnv } from '../../db/open.ts';
import { migrate } from '../../db/migrate.ts';
import {
  exportCommand,
  importCommand,
  showCommand,
  templateCommand,
} from '../../registry/index.ts';
import { parse } from '../../cli/args.ts';
import type { Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';

const HELP = `triguard registry <import|template|export|show> ...

  import FILE [--rejects OUT]
      Imports people, flags and enrolments from a CSV or XLSX in the published template. Every
      row is checked (ID checksum, dates, categories, villages); good rows are imported in
      batches, one transaction each; every other row goes to the reject file (default
      FILE.rejects.csv) with its row number and reason. Prints rows read, imported, rejected.
      Exit code 0 when every row was imported, 1 when some were rejected.
  template OUT.xlsx
      Writes the import template (Chinese headers, with an instructions sheet).
  export [--name NAME] [--region CODE] [--certno ID] OUT.xlsx
      Exports the people a search finds to XLSX (streamed; a sheet per million rows).
  show CERTNO [--as-of YYYY-MM-DD]
      Prints one person with flags and enrolments as JSON, as the registry stood that day.`;

export const registryCommand: Command = {
  name: 'registry',
  summary: 'import, export and look up insured people (参保人导入、导出、查询)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, {
      rejects: { type: 'string' },
      name: { type: 'string' },
      region: { type: 'string' },
      certno: { type: 'string' },
      'as-of': { type: 'string' },
    });
    const [arg] = positionals;
    if (!arg || positionals.length > 1) {
      io.err(HELP);
      return 2;
    }
    if (sub === 'template') return templateCommand(io, arg);
    if (sub !== 'import' && sub !== 'export' && sub !== 'show') {
      io.err(HELP);
      return 2;
    }
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      switch (sub) {
        case 'import':
          return await importCommand(db, io, arg, values.rejects);
        case 'export':
          return await exportCommand(
            db,
            io,
            { name: values.name, region: values.region, certno: values.certno },
            arg,
          );
        case 'show':
          return await showCommand(db, io, arg, values['as-of']);
      }
    } finally {
      await db.close();
    }
  },
};
