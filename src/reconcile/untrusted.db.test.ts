/** Department lists nobody checked: NUL bytes, cells with line breaks, hostile text in the feedback. */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { seedRegions, testClock } from '../registry/testing/db.ts';
import { HOSTILE, neutralised } from '../tabular/testing.ts';
import { reconcileContext } from './context.ts';
import { exportFeedback } from './export/feedback-xlsx.ts';
import { listRejects } from './import/import-list.ts';
import { runPass } from './pass/run-pass.ts';
import { createCampaign } from './repo/campaigns.ts';
import { addPeople, BUREAU, importCsv, newId } from './testing.ts';

const H = '身份证号,姓名,村(居)区划代码,认定日期';
const people = Array.from({ length: 40 }, (_, i) => newId(`19${50 + (i % 40)}-03-04`));

describeDb('reconciliation of untrusted lists', (ctx) => {
  const rc = () => reconcileContext(ctx.db, testClock('2022-09-15').now);
  let campaignId = 0;

  beforeAll(async () => {
    await seedRegions(ctx.db);
    await addPeople(
      ctx.db,
      people.map((certno) => ({ certno, name: '王五', enrolments: [{}] })),
    );
    const c = await createCampaign(ctx.db, BUREAU, {
      name: '不可信名单',
      regionCode: '370899',
      medicalYear: 2022,
    });
    campaignId = c.campaignId;
  });

  it('rejects the row holding U+0000 alone, naming the column', async () => {
    const lines = [H];
    people.forEach((p, i) =>
      lines.push(`${p},${i === 7 ? '王\u0000五' : '王五'},370899001001,2022-1-5`),
    );
    const r = await importCsv(rc(), campaignId, 'civil_affairs', 'subsistence', lines.join('\n'));
    expect(r).toMatchObject({ rowsRead: 40, accepted: 39, rejected: 1 });
    const rejects = await listRejects(rc(), r.listId);
    expect(rejects).toMatchObject([{ rowNumber: 9, field: 'name', name: '王\ufffd五' }]);
    expect(rejects[0]!.reason.en).toContain('U+0000');
  });

  it('reads the list date 2022-9-1 as 2022-09-01', async () => {
    const r = await importCsv(
      rc(),
      campaignId,
      'civil_affairs',
      'subsistence',
      `${H}\n${people[0]},王五,370899001001,2022-1-5`,
      '2022-9-1',
    );
    const l = await ctx.db.query<{ as_of: string }>(
      'SELECT as_of::text AS as_of FROM reconcile_list WHERE list_id = $1',
      [r.listId],
    );
    expect(l.rows[0]!.as_of).toBe('2022-09-01');
  });

  it('numbers rejects by spreadsheet row after cells with line breaks', async () => {
    const lines = [`${H},备注`];
    for (let i = 0; i < 90; i++) {
      const note = i % 3 === 0 ? '"第一行\n第二行\r\n第三行"' : '无';
      lines.push(`BAD${i},王五,370899001001,2022-01-05,${note}`);
    }
    const r = await importCsv(rc(), campaignId, 'civil_affairs', 'subsistence', lines.join('\r\n'));
    const rejects = await listRejects(rc(), r.listId);
    expect(rejects.map((x) => x.rowNumber)).toEqual(Array.from({ length: 90 }, (_, i) => i + 2));
  });

  it('writes hostile text neutralised in the feedback workbook', async () => {
    // A department named by whoever uploaded the list, shown on every finding it caused.
    for (const [i, department] of HOSTILE.entries()) {
      await importCsv(
        rc(),
        campaignId,
        department,
        'subsistence',
        `${H}\n${people[i]},王五,370899001001,2022-01-05`,
      );
    }
    const pass = await runPass(rc(), BUREAU, campaignId);
    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    await exportFeedback(rc(), BUREAU, campaignId, pass.passNo, out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const departments = new Set<string>();
    wb.worksheets[0]!.eachRow((row, n) => {
      if (n > 1) departments.add(String(row.getCell(4).value));
    });
    for (const d of HOSTILE.map((v) => v.trim())) expect(departments).toContain(neutralised(d));
  });
});
