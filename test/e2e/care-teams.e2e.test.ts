/**
 * An unstable-patient report in a real Chromium against a real server (`npm start` on PGlite, the
 * demo county with its care teams): bureau staff open a team of the first township, record an
 * unstable visit and report the patient — referred onwards, the police station and every member
 * notified; the township's police station signs in, finds the report in its list, opens it (which
 * acknowledges the station's notification) and sees the team's contacts but not the treatment.
 * Screenshots go to test/e2e/screenshots/care-teams/ (ignored by git).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, describeInChromium } from './support/browser.ts';
import { startServer, type E2eServer } from './support/server.ts';
import { screenshots, signIn as signInAt } from './support/steps.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/care-teams/', import.meta.url));
const TOWNSHIP = '370899001';

describeInChromium('an unstable-patient report in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let shot: Awaited<ReturnType<typeof screenshots>>;
  let patient = '';

  const signIn = (p: Page, username: string) => signInAt(p, server.baseUrl, username);
  const url = (path: string) => `${server.baseUrl}${path}`;
  const rows = (p: Page, table: string) => p.locator(`[data-test=${table}] .el-table__body tr`);

  beforeAll(async () => {
    server = await startServer(540_000);
    browser = await launchChromium();
    shot = await screenshots(SHOTS);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('staff record an unstable visit and report the patient', async () => {
    const staff = await (await browser.newContext()).newPage();
    await signIn(staff, 'staff');
    await staff.goto(url('/care/teams'));
    await staff.locator('input[data-test=care-region]').fill(TOWNSHIP);
    await staff.keyboard.press('Enter');
    await rows(staff, 'care-teams').first().waitFor();
    await shot(staff, 'teams');
    patient = (await rows(staff, 'care-teams').first().locator('td').first().innerText()).trim();
    await rows(staff, 'care-teams').first().locator('[data-test=care-team-open]').click();
    await staff.locator('[data-test=care-members]').waitFor();
    expect(await rows(staff, 'care-members').count()).toBeGreaterThanOrEqual(7);
    await staff.locator('input[data-test=visit-visitor]').fill('经办人员');
    await staff.locator('[data-test=visit-condition]').getByText('不稳定').click();
    await staff.locator('[data-test=visit-risk] input').fill('4');
    await staff.locator('[data-test=visit-save]').click();
    await staff.locator('input[data-test=report-treatment]').waitFor();
    await staff.locator('input[data-test=report-treatment]').fill('肌注氟哌啶醇');
    await staff.locator('input[data-test=report-referred]').fill('示范县康复医院');
    await shot(staff, 'report');
    await staff.locator('[data-test=report-save]').click();
    await staff.waitForURL(/\/care\/reports/);
    await rows(staff, 'care-reports').first().waitFor();
    expect(await rows(staff, 'care-reports').first().innerText()).toContain(patient);
    await shot(staff, 'reports-staff');
  }, 120_000);

  it('the station finds the report, reads it (acknowledged) and sees the contacts only', async () => {
    const police = await (await browser.newContext()).newPage();
    await signIn(police, 'police');
    // The station's menu: the care-team group opens onto its reports.
    await police.getByText('关爱帮扶', { exact: true }).first().click();
    await police.locator('[data-menu=care-teams-reports]').click();
    await police.waitForURL(/\/care\/reports/);
    const row = rows(police, 'care-reports').filter({ hasText: patient }).first();
    await row.waitFor();
    await row.click();
    await police.locator('[data-test=care-notifications]').waitFor();
    const station = rows(police, 'care-notifications').filter({ hasText: '派出所' }).first();
    await station.locator('[data-test=ack-time]').waitFor();
    const report = await police.locator('[data-test=care-report]').innerText();
    expect(report).toContain('***');
    expect(report).not.toContain('氟哌啶醇');
    expect(await rows(police, 'care-notifications').count()).toBeGreaterThanOrEqual(8);
    await shot(police, 'report-police');
    // Nothing of the registry: the person page is not permitted.
    await police.goto(url('/registry'));
    await police.waitForURL(/\/forbidden/);
  }, 120_000);
});
