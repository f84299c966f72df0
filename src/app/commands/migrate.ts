import { openFromEnv } from '../../db/open.ts';
import { migrate, migrationVersion } from '../../db/migrate.ts';
import type { Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';

const HELP = `triguard migrate

Applies the SQL migrations that have not run yet (forward only) to the database named by
DATABASE_URL, or to the embedded PGlite database in ./data/pglite (TRIGUARD_DATA).`;

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply database migrations (数据库迁移)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const db = await openFromEnv(io.env);
    try {
      const applied = await migrate(db);
      for (const name of applied) io.err(`applied ${name}`);
      io.out(
        `migrations: ${applied.length} applied, database ${db.kind} at version ${await migrationVersion(db)}`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
