/** The registry import against files nobody checked: NUL bytes, hidden characters, Excel spellings. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import type { CliIo } from '../../cli/command.ts';
import { makeId } from '../../kernel/idcard.ts';
import { HOSTILE, neutralised } from '../../tabular/testing.ts';
import { importCommand } from '../cli/import.ts';
import { loadRecord } from '../repo/read.ts';
import { seedRegions, testClock, testContext, VILLAGE_1 } from '../testing/db.ts';
import { IMPORT_COLUMNS } from './columns.ts';
import { runImport, type RejectedRow } from './run-import.ts';

const HEADER = IMPORT_COLUMNS.map((c) => c.header).join(',');
const blanks = (n: number) => ','.repeat(n);
/** A row with the three required cells and nothing else. */
const row = (certno: string, name: string) =>
  `${certno},${name},${VILLAGE_1}${blanks(IMPORT_COLUMNS.length - 3)}`;
const idOf = (i: number) => makeId('370899', '1970-01-01', 100 + i);

function io(dir: string): CliIo {
  return { out: () => undefined, err: () => undefined, tty: false, env: {}, cwd: dir };
}

describeDb('registry import of untrusted files', (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-untrusted-'));
  const reg = () => testContext(ctx.db, testClock('2022-05-10'));
  const run = async (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    const rejects: RejectedRow[] = [];
    const counts = await runImport(reg(), SYSTEM_ACTOR, join(dir, name), {
      fileName: name,
      format: 'csv',
      onReject: (r) => void rejects.push(r),
    });
    return { counts, rejects };
  };

  beforeAll(async () => {
    await seedRegions(ctx.db);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects the one row holding U+0000, naming the column; the rest of its batch imports', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 404; i++) lines.push(row(idOf(i), i === 200 ? '王\u0000五' : '王五'));
    const { counts, rejects } = await run('nul.csv', lines.join('\n') + '\n');
    expect(counts).toEqual({ rowsRead: 404, imported: 403, rejected: 1 });
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ rowNumber: 202, field: 'name', certno: idOf(200) });
    expect(rejects[0]!.reason.zh).toContain('姓名');
    expect(rejects[0]!.reason.en).toContain('U+0000');
    expect((await loadRecord(ctx.db, { kind: 'system' }, idOf(201)))?.person.name).toBe('王五');
  });

  it('refuses names and household numbers with control, line-break or bidi characters', async () => {
    const bad = ['王\u0007五', '王\u202e五', '王\u2066五', '"王\n五"', '王\u0085五'];
    const lines = [HEADER, ...bad.map((name, i) => row(idOf(500 + i), name))];
    lines.push(row(idOf(510), '李四').replace(`${VILLAGE_1},`, `${VILLAGE_1},H\u202e01`));
    const { counts, rejects } = await run('hidden.csv', lines.join('\n') + '\n');
    expect(counts).toMatchObject({ rowsRead: 6, imported: 0, rejected: 6 });
    expect(rejects.map((r) => r.field)).toEqual([
      'name',
      'name',
      'name',
      'name',
      'name',
      'householdId',
    ]);
    expect(rejects[0]!.reason.en).toContain('U+0007');
    expect(rejects[1]!.reason.zh).toContain('姓名');
  });

  it('reads 2022-2-3 as 2022-02-03 in every date column', async () => {
    const cells = IMPORT_COLUMNS.map((c) => {
      const v: Record<string, string> = {
        certno: idOf(600),
        name: '周七',
        regionCode: VILLAGE_1,
        category: '低保对象',
        fromMonth: '2022-1',
        recognisedOn: '2021-12-3',
        year: '2022',
        scheme: '居民',
        contributionType: '免缴费',
        contribution: '0',
        enrolledOn: '2021-12-3',
      };
      return v[c.key] ?? '';
    });
    const { counts } = await run('dates.csv', `${HEADER}\n${cells.join(',')}\n`);
    expect(counts).toMatchObject({ imported: 1, rejected: 0 });
    const rec = await loadRecord(ctx.db, { kind: 'system' }, idOf(600));
    expect(rec?.flags[0]).toMatchObject({ fromMonth: '2022-01', recognisedOn: '2021-12-03' });
    expect(rec?.enrolments[0]).toMatchObject({ enrolledOn: '2021-12-03' });
  });

  it('numbers rejects by spreadsheet row after cells with line breaks', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 90; i++) {
      // Every row is rejected (an unknown village), every third has line breaks in a cell.
      const note = i % 3 === 0 ? '"第一行\n第二行\r\n第三行"' : '无';
      lines.push(`${idOf(700 + i)},赵六,999999999999,${note}${blanks(IMPORT_COLUMNS.length - 4)}`);
    }
    const { rejects } = await run('multiline.csv', lines.join('\r\n') + '\r\n');
    expect(rejects.map((r) => r.rowNumber)).toEqual(Array.from({ length: 90 }, (_, i) => i + 2));
  });

  it('writes hostile cells into the CLI reject file neutralised', async () => {
    const lines = [HEADER];
    for (const v of HOSTILE) lines.push(row(`"${v.replace(/"/g, '""')}"`, '王五'));
    writeFileSync(join(dir, 'hostile.csv'), lines.join('\n') + '\n');
    expect(await importCommand(ctx.db, io(dir), 'hostile.csv', 'hostile.rejects.csv')).toBe(1);
    const text = readFileSync(join(dir, 'hostile.rejects.csv'), 'utf8');
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    const records = parse(text.replace(/^\ufeff/, '')) as string[][];
    // The reader trims cells, so the tab and carriage return of the last two are gone.
    expect(records.slice(1).map((r) => r[1])).toEqual(
      HOSTILE.map((v) => (v.trim() === v ? neutralised(v) : neutralised(v.trim()))),
    );
  });

  it('refuses a damaged workbook on the command line with a clear error', async () => {
    writeFileSync(join(dir, 'bad.xlsx'), Buffer.from('PK\x03\x04 garbage garbage', 'latin1'));
    await expect(importCommand(ctx.db, io(dir), 'bad.xlsx', undefined)).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'import.unreadable',
      field: 'file',
    });
  });
});
