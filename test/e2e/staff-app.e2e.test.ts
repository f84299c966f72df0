/**
 * The staff web app in a real Chromium against a real server (`npm start` on PGlite, demo county):
 * bureau staff sign in, find a 低保 person, pre-settle and settle a bill, open the one bill and
 * cancel it; a township office fails to open a person of another township; the app switches to
 * English. Each step leaves a screenshot under test/e2e/screenshots/staff-app/ (ignored by git).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, describeInChromium } from './support/browser.ts';
import { startServer, type E2eServer } from './support/server.ts';
import { screenshots, signIn as signInAt } from './support/steps.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/staff-app/', import.meta.url));

describeInChromium('staff web app in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let staff: BrowserContext;
  let page: Page;
  /** The 低保 person settled, and their settlement. */
  let certno = '';
  let settlementId = '';

  let shot: Awaited<ReturnType<typeof screenshots>>;

  const signIn = (p: Page, username: string) => signInAt(p, server.baseUrl, username);

  beforeAll(async () => {
    shot = await screenshots(SHOTS);
    server = await startServer();
    browser = await launchChromium();
    staff = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page = await staff.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the app under / without shadowing the API', async () => {
    const api = await fetch(`${server.baseUrl}/api/v1/nothing-here`, {
      headers: { accept: 'text/html' },
    });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('route.not_found');
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const deep = await fetch(`${server.baseUrl}/settle?certno=x`, {
      headers: { accept: 'text/html' },
    });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
  });

  it('bureau staff sign in (Chinese first) and see the dashboard', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/login/);
    await expect(page.locator('[data-test=login-submit]').textContent()).resolves.toContain('登录');
    await shot(page, 'login');

    // A wrong password is refused with the API's Chinese message.
    await page.locator('input[name=username]').fill('staff');
    await page.locator('input[name=password]').fill('wrong-password');
    await page.locator('[data-test=login-submit]').click();
    await page.locator('[data-test=login-error]').waitFor();

    await signIn(page, 'staff');
    await page.locator('[data-test=stat-people]').waitFor();
    await expect(page.locator('[data-test=scope]').textContent()).resolves.toContain('示范县');
    // Bureau staff hold settlement and import: both are in their menu.
    await expect(page.locator('[data-menu=settlement]').count()).resolves.toBe(1);
    await expect(page.locator('[data-menu=registry-import]').count()).resolves.toBe(1);
    await page.locator('canvas').first().waitFor();
    await page.waitForTimeout(800); // let the charts' entry animation finish for the screenshot
    await shot(page, 'dashboard');
  });

  it('finds a 低保 person of the demo county', async () => {
    await page.locator('[data-category-link=subsistence]').click();
    await page.waitForURL(/\/registry\/flagged\?category=subsistence/);
    const rows = page.locator('[data-test=flagged-results] .el-table__body tr');
    await rows.first().waitFor();
    await expect(rows.first().locator('[data-category=subsistence]').count()).resolves.toBe(1);
    await shot(page, 'subsistence-list');

    await rows.first().locator('[data-test=settle-person]').click();
    await page.waitForURL(/\/settle\?certno=/);
    certno = new URL(page.url()).searchParams.get('certno') ?? '';
    expect(certno).toMatch(/^\d{17}[\dX]$/);
    await page.locator('[data-test=settle-person] [data-category=subsistence]').waitFor();
  });

  it('shows the Chinese rule message next to a bad bill field', async () => {
    // The bureau's window names the institution the bill is settled for (its level applies).
    await page.locator('input[data-test=settle-institution]').fill('H37089900001');
    await page.locator('input[data-test=bill-diagnosis]').fill('I63.9');
    await page.locator('input[data-test=line-amount-0]').fill('12.345');
    await page.locator('[data-test=presettle]').click();
    const amountError = page.locator('[data-error="lines[0].amount"]');
    await amountError.waitFor();
    expect(await amountError.textContent()).toMatch(/[\u4e00-\u9fff]/);
    await expect(page.locator('[data-error="lines[0].class"]').count()).resolves.toBe(1);
    await shot(page, 'bill-validation');
  });

  it('pre-settles a pasted bill and shows every tier with its explanation', async () => {
    await page.locator('input[data-test=line-amount-0]').fill('20,000');
    await page.locator('[data-test=line-class-0]').getByText('甲类').click();
    await page.locator('[data-test=paste-lines]').click();
    await page.locator('textarea[data-test=paste-text]').fill('6000\tB\t0\t10\n3000\t丙');
    await page.locator('[data-test=paste-apply]').click();
    await expect(page.locator('[data-test=bill-lines] tbody tr').count()).resolves.toBe(3);

    await page.locator('[data-test=presettle]').click();
    const result = page.locator('[data-test=presettle-result]');
    await result.waitFor();
    const tiers = result.locator('[data-test=tier-table] .el-table__body tr');
    await expect(tiers.count()).resolves.toBe(5);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('基本医保');
    expect(text).toContain('医疗救助');
    expect(text).toContain('低保对象');
    // Amounts in yuan with thousands separators.
    expect(text).toContain('29,000.00');
    await shot(page, 'presettle');
  });

  it('settles the bill', async () => {
    await page.locator('[data-test=settle]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    const result = page.locator('[data-test=settlement-result]');
    await result.waitFor();
    await expect(result.locator('[data-test=settlement-status]').textContent()).resolves.toContain(
      '已结算',
    );
    settlementId = ((await result.locator('[data-test=settlement-id]').textContent()) ?? '').trim();
    expect(settlementId).toMatch(/^\d+$/);
    await shot(page, 'settled');
  });

  it('opens the one bill (HTML to print, and the PDF)', async () => {
    const [bill] = await Promise.all([
      staff.waitForEvent('page'),
      page.locator('[data-test=print-bill]').click(),
    ]);
    await bill.waitForLoadState('load');
    expect(new URL(bill.url()).pathname).toBe(`/api/v1/settlements/${settlementId}/bill.html`);
    const body = (await bill.textContent('body')) ?? '';
    expect(body).toContain('基本医保');
    // The one bill masks the ID number but its last four digits.
    expect(body).toContain(certno.slice(-4));
    expect(body).not.toContain(certno);
    await shot(bill, 'one-bill');
    await bill.close();

    const pdf = await page.request.get(
      `${server.baseUrl}/api/v1/settlements/${settlementId}/bill.pdf`,
    );
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');
  });

  it('cancels the settlement, asking for a reason', async () => {
    await page.locator('[data-test=cancel-settlement]').click();
    await page.locator('[data-test=cancel-confirm]').click();
    await page.getByText('请填写原因').waitFor();
    await page.locator('textarea[data-test=cancel-reason]').fill('患者信息录入错误，撤销重结');
    await shot(page, 'cancel-reason');
    await page.locator('[data-test=cancel-confirm]').click();
    await page
      .locator('[data-test=settlement-status]', { hasText: '已撤销' })
      .waitFor({ timeout: 15_000 });
    await shot(page, 'cancelled');

    // The person page lists the settlement and its reversal.
    await page.goto(`${server.baseUrl}/persons/${certno}`);
    await page.locator('[data-test=flag-timeline]').waitFor();
    await page.getByRole('tab', { name: '结算记录' }).click();
    await page.getByText('冲销单').first().waitFor();
    await shot(page, 'person-settlements');
  });

  it('a township office cannot open a person of another township', async () => {
    // A person outside township 370899001, found with the staff session.
    const found = await page.request.get(
      `${server.baseUrl}/api/v1/persons?region=370899002&pageSize=1`,
    );
    const other = ((await found.json()) as { items: { certno: string }[] }).items[0]!.certno;

    const township = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    const tp = await township.newPage();
    await signIn(tp, 'township');
    await tp.locator('[data-test=scope]').waitFor();
    expect(await tp.locator('[data-test=scope]').textContent()).toContain('370899001');
    // No settlement window or import for a township office: not in its menu, refused by URL.
    await expect(tp.locator('[data-menu=settlement]').count()).resolves.toBe(0);
    await expect(tp.locator('[data-menu=registry-import]').count()).resolves.toBe(0);

    await tp.goto(`${server.baseUrl}/persons/${other}`);
    await tp.locator('[data-test=person-error]').waitFor();
    expect(await tp.locator('[data-test=person-error]').textContent()).toContain('查无此人');
    await expect(tp.locator('[data-test=person-card]').count()).resolves.toBe(0);
    await shot(tp, 'township-other-person');

    await tp.goto(`${server.baseUrl}/settle`);
    await tp.waitForURL(/\/forbidden/);
    await shot(tp, 'township-forbidden');

    // Switch to English: the menu, the header and the API's messages change language.
    await tp.locator('[data-test=lang-switch] [data-lang=en]').click();
    await tp.getByText('Not permitted').waitFor();
    await tp.goto(`${server.baseUrl}/persons/${other}`);
    await tp.locator('[data-test=person-error]').waitFor();
    expect(await tp.locator('[data-test=person-error]').textContent()).toContain('No such person');
    expect(await tp.locator('[data-menu=registry-search]').textContent()).toContain('Find people');
    await shot(tp, 'english');
    await township.close();
  });

  it('shows the settlement window in English', async () => {
    await page.locator('[data-test=lang-switch] [data-lang=en]').click();
    await page.goto(`${server.baseUrl}/settlements/${settlementId}`);
    const result = page.locator('[data-test=settlement-result]');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('Cancelled');
    expect(text).toContain('Basic insurance');
    await shot(page, 'english-settlement');
  });
});
