/**
 * The embedded database's folder belongs to one process. PGlite has no server to share it: a
 * second process that opened the folder of a running `npm start` (a CLI command, say) left it
 * unreadable — the next open aborted inside PGlite. A lock file holding the owner's pid keeps a
 * second process out with a clear error; a lock whose process has ended is taken over. Within one
 * process the folder may be opened again (the lock is counted and released with the last close).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { conflict } from '../kernel/errors.ts';

export const LOCK_FILE = 'triguard.lock';
const held = new Map<string, number>();

/** Is process `pid` running (a process we may not signal is running too)? */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the folder's lock for this process; returns its release. Throws if another holds it. */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const count = held.get(path) ?? 0;
  if (count === 0) {
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
        const owner = ownerOf(path);
        if (owner !== null && owner !== process.pid && alive(owner)) {
          throw conflict(
            'db.data_dir_in_use',
            'TRIGUARD_DATA',
            `嵌入式数据库 ${dir} 正被进程 ${owner} 使用，请先停止该进程，或设置 DATABASE_URL 使用 PostgreSQL（若该进程不是 Triguard，可删除 ${path}）`,
            `the embedded database ${dir} is in use by process ${owner}: stop it first, or set DATABASE_URL to use PostgreSQL (if that process is not Triguard, delete ${path})`,
          );
        }
        // Left by a process that has ended: take it over.
        unlinkSync(path);
      }
    }
  }
  held.set(path, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(path) ?? 1) - 1;
    if (left > 0) {
      held.set(path, left);
      return;
    }
    held.delete(path);
    if (ownerOf(path) === process.pid) unlinkSync(path);
  };
}
