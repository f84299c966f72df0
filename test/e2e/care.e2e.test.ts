/**
 * A family doctor's monthly round in a real Chromium against a real server (`npm start` on
 * PGlite with the demo county): the doctor opens the month at a glance (who is due, who is
 * overdue), records a follow-up — first dated tomorrow, which is refused under the date field —
 * sees the person recorded, opens the person's record, looks back at a month of the demo year
 * with people overdue, and finds a person of another township answered as nobody.
 * Screenshots go to test/e2e/screenshots/care/ (ignored by git).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, describeInChromium } from './support/browser.ts';
import { startServer, type E2eServer } from './support/server.ts';
import { screenshots, signIn as signInAt } from './support/steps.ts';
import { makeId } from '../../src/kernel/idcard.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/care/', import.meta.url));

const dayInChina = (offsetDays = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

interface MonthPerson {
  certno: string;
  name: string;
  regionCode: string;
  status: string;
}

describeInChromium('a family doctor’s monthly round in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let doctor: Page;
  let shot: Awaited<ReturnType<typeof screenshots>>;
  let person: MonthPerson;

  const url = (path: string) => `${server.baseUrl}${path}`;
  const rows = (p: Page, table: string) => p.locator(`[data-test=${table}] .el-table__body tr`);

  beforeAll(async () => {
    shot = await screenshots(SHOTS);
    server = await startServer();
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    doctor = await context.newPage();
    await signInAt(doctor, server.baseUrl, 'doctor');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the month at a glance: who is due, per doctor and team', async () => {
    await expect(doctor.locator('[data-menu=care-month]').count()).resolves.toBe(1);
    await doctor.goto(url('/care/month'));
    await rows(doctor, 'care-summary').first().waitFor();
    await rows(doctor, 'care-people').first().waitFor();
    // This month has just begun for the demo's contracts: nobody is recorded yet, all are due.
    await expect(doctor.locator('[data-test=status-due]').count()).resolves.toBeGreaterThan(0);
    await expect(doctor.locator('[data-test=status-overdue]').count()).resolves.toBe(0);
    const month = dayInChina().slice(0, 7);
    const list = (await (
      await doctor.request.get(url(`/api/v1/care/months/${month}?status=missing&pageSize=5`))
    ).json()) as { items: MonthPerson[] };
    person = list.items[0]!;
    await shot(doctor, 'month');
    expect(person.regionCode).toMatch(/^370899001/);
  });

  it('records a follow-up: a visit dated tomorrow is refused under its date, today is saved', async () => {
    await rows(doctor, 'care-people')
      .filter({ hasText: person.certno })
      .getByRole('button', { name: '填写记录单' })
      .click();
    const form = doctor.locator('[data-test=followup-form]');
    await form.waitFor();
    const date = doctor.locator('[data-test=visited-on] input').first();
    await date.click();
    await date.fill(dayInChina(1));
    await date.press('Enter');
    // Escape would close the dialog: a click on its title closes the picker.
    await form.locator('.el-form-item').nth(1).click();
    await doctor.locator('[data-test=medication] input').fill('氨氯地平 5mg 每日一次');
    const [refused] = await Promise.all([
      doctor.waitForResponse(
        (r) => r.url().includes('/followups') && r.request().method() === 'POST',
      ),
      doctor.locator('[data-test=save-followup]').click(),
    ]);
    expect(refused.status()).toBe(422);
    expect(((await refused.json()) as { field: string }).field).toBe('visitedOn');
    await form.locator('.el-form-item__error', { hasText: '晚于今天' }).waitFor();
    await shot(doctor, 'future-date-refused');

    await date.click();
    await date.fill(dayInChina());
    await date.press('Enter');
    // Escape would close the dialog: a click on its title closes the picker.
    await form.locator('.el-form-item').nth(1).click();
    const [saved] = await Promise.all([
      doctor.waitForResponse(
        (r) => r.url().includes('/followups') && r.request().method() === 'POST',
      ),
      doctor.locator('[data-test=save-followup]').click(),
    ]);
    expect(saved.status(), await saved.text()).toBe(201);
    await form.waitFor({ state: 'hidden' });
    // Recorded people sort after the unrecorded: the recorded filter shows the one just saved.
    await doctor.locator('[data-test=care-status]').getByText('已记录').click();
    const row = rows(doctor, 'care-people').filter({ hasText: person.certno });
    await row.locator('[data-test=status-recorded]').waitFor();
    await shot(doctor, 'recorded');
  });

  it('opens the person’s record with the new follow-up', async () => {
    await doctor.goto(url(`/care/persons/${person.certno}`));
    await doctor.locator('[data-test=care-person]').waitFor();
    await rows(doctor, 'care-followups').filter({ hasText: dayInChina() }).first().waitFor();
    await expect(
      rows(doctor, 'care-followups').filter({ hasText: '氨氯地平' }).count(),
    ).resolves.toBeGreaterThan(0);
    await shot(doctor, 'person');
  });

  it('looks back at a month of the demo year with people overdue', async () => {
    await doctor.goto(url('/care/month'));
    const month = doctor.locator('[data-test=care-month] input').first();
    await rows(doctor, 'care-people').first().waitFor();
    await month.click();
    await month.fill('2022-02');
    await month.press('Enter');
    await doctor.keyboard.press('Escape');
    await doctor.locator('[data-test=care-status]').getByText('未记录').click();
    await doctor.locator('[data-test=status-overdue]').first().waitFor();
    await shot(doctor, 'overdue');
  });

  it('answers a person of another township as nobody', async () => {
    // A valid ID number of nobody in the doctor's township.
    const other = makeId('370899', '1960-01-01', 11);
    const r = await doctor.request.get(url(`/api/v1/care/persons/${other}`));
    expect(r.status()).toBe(404);
    await doctor.goto(url(`/care/persons/${other}`));
    await doctor.locator('[data-test=care-person-error]').waitFor();
  });
});
