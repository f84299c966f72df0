/**
 * Backup and restore of the embedded database's folder. A copy of the folder taken while a
 * server writes to it may not open again; so the backup takes the folder's lock (no server can
 * hold it meanwhile), checkpoints, and writes PGlite's own dump of the folder (a gzipped tarball,
 * `dumpDataDir`), which PGlite loads into an empty folder (`loadDataDir`).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { conflict, invalid } from '../kernel/errors.ts';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.ts';

const extensions = { pg_trgm };

/** Writes a consistent backup of the PGlite folder `dataDir` to `file`; returns its size. */
export async function backupPglite(dataDir: string, file: string): Promise<number> {
  if (!existsSync(dataDir)) {
    throw invalid(
      'backup.no_data_dir',
      'TRIGUARD_DATA',
      `没有嵌入式数据库目录 ${dataDir}`,
      `there is no embedded database folder ${dataDir}`,
    );
  }
  const release = lockDataDir(dataDir);
  try {
    const pg = await PGlite.create(dataDir, { extensions });
    try {
      // Flush everything to the data files, so a restore has little WAL to replay.
      await pg.exec('CHECKPOINT');
      const dump = await pg.dumpDataDir('gzip');
      const bytes = Buffer.from(await dump.arrayBuffer());
      writeFileSync(file, bytes);
      return bytes.length;
    } finally {
      await pg.close();
    }
  } finally {
    release();
  }
}

/**
 * Restores a backup into `dataDir`, which must be missing or empty (a restore never overwrites a
 * database), and checks that the result opens.
 */
export async function restorePglite(file: string, dataDir: string): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw conflict(
      'restore.data_dir_not_empty',
      'data-dir',
      `目录 ${dataDir} 不为空：请恢复到新的空目录`,
      `${dataDir} is not empty: restore into a new, empty folder`,
    );
  }
  const blob = new Blob([readFileSync(file)]);
  const pg = await PGlite.create(dataDir, { extensions, loadDataDir: blob });
  try {
    await pg.query('SELECT count(*) FROM schema_migration');
  } finally {
    await pg.close();
  }
  // The backup was taken under the folder's lock, whose file came along: it names a process
  // of the past (or, its number reused, of someone else), never the restored folder's owner.
  rmSync(join(dataDir, LOCK_FILE), { force: true });
}
