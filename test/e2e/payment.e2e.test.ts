/**
 * Provider payment in a real Chromium against a real server (`npm start` on PGlite, the demo
 * county and its settled demo year): a Dongguan resident treated at the capitation centre and
 * referred to the people's hospital (a dated stay); bureau staff open January's statements, see
 * the referral charged to the package and close the month; the other months are closed and the
 * advances issued; staff draft the year-end clearing, the administrator approves it with every
 * step shown, and a second clearing of the cleared year is refused (409).
 * Screenshots go to test/e2e/screenshots/payment/ (ignored by git).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { APIResponse, Browser, Page } from 'playwright-core';
import { launchChromium, describeInChromium } from './support/browser.ts';
import { startServer, type E2eServer } from './support/server.ts';
import { screenshots, signIn as signInAt } from './support/steps.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/payment/', import.meta.url));
const YEAR = 2022;
const CENTRE = 'H37089910002';
const PEOPLES = 'H37089900001';

describeInChromium('provider payment: a month’s statement and a year-end clearing', () => {
  let server: E2eServer;
  let browser: Browser;
  let staff: Page;
  let admin: Page;
  let shot: Awaited<ReturnType<typeof screenshots>>;

  const url = (path: string) => `${server.baseUrl}${path}`;

  async function apiPost(p: Page, path: string, data: unknown): Promise<APIResponse> {
    const me = await p.request.get(url('/api/v1/auth/me'));
    const token = ((await me.json()) as { csrfToken: string }).csrfToken;
    return p.request.post(url(path), {
      data: data as Record<string, unknown>,
      headers: { 'x-csrf-token': token },
    });
  }

  beforeAll(async () => {
    shot = await screenshots(SHOTS);
    server = await startServer();
    browser = await launchChromium();
    const context = () =>
      browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    staff = await (await context()).newPage();
    admin = await (await context()).newPage();
    await signInAt(staff, server.baseUrl, 'staff');
    await signInAt(admin, server.baseUrl, 'admin');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows January's statements with the referral charged to the package, and closes the month", async () => {
    // A Dongguan resident: a visit at the capitation centre, then a referred stay with its dates.
    const found = (await (
      await staff.request.get(url('/api/v1/persons?region=370899002&pageSize=50'))
    ).json()) as { items: { certno: string }[] };
    let referred = '';
    for (const [i, p] of found.items.entries()) {
      const visit = await apiPost(staff, '/api/v1/settlements', {
        msgid: `e2e-pay-c-${i}`,
        certno: p.certno,
        fixmedinsCode: CENTRE,
        bill: {
          date: `${YEAR}-01-10`,
          visitType: 'general_outpatient',
          diagnosis: 'J06.9',
          lines: [{ amount: '180', class: 'A' }],
        },
      });
      if (visit.status() !== 200) continue;
      const stay = await apiPost(staff, '/api/v1/settlements', {
        msgid: `e2e-pay-r-${i}`,
        certno: p.certno,
        fixmedinsCode: PEOPLES,
        bill: {
          date: `${YEAR}-01-20`,
          admissionDate: `${YEAR}-01-12`,
          dischargeDate: `${YEAR}-01-20`,
          visitType: 'inpatient',
          diagnosis: 'I63.9',
          lines: [{ amount: '12000', class: 'A' }],
        },
      });
      expect(stay.status(), await stay.text()).toBe(200);
      referred = p.certno;
      break;
    }
    expect(referred).not.toBe('');

    await expect(staff.locator('[data-menu=payment-statements]').count()).resolves.toBe(1);
    await staff.goto(url('/payment/statements'));
    await staff.locator('[data-test=payment-year] input').fill(String(YEAR));
    await staff.locator('[data-test=payment-month] input').fill('1');
    await staff.locator('[data-test=payment-load]').click();
    const centre = staff.locator(`[data-test=statement-${CENTRE}]`);
    await centre.waitFor();
    await expect(centre.textContent()).resolves.toContain(PEOPLES);
    await expect(centre.textContent()).resolves.toContain('按人头打包');
    await expect(staff.locator('[data-test=payment-status]').textContent()).resolves.toContain(
      '未结账',
    );
    await shot(staff, 'january-draft');

    await staff.locator('[data-test=payment-close]').click();
    await staff.locator('.el-message-box__btns .el-button--primary').click();
    await staff.locator('[data-test=payment-status] .el-tag--success').waitFor();
    await shot(staff, 'january-closed');
  });

  it('drafts the year-end clearing, approves it with every step, and refuses a second one', async () => {
    for (let m = 1; m <= 12; m++) {
      const a = await apiPost(staff, '/api/v1/payment/advances', { year: YEAR, month: m });
      expect(a.status(), await a.text()).toBe(200);
    }
    for (let m = 2; m <= 12; m++) {
      const c = await apiPost(staff, '/api/v1/payment/months/close', { year: YEAR, month: m });
      expect(c.status(), await c.text()).toBe(200);
    }
    await staff.goto(url('/payment/clearing'));
    await staff.locator('[data-test=clearing-year] input').fill(String(YEAR));
    await staff.locator('[data-test=clearing-create]').click();
    await staff.locator('.el-card[data-test=clearing-draft]').waitFor();
    await staff.locator('[data-test=clearing-final]').first().waitFor();
    await shot(staff, 'clearing-draft');

    await admin.goto(url('/payment/clearing'));
    await admin.locator('[data-test=clearing-approve]').click();
    await admin.locator('[data-test=clearing-approved]').waitFor();
    await admin.locator('[data-test=clearing-approved] .el-table__expand-icon').first().click();
    const steps = admin.locator('[data-test=clearing-steps]').first();
    await steps.waitFor();
    await expect(steps.textContent()).resolves.toMatch(/全年应得|清算应/);
    await shot(admin, 'clearing-approved');
    // The approved year now reads as cleared in the package's year-by-year table.
    const capitation = admin.locator('[data-test=capitation-years]');
    await expect.poll(async () => capitation.textContent(), { timeout: 20_000 }).toMatch(CENTRE);
    await expect(capitation.textContent()).resolves.toMatch(/结余留用|超支不补/);

    const again = await apiPost(staff, '/api/v1/payment/clearings', { year: YEAR });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('payment.already_cleared');
  });
});
