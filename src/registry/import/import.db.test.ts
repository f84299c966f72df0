import { mkdtempSync, writeFileSync, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { recordAudit } from '../../audit/log.ts';
import { verifyAudit } from '../../app/audit.ts';
import { BULK_ENTITY, REGISTRY_BASELINE_ACTION } from '../audit-seals.ts';
import { makeId } from '../../kernel/idcard.ts';
import { loadRecord } from '../repo/read.ts';
import { seedRegions, testClock, testContext, VILLAGE_1 } from '../testing/db.ts';
import { IMPORT_COLUMNS, mapHeaders } from './columns.ts';
import { openRejectFile } from './reject-file.ts';
import { runImport, type RejectedRow } from './run-import.ts';
import { writeTemplate, TEMPLATE_SHEET } from './template.ts';

const HEADER = IMPORT_COLUMNS.map((c) => c.header);
const good = makeId('370899', '1958-02-03', 21);
const other = makeId('370899', '1962-09-30', 33);
const badChecksum = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
const fifteen = makeId('370899', '1955-05-05', 41);
const fifteenDigits = fifteen.slice(0, 6) + fifteen.slice(8, 17);

/** Header row is row 1; the data rows below are rows 2..11. */
const ROWS: string[][] = [
  // 2: good — a new person with a flag and an enrolment
  [
    good,
    '王秀英',
    VILLAGE_1,
    'H0001',
    '13800000000',
    '低保对象',
    '2022-01',
    '',
    '2021-12-20',
    'civil_affairs',
    '民〔2021〕1号',
    '2022',
    '居民',
    '免缴费',
    '0',
    '',
    '',
    '2021-12-20',
  ],
  // 3: bad checksum
  [badChecksum, '李四', VILLAGE_1, '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
  // 4: 15-digit
  [fifteenDigits, '赵五', VILLAGE_1, '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
  // 5: unknown category
  [
    other,
    '孙六',
    VILLAGE_1,
    '',
    '',
    '贫困户甲',
    '2022-01',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  // 6: duplicate of row 2
  [
    good,
    '王秀英',
    VILLAGE_1,
    'H0001',
    '13800000000',
    '低保对象',
    '2022-01',
    '',
    '2021-12-20',
    'civil_affairs',
    '民〔2021〕1号',
    '2022',
    '居民',
    '免缴费',
    '0',
    '',
    '',
    '2021-12-20',
  ],
  // 7: empty name
  [other, '', VILLAGE_1, '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
  // 8: a date in the future
  [
    other,
    '孙六',
    VILLAGE_1,
    '',
    '',
    '特困人员',
    '2022-01',
    '',
    '2099-01-01',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  // 9: good — the same person again with another category
  [
    good,
    '王秀英',
    VILLAGE_1,
    'H0001',
    '',
    '严重精神障碍患者',
    '2022-03',
    '',
    '',
    'health',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  // 10: good — a person without flag or enrolment
  [other, '孙六', VILLAGE_1, '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
  // 11: unknown village
  [
    makeId('370899', '1970-10-10', 51),
    '周七',
    '370899999999',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
];

const EXPECTED: [number, string | null, RegExp][] = [
  [3, 'certno', /check digit/],
  [4, 'certno', /15-digit/],
  [5, 'category', /not a known category/],
  [6, null, /duplicate of row 2/],
  [7, 'name', /empty/],
  [8, 'recognisedOn', /future/],
  [11, 'regionCode', /not a known village/],
];

const csv = (rows: string[][]) =>
  '\ufeff' +
  [HEADER, ...rows]
    .map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(','))
    .join('\r\n') +
  '\r\n';

describeDb('registry import', (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-import-'));
  const reg = () => testContext(ctx.db, testClock('2022-05-10'));

  beforeAll(async () => {
    await seedRegions(ctx.db);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the good rows of a CSV, rejects every broken one with its reason; counts add up', async () => {
    // A baseline of nothing: a row the import does not seal in the audit log would be reported.
    await recordAudit(ctx.db, {
      actor: SYSTEM_ACTOR,
      action: REGISTRY_BASELINE_ACTION,
      entity: BULK_ENTITY,
      entityId: 'baseline#1',
      after: { rows: 0, rowSeals: [] },
    });
    const file = join(dir, 'people.csv');
    writeFileSync(file, csv(ROWS));
    const rejects: RejectedRow[] = [];
    const counts = await runImport(reg(), SYSTEM_ACTOR, file, {
      fileName: 'people.csv',
      format: 'csv',
      batchSize: 2,
      onReject: (r) => {
        rejects.push(r);
      },
    });
    expect(counts).toEqual({ rowsRead: 10, imported: 3, rejected: 7 });
    expect(counts.imported + counts.rejected).toBe(counts.rowsRead);
    expect(rejects.map((r) => [r.rowNumber, r.field])).toEqual(EXPECTED.map(([n, f]) => [n, f]));
    for (const [n, , reason] of EXPECTED) {
      const r = rejects.find((x) => x.rowNumber === n)!;
      expect(r.reason.en).toMatch(reason);
      expect(r.reason.zh).toMatch(/[\u4e00-\u9fff]/);
    }

    const rec = await loadRecord(ctx.db, { kind: 'system' }, good);
    expect(rec?.person).toMatchObject({
      name: '王秀英',
      householdId: 'H0001',
      phone: '13800000000',
      changeReason: '导入 people.csv / import people.csv',
    });
    expect(rec?.flags.map((f) => f.category)).toEqual(['subsistence', 'severe_mental']);
    expect(rec?.enrolments[0]).toMatchObject({
      contributionType: 'fee_exemption',
      benefitFrom: '2022-01-01',
    });
    expect((await loadRecord(ctx.db, { kind: 'system' }, other))?.flags).toEqual([]);
    const audit = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.import.batch'`,
    );
    expect(audit.rows[0]!.n).toBeGreaterThan(0);
    const v = await verifyAudit(ctx.db);
    expect(v.problems).toEqual([]);
    expect(v.rows).toBeGreaterThanOrEqual(3);
  });

  it('rejects, on a second import of the same file, every row against what is now registered', async () => {
    const file = join(dir, 'again.csv');
    writeFileSync(file, csv([ROWS[0]!, ROWS[7]!]));
    const rejects: RejectedRow[] = [];
    const counts = await runImport(reg(), SYSTEM_ACTOR, file, {
      fileName: 'again.csv',
      format: 'csv',
      onReject: (r) => {
        rejects.push(r);
      },
    });
    expect(counts).toEqual({ rowsRead: 2, imported: 0, rejected: 2 });
    expect(rejects.map((r) => r.reason.en)).toEqual([
      expect.stringMatching(/overlaps the registered subsistence flag/),
      expect.stringMatching(/overlaps the registered severe_mental flag/),
    ]);
  });

  it('reads XLSX the same way (a fresh county), and writes the reject file', async () => {
    await ctx.db.exec('TRUNCATE registry_history, enrolment, person_flag, person, household');
    const file = join(dir, 'people.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('参保人导入');
    ws.addRow(HEADER);
    for (const r of ROWS) ws.addRow(r.map((c) => (c === '' ? null : c)));
    await wb.xlsx.writeFile(file);
    const rejectPath = join(dir, 'people.rejects.csv');
    const rejectFile = openRejectFile(rejectPath);
    const counts = await runImport(reg(), SYSTEM_ACTOR, file, {
      fileName: 'people.xlsx',
      format: 'xlsx',
      onReject: (r) => rejectFile.write(r),
    });
    await rejectFile.close();
    expect(counts).toEqual({ rowsRead: 10, imported: 3, rejected: 7 });
    const lines = readFileSync(rejectPath, 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('行号,身份证号,姓名,列,原因,reason');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(EXPECTED.map(([n]) => n));
    expect(lines[1]).toContain('身份证号');
  });

  it('refuses a file without the required columns, before reading any row', async () => {
    const file = join(dir, 'wrong.csv');
    writeFileSync(file, '姓名,电话\n张三,13800000000\n');
    await expect(
      runImport(reg(), SYSTEM_ACTOR, file, { fileName: 'wrong.csv', format: 'csv' }),
    ).rejects.toMatchObject({
      code: 'import.missing_column',
    });
  });

  it('publishes a template whose headers map onto every column', async () => {
    const file = join(dir, 'template.xlsx');
    const out = createWriteStream(file);
    await writeTemplate(out);
    if (!out.closed) await once(out, 'close');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const headers = (wb.getWorksheet(TEMPLATE_SHEET)!.getRow(1).values as unknown[])
      .slice(1)
      .map(String);
    expect(headers[0]).toBe('身份证号*');
    expect(mapHeaders(headers)).toEqual(IMPORT_COLUMNS.map((c) => c.key));
    expect(wb.getWorksheet('填写说明')).toBeDefined();
  });
});
