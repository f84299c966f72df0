import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'tg-lock-'));
const lockFile = (dir: string) => join(dir, 'triguard.lock');

describe('the embedded database folder lock', () => {
  it('is held by this process while open, counted, and released with the last close', () => {
    const dir = folder();
    const first = lockDataDir(dir);
    expect(readFileSync(lockFile(dir), 'utf8').trim()).toBe(String(process.pid));
    const second = lockDataDir(dir);
    first();
    first(); // a second call of the same release counts once
    expect(existsSync(lockFile(dir))).toBe(true);
    second();
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it('refuses a folder another running process holds, naming the process', async () => {
    const dir = folder();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(lockFile(dir), `${other.pid}\n`);
      expect(() => lockDataDir(dir)).toThrow(`in use by process ${other.pid}`);
      expect(readFileSync(lockFile(dir), 'utf8').trim()).toBe(String(other.pid));
    } finally {
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
    }
  });

  it('takes over a lock left by a process that has ended', () => {
    const dir = folder();
    const ended = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    writeFileSync(lockFile(dir), `${ended}\n`);
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile(dir), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(lockFile(dir))).toBe(false);
  });
});
