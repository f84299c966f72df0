/**
 * The later modules' pages in a real Chromium against a real server (`npm start` on PGlite, the
 * demo county with its settled demo year): bureau staff see the year's warnings, run and push the
 * last month and download the pushed list; civil affairs confirm a warning with a reason; staff
 * read the programme's budget and cards; staff create a reconciliation campaign, upload a list,
 * run a pass, dry-run and apply it, and work an item of the problem ledger (rectify, verify).
 * Screenshots go to test/e2e/screenshots/workflows/ (ignored by git).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, describeInChromium } from './support/browser.ts';
import { startServer, type E2eServer } from './support/server.ts';
import { screenshots, signIn as signInAt } from './support/steps.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/workflows/', import.meta.url));

describeInChromium('warnings, programmes and reconciliation in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let staff: Page;
  let campaignId = '';

  let shot: Awaited<ReturnType<typeof screenshots>>;

  const signIn = (p: Page, username: string) => signInAt(p, server.baseUrl, username);

  /** The reason dialog: confirming empty is refused in Chinese, then the reason is sent. */
  async function giveReason(p: Page, reason: string) {
    const dialog = p.locator('[data-test=reason-dialog]:visible');
    await dialog.locator('[data-test=reason-confirm]').click();
    await dialog.getByText('请填写原因').waitFor();
    await dialog.locator('textarea[data-test=reason-text]').fill(reason);
    await dialog.locator('[data-test=reason-confirm]').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  const rows = (p: Page, table: string) => p.locator(`[data-test=${table}] .el-table__body tr`);
  /** A row's first cell (the id column) holding exactly `text`. */
  const firstCell = (p: Page, text: string) =>
    p.locator('td:first-child', { hasText: new RegExp(`^\\s*${text}\\s*$`) });

  beforeAll(async () => {
    shot = await screenshots(SHOTS);
    server = await startServer();
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    staff = await context.newPage();
    await signIn(staff, 'staff');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('bureau staff see the demo year’s warnings, run the last month and push it', async () => {
    await expect(staff.locator('[data-menu=warnings]').count()).resolves.toBe(1);
    await staff.goto(`${server.baseUrl}/warnings`);
    const list = rows(staff, 'warning-table');
    await list.first().waitFor();
    expect(await list.count()).toBeGreaterThan(0);
    // Amounts in yuan with thousands separators; the demo pushed every month but the last.
    expect(await staff.locator('[data-test=warning-table]').textContent()).toMatch(
      /\d{2},\d{3}\.\d{2}/,
    );
    await staff.locator('[data-test=warning-table] [data-status=pushed]').first().waitFor();
    await staff.locator('[data-test=warning-table] [data-status=new]').first().waitFor();
    await shot(staff, 'warnings-list');

    // The monthly run of the newest month again: idempotent, its counts shown.
    await staff.locator('[data-test=monitor-run]').click();
    const result = staff.locator('[data-test=monitor-result]');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/2022-12 监测完成：新增预警 0 条/);

    // Push the month's new warnings to civil affairs.
    await staff.locator('[data-test=monitor-push]').click();
    await staff.locator('.el-message-box__btns .el-button--primary').click();
    await staff.locator('.el-message--success', { hasText: '已推送' }).waitFor();
    // The list reloads: the month's warnings are pushed now, none is new.
    await staff
      .locator('[data-test=warning-table] [data-status=new]')
      .first()
      .waitFor({ state: 'detached' });
    await shot(staff, 'warnings-pushed');

    // The push list and its XLSX.
    await staff.getByRole('tab', { name: '推送记录' }).click();
    const pushes = rows(staff, 'push-table');
    await pushes.first().waitFor();
    expect(await pushes.first().textContent()).toContain('2022-12');
    const [download] = await Promise.all([
      staff.waitForEvent('download'),
      pushes.first().locator('[data-test=push-xlsx]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^预警名单_2022-12_\d+\.xlsx$/);
    await shot(staff, 'warnings-pushes');

    await staff.getByRole('tab', { name: '预警统计' }).click();
    await staff.locator('[data-test=warning-charts] canvas').first().waitFor();
    await staff.waitForTimeout(800); // the charts' entry animation
    await shot(staff, 'warnings-charts');
  });

  it('civil affairs confirm a pushed warning with a reason', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    const civil = await context.newPage();
    await signIn(civil, 'civil');
    // Civil affairs decide warnings and read the ledger; no campaigns, no programmes.
    await expect(civil.locator('[data-menu=warnings]').count()).resolves.toBe(1);
    await expect(civil.locator('[data-menu=programmes]').count()).resolves.toBe(0);
    await civil.goto(`${server.baseUrl}/warnings`);
    const first = rows(civil, 'warning-table').filter({
      has: civil.locator('[data-status=pushed]'),
    });
    await first.first().waitFor();
    const id = ((await first.first().locator('td').first().textContent()) ?? '').trim();
    await first.first().locator('[data-test=warning-confirm]').click();
    await giveReason(civil, '经入户核实，家庭因病支出负担重，认定为风险对象');
    const row = rows(civil, 'warning-table').filter({ has: firstCell(civil, id) });
    await row.locator('[data-status=confirmed]').waitFor();
    // Confirmed: the next step, recording the assistance, is offered.
    await expect(row.locator('[data-test=warning-assist]').count()).resolves.toBe(1);
    await shot(civil, 'civil-confirmed');

    await row.locator('[data-test=warning-history]').click();
    const events = civil.locator('[data-test=warning-events]');
    await events.getByText('经入户核实').waitFor();
    expect(await events.textContent()).toContain('已认定');
    await shot(civil, 'civil-history');
    await context.close();
  });

  it('staff see the programme’s budget, its cards and the year-end report', async () => {
    await staff.goto(`${server.baseUrl}/programmes`);
    const programmes = rows(staff, 'programme-table');
    await programmes.first().waitFor();
    const text = (await staff.locator('[data-test=programme-table]').textContent()) ?? '';
    expect(text).toContain('严重精神障碍患者医疗救助兜底');
    expect(text).toContain('1,000,000.00');
    await expect(staff.locator('[data-test=budget-bar]').count()).resolves.toBeGreaterThan(0);
    await shot(staff, 'programmes');

    await programmes.first().locator('[data-test=open-programme]').click();
    await staff.waitForURL(/\/programmes\/\d+$/);
    await rows(staff, 'card-table').first().waitFor();
    expect(await rows(staff, 'card-table').first().textContent()).toMatch(/JZK/);
    await shot(staff, 'programme-cards');
    await staff.getByRole('tab', { name: '年度报告' }).click();
    await staff.locator('[data-test=programme-report]').waitFor();
    await shot(staff, 'programme-report');
  });

  it('staff create a campaign, upload a list, run a pass and review the dry run', async () => {
    await staff.goto(`${server.baseUrl}/reconciliation`);
    await staff.locator('[data-test=campaign-new]').click();
    await staff
      .locator('input[data-test=campaign-name]')
      .fill('示范县2022年医保扶贫数据比对（e2e）');
    const year = staff.locator('[data-test=campaign-year] input, input[data-test=campaign-year]');
    await year.first().fill('2022');
    await year.first().blur();
    await staff.locator('[data-test=campaign-create]').click();
    await staff.waitForURL(/\/reconciliation\/\d+/);
    campaignId = /\/reconciliation\/(\d+)/.exec(staff.url())![1]!;

    // A poverty-target list: three people of township 370899001 (not flagged as such) and a row
    // whose ID nobody holds.
    const found = await staff.request.get(
      `${server.baseUrl}/api/v1/persons?region=370899001&pageSize=3`,
    );
    const people = ((await found.json()) as { items: { certno: string; name: string }[] }).items;
    const csv = ['身份证号,姓名', ...people.map((p) => `${p.certno},${p.name}`)];
    csv.push('370899199001011235,查无此人');
    await staff.locator('input[data-test=list-file]').setInputFiles({
      name: 'poverty-targets.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.join('\n') + '\n', 'utf8'),
    });
    await staff.locator('[data-test=list-upload]').click();
    const uploaded = staff.locator('[data-test=list-result]');
    await uploaded.waitFor();
    expect(await uploaded.textContent()).toContain('读取 4 行，接收 4 行，拒绝 0 行');
    await rows(staff, 'list-table').first().waitFor();
    await shot(staff, 'campaign-lists');

    await staff.getByRole('tab', { name: '比对轮次' }).click();
    await staff.locator('[data-test=run-pass]').click();
    await rows(staff, 'pass-table').first().waitFor();
    const kinds = staff.locator('[data-test=pass-kinds]');
    await kinds.getByText('名单内未标识').waitFor();
    await shot(staff, 'campaign-pass');

    await staff.getByRole('tab', { name: '比对处理' }).click();
    await staff.locator('[data-test=dry-run]').click();
    const summary = staff.locator('[data-test=apply-summary]');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('尚未写入');
    expect(await staff.locator('[data-test=apply-changes]').textContent()).toContain(
      '新增身份标识「返贫致贫人口」',
    );
    await shot(staff, 'campaign-dry-run');
    await staff.locator('[data-test=apply]').click();
    await staff.locator('.el-message-box__btns .el-button--primary').click();
    await summary.getByText('已执行').waitFor();

    await staff.getByRole('tab', { name: '台账统计' }).click();
    await staff.locator('[data-test=problem-dashboard] canvas').first().waitFor();
    await staff.waitForTimeout(800);
    await shot(staff, 'campaign-dashboard');
  });

  it('staff rectify and verify an item of the problem ledger, each with a comment', async () => {
    await staff.goto(
      `${server.baseUrl}/reconciliation/problems?campaignId=${campaignId}&kind=not_flagged`,
    );
    const items = rows(staff, 'problem-table');
    await items.first().waitFor();
    const id = ((await items.first().locator('td').first().textContent()) ?? '').trim();
    const item = items.filter({ has: firstCell(staff, id) });
    await item.locator('[data-test=problem-rectify]').click();
    await giveReason(staff, '已补做返贫致贫人口标识并退还个人缴费');
    await item.locator('[data-state=rectified]').waitFor();
    await item.locator('[data-test=problem-verify]').click();
    await giveReason(staff, '经核验，标识和免缴费认定已到位');
    await item.locator('[data-state=verified]').waitFor();
    await expect(item.locator('[data-test=problem-close]').count()).resolves.toBe(1);
    await shot(staff, 'ledger');

    await item.locator('[data-test=problem-history]').click();
    const detail = staff.locator('[data-test=problem-detail]');
    await detail.getByText('经核验，标识和免缴费认定已到位').waitFor();
    await shot(staff, 'ledger-history');
  });
});
