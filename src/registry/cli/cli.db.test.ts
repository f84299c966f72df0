import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import type { CliIo } from '../../cli/command.ts';
import { registryCommand } from '../../app/commands/registry.ts';
import { makeId } from '../../kernel/idcard.ts';
import { localDate } from '../../kernel/clock.ts';
import { IMPORT_COLUMNS } from '../import/columns.ts';
import { seedRegions, VILLAGE_1 } from '../testing/db.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { showCommand } from './show.ts';
import { templateCommand } from './template.ts';

const ID = makeId('370899', '1966-06-06', 71);

function io(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    tty: false,
    env: {},
    cwd: dir,
  };
  return { io: value, out, err };
}

describeDb('registry CLI', (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-cli-'));

  beforeAll(async () => {
    await seedRegions(ctx.db);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file and prints rows read, imported and rejected; writes the reject file', async () => {
    const header = IMPORT_COLUMNS.map((c) => c.header).join(',');
    writeFileSync(
      join(dir, 'list.csv'),
      `${header}\n${ID},张桂兰,${VILLAGE_1}\n,无号,${VILLAGE_1}\n`,
    );
    const t = io(dir);
    const code = await importCommand(ctx.db, t.io, 'list.csv', undefined);
    expect(code).toBe(1);
    expect(JSON.parse(t.out[0]!)).toMatchObject({ rowsRead: 2, imported: 1, rejected: 1 });
    expect(t.err.at(-1)).toMatch(/rows read 2, imported 1, rejected 1/);
    const rejects = readFileSync(join(dir, 'list.csv.rejects.csv'), 'utf8');
    expect(rejects).toContain('3,,无号,身份证号');
  });

  it('shows a person now and as of a day, exports a search, writes the template', async () => {
    const t = io(dir);
    expect(await showCommand(ctx.db, t.io, ID, localDate(new Date()))).toBe(0);
    expect(JSON.parse(t.out[0]!)).toMatchObject({ person: { certno: ID, name: '张桂兰' } });
    await expect(showCommand(ctx.db, t.io, ID, '2000-01-01')).rejects.toMatchObject({
      code: 'person.not_found',
    });

    const e = io(dir);
    expect(await exportCommand(ctx.db, e.io, { name: '张桂兰' }, 'out.xlsx')).toBe(0);
    expect(JSON.parse(e.out[0]!)).toMatchObject({ rows: 1, sheets: 1 });
    expect(await templateCommand(e.io, 'template.xlsx')).toBe(0);
    expect(existsSync(join(dir, 'template.xlsx'))).toBe(true);
  });

  it('explains itself and refuses a missing argument', async () => {
    const t = io(dir);
    expect(await registryCommand.run(['--help'], t.io)).toBe(0);
    expect(t.out[0]).toContain('registry import FILE'.replace('registry ', ''));
    expect(await registryCommand.run(['import'], t.io)).toBe(2);
  });
});
