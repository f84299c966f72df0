import { resolve } from 'node:path';
import { backupPglite, restorePglite } from '../../db/pglite-backup.ts';
import { pgliteDirOf } from '../../db/open.ts';
import { parse } from '../../cli/args.ts';
import type { CliIo, Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';

const BACKUP_HELP = `triguard backup --out FILE

Writes a consistent backup of the embedded database (PGlite, TRIGUARD_DATA, default
./data/pglite) to FILE, a gzipped tarball of its folder. The folder must not be in use: stop the
server first (a running server's folder is refused with db.data_dir_in_use). Restore it with
triguard restore FILE --data-dir DIR.

On PostgreSQL (DATABASE_URL) use pg_dump -Fc and pg_restore instead (docs/backup.md).`;

const RESTORE_HELP = `triguard restore FILE --data-dir DIR

Restores a backup written by triguard backup into DIR, a new or empty folder, and checks that it
opens. Point TRIGUARD_DATA at DIR to use it. On PostgreSQL use pg_restore (docs/backup.md).`;

const onPostgres = (io: CliIo, what: string) => {
  io.err(
    `${what} 用于嵌入式数据库；PostgreSQL 请用 pg_dump -Fc / pg_restore（见 docs/backup.md）/ ${what} is for the embedded database; on PostgreSQL use pg_dump -Fc and pg_restore (docs/backup.md)`,
  );
  return 2;
};

export const backupCommand: Command = {
  name: 'backup',
  summary: 'back up the embedded database to a file (备份)',
  help: BACKUP_HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(BACKUP_HELP);
      return 0;
    }
    const { values } = parse(argv, { out: { type: 'string' } });
    if (!values.out) {
      io.err(BACKUP_HELP);
      return 2;
    }
    if (io.env.DATABASE_URL) return onPostgres(io, 'triguard backup');
    const dataDir = resolve(io.cwd, pgliteDirOf(io.env));
    const file = resolve(io.cwd, values.out);
    const bytes = await backupPglite(dataDir, file);
    io.out(JSON.stringify({ dataDir, file, bytes }));
    return 0;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore the embedded database from a backup (恢复)',
  help: RESTORE_HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(RESTORE_HELP);
      return 0;
    }
    const { values, positionals } = parse(argv, { 'data-dir': { type: 'string' } });
    if (positionals.length !== 1 || !values['data-dir']) {
      io.err(RESTORE_HELP);
      return 2;
    }
    if (io.env.DATABASE_URL) return onPostgres(io, 'triguard restore');
    const file = resolve(io.cwd, positionals[0]!);
    const dataDir = resolve(io.cwd, values['data-dir']);
    await restorePglite(file, dataDir);
    io.out(JSON.stringify({ file, dataDir }));
    return 0;
  },
};
